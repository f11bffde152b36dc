package docmap

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var goDirectiveRE = regexp.MustCompile(`(?m)^go (\S+)\s*$`)

// TestEveryModuleSaysTheRootGoVersion holds what tools/README.md promises: every go.mod of
// the repository has the root module's go directive, so one toolchain builds them all.
func TestEveryModuleSaysTheRootGoVersion(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	directive := func(path string) string {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		m := goDirectiveRE.FindSubmatch(src)
		if m == nil {
			return "(none)"
		}
		return string(m[1])
	}
	want := directive(filepath.Join(root, "go.mod"))
	modules := 0
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != root && (strings.HasPrefix(d.Name(), ".") || d.Name() == "node_modules") {
			return filepath.SkipDir
		}
		if d.IsDir() || d.Name() != "go.mod" {
			return nil
		}
		modules++
		if got := directive(path); got != want {
			rel, _ := filepath.Rel(root, path)
			t.Errorf("%s says go %s, the root module go %s: move every module together (go mod edit -go=VERSION)", rel, got, want)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if modules < 2 {
		t.Fatalf("found %d go.mod files under %s: not the repository's root", modules, root)
	}
	t.Logf("%d modules say go %s", modules, want)
}
