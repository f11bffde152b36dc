// Package conformance holds only tests: the client and the emulator against Authing's own
// OpenAPI document of the webhook API (testdata/authing-openapi-webhooks.json; its origin
// is in testdata/README.md).
package conformance

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/authing/terraform-provider-authing/internal/authing"
	"github.com/authing/terraform-provider-authing/internal/emulator"
)

// Where the document does not show an answer as a server sends it. Its examples are made
// by a generator from the schemas' example fields, and the Node SDK 4.x types one answer
// that the document leaves out. This is the one place the test names them; DESIGN.md
// ("What Authing documents, and where it is silent") gives each decision.
var quirks = struct {
	// listAsOneObject: the documentation renders `list` (an array of WebhookDto or
	// WebhookLogDto) as one object. The schema says array, and clients read an array:
	// an example list is the item's example, once.
	listAsOneObject func(item any) []any
	// deliveryHeadersUnderResponse: WebhookLogDto's responseHeaders example holds the
	// delivery's request headers, the secret under two names included, and its
	// requestHeaders example holds a request body. The client reads both maps as headers
	// and drops the secret headers from both.
	deliveryHeadersUnderResponse string
	// headersExampleIsABody: TriggerWebhookDto's requestHeaders example is a request body
	// ({eventName, data}), which no header map can carry: the test sends a header instead.
	headersExampleIsABody map[string]string
	// deleteAnswersData: delete-webhook's answer carries data {success} (the Node SDK
	// 4.x's IsSuccessRespDto), which DeleteWebhookRespDto does not list.
	deleteAnswersData map[string][]string
	// tokenRouteUnauthenticated: get-management-token declares bearer security, but it is
	// the route that issues the token: no SDK sends one to it, and neither does the client.
	tokenRouteUnauthenticated string
	// endpointAnswersAreAnyJSON: what an endpoint answered, TriggerWebhookData.response
	// ("Any", the original interface's response data) and a log's requestBody and
	// responseBody, are declared objects, but hold what came: an old log shows an HTML page
	// as a string, and an endpoint may answer nothing or a JSON array. The schemas named
	// here accept any JSON value, null included.
	endpointAnswersAreAnyJSON func(doc *openapi3.T)
}{
	listAsOneObject:              func(item any) []any { return []any{item} },
	deliveryHeadersUnderResponse: "responseHeaders",
	headersExampleIsABody:        map[string]string{"x-smoke": "1"},
	deleteAnswersData:            map[string][]string{"/api/v3/delete-webhook": {"data"}},
	tokenRouteUnauthenticated:    "/api/v3/get-management-token",
	endpointAnswersAreAnyJSON: func(doc *openapi3.T) {
		anything := func(s *openapi3.Schema) {
			s.Type, s.Nullable, s.Properties = nil, true, nil
		}
		anything(doc.Components.Schemas["Any"].Value)
		log := doc.Components.Schemas["WebhookLogDto"].Value
		anything(log.Properties["requestBody"].Value)
		anything(log.Properties["responseBody"].Value)
	},
}

// exampleID is the webhook ID of the document's examples.
const exampleID = "6229ffaxxxxxxxxcade3e3d9"

// Every example answer of the document decodes through the client into the values the
// example shows, and every request the client makes for it validates against the
// document's request schema.
func TestDocumentedExamplesDecodeThroughTheClient(t *testing.T) {
	doc := loadDocument(t)
	answers := map[string]any{}
	for path := range doc.Paths.Map() {
		answers[path] = example(responseSchema(t, doc, path))
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(answers[r.URL.Path])
	}))
	t.Cleanup(srv.Close)
	rec := &recorder{}
	c := newClient(t, srv.URL, rec)
	ctx := t.Context()
	data := func(path string) map[string]any { return object(t, object(t, answers[path])["data"]) }
	webhookExample := data("/api/v3/get-webhook")

	hooks, err := c.ListWebhooks(ctx)
	if err != nil || len(hooks) != 1 {
		t.Fatalf("list-webhooks: %d, %v", len(hooks), err)
	}
	expectSame(t, "list-webhooks", hooks[0], first(t, data("/api/v3/list-webhooks")["list"]))

	got, err := c.GetWebhook(ctx, exampleID)
	if err != nil {
		t.Fatalf("get-webhook: %v", err)
	}
	expectSame(t, "get-webhook", got, webhookExample)

	var in authing.WebhookInput
	raw, _ := json.Marshal(requestExample(t, doc, "/api/v3/create-webhook"))
	if err := json.Unmarshal(raw, &in); err != nil {
		t.Fatal(err)
	}
	if got, err = c.CreateWebhook(ctx, in); err != nil {
		t.Fatalf("create-webhook: %v", err)
	}
	expectSame(t, "create-webhook", got, data("/api/v3/create-webhook"))
	if got, err = c.UpdateWebhook(ctx, exampleID, in); err != nil {
		t.Fatalf("update-webhook: %v", err)
	}
	expectSame(t, "update-webhook", got, data("/api/v3/update-webhook"))

	trigger := requestExample(t, doc, "/api/v3/trigger-webhook")
	body, _ := json.Marshal(trigger["requestBody"])
	res, err := c.TriggerWebhook(ctx, authing.TriggerInput{WebhookID: fmt.Sprint(trigger["webhookId"]), RequestHeaders: quirks.headersExampleIsABody, RequestBody: body})
	if err != nil {
		t.Fatalf("trigger-webhook: %v", err)
	}
	expectSame(t, "trigger-webhook", json.RawMessage(res.Response), data("/api/v3/trigger-webhook")["response"])

	logs, err := c.GetWebhookLogs(ctx, exampleID, 10)
	if err != nil || len(logs) != 1 {
		t.Fatalf("get-webhook-logs: %d, %v", len(logs), err)
	}
	want := object(t, first(t, data("/api/v3/get-webhook-logs")["list"]))
	l := logs[0]
	expectSame(t, "log webhookId, eventName, status, success, error", []any{l.WebhookID, l.EventName, l.ResponseStatusCode, l.Success, l.ErrorMessage},
		[]any{want["webhookId"], want["eventName"], want["responseStatusCode"], want["success"], want["errorMessage"]})
	expectSame(t, "log requestBody", l.RequestBody, want["requestBody"])
	expectSame(t, "log responseBody", l.ResponseBody, want["responseBody"])
	// "2022-09-20T08:55:00.188+0800" is the same instant in RFC 3339.
	if instant := time.Date(2022, 9, 20, 0, 55, 0, 188e6, time.UTC); !l.Time.Equal(instant) || l.Timestamp != "2022-09-20T08:55:00.188+08:00" {
		t.Errorf("log timestamp %q (%v), want %v", l.Timestamp, l.Time, instant)
	}
	// Header names come out in lower case, values that are not strings as their JSON; the
	// secret headers of either map never come out.
	expectSame(t, "log requestHeaders", l.RequestHeaders, map[string]string{"eventname": "test", "data": `{"description":"A test from authing"}`})
	delivery := object(t, want[quirks.deliveryHeadersUnderResponse])
	if delivery["x-authing-token"] == nil || delivery["x-authing-webhook-secret"] == nil {
		t.Fatalf("the example no longer shows the secret headers: %v", delivery)
	}
	expectSame(t, "log responseHeaders", l.ResponseHeaders, map[string]string{"accept": fmt.Sprint(delivery["Accept"]), "user-agent": fmt.Sprint(delivery["user-agent"])})

	events, err := c.ListWebhookEvents(ctx)
	if err != nil || len(events.Events) != 1 || len(events.Categories) != 1 {
		t.Fatalf("get-webhook-event-list: %+v, %v", events, err)
	}
	expectSame(t, "event list", events, data("/api/v3/get-webhook-event-list"))

	if err := c.DeleteWebhook(ctx, exampleID); err != nil {
		t.Fatalf("delete-webhook: the example answer (no data) is a deletion: %v", err)
	}

	rt := router(t, doc, srv.URL)
	requested := map[string]bool{}
	for _, x := range rec.all() {
		in, err := validateRequest(ctx, rt, x)
		if err != nil {
			t.Errorf("%s %s: %v", x.method, x.url, err)
			continue
		}
		requested[in.Route.Path] = true
		if in.Route.Path != "/api/v3/get-management-token" && x.header.Get("Authorization") != "Bearer eyJ...Ggg" {
			t.Errorf("%s: the token of the example answer was not used: %q", x.url, x.header.Get("Authorization"))
		}
	}
	for path := range doc.Paths.Map() {
		if !requested[path] {
			t.Errorf("no request for %s", path)
		}
	}
}

// Every answer the emulator gives, on every route, validates against the document's
// response schema, with no undocumented field in its envelope; the client's requests to
// it validate against the request schemas.
func TestEmulatorAnswersAsTheDocumentSays(t *testing.T) {
	doc := loadDocument(t)
	emu, err := emulator.Start(emulator.Options{Keys: []emulator.AccessKey{{ID: "pool-conformance", Secret: "sk-conformance-secret"}}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = emu.Close() })
	emu.SeedWebhooks("seed", 3)
	rec := &recorder{}
	c := newClient(t, emu.URL(), rec)
	ctx := t.Context()
	secret := "whsec-conformance"
	w, err := c.CreateWebhook(ctx, authing.WebhookInput{Name: ptr("conformance"), URL: ptr(emu.ReceiverURL("conformance")), Events: ptr([]string{"user:created"}), ContentType: ptr("application/json"), Secret: &secret})
	if err != nil {
		t.Fatal(err)
	}
	steps := []error{
		func() error { _, err := c.ListWebhooks(ctx); return err }(),
		func() error { _, err := c.GetWebhook(ctx, w.WebhookID); return err }(),
		func() error {
			_, err := c.UpdateWebhook(ctx, w.WebhookID, authing.WebhookInput{Enabled: ptr(false)})
			return err
		}(),
		func() error {
			_, err := c.TriggerWebhook(ctx, authing.TriggerInput{WebhookID: w.WebhookID, RequestHeaders: map[string]string{"x-smoke": "1"}, RequestBody: []byte(`{"eventName":"test","data":{"n":1}}`)})
			return err
		}(),
		func() error { _, err := c.GetWebhookLogs(ctx, w.WebhookID, 5); return err }(),
		func() error { _, err := c.ListWebhookEvents(ctx); return err }(),
		c.DeleteWebhook(ctx, w.WebhookID),
	}
	if err := errors.Join(steps...); err != nil {
		t.Fatal(err)
	}
	// An unknown webhook: a business error answer, whose envelope must be documented too.
	if _, err := c.GetWebhook(ctx, "6229ffa000000000cade3e3d"); !authing.IsNotFound(err) {
		t.Fatalf("unknown webhook: %v", err)
	}
	// An endpoint that fails, in each endpoint-failure style: 601 and 602 are error
	// envelopes; the relay style's data.response, and the logs, hold whatever came back.
	html := "<html><body>502 Bad Gateway</body></html>"
	if err := emu.SetReceiver("html", emulator.ReceiverBehavior{Status: 502, Body: &html}); err != nil {
		t.Fatal(err)
	}
	failing := 0
	for _, style := range []emulator.EndpointFailureStyle{emulator.EndpointFailureCodes, emulator.EndpointFailureRelay} {
		if err := emu.SetEndpointFailure(style); err != nil {
			t.Fatal(err)
		}
		for _, receiver := range []string{"down?down=1", "html", "empty?status=204"} {
			id := emu.AddWebhook(emulator.Webhook{Name: receiver, URL: emu.ReceiverURL(receiver), Enabled: true, Events: []string{"test"}})
			if _, err := c.TriggerWebhook(ctx, authing.TriggerInput{WebhookID: id}); err != nil {
				failing++
			}
			if _, err := c.GetWebhookLogs(ctx, id, 5); err != nil {
				t.Fatal(err)
			}
		}
	}
	if failing != 2 {
		t.Fatalf("%d triggers of a failing endpoint failed, want the 601 and the 602 of the codes style", failing)
	}
	quirks.endpointAnswersAreAnyJSON(doc)
	rt := router(t, doc, emu.URL())
	answered := map[string]bool{}
	for _, x := range rec.all() {
		in, err := validateRequest(ctx, rt, x)
		if err != nil {
			t.Errorf("request %s %s: %v", x.method, x.url, err)
			continue
		}
		if err := validateResponse(ctx, in, x); err != nil {
			t.Errorf("answer of %s: %v\n%s", in.Route.Path, err, x.respBody)
		}
		answered[in.Route.Path] = true
	}
	for path := range doc.Paths.Map() {
		if !answered[path] {
			t.Errorf("no answer of %s was checked", path)
		}
	}
}

func ptr[T any](v T) *T { return &v }
