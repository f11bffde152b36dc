package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/authing/terraform-provider-authing/internal/devcli"
	goversion "github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// These tests run the real provider binary under the Terraform CLI, as users do: logs at
// TF_LOG=TRACE, -parallelism, interruption. They run with the acceptance tests (TF_ACC).

var (
	buildOnce   sync.Once
	providerDir string
	buildErr    error
)

// TestMain runs the sweepers when -sweep asks (sweeper_test.go), and otherwise the tests.
func TestMain(m *testing.M) {
	resource.TestMain(testRun{m})
}

// testRun runs the tests (live mode's checks and report around them, live_test.go), then
// removes the provider binary the CLI tests built.
type testRun struct{ m *testing.M }

func (r testRun) Run() int {
	code := runTests(r.m)
	if providerDir != "" {
		_ = os.RemoveAll(providerDir)
	}
	return code
}

// providerBinary builds the provider once per test process and returns its folder.
func providerBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		// Shared by every test of the process, so not t.TempDir; TestMain removes it.
		dir, err := os.MkdirTemp("", "authing-provider-bin-") //nolint:usetesting // See above.
		if err != nil {
			buildErr = err
			return
		}
		providerDir = dir
		cmd := exec.Command("go", "build", "-o", filepath.Join(dir, "terraform-provider-authing"), ".")
		cmd.Dir = filepath.Join("..", "..")
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build: %w\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return providerDir
}

// workspace is a folder with a configuration, run with the Terraform CLI under test.
type workspace struct {
	t   *testing.T
	cli string
	dir string
	env []string
}

func newWorkspace(t *testing.T, config string, env ...string) *workspace {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("set TF_ACC=1 to run tests that drive the Terraform CLI")
	}
	cli := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if cli == "" {
		var err error
		if cli, err = exec.LookPath("terraform"); err != nil {
			t.Fatal("TF_ACC is set but no Terraform CLI was found: set TF_ACC_TERRAFORM_PATH or put terraform on PATH")
		}
	}
	plugins := providerBinary(t)
	dir := t.TempDir()
	rc, err := devcli.Write(dir, plugins)
	if err != nil {
		t.Fatal(err)
	}
	config = devcli.RequiredProviders + config
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	base := []string{
		"PATH=" + os.Getenv("PATH"), "HOME=" + dir, "TF_CLI_CONFIG_FILE=" + rc,
		"TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1",
	}
	return &workspace{t: t, cli: cli, dir: dir, env: append(base, env...)}
}

// run runs the CLI with args and returns everything it printed.
func (w *workspace) run(args ...string) (string, error) {
	w.t.Helper()
	ctx, cancel := context.WithTimeout(w.t.Context(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, w.cli, append([]string{"-chdir=" + w.dir}, args...)...)
	cmd.Env = w.env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.String(), err
}

// start runs the CLI in the background; printed returns what it has printed so far, and
// wait its whole output once it exits.
func (w *workspace) start(args ...string) (cmd *exec.Cmd, printed func() string, wait func() (string, error)) {
	w.t.Helper()
	cmd = exec.Command(w.cli, append([]string{"-chdir=" + w.dir}, args...)...)
	cmd.Env = w.env
	out := &lockedBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		w.t.Fatal(err)
	}
	w.t.Cleanup(func() { _ = cmd.Process.Kill() })
	return cmd, out.String, func() (string, error) {
		err := cmd.Wait()
		return out.String(), err
	}
}

// lockedBuffer is a buffer that a running command writes while the test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// state returns the workspace's state file.
func (w *workspace) state() string {
	w.t.Helper()
	b, err := os.ReadFile(filepath.Join(w.dir, "terraform.tfstate"))
	if err != nil {
		w.t.Fatal(err)
	}
	return string(b)
}

// providerEnv configures the provider through the environment, as users are told to.
func (e *testEnv) providerEnv() []string {
	return []string{"AUTHING_HOST=" + e.emu.URL(), "AUTHING_ACCESS_KEY_ID=" + testKeyID, "AUTHING_ACCESS_KEY_SECRET=" + testSecret}
}

// stateResources counts the instances of a resource type in a state file.
func stateResources(t *testing.T, state, typ string) int {
	t.Helper()
	var s struct {
		Resources []struct {
			Type      string `json:"type"`
			Instances []any  `json:"instances"`
		} `json:"resources"`
	}
	if err := json.Unmarshal([]byte(state), &s); err != nil {
		t.Fatalf("state: %v", err)
	}
	n := 0
	for _, r := range s.Resources {
		if r.Type == typ {
			n += len(r.Instances)
		}
	}
	return n
}

// skipBelowTerraform skips a CLI test on Terraform older than minimum, and on OpenTofu.
func (w *workspace) skipBelowTerraform(minimum string) {
	w.t.Helper()
	if !w.terraformAtLeast(minimum) {
		w.t.Skipf("needs Terraform %s or later; %s is older, or OpenTofu", minimum, w.cli)
	}
}

// terraformAtLeast reports whether the CLI under test is Terraform minimum or later
// (OpenTofu is not).
func (w *workspace) terraformAtLeast(minimum string) bool {
	w.t.Helper()
	return !strings.Contains(filepath.Base(w.cli), "tofu") && w.cliAtLeast(minimum)
}

// cliAtLeast reports whether the CLI under test, Terraform or OpenTofu, is version minimum
// or later: for features both gained in the same version, such as write-only attributes
// (1.11).
func (w *workspace) cliAtLeast(minimum string) bool {
	w.t.Helper()
	out, err := exec.Command(w.cli, "version", "-json").Output()
	if err != nil {
		w.t.Fatalf("%s version -json: %v", w.cli, err)
	}
	var v struct {
		Version string `json:"terraform_version"`
	}
	if err := json.Unmarshal(out, &v); err != nil {
		w.t.Fatalf("%s version -json: %v", w.cli, err)
	}
	have, err := goversion.NewVersion(v.Version)
	if err != nil {
		w.t.Fatal(err)
	}
	return !have.Core().LessThan(goversion.Must(goversion.NewVersion(minimum)))
}

// write replaces the workspace's configuration.
func (w *workspace) write(config string) {
	w.t.Helper()
	if err := os.WriteFile(filepath.Join(w.dir, "main.tf"), []byte(devcli.RequiredProviders+config), 0o600); err != nil {
		w.t.Fatal(err)
	}
}

// supportsActions reports whether the CLI under test runs actions.
func (w *workspace) supportsActions() bool {
	w.t.Helper()
	return w.terraformAtLeast(actionsMinimum.String())
}
