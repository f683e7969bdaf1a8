// Package architecture_test enforces the import rules in docs/architecture.md.
package architecture_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/svhub/svhub/"

// domain packages hold pure logic: no database, no HTTP, no storage or web.
var domain = []string{"audit", "auth", "demo", "framework", "geo", "jobs", "mail", "spend", "orgs", "problem", "priorities", "tenders", "contracts", "ocds", "hub", "fund", "proxies"}

var forbiddenForDomain = []string{"database/sql", "net/http", module + "internal/store", module + "internal/web", module + "internal/app", module + "internal/cli"}

type pkgFile struct {
	pkg, path string
	imports   []string
	file      *ast.File
}

func load(t *testing.T) []pkgFile {
	t.Helper()
	var out []pkgFile
	fset := token.NewFileSet()
	for _, root := range []string{"internal", "cmd"} {
		err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
				return err
			}
			f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly|parser.ParseComments)
			if err != nil {
				return err
			}
			full, err := parser.ParseFile(fset, path, nil, 0)
			if err != nil {
				return err
			}
			pf := pkgFile{pkg: filepath.ToSlash(filepath.Dir(path)), path: path, file: full}
			for _, imp := range f.Imports {
				p, _ := strconv.Unquote(imp.Path.Value)
				pf.imports = append(pf.imports, p)
			}
			out = append(out, pf)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}

func TestImportRules(t *testing.T) {
	files := load(t)
	if len(files) < 20 {
		t.Fatalf("found only %d files; run from the module root", len(files))
	}
	isDomain := map[string]bool{}
	for _, d := range domain {
		isDomain["internal/"+d] = true
	}
	for _, f := range files {
		test := strings.HasSuffix(f.path, "_test.go")
		for _, imp := range f.imports {
			switch {
			case isDomain[f.pkg] && !test && f.pkg != "internal/demo" && contains(forbiddenForDomain, imp):
				t.Errorf("%s: domain package %s must not import %s", f.path, f.pkg, imp)
			case f.pkg == "internal/demo" && (imp == "database/sql" || imp == "net/http" || imp == module+"internal/web"):
				t.Errorf("%s: demo seeds through the store, not SQL or HTTP (%s)", f.path, imp)
			case (imp == "database/sql" || strings.Contains(imp, "modernc.org/sqlite") || strings.Contains(imp, "jackc/pgx")) && f.pkg != "internal/store" && f.pkg != "internal/storetest" && !test:
				t.Errorf("%s: only internal/store may use the database (%s)", f.path, imp)
			case f.pkg == "internal/store" && (imp == module+"internal/web" || imp == module+"internal/app" || imp == module+"internal/cli" || imp == "net/http"):
				t.Errorf("%s: store must not depend on %s", f.path, imp)
			case f.pkg == "internal/web" && (imp == module+"internal/cli" || imp == module+"internal/app") && !test:
				t.Errorf("%s: web must not depend on %s", f.path, imp)
			case f.pkg == "cmd/svhub" && imp != "os" && imp != module+"internal/cli" && !test:
				t.Errorf("%s: cmd/svhub stays tiny: it imports only internal/cli (got %s)", f.path, imp)
			}
		}
		base := filepath.Base(f.pkg)
		if base == "utils" || base == "util" || base == "common" || base == "helpers" {
			t.Errorf("package %s: name packages for what they are", f.pkg)
		}
	}
}

var sqlRe = regexp.MustCompile(`^\s*(SELECT\s.+\sFROM\s|INSERT\s+INTO\s|UPDATE\s+\w+\s+SET\s|DELETE\s+FROM\s|CREATE\s+TABLE\s)`)

// TestSQLOnlyInStore finds SQL (written in upper case, as everywhere in
// internal/store) in string literals outside the store.
func TestSQLOnlyInStore(t *testing.T) {
	for _, f := range load(t) {
		if f.pkg == "internal/store" || f.pkg == "internal/storetest" || strings.HasSuffix(f.path, "_test.go") {
			continue
		}
		ast.Inspect(f.file, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if ok && lit.Kind == token.STRING {
				if s, err := strconv.Unquote(lit.Value); err == nil && sqlRe.MatchString(s) {
					t.Errorf("%s: SQL outside internal/store: %.60q", f.path, s)
				}
			}
			return true
		})
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
