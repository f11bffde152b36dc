package docmap

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// The documents a reader uses as maps. CONTRIBUTING.md is checked when it exists; the guides
// are read as rendered into docs/guides.
var (
	mapDocuments   = []string{"DESIGN.md", "README.md", "CONTRIBUTING.md", "MEASUREMENTS.md", "tools/README.md"}
	mapGuidesGlobs = []string{"docs/guides/*.md"}
)

var (
	// testNameRE finds test, fuzz and benchmark names anywhere in the text. A trailing `_`
	// (`TestAccLive_`) or `_*` (`TestAccSettle_*`) names a family: at least one must exist.
	testNameRE = regexp.MustCompile(`\b(?:Test|Fuzz|Benchmark)[A-Z0-9_][A-Za-z0-9_]*\*?`)
	// codeSpanRE finds inline code; linkRE the target of a Markdown link.
	codeSpanRE = regexp.MustCompile("`([^`\n]+)`")
	linkRE     = regexp.MustCompile(`\]\(([^)\s]+)\)`)
	// repoPathRE is a path inside the repository's own top-level folders, as quoted in code.
	repoPathRE = regexp.MustCompile(`^(?:\./)?((?:\.github|cmd|docs|examples|internal|scripts|templates|tools)(?:/[A-Za-z0-9_.-]+)*/?)$`)
	// goFileRE is a Go file quoted by its name alone (`retry.go`).
	goFileRE = regexp.MustCompile(`^[A-Za-z0-9_]+\.go$`)
	// testFuncRE finds the tests a _test.go file declares.
	testFuncRE = regexp.MustCompile(`(?m)^func ((?:Test|Fuzz|Benchmark)[A-Za-z0-9_]*)\(`)
	// makeTargetRE finds the targets GNUmakefile declares.
	makeTargetRE = regexp.MustCompile(`(?m)^([a-z][a-z0-9-]*):`)
)

// reference is one name a document quotes, with where it is quoted.
type reference struct {
	kind string // "test", "path", "go file" or "make target"
	name string
	file string
	line int
}

// references lists what a Markdown document quotes: test names anywhere, and in inline code
// the repository paths, Go file names and make targets; relative link targets are paths
// relative to the document.
func references(file, text string) []reference {
	var refs []reference
	for i, line := range strings.Split(text, "\n") {
		add := func(kind, name string) {
			refs = append(refs, reference{kind: kind, name: name, file: file, line: i + 1})
		}
		for _, name := range testNameRE.FindAllString(line, -1) {
			add("test", name)
		}
		for _, m := range codeSpanRE.FindAllStringSubmatch(line, -1) {
			fields := strings.Fields(m[1])
			if len(fields) >= 2 && fields[0] == "make" {
				add("make target", fields[1])
			}
			for _, f := range fields {
				switch {
				case repoPathRE.MatchString(f):
					add("path", repoPathRE.FindStringSubmatch(f)[1])
				case goFileRE.MatchString(f):
					add("go file", f)
				}
			}
		}
		for _, m := range linkRE.FindAllStringSubmatch(line, -1) {
			target, _, _ := strings.Cut(m[1], "#")
			if target == "" || strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
				continue
			}
			add("path", filepath.ToSlash(filepath.Join(filepath.Dir(file), target)))
		}
	}
	return refs
}

// repository is what exists: files, declared tests and make targets.
type repository struct {
	root    string
	goFiles map[string]bool
	tests   []string
	targets map[string]bool
}

func readRepository(t *testing.T, root string) repository {
	t.Helper()
	repo := repository{root: root, goFiles: map[string]bool{}, targets: map[string]bool{}}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			hidden := strings.HasPrefix(d.Name(), ".") && d.Name() != ".github"
			if path != root && (hidden || d.Name() == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") {
			return nil
		}
		repo.goFiles[d.Name()] = true
		if strings.HasSuffix(path, "_test.go") {
			src, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			for _, m := range testFuncRE.FindAllStringSubmatch(string(src), -1) {
				repo.tests = append(repo.tests, m[1])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("reading the repository: %v", err)
	}
	makefile, err := os.ReadFile(filepath.Join(root, "GNUmakefile"))
	if err != nil {
		t.Fatalf("reading GNUmakefile: %v", err)
	}
	for _, m := range makeTargetRE.FindAllStringSubmatch(string(makefile), -1) {
		repo.targets[m[1]] = true
	}
	return repo
}

// exists says whether the repository has what ref names.
func (r repository) exists(ref reference) bool {
	switch ref.kind {
	case "test":
		name := strings.TrimSuffix(ref.name, "*")
		if strings.HasSuffix(name, "_") {
			return slices.ContainsFunc(r.tests, func(t string) bool { return strings.HasPrefix(t, name) })
		}
		return slices.Contains(r.tests, name)
	case "go file":
		return r.goFiles[ref.name]
	case "make target":
		return r.targets[ref.name]
	default:
		_, err := os.Stat(filepath.Join(r.root, filepath.FromSlash(ref.name)))
		return err == nil
	}
}

// TestEveryQuotedNameExists fails for each test name, repository path, Go file and make
// target that a map document quotes and the repository does not have.
func TestEveryQuotedNameExists(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	repo := readRepository(t, root)
	if len(repo.tests) == 0 || len(repo.targets) == 0 {
		t.Fatalf("found %d tests and %d make targets under %s: not the repository's root", len(repo.tests), len(repo.targets), root)
	}
	docs := slices.Clone(mapDocuments)
	for _, glob := range mapGuidesGlobs {
		guides, err := filepath.Glob(filepath.Join(root, filepath.FromSlash(glob)))
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range guides {
			rel, _ := filepath.Rel(root, g)
			docs = append(docs, filepath.ToSlash(rel))
		}
	}
	checked, read := 0, []string{}
	for _, doc := range docs {
		text, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(doc)))
		if os.IsNotExist(err) && doc == "CONTRIBUTING.md" {
			continue
		}
		if err != nil {
			t.Fatalf("reading %s: %v", doc, err)
		}
		read = append(read, doc)
		for _, ref := range references(doc, string(text)) {
			checked++
			if !repo.exists(ref) {
				t.Errorf("%s:%d quotes the %s %q, which the repository does not have: correct the document or restore it", ref.file, ref.line, ref.kind, ref.name)
			}
		}
	}
	t.Logf("%d references checked in %s", checked, strings.Join(read, ", "))
}

// TestReferencesAreReadAsAReaderFollowsThem pins what counts as a reference, so that the map
// test neither misses a quoted name nor reads prose or outside paths as one.
func TestReferencesAreReadAsAReaderFollowsThem(t *testing.T) {
	cases := []struct {
		line string
		want []string
	}{
		{"held by `TestAccChaos_exactlyOnceUnderFaults` and the `TestAccSettle_*` tests", []string{"test TestAccChaos_exactlyOnceUnderFaults", "test TestAccSettle_*"}},
		{"the `TestAccLive_` tests; Testing and Test tiers are prose", []string{"test TestAccLive_"}},
		{"see `internal/authing/retry.go`, `classify`", []string{"path internal/authing/retry.go"}},
		{"run `scripts/mutate.sh ./internal/provider` or `go run ./tools/applybench -reps 9`", []string{"path scripts/mutate.sh", "path internal/provider", "path tools/applybench"}},
		{"`retry.go`, `backoff`: `ceiling/2+1`", []string{"go file retry.go"}},
		{"`make testacc-live` and `make check`'s runs", []string{"make target testacc-live", "make target check"}},
		{"cached in `~/.cache/terraform-provider-authing/tools`, `out/live-report.md`, `/_emulator/receiver/<name>`", nil},
		{"[`examples/smoke-test`](examples/smoke-test/main.tf), [docs](https://example.test/docs), [below](#tools)", []string{"path examples/smoke-test", "path examples/smoke-test/main.tf"}},
	}
	for _, c := range cases {
		var got []string
		for _, ref := range references("README.md", c.line) {
			got = append(got, ref.kind+" "+ref.name)
		}
		slices.Sort(got)
		want := slices.Clone(c.want)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("references(%q) = %q, want %q", c.line, got, want)
		}
	}
	guide := references("docs/guides/exactly-once.md", "[the resource](../resources/webhook_trigger.md)")
	if len(guide) != 1 || guide[0].name != "docs/resources/webhook_trigger.md" {
		t.Errorf("a guide's relative link is read as %+v, want the path docs/resources/webhook_trigger.md", guide)
	}
}
