package authing

import (
	"net/http"
	"strings"
	"testing"

	"github.com/authing/terraform-provider-authing/internal/emulator"
)

func ptr[T any](v T) *T { return &v }

func TestManageWebhooks(t *testing.T) {
	emu := startEmulator(t, emulator.Options{})
	c := newTestClient(t, emu.URL())
	w, err := c.CreateWebhook(t.Context(), WebhookInput{
		Name: ptr("n"), URL: ptr(emu.ReceiverURL("n")), Events: ptr([]string{"login"}), ContentType: ptr("application/json"), Secret: ptr("s"),
	})
	if err != nil || w.WebhookID == "" || !w.Enabled || w.Secret != "s" {
		t.Fatalf("create: %+v, %v", w, err)
	}
	u, err := c.UpdateWebhook(t.Context(), w.WebhookID, WebhookInput{Enabled: ptr(false)})
	if err != nil || u.Enabled || u.Name != "n" {
		t.Fatalf("update: %+v, %v", u, err)
	}
	if err := c.DeleteWebhook(t.Context(), w.WebhookID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetWebhook(t.Context(), w.WebhookID); !IsNotFound(err) {
		t.Fatalf("after delete: %v", err)
	}
	if err := c.DeleteWebhook(t.Context(), w.WebhookID); err != nil {
		t.Fatalf("deleting twice: %v", err)
	}
	events, err := c.ListWebhookEvents(t.Context())
	if err != nil || len(events.Events) != 76 || events.Events[5].Value != "user:created" || events.Events[5].NameEn != "User created" || len(events.Categories) == 0 {
		t.Fatalf("events: %d, %v", len(events.Events), err)
	}
}

// Creating is not idempotent: it is not repeated after an answer that leaves the outcome
// unknown, while updating is.
func TestCreateIsNotRetriedButUpdateIs(t *testing.T) {
	emu := startEmulator(t, emulator.Options{})
	c := newTestClient(t, emu.URL())
	emu.InjectFault("create-webhook", emulator.Fault{Kind: emulator.FaultHTTPStatus, Status: 502, AfterProcessing: true, Times: 1})
	_, err := c.CreateWebhook(t.Context(), WebhookInput{Name: ptr("n"), URL: ptr("http://127.0.0.1/x"), Events: ptr([]string{"login"}), ContentType: ptr("application/json")})
	if e := asError(t, err); e.Outcome != MayHaveTakenEffect || emu.Stats().Requests["create-webhook"] != 1 || len(emu.Webhooks()) != 1 {
		t.Fatalf("outcome %v, %d requests, %d webhooks", e.Outcome, emu.Stats().Requests["create-webhook"], len(emu.Webhooks()))
	}
	id := emu.Webhooks()[0]
	emu.InjectFault("update-webhook", emulator.Fault{Kind: emulator.FaultHTTPStatus, Status: 503, Times: 1})
	if _, err := c.UpdateWebhook(t.Context(), id, WebhookInput{Name: ptr("m")}); err != nil || emu.Stats().Requests["update-webhook"] != 2 {
		t.Fatalf("update: %v, %d requests", err, emu.Stats().Requests["update-webhook"])
	}
}

// A create answer without a webhookId may still have created one; an update answer about
// another webhook is refused.
func TestManageAnswersAreChecked(t *testing.T) {
	host := fakeAPI(t, func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/create-webhook") {
			_, _ = w.Write([]byte(`{"statusCode":200,"data":{"name":"n"}}`))
			return
		}
		_, _ = w.Write([]byte(`{"statusCode":200,"data":{"webhookId":"other"}}`))
	})
	c := newTestClient(t, host)
	name := "n"
	_, err := c.CreateWebhook(t.Context(), WebhookInput{Name: &name})
	if e := asError(t, err); e.Outcome != MayHaveTakenEffect || !strings.Contains(err.Error(), "no webhookId") {
		t.Fatalf("create: %v (outcome %v)", err, e.Outcome)
	}
	if _, err := c.UpdateWebhook(t.Context(), "mine", WebhookInput{Name: &name}); err == nil || !strings.Contains(err.Error(), `webhook "other", not the one updated`) {
		t.Fatalf("update: %v", err)
	}
}
