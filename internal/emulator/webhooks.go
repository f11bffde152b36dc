package emulator

import (
	"fmt"
	"net/url"
	"strings"
	"time"
)

const (
	contentTypeJSON = "application/json"
	contentTypeForm = "application/x-www-form-urlencoded"
)

// Webhook is a webhook as tests create it with AddWebhook.
type Webhook struct {
	Name        string
	URL         string
	ContentType string
	Enabled     bool
	Events      []string
	Secret      string
	// RetryConfig is how Authing retries failed deliveries; nil when never set.
	RetryConfig *RetryConfig
}

// RetryConfig is a webhook's retryConfig, as the Node SDK 4.x types describe it.
type RetryConfig struct {
	Enabled   bool   `json:"enabled"`
	Count     *int   `json:"count,omitempty"`
	Delay     *int   `json:"delay,omitempty"`
	DelayUnit string `json:"delayUnit,omitempty"`
}

type webhookRecord struct {
	Webhook
	WebhookID string
	CreatedAt time.Time
	UpdatedAt time.Time
	logs      []webhookLog
	lastLog   time.Time // the time of the latest log
	// pool is the user pool the webhook belongs to: the creator's, or the first key's.
	pool string
}

type webhookDTO struct {
	WebhookID   string       `json:"webhookId"`
	Name        string       `json:"name"`
	URL         string       `json:"url"`
	ContentType string       `json:"contentType"`
	Enabled     bool         `json:"enabled"`
	Events      []string     `json:"events"`
	Secret      string       `json:"secret,omitempty"`
	RetryConfig *RetryConfig `json:"retryConfig,omitempty"`
	CreatedAt   string       `json:"createdAt"`
	UpdatedAt   string       `json:"updatedAt"`
}

type webhookLog struct {
	WebhookID          string            `json:"webhookId"`
	EventName          string            `json:"eventName"`
	RequestBody        any               `json:"requestBody"`
	RequestHeaders     map[string]string `json:"requestHeaders"`
	ResponseStatusCode int               `json:"responseStatusCode"`
	ResponseHeaders    map[string]string `json:"responseHeaders"`
	ResponseBody       any               `json:"responseBody"`
	Timestamp          string            `json:"timestamp"`
	Success            bool              `json:"success"`
	ErrorMessage       string            `json:"errorMessage,omitempty"`
}

func (w *webhookRecord) dto() webhookDTO {
	events := w.Events
	if events == nil {
		events = []string{}
	}
	return webhookDTO{
		WebhookID: w.WebhookID, Name: w.Name, URL: w.URL, ContentType: w.ContentType,
		Enabled: w.Enabled, Events: events, Secret: w.Secret, RetryConfig: w.RetryConfig,
		CreatedAt: w.CreatedAt.UTC().Format("2006-01-02T15:04:05.000Z"),
		UpdatedAt: w.UpdatedAt.UTC().Format("2006-01-02T15:04:05.000Z"),
	}
}

// AddWebhook creates a webhook directly, for test set-up, and returns its ID.
// Its user pool is the first access key's.
func (s *Server) AddWebhook(w Webhook) string {
	return s.addWebhook(w, s.opts.Keys[0].poolID())
}

func (s *Server) addWebhook(w Webhook, pool string) string {
	if w.ContentType == "" {
		w.ContentType = contentTypeJSON
	}
	now := time.Now()
	rec := &webhookRecord{Webhook: w, WebhookID: newObjectID(), CreatedAt: now, UpdatedAt: now, pool: pool}
	s.mu.Lock()
	s.webhooks = append(s.webhooks, rec)
	s.byID[rec.WebhookID] = rec
	s.mu.Unlock()
	return rec.WebhookID
}

// Webhook returns a webhook as the emulator holds it, secret included, for test assertions.
func (s *Server) Webhook(id string) (Webhook, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	w, ok := s.byID[id]
	if !ok {
		return Webhook{}, false
	}
	return w.Webhook, true
}

// Webhooks returns the IDs of every webhook, in the API's order.
func (s *Server) Webhooks() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	ids := make([]string, len(s.webhooks))
	for i, w := range s.webhooks {
		ids[i] = w.WebhookID
	}
	return ids
}

// SeedWebhooks adds n enabled webhooks named "<prefix>-<i>" that point at the built-in
// receiver, and returns their IDs in order.
func (s *Server) SeedWebhooks(prefix string, n int) []string {
	ids := make([]string, n)
	for i := range n {
		name := fmt.Sprintf("%s-%d", prefix, i+1)
		ids[i] = s.AddWebhook(Webhook{Name: name, URL: s.ReceiverURL(name), Enabled: true, Events: []string{"user:created"}})
	}
	return ids
}

// RemoveWebhook deletes a webhook directly, as a change made outside Terraform would.
func (s *Server) RemoveWebhook(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.removeLocked(id)
}

func (s *Server) removeLocked(id string) {
	if _, ok := s.byID[id]; !ok {
		return
	}
	delete(s.byID, id)
	for i, w := range s.webhooks {
		if w.WebhookID == id {
			s.webhooks = append(s.webhooks[:i], s.webhooks[i+1:]...)
			break
		}
	}
}

// webhookFields reads and checks the writable fields of create-webhook and update-webhook.
func webhookFields(c *call, w *Webhook, requireAll bool) *apiError {
	for _, name := range []string{"name", "url", "events", "contentType"} {
		if _, ok := c.body[name]; requireAll && !ok {
			return badRequest("%s is required", name)
		}
	}
	if _, e := field(c, "name", &w.Name); e != nil {
		return e
	}
	if _, e := field(c, "url", &w.URL); e != nil {
		return e
	}
	if _, e := field(c, "events", &w.Events); e != nil {
		return e
	}
	if _, e := field(c, "contentType", &w.ContentType); e != nil {
		return e
	}
	if _, e := field(c, "enabled", &w.Enabled); e != nil {
		return e
	}
	if _, e := field(c, "secret", &w.Secret); e != nil {
		return e
	}
	var rc RetryConfig
	if present, e := field(c, "retryConfig", &rc); e != nil {
		return e
	} else if present {
		if e := checkRetryConfig(rc); e != nil {
			return e
		}
		w.RetryConfig = &rc
	}
	if strings.TrimSpace(w.Name) == "" {
		return badRequest("name must not be empty")
	}
	if u, err := url.Parse(w.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return badRequest("url must be an absolute http(s) URL")
	}
	if w.ContentType != contentTypeJSON && w.ContentType != contentTypeForm {
		return badRequest("contentType must be %s or %s", contentTypeJSON, contentTypeForm)
	}
	for _, e := range w.Events {
		if !validEvent(e) {
			return badRequest("unknown event %q", e)
		}
	}
	return nil
}

func checkRetryConfig(rc RetryConfig) *apiError {
	if rc.Count != nil && (*rc.Count < 0 || *rc.Count > 10) {
		return badRequest("retryConfig.count must be between 0 and 10")
	}
	if rc.Delay != nil && *rc.Delay < 0 {
		return badRequest("retryConfig.delay must not be negative")
	}
	switch rc.DelayUnit {
	case "", "Second", "Minute", "Hour", "Day":
		return nil
	}
	return badRequest("retryConfig.delayUnit must be Second, Minute, Hour or Day")
}

func (s *Server) createWebhook(c *call) (any, *apiError) {
	w := Webhook{Enabled: true}
	if e := webhookFields(c, &w, true); e != nil {
		return nil, e
	}
	id := s.addWebhook(w, c.pool)
	rec, e := s.lookup(id)
	if e != nil {
		return nil, e
	}
	return rec.dto(), nil
}

func (s *Server) updateWebhook(c *call) (any, *apiError) {
	var id string
	if _, e := field(c, "webhookId", &id); e != nil {
		return nil, e
	}
	cur, e := s.lookup(id)
	if e != nil {
		return nil, e
	}
	w := cur.Webhook
	if e := webhookFields(c, &w, false); e != nil {
		return nil, e
	}
	s.mu.Lock()
	live, ok := s.byID[id]
	if ok {
		live.Webhook = w
		live.UpdatedAt = time.Now()
		cur = &webhookRecord{Webhook: live.Webhook, WebhookID: live.WebhookID, CreatedAt: live.CreatedAt, UpdatedAt: live.UpdatedAt}
	}
	s.mu.Unlock()
	if !ok {
		return nil, &apiError{statusCode: 404, apiCode: 2004, message: "webhook " + id + " does not exist"}
	}
	return cur.dto(), nil
}

func (s *Server) deleteWebhook(c *call) (any, *apiError) {
	var ids []string
	if _, e := field(c, "webhookIds", &ids); e != nil {
		return nil, e
	}
	if len(ids) == 0 {
		return nil, badRequest("webhookIds must be a non-empty array")
	}
	// The Node SDK 4.x types the answer as IsSuccessRespDto; a server that refuses says
	// success: false under statusCode 200, and deletes nothing.
	s.mu.Lock()
	if s.opts.RefuseDeletes {
		s.mu.Unlock()
		return map[string]bool{"success": false}, nil
	}
	for _, id := range ids {
		s.removeLocked(id)
	}
	s.mu.Unlock()
	return map[string]bool{"success": true}, nil
}
