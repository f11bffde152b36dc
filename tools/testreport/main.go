// Command testreport reads `go test -json` on stdin and prints only what a contributor
// needs: the output of each failed test, of each package that failed outside a test (a
// build error, a panic, a timeout), and one summary line. It exits 1 when anything failed,
// so that `make test` fails with the tests (go test's own exit status counts too, through
// pipefail):
//
//	go test -json -count=1 ./... | go run ./tools/testreport [LABEL]
//
// LABEL, when given, begins the summary line.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"
)

// event is one line of `go test -json` (see `go doc test2json`).
type event struct {
	Action     string
	Package    string
	ImportPath string
	Test       string
	Output     string
}

// report gathers the output per test and per package until their outcome is known.
type report struct {
	out     io.Writer
	label   string
	output  map[string]*strings.Builder // by package + "\x00" + test; test "" is the package
	build   map[string]*strings.Builder // build output, by import path
	counts  map[string]int              // pass, fail, skip of tests
	pkgs    map[string]string           // package outcome
	started time.Time
}

func main() {
	r := &report{
		out:    os.Stdout,
		output: map[string]*strings.Builder{}, build: map[string]*strings.Builder{},
		counts: map[string]int{}, pkgs: map[string]string{}, started: time.Now(),
	}
	if len(os.Args) > 1 {
		r.label = strings.Join(os.Args[1:], " ") + ": "
	}
	if err := r.read(os.Stdin); err != nil {
		fmt.Fprintln(os.Stderr, "testreport:", err)
		os.Exit(2)
	}
	if !r.summary() {
		os.Exit(1)
	}
}

func (r *report) read(in io.Reader) error {
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		line := sc.Bytes()
		var e event
		if len(line) == 0 || line[0] != '{' || json.Unmarshal(line, &e) != nil {
			// Not an event: pass it on. go test's own exit status says whether it failed.
			fmt.Fprintln(r.out, string(line))
			continue
		}
		r.add(e)
	}
	return sc.Err()
}

func (r *report) buffer(m map[string]*strings.Builder, key string) *strings.Builder {
	b, ok := m[key]
	if !ok {
		b = &strings.Builder{}
		m[key] = b
	}
	return b
}

func (r *report) add(e event) {
	key := e.Package + "\x00" + e.Test
	switch e.Action {
	case "build-output":
		r.buffer(r.build, e.ImportPath).WriteString(e.Output)
	case "build-fail":
		// The package's own fail event follows and names it.
		fmt.Fprint(r.out, r.buffer(r.build, e.ImportPath).String())
	case "output":
		r.buffer(r.output, key).WriteString(e.Output)
	case "pass", "skip", "fail":
		if e.Test == "" {
			r.pkgs[e.Package] = e.Action
			if e.Action == "fail" {
				// What the package printed outside its tests: a panic, a timeout, TestMain.
				fmt.Fprint(r.out, r.buffer(r.output, key).String())
			}
			r.forget(e.Package)
			break
		}
		if !strings.Contains(e.Test, "/") {
			r.counts[e.Action]++
		}
		if e.Action == "fail" {
			// A parent's output holds its failed subtests' output too.
			if !strings.Contains(e.Test, "/") {
				fmt.Fprint(r.out, r.buffer(r.output, key).String())
			}
			if b := r.output[e.Package+"\x00"+parent(e.Test)]; b != nil && parent(e.Test) != e.Test {
				b.WriteString(r.buffer(r.output, key).String())
			}
		}
		delete(r.output, key)
	}
}

// parent is the top-level test of a subtest's name.
func parent(test string) string {
	top, _, _ := strings.Cut(test, "/")
	return top
}

// forget drops the buffered output of a package whose outcome is known.
func (r *report) forget(pkg string) {
	for k := range r.output {
		if strings.HasPrefix(k, pkg+"\x00") {
			delete(r.output, k)
		}
	}
}

// summary prints the summary line and reports whether everything passed.
func (r *report) summary() bool {
	var failedPkgs []string
	for p, a := range r.pkgs {
		if a == "fail" {
			failedPkgs = append(failedPkgs, p)
		}
	}
	sort.Strings(failedPkgs)
	took := time.Since(r.started).Round(100 * time.Millisecond)
	ok := len(failedPkgs) == 0 && r.counts["fail"] == 0
	verdict := "ok"
	if !ok {
		verdict = "FAIL"
	}
	fmt.Fprintf(r.out, "%s%s: %d packages, %d tests passed, %d failed, %d skipped, in %s\n",
		r.label, verdict, len(r.pkgs), r.counts["pass"], r.counts["fail"], r.counts["skip"], took)
	if !ok {
		fmt.Fprintf(r.out, "failed: %s\n", strings.Join(failedPkgs, ", "))
	}
	return ok
}
