package web_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// scrollRegion is the one pattern a wide data table reflows with at 320 CSS
// px (WCAG 2.2 SC 1.4.10): a labelled region the keyboard can reach and
// scroll, styled in static/css/svhub.css.
var scrollRegion = regexp.MustCompile(`<div class="svhub-table-scroll" role="region" aria-label="[^"]+" tabindex="0">\s*$`)

// tableProblems lists each table in a template's text with three or more
// columns that does not sit directly in a scroll region; the browser tests
// find the pages that overflow, this finds the tables no test visits.
func tableProblems(name, text string) []string {
	var problems []string
	for rest, at := text, 0; ; {
		i := strings.Index(rest, `<table class="govuk-table"`)
		if i < 0 {
			return problems
		}
		end := strings.Index(rest[i:], "</table>")
		if end < 0 {
			return append(problems, name+": a table is not closed")
		}
		table := rest[i : i+end]
		line := 1 + strings.Count(text[:at+i], "\n")
		if strings.Count(table, `<th scope="col"`) >= 3 {
			if !scrollRegion.MatchString(rest[:i]) {
				problems = append(problems, name+":"+strconv.Itoa(line)+": a table of three or more columns is not inside <div class=\"svhub-table-scroll\" role=\"region\" aria-label=\"…\" tabindex=\"0\">")
			} else if !strings.HasPrefix(strings.TrimLeft(rest[i+end+len("</table>"):], " \t\n"), "</div>") {
				problems = append(problems, name+":"+strconv.Itoa(line)+": the scroll region does not close right after its table")
			}
		}
		at += i + end
		rest = rest[i+end:]
	}
}

func TestWideTablesScrollInTheirOwnRegion(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("templates", "pages", "*.html"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no page templates: %v", err)
	}
	files = append(files, filepath.Join("templates", "partials.html"))
	tables := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		tables += strings.Count(string(b), `<table class="govuk-table"`)
		for _, p := range tableProblems(f, string(b)) {
			t.Error(p)
		}
	}
	if tables < 40 {
		t.Errorf("found only %d tables in the templates; is the glob right?", tables)
	}
}

func TestTableProblemsFindsAnUnwrappedTable(t *testing.T) {
	cols := `<thead><tr><th scope="col">A</th><th scope="col">B</th><th scope="col">C</th></tr></thead>`
	wrapped := `<div class="svhub-table-scroll" role="region" aria-label="Things" tabindex="0"><table class="govuk-table">` + cols + `</table></div>`
	if p := tableProblems("ok.html", wrapped); len(p) != 0 {
		t.Errorf("a wrapped table: %v", p)
	}
	if p := tableProblems("narrow.html", `<table class="govuk-table"><th scope="col">A</th><th scope="col">B</th></table>`); len(p) != 0 {
		t.Errorf("a two-column table needs no region: %v", p)
	}
	if p := tableProblems("bare.html", "<p>x</p>\n"+`<table class="govuk-table">`+cols+`</table>`); len(p) != 1 || !strings.Contains(p[0], "bare.html:2:") {
		t.Errorf("an unwrapped table: %v", p)
	}
	if p := tableProblems("nolabel.html", `<div class="svhub-table-scroll" role="region" tabindex="0"><table class="govuk-table">`+cols+`</table></div>`); len(p) != 1 {
		t.Errorf("a region without a label: %v", p)
	}
	if p := tableProblems("open.html", `<div class="svhub-table-scroll" role="region" aria-label="T" tabindex="0"><table class="govuk-table">`+cols+`</table><p>after</p></div>`); len(p) != 1 {
		t.Errorf("a region that does not close after its table: %v", p)
	}
}
