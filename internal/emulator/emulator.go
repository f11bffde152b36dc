// Package emulator is a local Authing management API for tests and demos.
//
// It serves the routes the provider uses on a loopback port, as strictly as the real API:
// the response envelope, management tokens (JWTs with scoped_userpool_id and a
// configurable lifetime), the limit <= 50 rule, 401 for a bad or expired token and
// HTTP 429 throttling. Its trigger-webhook really delivers an HTTP request to the
// webhook's URL (loopback only) and relays the answer, or answers an endpoint's failure in
// either style Authing's documents allow (EndpointFailureStyle). A built-in receiver under
// /_emulator/receiver/ answers deliveries, so a demo needs no second program; it can play
// a service that is not ready yet (SetReceiver). EmitEvent sends real events.
//
// Tests inject faults per route (InjectFault) and read counters (Stats); a standalone
// user reads the same counters at /_emulator/stats.
//
// The package speaks only HTTP and imports nothing else of this module.
package emulator

import (
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	mathrand "math/rand/v2"
	"net"
	"net/http"
	"sync"
	"time"
)

// DefaultTokenLifetime is the lifetime of issued tokens, as on the real API.
const DefaultTokenLifetime = 7200 * time.Second

// DefaultRateLimit is the real API's free-plan limit: requests per second per user pool.
const DefaultRateLimit = 300

// AccessKey is an access key pair the emulator accepts.
type AccessKey struct {
	ID     string
	Secret string
	// UserPoolID is the pool the key's tokens are scoped to; empty means ID.
	UserPoolID string
}

// poolID is the user pool the key's tokens are scoped to.
func (k AccessKey) poolID() string {
	if k.UserPoolID == "" {
		return k.ID
	}
	return k.UserPoolID
}

// Options configure a Server.
type Options struct {
	// Keys are the accepted access keys. At least one is required.
	Keys []AccessKey
	// TokenLifetime is the lifetime of issued tokens; 0 means DefaultTokenLifetime.
	TokenLifetime time.Duration
	// Latency is added before every API answer (not receiver answers).
	Latency time.Duration
	// RateLimit is requests per second per user pool; 0 means DefaultRateLimit, <0 none.
	RateLimit int
	// PageSize, when positive, is how many entries list-webhooks and get-webhook-logs serve
	// a page whatever limit asks (a limit over 50 included), as a server that clamps limit
	// would. 0 serves limit, and refuses a limit over 50 as Authing does.
	PageSize int
	// NotFound is how get-webhook answers an unknown webhook ID. Authing's documentation
	// does not say; both styles are plausible.
	NotFound NotFoundStyle
	// MissingRoutes answer like a route the server does not have: HTTP 404 with
	// {"statusCode":404,"message":"Cannot GET /api/v3/<verb>"}, as a NestJS server or a
	// proxy without the route does. SetRouteMissing changes them while serving.
	MissingRoutes []string
	// LogsOldestFirst serves get-webhook-logs oldest first; by default newest first. The
	// documentation does not say which order the real API uses.
	LogsOldestFirst bool
	// LogsSwapNeighbours lists each pair of neighbouring logs the other way round (the
	// first and second, the third and fourth, ...), as a server that logs concurrent
	// deliveries in the order they finished rather than the order they started.
	LogsSwapNeighbours bool
	// LogDelay, when positive, is how long a delivery takes to appear in get-webhook-logs,
	// as on a server that writes its logs asynchronously.
	LogDelay time.Duration
	// FaultSeed seeds the choice of which requests a Fault with a Rate hits, so that a
	// test's fault schedule can be replayed; 0 picks a random seed.
	FaultSeed uint64
	// RefuseDeletes makes delete-webhook answer statusCode 200 with data.success false and
	// delete nothing, as the Node SDK 4.x types allow. SetRefuseDeletes changes it while
	// serving.
	RefuseDeletes bool
	// EndpointFailure is how trigger-webhook answers when the webhook's endpoint fails;
	// "" means EndpointFailureCodes. SetEndpointFailure changes it while serving.
	EndpointFailure EndpointFailureStyle
	// DeliveryTimeout is how long a delivery waits for the endpoint's answer before it
	// counts as timed out (no answer); 0 means DefaultDeliveryTimeout. A short one lets a
	// test play a timing-out endpoint without waiting half a minute.
	DeliveryTimeout time.Duration
}

// NotFoundStyle is how the emulator answers a read of an unknown webhook.
type NotFoundStyle string

const (
	// NotFoundBusiness404 answers HTTP 200 with statusCode 404 (the default).
	NotFoundBusiness404 NotFoundStyle = "404"
	// NotFoundNullData answers HTTP 200 with statusCode 200 and "data": null.
	NotFoundNullData NotFoundStyle = "null"
)

// Server is a running emulator.
type Server struct {
	opts     Options
	signKey  []byte
	listener net.Listener
	http     *http.Server
	url      string
	delivery *http.Client

	mu        sync.Mutex
	keys      map[string]AccessKey
	webhooks  []*webhookRecord
	byID      map[string]*webhookRecord
	revoked   time.Time // tokens issued before this instant are refused
	faults    map[string][]*faultState
	stats     Stats
	received  []ReceivedRequest
	issued    []string
	rateStart time.Time
	rateCount map[string]int
	seq       int
	missing   map[string]bool
	faultRand *mathrand.Rand // guarded by mu
	receivers map[string]*receiverState
	// receiverCounts counts deliveries per receiver, by name and query as addressed.
	receiverCounts map[string]int
}

// New returns a Server that is not yet listening.
func New(opts Options) (*Server, error) {
	if len(opts.Keys) == 0 {
		return nil, fmt.Errorf("emulator: at least one access key is required")
	}
	if opts.TokenLifetime <= 0 {
		opts.TokenLifetime = DefaultTokenLifetime
	}
	if opts.RateLimit == 0 {
		opts.RateLimit = DefaultRateLimit
	}
	switch opts.NotFound {
	case "":
		opts.NotFound = NotFoundBusiness404
	case NotFoundBusiness404, NotFoundNullData:
	default:
		return nil, fmt.Errorf("emulator: not-found style %q is neither %q nor %q", opts.NotFound, NotFoundBusiness404, NotFoundNullData)
	}
	if opts.EndpointFailure == "" {
		opts.EndpointFailure = EndpointFailureCodes
	}
	if err := checkEndpointFailure(opts.EndpointFailure); err != nil {
		return nil, err
	}
	if opts.DeliveryTimeout < 0 {
		return nil, fmt.Errorf("emulator: delivery timeout %s is negative", opts.DeliveryTimeout)
	}
	if opts.DeliveryTimeout == 0 {
		opts.DeliveryTimeout = DefaultDeliveryTimeout
	}
	if opts.PageSize < 0 || opts.PageSize > 50 {
		return nil, fmt.Errorf("emulator: page size %d is not between 0 and 50", opts.PageSize)
	}
	s := &Server{
		opts:      opts,
		signKey:   randomBytes(32),
		keys:      map[string]AccessKey{},
		byID:      map[string]*webhookRecord{},
		faults:    map[string][]*faultState{},
		rateCount: map[string]int{},
		missing:   map[string]bool{},
		stats:     Stats{Requests: map[string]int{}},
		faultRand: newFaultRand(opts.FaultSeed),
		receivers: map[string]*receiverState{},
		delivery: &http.Client{
			// Each delivery on a connection of its own: Go's transport sends a request
			// carrying an Idempotency-Key again when a reused connection is cut, and
			// Authing sends each delivery once.
			Transport: &http.Transport{DisableKeepAlives: true},
			// The emulator delivers to loopback only, and never follows a redirect off it.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
	}
	for _, verb := range opts.MissingRoutes {
		s.missing[verb] = true
	}
	for _, k := range opts.Keys {
		if k.UserPoolID == "" {
			k.UserPoolID = k.ID
		}
		s.keys[k.ID] = k
	}
	return s, nil
}

// Start returns a Server serving on a free loopback port: New, then Start(""). It is the
// one way tests, benchmarks and tools start an emulator.
func Start(opts Options) (*Server, error) {
	s, err := New(opts)
	if err != nil {
		return nil, err
	}
	if err := s.Start(""); err != nil {
		return nil, err
	}
	return s, nil
}

// Start listens on addr (a loopback address; "" means 127.0.0.1 on a free port) and
// serves in the background.
func (s *Server) Start(addr string) error {
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("emulator: listen address %q: %w", addr, err)
	}
	if !isLoopback(host) {
		return fmt.Errorf("emulator: listen address %q is not a loopback address", addr)
	}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("emulator: %w", err)
	}
	s.listener = l
	s.url = "http://" + l.Addr().String()
	s.http = &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = s.http.Serve(l) }()
	return nil
}

// URL is the base URL to configure as the provider's host.
func (s *Server) URL() string { return s.url }

// ReceiverURL is the URL of the built-in receiver for a given name.
func (s *Server) ReceiverURL(name string) string { return s.url + "/_emulator/receiver/" + name }

// Close stops the server and drops open connections.
func (s *Server) Close() error {
	if s.http == nil {
		return nil
	}
	return s.http.Close()
}

// Stats are the emulator's counters.
type Stats struct {
	// Requests counts API requests per route (the verb after /api/v3/), faults included.
	Requests map[string]int `json:"requests"`
	// TokensIssued counts management tokens issued.
	TokensIssued int `json:"tokensIssued"`
	// Deliveries counts requests sent to webhook URLs by trigger-webhook.
	Deliveries int `json:"deliveries"`
	// DeliveriesByWebhook counts deliveries per webhook ID.
	DeliveriesByWebhook map[string]int `json:"deliveriesByWebhook"`
	// ReceiverHits counts requests that reached the built-in receiver.
	ReceiverHits int `json:"receiverHits"`
	// ReceiverDeliveries counts them per receiver, by name and query as addressed.
	ReceiverDeliveries map[string]int `json:"receiverDeliveries"`
	// Unrouted counts requests to paths outside /api/v3/ and the emulator's own pages,
	// such as a client whose host has a path would send.
	Unrouted int `json:"unrouted"`
}

// Stats returns a copy of the counters.
func (s *Server) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := s.stats
	out.Requests = make(map[string]int, len(s.stats.Requests))
	for k, v := range s.stats.Requests {
		out.Requests[k] = v
	}
	out.DeliveriesByWebhook = make(map[string]int, len(s.stats.DeliveriesByWebhook))
	for k, v := range s.stats.DeliveriesByWebhook {
		out.DeliveriesByWebhook[k] = v
	}
	out.ReceiverDeliveries = make(map[string]int, len(s.receiverCounts))
	for k, v := range s.receiverCounts {
		out.ReceiverDeliveries[k] = v
	}
	return out
}

// IssuedTokens returns every management token issued, so that tests can check that none
// of them leaked.
func (s *Server) IssuedTokens() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.issued...)
}

// SetRouteMissing makes a route answer like one the server does not have (HTTP 404
// "Cannot GET"), or serve again.
func (s *Server) SetRouteMissing(verb string, missing bool) {
	s.mu.Lock()
	s.missing[verb] = missing
	s.mu.Unlock()
}

// SetRefuseDeletes makes delete-webhook refuse (data.success false) or delete again.
func (s *Server) SetRefuseDeletes(refuse bool) {
	s.mu.Lock()
	s.opts.RefuseDeletes = refuse
	s.mu.Unlock()
}

// ExpireTokens makes every token issued so far invalid, as if it had expired.
func (s *Server) ExpireTokens() {
	s.mu.Lock()
	s.revoked = time.Now()
	s.mu.Unlock()
}

func newFaultRand(seed uint64) *mathrand.Rand {
	if seed == 0 {
		seed = binary.LittleEndian.Uint64(randomBytes(8))
	}
	return mathrand.New(mathrand.NewPCG(seed, seed))
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return b
}

// newObjectID returns a 24-hex-digit ID in the shape of the API's IDs.
func newObjectID() string { return hex.EncodeToString(randomBytes(12)) }

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
