package provider

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/authing/terraform-provider-authing/internal/devcli"
)

// Secrets the CLI tests give the provider: each needs JSON's escapes (a quote, a slash,
// a backslash, non-ASCII) and none is a substring of another test value.
const (
	writeOnlySecret = `wo-"Se/cr\et"-é☃-4821`
	storedSecret    = `st-"Se/cr\et"-ü-7390`
	bodySecret      = `s3cr3t-TOKEN-9999`
)

// secretEchoEndpoint answers every request with its headers unmasked: as a JSON object,
// as a string holding that JSON, and the secret header's value inside a longer string.
// It stands for an endpoint such as httpbin's /anything, unlike the emulator's own
// receiver, which masks secret headers.
func secretEchoEndpoint(t *testing.T) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		headers, _ := json.Marshal(r.Header)
		answer, _ := json.Marshal(map[string]any{
			"status": "ok", "headers": json.RawMessage(headers), "headersText": string(headers),
			"seen": "token was " + r.Header.Get("X-Authing-Token") + ".",
		})
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(answer)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// secretIn reports where text holds secret: as is, as JSON or HCL would quote it, or in
// any string of the JSON it is, at any depth (strings holding JSON included).
func secretIn(text, secret string) bool {
	quoted, _ := json.Marshal(secret)
	inner := string(quoted[1 : len(quoted)-1])
	hcl := strconv.Quote(secret)
	if strings.Contains(text, secret) || strings.Contains(text, inner) || strings.Contains(text, hcl[1:len(hcl)-1]) {
		return true
	}
	var v any
	if json.Unmarshal([]byte(strings.TrimSpace(text)), &v) != nil {
		return false
	}
	var walk func(any) bool
	walk = func(v any) bool {
		switch v := v.(type) {
		case string:
			return secretIn(v, secret)
		case []any:
			for _, e := range v {
				if walk(e) {
					return true
				}
			}
		case map[string]any:
			for k, e := range v {
				if secretIn(k, secret) || walk(e) {
					return true
				}
			}
		}
		return false
	}
	return walk(v)
}

// withoutStoredSecret is a state or `terraform show -json` document without the one place
// Terraform itself keeps a configured `secret`: authing_webhook's secret attribute.
func withoutStoredSecret(t *testing.T, doc string) string {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(doc), &v); err != nil {
		t.Fatalf("%v: %s", err, doc)
	}
	removed := 0
	var walk func(any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if s, ok := v["secret"].(string); ok && s == storedSecret {
				delete(v, "secret")
				removed++
			}
			for _, e := range v {
				walk(e)
			}
		case []any:
			for _, e := range v {
				walk(e)
			}
		}
	}
	walk(v)
	if removed == 0 {
		t.Fatalf("the configured secret is not in its attribute: %s", doc)
	}
	out, _ := json.Marshal(v)
	return string(out)
}

// An endpoint that echoes the webhook's secret puts it nowhere: not in the state file,
// not in `terraform show -json`, not in plan or apply output, not in a failing
// postcondition's message, and (Terraform 1.14.1+) not in the action's progress or its
// failing expect. The configured `secret` stays only where Terraform keeps it.
func TestAccCLI_echoedSecretReachesNoStateNorOutput(t *testing.T) {
	env := newTestEnv(t)
	echo := secretEchoEndpoint(t)
	// Write-only attributes came in Terraform and OpenTofu 1.11; on older CLIs the "wo"
	// webhook has no secret, and the configured secret of "stored" is the one echoed.
	writeOnly := true
	config := func(postcondition, actions bool) string {
		secretWO := "secret_wo         = var.wo\n  secret_wo_version = 1"
		if !writeOnly {
			secretWO = "# write-only attributes need 1.11"
		}
		cfg := fmt.Sprintf(`
variable "wo" {
  type      = string
  sensitive = true
}

variable "stored" {
  type      = string
  sensitive = true
}

resource "authing_webhook" "wo" {
  name              = "tf-acc-echo-wo"
  url               = %[1]q
  events            = ["user:created"]
  %[2]s
}

resource "authing_webhook" "stored" {
  name   = "tf-acc-echo-stored"
  url    = %[1]q
  events = ["user:created"]
  secret = var.stored
}

resource "authing_webhook_trigger" "wo" {
  webhook_id = authing_webhook.wo.id
}

resource "authing_webhook_trigger" "stored" {
  webhook_id = authing_webhook.stored.id
}

data "authing_webhook_logs" "wo" {
  webhook_id = authing_webhook_trigger.wo.webhook_id
}

data "authing_webhook_logs" "stored" {
  webhook_id = authing_webhook_trigger.stored.webhook_id
}

output "responses" {
  value = [authing_webhook_trigger.wo.response, authing_webhook_trigger.stored.response]
}

output "logs" {
  value = [data.authing_webhook_logs.wo.logs, data.authing_webhook_logs.stored.logs]
}
`, echo, secretWO)
		if postcondition {
			cfg += `
resource "terraform_data" "check" {
  input = authing_webhook_trigger.wo.response
  lifecycle {
    postcondition {
      condition     = jsondecode(self.output).status == "never"
      error_message = "The endpoint answered ${self.output} and ${data.authing_webhook_logs.stored.logs[0].response_body}"
    }
  }
}
`
		}
		if actions {
			cfg += `
action "authing_webhook_trigger" "echo" {
  config {
    webhook_id = authing_webhook.wo.id
    expect     = { equals = { "/status" = "never" } }
  }
}

resource "terraform_data" "deploy" {
  input = "1"
  lifecycle {
    action_trigger {
      events  = [after_create]
      actions = [action.authing_webhook_trigger.echo]
    }
  }
}
`
		}
		return env.config(cfg)
	}
	vars := []string{"-var", "wo=" + writeOnlySecret, "-var", "stored=" + storedSecret}
	w := newWorkspace(t, config(false, false))
	if writeOnly = w.cliAtLeast("1.11"); !writeOnly {
		w.rewrite(config(false, false))
	}
	var outputs []string
	run := func(want bool, args ...string) string {
		t.Helper()
		out, err := w.run(args...)
		outputs = append(outputs, out)
		if (err == nil) != want {
			t.Fatalf("terraform %s: %v\n%s", args[0], err, out)
		}
		return out
	}
	run(true, append([]string{"apply", "-auto-approve", "-input=false", "-no-color"}, vars...)...)
	plain := run(true, "show", "-json")
	outputs = outputs[:len(outputs)-1] // Checked below as a document: it shows the configured secret where state keeps it.
	if !strings.Contains(w.state(), `\"X-Authing-Token\":[\"***\"]`) {
		t.Errorf("the echo's secret header is not masked as expected in the state")
	}
	checkDocs := map[string]string{"the state file": w.state(), "terraform show -json": plain}

	w.rewrite(config(true, w.terraformAtLeast(actionsMinimum.String())))
	failed := run(false, append([]string{"apply", "-auto-approve", "-input=false", "-no-color"}, vars...)...)
	if !strings.Contains(failed, "The endpoint answered") {
		t.Fatalf("the postcondition did not fail:\n%s", failed)
	}
	if w.terraformAtLeast(actionsMinimum.String()) && !strings.Contains(failed, "did not meet expect") {
		t.Fatalf("the action's expect did not fail:\n%s", failed)
	}
	run(true, append([]string{"plan", "-input=false", "-no-color", "-refresh-only"}, vars...)...)
	checkDocs["the state file after the failed apply"] = w.state()

	for what, doc := range checkDocs {
		for _, secret := range []string{writeOnlySecret, testSecret} {
			if secretIn(doc, secret) {
				t.Errorf("%s holds a secret", what)
			}
		}
		if secretIn(withoutStoredSecret(t, doc), storedSecret) {
			t.Errorf("%s holds the configured secret outside its attribute", what)
		}
	}
	for i, out := range outputs {
		for _, secret := range []string{writeOnlySecret, storedSecret, testSecret} {
			if secretIn(out, secret) {
				t.Errorf("command %d printed a secret:\n%s", i, out)
			}
		}
	}
}

// rewrite replaces the workspace's configuration.
func (w *workspace) rewrite(config string) {
	w.t.Helper()
	if err := os.WriteFile(filepath.Join(w.dir, "main.tf"), []byte(devcli.RequiredProviders+config), 0o600); err != nil {
		w.t.Fatal(err)
	}
}

// Broken JSON built around a sensitive or ephemeral value is refused without printing the
// value, saying where the JSON breaks and to use jsonencode(), before anything changes:
// at plan for the resource's request_body and on_destroy, and (Terraform 1.14.1+) for the
// action's write-only request_body from an ephemeral variable, before the terraform_data
// that triggers the action is created.
func TestAccCLI_brokenJSONNeverPrintsTheValue(t *testing.T) {
	env := newTestEnv(t)
	id := env.emu.SeedWebhooks("hook", 1)[0]
	resource := fmt.Sprintf(`
variable "token" {
  type      = string
  sensitive = true
}

resource "authing_webhook_trigger" "body" {
  webhook_id   = %[1]q
  request_body = "{\"token\": \"${var.token}\""
}

resource "authing_webhook_trigger" "teardown" {
  webhook_id = %[1]q
  on_destroy = {
    request_body = "{\"token\": \"${var.token}\"}}"
  }
}
`, id)
	action := fmt.Sprintf(`
variable "token" {
  type      = string
  ephemeral = true
}

action "authing_webhook_trigger" "deploy" {
  config {
    webhook_id   = %[1]q
    request_body = "{\"token\": \"${var.token}\""
  }
}

resource "terraform_data" "deploy" {
  input = "1"
  lifecycle {
    action_trigger {
      events  = [after_create]
      actions = [action.authing_webhook_trigger.deploy]
    }
  }
}
`, id)
	check := func(w *workspace, what string, args ...string) string {
		t.Helper()
		out, err := w.run(append(args, "-input=false", "-no-color", "-var", "token="+bodySecret)...)
		if err == nil {
			t.Fatalf("%s: broken JSON was accepted:\n%s", what, out)
		}
		if strings.Contains(out, bodySecret) || strings.Contains(out, "s3cr3t") {
			t.Errorf("%s: the value is printed:\n%s", what, out)
		}
		if !strings.Contains(out, "jsonencode()") || !regexp.MustCompile(`line \d+, column \d+`).MatchString(out) {
			t.Errorf("%s: the error does not say where the JSON breaks or to use jsonencode():\n%s", what, out)
		}
		return out
	}
	w := newWorkspace(t, env.config(resource))
	out := strings.Join(strings.Fields(check(w, "plan of the resource", "plan")), " ")
	for _, want := range []string{`at line 1, column 30 (byte 29): the text ends before the JSON does`, `at line 1, column 31 (byte 30): unexpected text after the end of the JSON value`} {
		if !strings.Contains(out, want) {
			t.Errorf("plan of the resource: %q is not said:\n%s", want, out)
		}
	}
	if n := env.emu.Stats().Deliveries; n != 0 {
		t.Fatalf("%d deliveries", n)
	}

	w = newWorkspace(t, env.config(action))
	if !w.terraformAtLeast(actionsMinimum.String()) {
		return
	}
	check(w, "apply of the action", "apply", "-auto-approve")
	if _, err := os.Stat(filepath.Join(w.dir, "terraform.tfstate")); err == nil && stateResources(t, w.state(), "terraform_data") != 0 {
		t.Errorf("the terraform_data that triggers the action was created before the error")
	}
	if n := env.emu.Stats().Deliveries; n != 0 {
		t.Fatalf("%d deliveries", n)
	}
}
