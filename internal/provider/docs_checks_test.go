package provider

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	goversion "github.com/hashicorp/go-version"
)

// TestDocs_snippetsDoNotRelyOnShortCircuit fails on `length(x) > 0 && x[0]...` and
// `can(x) && x...`: Terraform before 1.12 evaluates both sides of `&&`, so
// the guard fails with "Invalid index" exactly when it should protect. A conditional
// (`length(x) > 0 ? ... : false`) or try() guards on every CLI.
func TestDocs_snippetsDoNotRelyOnShortCircuit(t *testing.T) {
	type source struct{ where, text string }
	var sources []source
	seen := map[string]bool{}
	for _, s := range docSnippets(t) {
		sources = append(sources, source{s.where, s.body})
		seen[s.where] = true
	}
	err := filepath.WalkDir(filepath.Join(repoRoot, "examples"), func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || (!strings.HasSuffix(path, ".tf") && !strings.HasSuffix(path, ".hcl")) {
			return err
		}
		raw, err := os.ReadFile(path)
		if rel, _ := filepath.Rel(repoRoot, path); !seen[rel] {
			sources = append(sources, source{rel, string(raw)})
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, src := range sources {
		for i, line := range strings.Split(src.text, "\n") {
			if shortCircuit.MatchString(line) {
				t.Errorf("%s (line %d of the block): %q relies on && not evaluating its right side, which Terraform before 1.12 does: use `cond ? x : false` or try()", src.where, i+1, strings.TrimSpace(line))
			}
		}
	}
}

// TestDocs_snippetMarkers holds the marking scheme: the marker sets the reason, another
// language's block is not a snippet, and an unknown marker or an unclosed block is an error.
func TestDocs_snippetMarkers(t *testing.T) {
	text := "intro\n\n<!-- snippet: not runnable: an excerpt -->\n\n```terraform\nlifecycle {}\n```\n" +
		"```shell\n<!-- snippet: not runnable: in a shell block -->\n```\n```hcl\nresource \"a\" \"b\" {}\n```\n"
	got, err := parseSnippets("x.md", text)
	if err != nil {
		t.Fatal(err)
	}
	want := []snippet{
		{where: "x.md:5", body: "lifecycle {}\n", fragment: "an excerpt"},
		{where: "x.md:11", body: "resource \"a\" \"b\" {}\n"},
	}
	if !slices.Equal(got, want) {
		t.Fatalf("got %#v, want %#v", got, want)
	}
	for _, bad := range []string{"<!-- snippet: skip -->\n```terraform\nx\n```\n", "```tf\nx\n"} {
		if _, err := parseSnippets("x.md", bad); err == nil {
			t.Errorf("parseSnippets(%q) gave no error", bad)
		}
	}
	needs := snippet{body: "action \"authing_webhook_trigger\" \"a\" {}\n"}.needs()
	if why := needs.unmet(goversion.Must(goversion.NewVersion("1.12.6")), true); why == "" {
		t.Error("an action snippet would run on OpenTofu")
	}
	if why := needs.unmet(goversion.Must(goversion.NewVersion("1.14.0")), false); why == "" {
		t.Error("an action snippet would run on Terraform 1.14.0")
	}
	if why := needs.unmet(goversion.Must(goversion.NewVersion("1.16.4")), false); why != "" {
		t.Errorf("an action snippet would not run on Terraform 1.16.4: %s", why)
	}
}

// TestDocs_versionFloorsAgree holds what the README, docs/ (schema descriptions included)
// and the examples say about the Terraform an action needs: 1.14.1 for actions (1.14.0 ran
// after_* events before the resource had finished applying, so nothing is promised for
// it) and 1.16 for the destroy events, which Terraform 1.16.0 introduced.
func TestDocs_versionFloorsAgree(t *testing.T) {
	bare114 := regexp.MustCompile(`\b1\.14\b(\.0)?([^.0-9]|$)`)
	anyVersion := regexp.MustCompile(`\b1\.(1[0-9])(\.[0-9]+)?\+?`)
	files := []string{"README.md"}
	for _, dir := range []string{"docs", "examples"} {
		err := filepath.WalkDir(filepath.Join(repoRoot, dir), func(path string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				rel, _ := filepath.Rel(repoRoot, path)
				files = append(files, rel)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range files {
		raw, err := os.ReadFile(filepath.Join(repoRoot, f))
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(raw), "\n") {
			where := fmt.Sprintf("%s:%d", f, i+1)
			if strings.Contains(line, "before_destroy") || strings.Contains(line, "after_destroy") {
				for _, m := range anyVersion.FindAllStringSubmatch(line, -1) {
					if m[1] != "16" {
						t.Errorf("%s: the action's destroy events need Terraform 1.16, not %s: %s", where, m[0], strings.TrimSpace(line))
					}
				}
			}
			// A page or example about the action is about it on every line; elsewhere, the
			// clause that names the version must name an action ("query below 1.14, actions
			// below 1.14.1" is right).
			for _, clause := range strings.FieldsFunc(line, func(r rune) bool { return r == ',' || r == ';' }) {
				about := strings.Contains(f, "actions/") || strings.Contains(strings.ToLower(clause), "action")
				if about && !strings.Contains(clause, "1.14.0 ran") && bare114.MatchString(clause) {
					t.Errorf("%s: actions are promised from Terraform 1.14.1: %s", where, strings.TrimSpace(line))
				}
			}
		}
	}
}

// TestDocs_indexListsEverything holds the registry index's list of what the provider
// offers to the provider's schema: every resource, data source, action and list resource,
// each named with its kind.
func TestDocs_indexListsEverything(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(repoRoot, "docs", "index.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, list, ok := strings.Cut(string(raw), "It offers:")
	if list, _, _ = strings.Cut(list, "\n## "); !ok {
		t.Fatal(`docs/index.md has no "It offers:" list`)
	}
	items := strings.Split(strings.Join(strings.Fields(list), " "), "; ")
	schema := newProtocolServer(t).schema
	kinds := map[string][]string{}
	for name := range schema.ResourceSchemas {
		kinds["resource"] = append(kinds["resource"], name)
	}
	for name := range schema.DataSourceSchemas {
		kinds["data source"] = append(kinds["data source"], name)
	}
	for name := range schema.ActionSchemas {
		kinds["action"] = append(kinds["action"], name)
	}
	for name := range schema.ListResourceSchemas {
		kinds["list resource"] = append(kinds["list resource"], name)
	}
	if len(kinds) != 4 {
		t.Fatalf("the schema has %d kinds of object, want 4: %v", len(kinds), kinds)
	}
	for kind, names := range kinds {
		for _, name := range names {
			found := slices.ContainsFunc(items, func(item string) bool {
				return strings.Contains(item, "`"+name+"`") && (strings.Contains(item, kind) || strings.Contains(item, kind+"s"))
			})
			if !found {
				t.Errorf("docs/index.md's list of what the provider offers does not name the %s %s (templates/index.md.tmpl)", kind, name)
			}
		}
	}
}
