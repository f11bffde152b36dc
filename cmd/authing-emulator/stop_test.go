//go:build unix

package main

import (
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// `go run ./cmd/authing-emulator &` then `kill $!` stops go run, not the emulator binary
// it started; the emulator stops all the same once its parent has gone.
func TestEmulatorStopsWhenGoRunIsKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the emulator with go run")
	}
	urlFile := filepath.Join(t.TempDir(), "url")
	cmd := exec.Command("go", "run", ".", "-seed", "1", "-url-file", urlFile)
	cmd.Env = append(os.Environ(), "AUTHING_ACCESS_KEY_SECRET=stop-test-secret")
	// A group of its own, so that the cleanup can stop the emulator if the test fails.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) })
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()

	var addr string
	for deadline := time.Now().Add(2 * time.Minute); addr == ""; time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the emulator did not write its URL within 2 minutes")
		}
		if raw, err := os.ReadFile(urlFile); err == nil && strings.HasSuffix(string(raw), "\n") {
			u, err := url.Parse(strings.TrimSpace(string(raw)))
			if err != nil {
				t.Fatal(err)
			}
			addr = u.Host
		}
	}
	if !listening(addr) {
		t.Fatalf("nothing listens on %s", addr)
	}
	// What `kill $!` does: SIGTERM to go run alone.
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	<-done
	for deadline := time.Now().Add(10 * time.Second); listening(addr); time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the emulator still listens on %s 10 s after go run was killed", addr)
		}
	}
}

// listening reports whether something accepts connections on addr.
func listening(addr string) bool {
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return false
	}
	_ = c.Close()
	return true
}
