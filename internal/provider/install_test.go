//go:build unix

package provider

import (
	"context"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// installPathMarker marks the shell block, in README.md and docs/index.md, that goes from a
// clone to a configuration using the provider built there.
const installPathMarker = "<!-- install-path: run as written by TestAccInstall_documentedPathFromAClone -->"

// TestAccInstall_documentedPathFromAClone runs each marked install-path block as written,
// with bash, in a copy of the clone, with the CLI under test as `terraform`, its own GOBIN
// and "yes" typed at the apply's prompt. The apply must succeed, through the provider that
// `make install` installed, and once the block's `kill` has run the emulator must be gone.
func TestAccInstall_documentedPathFromAClone(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("set TF_ACC=1 to run tests that drive the Terraform CLI")
	}
	skipIfLive(t)
	cli, _, _ := cliUnderTest(t)
	for _, doc := range []string{"README.md", "docs/index.md"} {
		t.Run(doc, func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join(repoRoot, doc))
			if err != nil {
				t.Fatal(err)
			}
			_, after, ok := strings.Cut(string(raw), installPathMarker+"\n```shell\n")
			block, _, closed := strings.Cut(after, "\n```")
			if !ok || !closed {
				t.Fatalf("%s has no shell block after %q", doc, installPathMarker)
			}
			runInstallPath(t, cli, block)
		})
	}
}

func runInstallPath(t *testing.T, cli, block string) {
	clone := copyOfClone(t)
	bin, gobin := t.TempDir(), t.TempDir()
	if err := os.Symlink(cli, filepath.Join(bin, "terraform")); err != nil {
		t.Fatal(err)
	}
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "AUTHING_") && !strings.HasPrefix(kv, "TF_CLI_CONFIG_FILE=") && !strings.HasPrefix(kv, "PATH=") && !strings.HasPrefix(kv, "GOBIN=") {
			env = append(env, kv)
		}
	}
	env = append(env, "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"), "GOBIN="+gobin, "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1")
	ctx, cancel := context.WithTimeout(t.Context(), 4*time.Minute)
	defer cancel()
	script := "set -euo pipefail\n" + block + "\necho \"EMULATOR_URL=$AUTHING_HOST\"\n"
	cmd := exec.CommandContext(ctx, "bash", "-c", script)
	cmd.Dir, cmd.Env, cmd.Stdin = clone, env, strings.NewReader("yes\n")
	// A group of its own, so that a failed run leaves no emulator behind.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	t.Cleanup(func() {
		if cmd.Process != nil {
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		}
	})
	// Output goes to a file, not a pipe: an emulator left running would hold a pipe open,
	// and the test would wait for it instead of failing.
	log, err := os.Create(filepath.Join(t.TempDir(), "output"))
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = log, log
	err = cmd.Run()
	_ = log.Close()
	out, readErr := os.ReadFile(log.Name())
	if readErr != nil {
		t.Fatal(readErr)
	}
	if err != nil {
		t.Fatalf("the documented install path failed: %v\n%s", err, out)
	}
	if !regexp.MustCompile(`Apply complete! Resources: 1 added`).Match(out) {
		t.Fatalf("the documented install path applied nothing:\n%s", out)
	}
	if _, err := os.Stat(filepath.Join(gobin, "terraform-provider-authing")); err != nil {
		t.Fatalf("make install put no provider into GOBIN: %v", err)
	}
	m := regexp.MustCompile(`(?m)^EMULATOR_URL=(\S+)$`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("no emulator URL in:\n%s", out)
	}
	u, err := url.Parse(string(m[1]))
	if err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		c, err := net.DialTimeout("tcp", u.Host, time.Second)
		if err != nil {
			break
		}
		_ = c.Close()
		if time.Now().After(deadline) {
			t.Fatalf("the emulator still listens on %s 10 s after the documented kill", u.Host)
		}
	}
}

// copyOfClone copies the clone's files (tracked, and new ones git does not ignore) into a
// temporary folder, so that the documented path's bin/ and state do not touch the clone.
func copyOfClone(t *testing.T) string {
	t.Helper()
	list, err := exec.Command("git", "-C", repoRoot, "ls-files", "-z", "--cached", "--others", "--exclude-standard").Output()
	if err != nil {
		t.Fatalf("git ls-files: %v", err)
	}
	dst := t.TempDir()
	for _, f := range strings.Split(strings.TrimRight(string(list), "\x00"), "\x00") {
		info, err := os.Stat(filepath.Join(repoRoot, f))
		if err != nil {
			continue // deleted in the work tree
		}
		raw, err := os.ReadFile(filepath.Join(repoRoot, f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dst, f)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dst, f), raw, info.Mode().Perm()); err != nil {
			t.Fatal(err)
		}
	}
	return dst
}
