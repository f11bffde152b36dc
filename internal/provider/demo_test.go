package provider

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/authing/terraform-provider-authing/internal/devcli"
)

// TestAccDemo_printsNoWarningLines runs `make demo`'s script with the CLI under test as
// `terraform`, and fails when any line of the development overrides warning gets through
// its filter (a stray "configuration:" did, where the warning's lines wrap). The warning's
// lines are taken from the CLI itself, by applying an empty configuration with a
// dev_overrides block.
func TestAccDemo_printsNoWarningLines(t *testing.T) {
	cli, _, _ := cliUnderTest(t)
	if os.Getenv("TF_ACC") == "" {
		t.Skip("set TF_ACC=1 to run tests that drive the Terraform CLI")
	}
	skipIfLive(t)
	w := newWorkspace(t, "")
	empty, err := w.run("apply", "-auto-approve", "-input=false", "-no-color")
	if err != nil {
		t.Fatalf("applying an empty configuration: %v\n%s", err, empty)
	}
	var warning []string
	for _, line := range strings.Split(empty, "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "Apply complete!") {
			warning = append(warning, line)
		}
	}
	if !strings.Contains(empty, "development overrides") {
		t.Fatalf("applying with dev_overrides (%s) printed no warning about them:\n%s", devcli.Source, empty)
	}

	bin := t.TempDir()
	if err := os.Symlink(cli, filepath.Join(bin, "terraform")); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", "scripts/demo.sh")
	cmd.Dir = repoRoot
	cmd.Env = append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("scripts/demo.sh: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "Apply complete!") {
		t.Fatalf("scripts/demo.sh applied nothing:\n%s", out)
	}
	for _, line := range strings.Split(string(out), "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "==>") {
			for _, bad := range warning {
				if line == bad {
					t.Errorf("make demo printed %q, a line of the CLI's development overrides warning", line)
				}
			}
		}
	}
}
