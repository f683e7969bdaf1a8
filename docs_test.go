package architecture_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// mapSection is the heading of docs/architecture.md's feature map.
const mapSection = "## Where each feature lives"

// mapColumns says where each column's names live: the routes column names
// files in internal/web, the domain column packages by path from the module
// root, and the store column files in internal/store.
var mapColumns = map[string]string{"routes": "internal/web", "domain": ".", "store": "internal/store"}

// featureMap reads the map's table: for each named file or package, the
// features that name it. Names are the backquoted words of a column that
// look like a path (a .go file or internal/…).
func featureMap(t *testing.T, doc string) map[string][]string {
	t.Helper()
	start := strings.Index(doc, "\n"+mapSection+"\n")
	if start < 0 {
		t.Fatalf("docs/architecture.md has no %q section", mapSection)
	}
	body := doc[start+len(mapSection)+2:]
	if end := strings.Index(body, "\n## "); end >= 0 {
		body = body[:end]
	}
	name := regexp.MustCompile("`([^`]+)`")
	out := map[string][]string{}
	var header []string
	for _, line := range strings.Split(body, "\n") {
		if !strings.HasPrefix(line, "|") {
			continue
		}
		cells := strings.Split(strings.Trim(line, "|"), "|")
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		if header == nil {
			header = cells
			continue
		}
		if strings.HasPrefix(cells[0], "---") {
			continue
		}
		if len(cells) != len(header) {
			t.Fatalf("map row %q has %d cells, the header %d", line, len(cells), len(header))
		}
		for i, cell := range cells[1:] {
			col := strings.Fields(header[i+1])[0]
			dir, ok := mapColumns[col]
			if !ok {
				t.Fatalf("map column %q is not one of routes, domain, store", header[i+1])
			}
			for _, m := range name.FindAllStringSubmatch(cell, -1) {
				n := m[1]
				if !strings.HasSuffix(n, ".go") && !strings.HasPrefix(n, "internal/") {
					continue // not a file or package, e.g. /api/v1
				}
				p := filepath.Join(dir, n)
				out[p] = append(out[p], cells[0])
			}
		}
	}
	if len(out) == 0 {
		t.Fatal("the feature map names no files")
	}
	return out
}

// TestFeatureMapMatchesTree checks docs/architecture.md's feature map
// against the tree: every route file, domain package and store file it
// names exists, and every internal/web file that holds a handler is named.
func TestFeatureMapMatchesTree(t *testing.T) {
	doc, err := os.ReadFile("docs/architecture.md")
	if err != nil {
		t.Fatal(err)
	}
	named := featureMap(t, string(doc))
	for p, features := range named {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("docs/architecture.md's map names %s (for %s), which does not exist", p, strings.Join(features, ", "))
		}
	}
	files, err := filepath.Glob("internal/web/*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		af, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		if holdsHandler(af) && named[f] == nil {
			t.Errorf("%s holds handlers but docs/architecture.md's feature map does not name it", f)
		}
	}
}

// holdsHandler reports whether a file declares a handler: a method taking
// (http.ResponseWriter, *http.Request) and returning error.
func holdsHandler(f *ast.File) bool {
	for _, d := range f.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Recv == nil || fd.Type.Results == nil || len(fd.Type.Results.List) != 1 {
			continue
		}
		ps := fd.Type.Params.List
		if len(ps) != 2 || typeName(ps[0].Type) != "http.ResponseWriter" || typeName(ps[1].Type) != "*http.Request" {
			continue
		}
		if id, ok := fd.Type.Results.List[0].Type.(*ast.Ident); ok && id.Name == "error" {
			return true
		}
	}
	return false
}

func typeName(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.StarExpr:
		return "*" + typeName(e.X)
	case *ast.SelectorExpr:
		if x, ok := e.X.(*ast.Ident); ok {
			return x.Name + "." + e.Sel.Name
		}
	}
	return ""
}

// TestFeatureMapReader checks the map reader itself on a small document
// (names read per column with their feature, words that are not files
// skipped, other sections ignored) and the handler finder on two files.
func TestFeatureMapReader(t *testing.T) {
	doc := "# A\n\n" + mapSection + "\n\nintro `not/a/file`\n\n| feature | routes (`internal/web/`) | domain | store (`internal/store/`) |\n| --- | --- | --- | --- |\n" +
		"| Fund | `fund.go` (routes), `gone.go` | `internal/fund` | `fund.go` |\n| API | `/api/v1` | the features' packages | — |\n\n## Next\n\n| x | `ignored.go` |\n"
	got := featureMap(t, doc)
	want := []string{"internal/web/fund.go", "internal/web/gone.go", "internal/fund", "internal/store/fund.go"}
	if len(got) != len(want) {
		t.Fatalf("read %v, want %v", got, want)
	}
	for _, w := range want {
		if len(got[w]) != 1 || got[w][0] != "Fund" {
			t.Errorf("%s: %v", w, got[w])
		}
	}
	if _, err := os.Stat(filepath.FromSlash("internal/web/gone.go")); err == nil {
		t.Fatal("the fixture's missing file exists")
	}
	src := "package web\nimport \"net/http\"\ntype S struct{}\nfunc (s *S) page(w http.ResponseWriter, r *http.Request) error { return nil }\nfunc (s *S) helper(r *http.Request) error { return nil }\n"
	f, err := parser.ParseFile(token.NewFileSet(), "x.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	if !holdsHandler(f) {
		t.Error("a handler method was not found")
	}
	f2, _ := parser.ParseFile(token.NewFileSet(), "y.go", "package web\nimport \"net/http\"\nfunc helper(r *http.Request) error { return nil }\n", 0)
	if holdsHandler(f2) {
		t.Error("a function that is not a handler was taken for one")
	}
}
