package docmap

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The version table lives in one place, the guide "Terraform and OpenTofu versions"; the
// README gives a summary of it in one paragraph, which this test holds to the table.
const (
	versionsGuide = "docs/guides/terraform-versions.md"
	// summaryStart and summaryEnd bound the README's summary.
	summaryStart = "It works with Terraform"
	summaryEnd   = "The guide"
	// featuresIntro introduces the "feature version" pairs of the summary.
	featuresIntro = "Newer features need a newer Terraform:"
)

var (
	// baseRE is the summary's opening: the versions the first row of the table needs.
	baseRE = regexp.MustCompile(`^It works with Terraform (1\.[0-9]+)\+ and OpenTofu (1\.[0-9]+)\+\.`)
	// pairRE is one "feature version" pair of the summary.
	pairRE = regexp.MustCompile(`^(?:and )?(.+?) (1\.[0-9]+(?:\.[0-9]+)?)$`)
	// backtickRE finds the inline code of a feature's name.
	backtickRE = regexp.MustCompile("`[^`]+`")
)

// versionRow is a feature row of the guide's table.
type versionRow struct{ feature, terraform, opentofu string }

// guideVersionRows reads the feature rows of the guide's version table.
func guideVersionRows(t *testing.T, root string) []versionRow {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(root, versionsGuide))
	if err != nil {
		t.Fatal(err)
	}
	var rows []versionRow
	inTable := false
	for _, line := range strings.Split(string(raw), "\n") {
		if strings.HasPrefix(line, "| feature | Terraform | OpenTofu |") {
			inTable = true
			continue
		}
		if !inTable || strings.HasPrefix(line, "|---") {
			continue
		}
		if !strings.HasPrefix(line, "| ") {
			break
		}
		cells := strings.Split(strings.Trim(line, "| "), " | ")
		if len(cells) < 3 {
			t.Fatalf("%s: a row of the version table has %d cells: %s", versionsGuide, len(cells), line)
		}
		rows = append(rows, versionRow{feature: cells[0], terraform: cells[1], opentofu: cells[2]})
	}
	if len(rows) == 0 {
		t.Fatalf("%s has no version table", versionsGuide)
	}
	return rows
}

// readmeVersionSummary returns the README's summary of the version table, on one line.
func readmeVersionSummary(t *testing.T, root string) string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(string(raw)), " ")
	i := strings.Index(text, summaryStart)
	if i < 0 {
		t.Fatalf("README.md has no version summary starting %q", summaryStart)
	}
	summary, _, ok := strings.Cut(text[i:], summaryEnd)
	if !ok {
		t.Fatalf("README.md's version summary does not end at %q", summaryEnd)
	}
	return strings.TrimSpace(summary)
}

// rowOf finds the one row of the table whose feature cell names the feature: every inline
// code span of the feature's name, or its words when it has none.
func rowOf(rows []versionRow, feature string) ([]versionRow, []string) {
	keys := backtickRE.FindAllString(feature, -1)
	if len(keys) == 0 {
		keys = []string{strings.TrimPrefix(feature, "the ")}
	}
	var found []versionRow
	for _, r := range rows {
		all := true
		for _, k := range keys {
			all = all && strings.Contains(r.feature, k)
		}
		if all {
			found = append(found, r)
		}
	}
	return found, keys
}

// TestReadmeVersionSummaryAgreesWithTheGuide holds every version the README's summary gives
// to the guide's table: the base versions to its first row, and each feature's Terraform
// version to the one row that names that feature.
func TestReadmeVersionSummaryAgreesWithTheGuide(t *testing.T) {
	root := filepath.Join("..", "..")
	rows := guideVersionRows(t, root)
	summary := readmeVersionSummary(t, root)

	base := baseRE.FindStringSubmatch(summary)
	if base == nil {
		t.Fatalf("README.md's version summary does not open as %q: %s", baseRE, summary)
	}
	if rows[0].terraform != base[1]+"+" || rows[0].opentofu != base[2]+"+" {
		t.Errorf("README.md says Terraform %s+ and OpenTofu %s+; the guide's first row says %s and %s",
			base[1], base[2], rows[0].terraform, rows[0].opentofu)
	}

	_, pairs, ok := strings.Cut(summary, featuresIntro)
	if !ok {
		t.Fatalf("README.md's version summary has no %q", featuresIntro)
	}
	pairs = strings.TrimSuffix(strings.TrimSpace(pairs), ".")
	checked := 0
	for _, item := range strings.Split(pairs, ",") {
		item = strings.TrimSpace(item)
		m := pairRE.FindStringSubmatch(item)
		if m == nil {
			t.Errorf("README.md's version summary: %q is not \"feature version\"", item)
			continue
		}
		found, keys := rowOf(rows, m[1])
		if len(found) != 1 {
			t.Errorf("README.md's version summary: %q (%s) names %d rows of the guide's table, want 1", m[1], strings.Join(keys, ", "), len(found))
			continue
		}
		if found[0].terraform != m[2]+"+" {
			t.Errorf("README.md says %s needs Terraform %s; the guide says %s (%s)", m[1], m[2], found[0].terraform, found[0].feature)
		}
		checked++
	}
	if checked == 0 {
		t.Error("README.md's version summary names no feature")
	}
	t.Logf("%d feature versions of the README checked against %s", checked, versionsGuide)
}
