package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// echoHas checks a stored response as the receiver's contract has it: the body's data and
// the headers it got.
func echoHas(data map[string]string, headers map[string]string) knownvalue.Check {
	return knownvalue.StringFunc(func(v string) error {
		var echo struct {
			Method  string            `json:"method"`
			Headers map[string]string `json:"headers"`
			Body    struct {
				Data map[string]any `json:"data"`
			} `json:"body"`
		}
		if err := json.Unmarshal([]byte(v), &echo); err != nil {
			return fmt.Errorf("the receiver's answer is not its JSON echo: %w", err)
		}
		for k, want := range data {
			if got := fmt.Sprint(echo.Body.Data[k]); got != want {
				return fmt.Errorf("the receiver got data.%s %q, want %q", k, got, want)
			}
		}
		for k, want := range headers {
			if got := echo.Headers[k]; got != want {
				return fmt.Errorf("the receiver got header %s %q, want %q", k, got, want)
			}
		}
		return nil
	})
}

// A trigger fires on create, again when its triggers change, and not on an unchanged plan;
// the receiver's echo in response proves each delivery.
func TestAccLive_trigger(t *testing.T) {
	target, _ := requireLive(t)
	receiver := requireReceiver(t, target)
	nonce := randomHex(t, 8)
	name, secret := liveName(t, "trigger"), "whsec-"+randomHex(t, 8)
	cfg := func(round string) string {
		return liveProvider + fmt.Sprintf(`
resource "authing_webhook" "hook" {
  name   = %q
  url    = %q
  events = ["test"]
  secret = %q
}

resource "authing_webhook_trigger" "smoke" {
  webhook_id      = authing_webhook.hook.webhook_id
  request_headers = { x-tf-acc-nonce = %q }
  request_body    = jsonencode({ eventName = "test", data = { nonce = %q, round = %q } })
  triggers        = { round = %q }
}
`, name, receiver, secret, nonce, nonce, round, round)
	}
	sameFiring := statecheck.CompareValue(compare.ValuesSame())
	newFiring := statecheck.CompareValue(compare.ValuesDiffer())
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{
			{
				Config: cfg("1"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(trigger, tfjsonpath.New("response"), echoHas(map[string]string{"nonce": nonce, "round": "1"}, map[string]string{"x-tf-acc-nonce": nonce})),
					newFiring.AddStateValue(trigger, tfjsonpath.New("id")),
				},
			},
			{
				Config: cfg("2"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(trigger, plancheck.ResourceActionReplace),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(trigger, tfjsonpath.New("response"), echoHas(map[string]string{"round": "2"}, nil)),
					newFiring.AddStateValue(trigger, tfjsonpath.New("id")),
					sameFiring.AddStateValue(trigger, tfjsonpath.New("id")),
				},
			},
			{
				Config:            cfg("2"),
				ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{sameFiring.AddStateValue(trigger, tfjsonpath.New("id"))},
			},
		},
	})
}

// manualTriggersLogged says, once per run, whether the server lists a trigger-webhook
// delivery in get-webhook-logs; the tests that count deliveries by the logs need it.
var manualTriggersLogged struct {
	once   sync.Once
	logged bool
	err    error
}

// probeManualTriggersLogged fires a webhook of its own once per run and waits for its log.
func probeManualTriggersLogged(api *liveAPI, name, receiver string) (bool, error) {
	m := &manualTriggersLogged
	m.once.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*logDeadline)
		defer cancel()
		id, err := api.createWebhookFor(ctx, name, receiver, "")
		if err != nil {
			m.err = err
			return
		}
		defer func() {
			_, _ = api.call(ctx, http.MethodPost, "delete-webhook", nil, map[string][]string{"webhookIds": {id}})
		}()
		if m.err = api.trigger(ctx, id, map[string]any{"eventName": "test", "data": map[string]string{"probe": "1"}}); m.err != nil {
			return
		}
		logs, err := api.pollLogs(ctx, id, logDeadline, func(l []liveLog) bool { return len(l) > 0 })
		m.logged, m.err = len(logs) > 0, err
		report.setManualTriggersLogged(m.logged)
	})
	return m.logged, m.err
}

// requireDeliveryLogs skips a test that counts deliveries by the logs when the server does
// not list manual triggers there.
func requireDeliveryLogs(t *testing.T, api *liveAPI, receiver string) {
	t.Helper()
	logged, err := probeManualTriggersLogged(api, liveName(t, "probe"), receiver)
	if err != nil {
		t.Fatal(err)
	}
	if !logged {
		t.Skipf("the server listed no delivery log for a manual trigger within %s, so deliveries cannot be counted there", logDeadline)
	}
}

// loggedRounds returns data.round of each logged delivery carrying nonce, oldest first.
func loggedRounds(logs []liveLog, nonce string) ([]string, error) {
	type entry struct {
		at    time.Time
		label string
	}
	var entries []entry
	for _, l := range logs {
		data, _ := l.Body["data"].(map[string]any)
		if data == nil || data["nonce"] != nonce {
			continue
		}
		at, err := logTimestamp(l.Timestamp)
		if err != nil {
			return nil, err
		}
		label := fmt.Sprint(data["round"])
		if stage := l.Headers["x-stage"]; stage != "" {
			label = stage + "/" + label
		}
		entries = append(entries, entry{at, label})
	}
	slices.SortStableFunc(entries, func(a, b entry) int { return a.at.Compare(b.at) })
	out := make([]string, len(entries))
	for i, e := range entries {
		out[i] = e.label
	}
	return out, nil
}

// expectLoggedRounds waits until the logs hold exactly want for nonce, oldest first.
func expectLoggedRounds(api *liveAPI, id *string, nonce string, want ...string) error {
	var got []string
	var convErr error
	_, err := api.pollLogs(context.Background(), *id, logDeadline, func(logs []liveLog) bool {
		got, convErr = loggedRounds(logs, nonce)
		return convErr != nil || slices.Equal(got, want)
	})
	switch {
	case err != nil:
		return err
	case convErr != nil:
		return convErr
	case !slices.Equal(got, want):
		return fmt.Errorf("the delivery logs hold %v, want %v", got, want)
	}
	return nil
}

// Two firings show in the delivery logs newest first, without the secret header; the
// report gets the order served and the timestamp format.
func TestAccLive_deliveryLogs(t *testing.T) {
	target, api := requireLive(t)
	receiver := requireReceiver(t, target)
	requireDeliveryLogs(t, api, receiver)
	secret := "whsec-" + randomHex(t, 8)
	nonce := randomHex(t, 8)
	id := api.createWebhook(t, liveName(t, "logs"), receiver, secret)
	for _, round := range []string{"1", "2"} {
		if err := api.trigger(t.Context(), id, map[string]any{"eventName": "test", "data": map[string]string{"nonce": nonce, "round": round}}); err != nil {
			t.Fatal(err)
		}
	}
	if err := expectLoggedRounds(api, &id, nonce, "1", "2"); err != nil {
		t.Fatal(err)
	}
	if logs, err := api.webhookLogs(t.Context(), id); err == nil && len(logs) >= 2 {
		report.recordLogs(logs)
	}
	round := func(want string) knownvalue.Check {
		return knownvalue.StringFunc(func(v string) error {
			if !strings.Contains(v, `"round":"`+want+`"`) {
				return fmt.Errorf("request_body %s is not round %s", v, want)
			}
			return nil
		})
	}
	logs := "data.authing_webhook_logs.latest"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{{
			Config: liveProvider + fmt.Sprintf("data \"authing_webhook_logs\" \"latest\" {\n  webhook_id = %q\n  limit      = 5\n}\n", id),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(logs, tfjsonpath.New("logs"), knownvalue.ListSizeExact(2)),
				statecheck.ExpectKnownValue(logs, tfjsonpath.New("logs").AtSliceIndex(0).AtMapKey("request_body"), round("2")),
				statecheck.ExpectKnownValue(logs, tfjsonpath.New("logs").AtSliceIndex(1).AtMapKey("request_body"), round("1")),
				statecheck.ExpectKnownValue(logs, tfjsonpath.New("logs").AtSliceIndex(0).AtMapKey("success"), knownvalue.Bool(true)),
				expectNotInState(logs, secret),
			},
		}},
	})
}

// The action fires once per action_trigger event and checks the receiver's answer with
// expect (Terraform 1.14.1+).
func TestAccLive_action(t *testing.T) {
	target, api := requireLive(t)
	receiver := requireReceiver(t, target)
	nonce := randomHex(t, 8)
	id := api.createWebhook(t, liveName(t, "action"), receiver, "")
	cfg := func(round string) string {
		return liveProvider + fmt.Sprintf(`
action "authing_webhook_trigger" "smoke" {
  config {
    webhook_id   = %q
    request_body = jsonencode({ eventName = "test", data = { nonce = %q, round = %q } })
    expect       = { method = "POST" }
  }
}

resource "terraform_data" "deploy" {
  input = %q

  lifecycle {
    action_trigger {
      events  = [after_create, after_update]
      actions = [action.authing_webhook_trigger.smoke]
    }
  }
}
`, id, nonce, round, round)
	}
	delivered := func(want ...string) statecheck.StateCheck {
		return fact(func() error { return expectLoggedRounds(api, &id, nonce, want...) })
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(actionsMinimum)},
		PreCheck:                 func() { requireDeliveryLogs(t, api, receiver) },
		Steps: []resource.TestStep{
			{Config: cfg("1"), ConfigStateChecks: []statecheck.StateCheck{delivered("1")}},
			{Config: cfg("2"), ConfigStateChecks: []statecheck.StateCheck{delivered("1", "2")}},
			{Config: cfg("2"), ConfigStateChecks: []statecheck.StateCheck{delivered("1", "2")}},
		},
	})
}

// With on_destroy, a replacement fires the old firing's teardown before the new firing,
// and destroy fires the last teardown; the delivery logs show the order and the headers.
func TestAccLive_onDestroy(t *testing.T) {
	target, api := requireLive(t)
	receiver := requireReceiver(t, target)
	requireDeliveryLogs(t, api, receiver)
	nonce := randomHex(t, 8)
	id := api.createWebhook(t, liveName(t, "ondestroy"), receiver, "")
	cfg := func(round string) string {
		return liveProvider + triggerConfig(id, fmt.Sprintf(`  request_body = jsonencode({ eventName = "test", data = { nonce = %[1]q, round = %[2]q } })
  triggers     = { round = %[2]q }
  on_destroy = {
    request_headers = { x-stage = "teardown" }
    request_body    = jsonencode({ eventName = "test", data = { nonce = %[1]q, round = %[2]q } })
  }
`, nonce, round))
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{
			{Config: cfg("1"), ConfigStateChecks: []statecheck.StateCheck{fact(func() error { return expectLoggedRounds(api, &id, nonce, "1") })}},
			{
				Config: cfg("2"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(trigger, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{fact(func() error { return expectLoggedRounds(api, &id, nonce, "1", "teardown/1", "2") })},
			},
		},
		CheckDestroy: func(*terraform.State) error {
			return expectLoggedRounds(api, &id, nonce, "1", "teardown/1", "2", "teardown/2")
		},
	})
}
