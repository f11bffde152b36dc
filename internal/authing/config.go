package authing

import (
	"context"
	"net/http"
	"strings"
	"time"
)

// defaultMaxResponseBytes caps the size of one answer the client reads.
const defaultMaxResponseBytes = 16 << 20

// DefaultResponseHeaderTimeout is how long one request waits for the answer to begin. A
// server that accepts the connection and never answers would otherwise hold a call until
// its context ends; for a read, the attempt then fails and is retried within the call's
// deadline. It is long because TriggerWebhook answers only once the webhook's endpoint has.
const DefaultResponseHeaderTimeout = time.Minute

// DefaultListConcurrency is how many list pages are fetched at once.
const DefaultListConcurrency = 8

// DevVersion is the version of a build that was given none.
const DevVersion = "dev"

// Logger receives one line per request. Fields never hold bodies, headers or secrets.
type Logger interface {
	Debug(ctx context.Context, msg string, fields map[string]any)
	Warn(ctx context.Context, msg string, fields map[string]any)
}

// Config configures a Client.
type Config struct {
	// Host is the API's base URL, checked by ParseHost. Empty means DefaultHost.
	Host            string
	AccessKeyID     string
	AccessKeySecret string
	// TenantID, when set, is sent as x-authing-app-tenant-id.
	TenantID string
	// CAPEM adds PEM certificates to the system roots, for private deployments whose
	// certificates a private authority signed. Certificates are always verified.
	CAPEM []byte
	// ListConcurrency bounds the list pages fetched at once; 0 means DefaultListConcurrency.
	ListConcurrency int
	// MaxResponseBytes caps one answer; 0 means defaultMaxResponseBytes.
	MaxResponseBytes int64
	// ResponseHeaderTimeout bounds the wait for each answer to begin; 0 means
	// DefaultResponseHeaderTimeout.
	ResponseHeaderTimeout time.Duration
	// Retry bounds retries; the zero value means DefaultRetryPolicy.
	Retry RetryPolicy
	// Version is the provider's version, sent as x-authing-sdk-version
	// "terraform-provider-authing:<version>" and in User-Agent; empty means DevVersion.
	Version string
	// Platform, when set, is what the provider runs in, such as "terraform 1.11.4"; it is
	// added to User-Agent.
	Platform string
	// Logger gets one line per request; nil logs nothing.
	Logger Logger
	// Transport replaces the default HTTP transport (tests); CAPEM then does not apply.
	Transport http.RoundTripper
}

// ConfigError says what makes a Config unusable.
type ConfigError struct {
	// Host is why Host is not usable, or nil.
	Host error
	// Missing names the credentials that are empty: "AccessKeyID", "AccessKeySecret".
	Missing []string
}

func (e *ConfigError) Error() string {
	var problems []string
	if e.Host != nil {
		problems = append(problems, e.Host.Error())
	}
	if len(e.Missing) > 0 {
		problems = append(problems, "missing "+strings.Join(e.Missing, " and "))
	}
	return "invalid client configuration: " + strings.Join(problems, "; ")
}

// Normalize returns cfg as New uses it, or a *ConfigError: an empty Host is DefaultHost
// and is otherwise put in ParseHost's form, the key ID and tenant lose surrounding white
// space, both credentials must be set, and zero values get their defaults.
func (cfg Config) Normalize() (Config, error) {
	var problems ConfigError
	if strings.TrimSpace(cfg.Host) == "" {
		cfg.Host = DefaultHost
	}
	host, err := ParseHost(cfg.Host)
	problems.Host = err
	cfg.Host = host
	cfg.AccessKeyID = strings.TrimSpace(cfg.AccessKeyID)
	cfg.TenantID = strings.TrimSpace(cfg.TenantID)
	if cfg.AccessKeyID == "" {
		problems.Missing = append(problems.Missing, "AccessKeyID")
	}
	if strings.TrimSpace(cfg.AccessKeySecret) == "" {
		problems.Missing = append(problems.Missing, "AccessKeySecret")
	}
	if problems.Host != nil || len(problems.Missing) > 0 {
		return cfg, &problems
	}
	if cfg.ListConcurrency <= 0 {
		cfg.ListConcurrency = DefaultListConcurrency
	}
	if cfg.MaxResponseBytes <= 0 {
		cfg.MaxResponseBytes = defaultMaxResponseBytes
	}
	if cfg.ResponseHeaderTimeout <= 0 {
		cfg.ResponseHeaderTimeout = DefaultResponseHeaderTimeout
	}
	if cfg.Retry.MaxAttempts <= 0 {
		cfg.Retry = DefaultRetryPolicy
	}
	if cfg.Version == "" {
		cfg.Version = DevVersion
	}
	return cfg, nil
}

// userAgent is the User-Agent header: the provider and its version, and the platform it
// runs in when known.
func (cfg Config) userAgent() string {
	ua := "terraform-provider-authing/" + cfg.Version
	if cfg.Platform != "" {
		ua += " (" + cfg.Platform + ")"
	}
	return ua
}
