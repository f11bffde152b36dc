package provider

// The Terraform snippets of README.md and docs/ (which `make generate` builds from
// templates/ and examples/) are applied and destroyed, as written, against the emulator,
// on every CLI the acceptance tests run on, so that what the documentation shows keeps
// working. The rules (CONTRIBUTING.md, "Documentation snippets", says the same):
//
//   - A snippet is a fenced code block whose language is terraform, hcl or tf, in README.md
//     or in any docs/**/*.md; examples/smoke-test and examples/webhook-lifecycle, which the
//     README sends readers to, are snippets too.
//   - Every snippet runs unless the last non-blank line before its opening fence is
//     `<!-- snippet: not runnable: REASON -->` (in a template, just before the
//     `{{ tffile ... }}` line or the fence). Use it only for what cannot run on its own (an
//     excerpt of a block, a provider for a host that does not exist); it is counted and
//     listed in the test's log. Any other `<!-- snippet: ... -->` comment fails the test.
//   - What a snippet needs is read from what it uses: `action` blocks need Terraform 1.14.1
//     (no OpenTofu), destroy events, `caller`, `on_failure` and `destroy = false` 1.16,
//     `list` blocks (written to a .tfquery.hcl file) 1.14, `identity` in an import block
//     1.12, `secret_wo` and ephemeral variables 1.11; anything else runs everywhere. A
//     snippet whose needs the CLI under test does not meet is skipped, saying why; none may
//     skip on the newest Terraform (scripts/testacc.sh fails the run if one does).
//   - What the test supplies: the provider binary through dev_overrides, credentials and
//     host in AUTHING_* (as users are told to), a `required_providers` block when the
//     snippet has none, and a value (TF_VAR_*) and, when the snippet does not declare it, a
//     declaration for each variable it uses, from snippetVars. The emulator holds the
//     webhooks `deploy-notifications` (events user:created, user:deleted and login) and
//     `sample-1`, both pointed at its receiver; var.webhook_id is deploy-notifications'.
//   - How it runs: `terraform apply`, then each command a comment of the snippet shows
//     (`#   terraform apply -invoke=...`, run by bash as written, `terraform` being the CLI
//     under test), then `terraform destroy`. Each must succeed.
//
// TestDocs_snippetsDoNotRelyOnShortCircuit also reads every snippet and example for `&&`
// guards, whose both sides Terraform before 1.12 evaluates.

import (
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	goversion "github.com/hashicorp/go-version"

	"github.com/authing/terraform-provider-authing/internal/devcli"
	"github.com/authing/terraform-provider-authing/internal/emulator"
)

// snippet is one code block of the documentation.
type snippet struct {
	where    string // file:line of the opening fence, from the repository's root
	body     string
	fragment string // why it is not runnable; empty when it runs
}

// snippetNeeds is the oldest CLI that a snippet runs on.
type snippetNeeds struct {
	terraform string // the oldest Terraform
	tofu      string // the oldest OpenTofu; empty when OpenTofu cannot run it
	why       string // the feature that sets the floor
}

var (
	fenceOpen     = regexp.MustCompile("^```(terraform|hcl|tf)\\s*$")
	snippetMarker = regexp.MustCompile(`^<!-- snippet: (.*) -->$`)
	notRunnable   = regexp.MustCompile(`^not runnable: (\S.*)$`)
	varRef        = regexp.MustCompile(`\bvar\.([A-Za-z_][A-Za-z0-9_-]*)`)
	varDecl       = regexp.MustCompile(`(?m)^\s*variable\s+"([^"]+)"`)
	shownCommand  = regexp.MustCompile(`(?m)^\s*#\s+(terraform\s+\S.*)$`)
	// shortCircuit finds `&&` after a guard (length(...) compared, can(...), != null).
	shortCircuit = regexp.MustCompile(`(length\(.*\)\s*(>|>=|!=|==)\s*\d+|can\(.*\)|!=\s*null)\s*&&`)
)

// snippetFeatures maps what a snippet uses to what it needs, newest first, so that the
// first match is the floor.
var snippetFeatures = []struct {
	uses  *regexp.Regexp
	needs snippetNeeds
}{
	{regexp.MustCompile(`\b(before_destroy|after_destroy|on_failure)\b|\bcaller\.|destroy\s*=\s*false`), snippetNeeds{"1.16.0", "", "action destroy events, on_failure, caller or destroy = false"}},
	{regexp.MustCompile(`(?m)^\s*action\s+"`), snippetNeeds{actionsMinimum.String(), "", "actions"}},
	{regexp.MustCompile(`(?m)^\s*list\s+"`), snippetNeeds{"1.14.0", "", "list resources (terraform query)"}},
	{regexp.MustCompile(`(?m)^\s*identity\s*=\s*\{`), snippetNeeds{"1.12.0", "1.12.0", "import by identity"}},
	{regexp.MustCompile(`\bsecret_wo\b|ephemeral\s*=\s*true`), snippetNeeds{"1.11.0", "1.11.0", "write-only or ephemeral values"}},
}

// snippetVars are the values the test gives the variables snippets use.
var snippetVars = map[string]string{
	"release":                   "v1",
	"deploy_started_at":         "2026-01-01T00:00:00Z",
	"webhook_signing_secret":    "snippet-signing-secret-5d1c",
	"smoke_token":               "snippet-smoke-token-8e2a",
	"authing_access_key_id":     testKeyID,
	"authing_access_key_secret": testSecret,
	// webhook_id and receiver_url depend on the emulator: see runSnippet.
	"webhook_id":   "",
	"receiver_url": "",
}

// repoRoot is the repository's root, from this package's folder.
const repoRoot = "../.."

// docSnippets reads every snippet of README.md, docs/ and the examples the README names.
func docSnippets(t *testing.T) []snippet {
	t.Helper()
	files := []string{"README.md"}
	err := filepath.WalkDir(filepath.Join(repoRoot, "docs"), func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".md") {
			rel, _ := filepath.Rel(repoRoot, path)
			files = append(files, rel)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	var out []snippet
	for _, f := range files {
		raw, err := os.ReadFile(filepath.Join(repoRoot, f))
		if err != nil {
			t.Fatal(err)
		}
		s, err := parseSnippets(f, string(raw))
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, s...)
	}
	for _, f := range []string{"examples/smoke-test/main.tf", "examples/webhook-lifecycle/main.tf"} {
		raw, err := os.ReadFile(filepath.Join(repoRoot, f))
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, snippet{where: f, body: string(raw)})
	}
	return out
}

// parseSnippets returns the Terraform code blocks of a Markdown file, with their markers.
func parseSnippets(file, text string) ([]snippet, error) {
	var out []snippet
	lines := strings.Split(text, "\n")
	last := "" // the last non-blank line outside a block
	for i := 0; i < len(lines); i++ {
		line := strings.TrimRight(lines[i], "\r")
		if strings.HasPrefix(line, "```") && !fenceOpen.MatchString(line) {
			// Another language's block: skip it whole, so that its lines are not markers.
			for i++; i < len(lines) && !strings.HasPrefix(lines[i], "```"); i++ {
			}
			last = ""
			continue
		}
		if !fenceOpen.MatchString(line) {
			if strings.TrimSpace(line) != "" {
				last = strings.TrimSpace(line)
			}
			continue
		}
		s := snippet{where: fmt.Sprintf("%s:%d", file, i+1)}
		if m := snippetMarker.FindStringSubmatch(last); m != nil {
			r := notRunnable.FindStringSubmatch(m[1])
			if r == nil {
				return nil, fmt.Errorf("%s: unknown snippet marker %q: the only one is <!-- snippet: not runnable: REASON -->", s.where, last)
			}
			s.fragment = r[1]
		}
		var body []string
		for i++; i < len(lines) && !strings.HasPrefix(lines[i], "```"); i++ {
			body = append(body, lines[i])
		}
		if i == len(lines) {
			return nil, fmt.Errorf("%s: the code block is not closed", s.where)
		}
		s.body = strings.Join(body, "\n") + "\n"
		out = append(out, s)
		last = ""
	}
	return out, nil
}

// needs is the oldest CLI the snippet runs on, read from what it uses.
func (s snippet) needs() snippetNeeds {
	for _, f := range snippetFeatures {
		if f.uses.MatchString(s.body) {
			return f.needs
		}
	}
	return snippetNeeds{"1.0.0", "1.6.0", "data sources and resources"}
}

// cliUnderTest is the CLI the acceptance tests run, its version, and whether it is OpenTofu.
func cliUnderTest(t *testing.T) (path string, version *goversion.Version, tofu bool) {
	t.Helper()
	path = os.Getenv("TF_ACC_TERRAFORM_PATH")
	if path == "" {
		var err error
		if path, err = exec.LookPath("terraform"); err != nil {
			t.Fatal("TF_ACC is set but no Terraform CLI was found: set TF_ACC_TERRAFORM_PATH or put terraform on PATH")
		}
	}
	out, err := exec.Command(path, "version").Output()
	if err != nil {
		t.Fatalf("%s version: %v", path, err)
	}
	// "Terraform v1.11.4" or "OpenTofu v1.12.6", after any warning about the CLI configuration.
	m := regexp.MustCompile(`(?m)^(Terraform|OpenTofu) v(\S+)$`).FindStringSubmatch(string(out))
	if m == nil {
		t.Fatalf("%s version printed %q", path, out)
	}
	v, err := goversion.NewVersion(m[2])
	if err != nil {
		t.Fatalf("%s version: %v", path, err)
	}
	return path, v, m[1] == "OpenTofu"
}

// unmet says why the CLI cannot run a snippet that needs n, or "" when it can.
func (n snippetNeeds) unmet(v *goversion.Version, tofu bool) string {
	switch {
	case tofu && n.tofu == "":
		return fmt.Sprintf("uses %s, which OpenTofu does not have", n.why)
	case tofu && v.LessThan(goversion.Must(goversion.NewVersion(n.tofu))):
		return fmt.Sprintf("uses %s, which needs OpenTofu %s; this is %s", n.why, n.tofu, v)
	case !tofu && v.LessThan(goversion.Must(goversion.NewVersion(n.terraform))):
		return fmt.Sprintf("uses %s, which needs Terraform %s; this is %s", n.why, n.terraform, v)
	}
	return ""
}

// TestAccDocs_snippetsRunAsWritten applies and destroys every runnable snippet of the
// README and docs/ against the emulator (see the top of this file).
func TestAccDocs_snippetsRunAsWritten(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("set TF_ACC=1 to run tests that drive the Terraform CLI")
	}
	skipIfLive(t)
	snippets := docSnippets(t)
	var fragments []string
	runnable := 0
	for _, s := range snippets {
		if s.fragment != "" {
			fragments = append(fragments, fmt.Sprintf("  %s: %s", s.where, s.fragment))
			continue
		}
		runnable++
	}
	t.Logf("%d snippets: %d runnable, %d marked not runnable:\n%s", len(snippets), runnable, len(fragments), strings.Join(fragments, "\n"))
	if runnable == 0 {
		t.Fatal("found no runnable snippet: is the test reading the right folder?")
	}
	_, version, tofu := cliUnderTest(t)
	for _, s := range snippets {
		if s.fragment != "" {
			continue
		}
		t.Run(s.where, func(t *testing.T) {
			if why := s.needs().unmet(version, tofu); why != "" {
				t.Skip(why)
			}
			runSnippet(t, s)
		})
	}
}

// runSnippet applies a snippet, runs the commands its comments show, and destroys it.
func runSnippet(t *testing.T, s snippet) {
	env := newTestEnv(t)
	deploy := env.emu.AddWebhook(emulator.Webhook{
		Name: "deploy-notifications", URL: env.emu.ReceiverURL("deploy-notifications"), Enabled: true,
		Events: []string{"user:created", "user:deleted", "login"},
	})
	env.emu.SeedWebhooks("sample", 1)

	var declared []string
	for _, m := range varDecl.FindAllStringSubmatch(s.body, -1) {
		declared = append(declared, m[1])
	}
	vars := map[string]string{}
	for _, m := range varRef.FindAllStringSubmatch(s.body, -1) {
		name := m[1]
		value, ok := snippetVars[name]
		if !ok {
			if slices.Contains(declared, name) {
				continue // the snippet's own default, or Terraform says that it has none
			}
			t.Fatalf("%s uses var.%s without declaring it: give it a value in snippetVars (docs_snippets_test.go)", s.where, name)
		}
		switch name {
		case "webhook_id":
			value = deploy
		case "receiver_url":
			value = env.emu.ReceiverURL("snippet")
		}
		vars[name] = value
	}
	var preamble strings.Builder
	if !strings.Contains(s.body, "required_providers") {
		preamble.WriteString(devcli.RequiredProviders)
	}
	var extra []string
	for _, name := range sortedKeys(vars) {
		extra = append(extra, "TF_VAR_"+name+"="+vars[name])
		if !slices.Contains(declared, name) {
			fmt.Fprintf(&preamble, "variable %q {\n  type = string\n}\n", name)
		}
	}

	w := newWorkspace(t, "", append(env.providerEnv(), extra...)...)
	mainTF, body := preamble.String(), s.body
	query := snippetFeatures[2].uses.MatchString(s.body)
	if query {
		writeFile(t, filepath.Join(w.dir, "main.tfquery.hcl"), body)
	} else {
		mainTF += body
	}
	writeFile(t, filepath.Join(w.dir, "main.tf"), mainTF)

	if out, err := w.run("apply", "-auto-approve", "-input=false", "-no-color"); err != nil {
		t.Fatalf("%s: apply failed: %v\n%s\nconfiguration:\n%s", s.where, err, out, mainTF)
	}
	commands := shownCommand.FindAllStringSubmatch(s.body, -1)
	if query && len(commands) == 0 {
		commands = [][]string{{"", "terraform query"}}
	}
	for _, c := range commands {
		// As written, with the flags that a run without a terminal needs.
		script := fmt.Sprintf("terraform() { %q -chdir=%q \"$@\" -no-color; }\n%s", w.cli, w.dir, c[1])
		if strings.Fields(c[1])[1] == "apply" {
			script += " -auto-approve -input=false"
		}
		cmd := exec.CommandContext(t.Context(), "bash", "-c", script)
		cmd.Dir, cmd.Env = w.dir, w.env
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s: the command it shows, %q, failed: %v\n%s", s.where, c[1], err, out)
		}
	}
	if out, err := w.run("destroy", "-auto-approve", "-input=false", "-no-color"); err != nil {
		t.Fatalf("%s: destroy failed: %v\n%s", s.where, err, out)
	}
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
}
