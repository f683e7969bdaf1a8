// Package architecture_test enforces the layering rules in
// docs/architecture.md by reading the source with go/parser:
//
//   - Imports. Every package under internal/ is a domain package unless it
//     is one of the adapters (store, web, cli, app, demo, storetest,
//     companieshouse). A domain package's non-test files import nothing under database/sql,
//     net/http, internal/store, internal/web, internal/app or internal/cli
//     (prefixes: net/http/httptest and database/sql/driver count). Only
//     store and storetest reach a database driver; demo seeds through the
//     store, never SQL or HTTP; store does not depend on web, app, cli or
//     net/http; web does not depend on cli or app; cmd/svhub imports only
//     internal/cli; no package is called utils, util, common or helpers.
//   - SQL. No string outside internal/store and internal/storetest (test
//     files included) holds SQL: a statement's shape found in any case and
//     across lines (SELECT … FROM table, INSERT INTO table (/VALUES/SELECT,
//     UPDATE table SET col =, DELETE FROM table, WITH name AS (SELECT …,
//     CREATE/ALTER/DROP TABLE, CREATE INDEX … ON); see looksLikeSQL.
//   - State. No package-level variable is written after initialisation: a
//     package-level var assigned (=, op=, ++/--), indexed or field-assigned,
//     deleted from, cleared or having its address taken inside any function
//     other than init is reported. Read-only vars (sentinel errors made with
//     errors.New, lookup tables, Version set by -ldflags) are fine, and so
//     is setting one in a test binary's TestMain, which runs before all.
//   - Money. Money is integer pence. "Money code" is any struct field or
//     named type in a non-test file whose name contains, in any case, one
//     of moneyWords (pence, penny, pennies, pound, amount, money, price,
//     cost, budget, fee, payment, salary, wage, gbp); it must not be a
//     float32 or float64 (nor a pointer, slice, array or map of them).
//     Function parameters and local variables are not money code: the float
//     Method of Equal Shares works on per-voter shares of a cost, checked
//     against the exact reference.
//
// The few exceptions are listed, each with its reason, in allowedState,
// allowedSQLInTests and allowedMoneyFloat.
//
// Each rule is a function of a directory laid out like the module (with
// internal/ and cmd/), so the same code checks the real tree and the
// fixtures under testdata/arch, each of which breaks exactly one rule.
package architecture_test

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/svhub/svhub/"

// adapters are the packages under internal/ that may talk to the outside
// world; every other package under internal/ is a domain package.
var adapters = []string{"store", "web", "cli", "app", "demo", "storetest", "companieshouse"}

var forbiddenForDomain = []string{"database/sql", "net/http", module + "internal/store", module + "internal/web", module + "internal/app", module + "internal/cli"}

// allowedState lists package-level variables that are written after init,
// as "dir.name", each with the reason it is tolerated. Empty: keep it so.
var allowedState = map[string]string{}

// allowedSQLInTests lists packages outside internal/store whose test files
// may hold SQL, each with the reason.
var allowedSQLInTests = map[string]string{
	"cmd/svhub": "end-to-end tests of the binary look into the database it wrote (row counts) and tamper with the audit log to prove 'svhub audit verify' catches it",
}

// allowedMoneyFloat lists float money fields and types, as "dir.name",
// each with the reason.
var allowedMoneyFloat = map[string]string{
	"internal/fund.costF": "the float screen of the Method of Equal Shares keeps a float copy of each project's exact cost; every choice it is unsure of is decided in exact rationals, and tests compare it with the exact rule",
}

type pkgFile struct {
	dir     string // package directory relative to the root, with slashes: "internal/geo"
	path    string // file path, for messages
	test    bool
	imports []string
	file    *ast.File
	fset    *token.FileSet
}

// top is the package under internal/ or cmd/ that a directory belongs to
// ("geo" for internal/geo and internal/geo/x), and which of the two it is in.
func (f pkgFile) top() (area, name string) {
	parts := strings.Split(f.dir, "/")
	if len(parts) < 2 {
		return parts[0], ""
	}
	return parts[0], parts[1]
}

func (f pkgFile) domain() bool {
	area, name := f.top()
	return area == "internal" && name != "" && !slices.Contains(adapters, name)
}

func (f pkgFile) at(p token.Pos) string {
	pos := f.fset.Position(p)
	return fmt.Sprintf("%s:%d", filepath.ToSlash(pos.Filename), pos.Line)
}

// load parses every Go file under root/internal and root/cmd, skipping
// testdata folders as the go tool does.
func load(root string) ([]pkgFile, error) {
	var out []pkgFile
	fset := token.NewFileSet()
	for _, area := range []string{"internal", "cmd"} {
		dir := filepath.Join(root, area)
		if _, err := os.Stat(dir); os.IsNotExist(err) {
			continue
		}
		err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				if n := d.Name(); path != dir && (n == "testdata" || strings.HasPrefix(n, ".") || strings.HasPrefix(n, "_")) {
					return filepath.SkipDir
				}
				return nil
			}
			if !strings.HasSuffix(path, ".go") {
				return nil
			}
			f, err := parser.ParseFile(fset, path, nil, 0)
			if err != nil {
				return err
			}
			rel, err := filepath.Rel(root, filepath.Dir(path))
			if err != nil {
				return err
			}
			pf := pkgFile{dir: filepath.ToSlash(rel), path: filepath.ToSlash(path), test: strings.HasSuffix(path, "_test.go"), file: f, fset: fset}
			for _, imp := range f.Imports {
				p, _ := strconv.Unquote(imp.Path.Value)
				pf.imports = append(pf.imports, p)
			}
			out = append(out, pf)
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// under reports whether import path imp is one of prefixes or inside one.
func under(imp string, prefixes ...string) bool {
	for _, p := range prefixes {
		if imp == p || strings.HasPrefix(imp, p+"/") {
			return true
		}
	}
	return false
}

// checkImports applies the import rules to the tree at root.
func checkImports(root string) ([]string, error) {
	files, err := load(root)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, f := range files {
		_, top := f.top()
		for _, imp := range f.imports {
			database := under(imp, "database/sql", "modernc.org/sqlite", "github.com/jackc/pgx")
			switch {
			case f.domain() && !f.test && under(imp, forbiddenForDomain...):
				out = append(out, fmt.Sprintf("%s: domain package %s must not import %s (only %s are adapters)", f.path, f.dir, imp, strings.Join(adapters, ", ")))
			case database && top != "store" && top != "storetest" && !f.test:
				out = append(out, fmt.Sprintf("%s: only internal/store may use the database (%s)", f.path, imp))
			case top == "demo" && !f.test && under(imp, "database/sql", "net/http", module+"internal/web"):
				out = append(out, fmt.Sprintf("%s: demo seeds through the store, not SQL or HTTP (%s)", f.path, imp))
			case top == "store" && under(imp, module+"internal/web", module+"internal/app", module+"internal/cli", "net/http"):
				out = append(out, fmt.Sprintf("%s: store must not depend on %s", f.path, imp))
			case top == "web" && !f.test && under(imp, module+"internal/cli", module+"internal/app"):
				out = append(out, fmt.Sprintf("%s: web must not depend on %s", f.path, imp))
			case f.dir == "cmd/svhub" && !f.test && imp != "os" && imp != module+"internal/cli":
				out = append(out, fmt.Sprintf("%s: cmd/svhub stays tiny: it imports only internal/cli (got %s)", f.path, imp))
			}
		}
		switch filepath.Base(f.dir) {
		case "utils", "util", "common", "helpers":
			out = append(out, fmt.Sprintf("package %s: name packages for what they are", f.dir))
		}
	}
	return out, nil
}

// SQL shapes. Each pattern has one group, the table (or CTE) name, which
// must not be an English word that follows these verbs in prose ("select
// one from the list", "delete from your account").
const (
	sqlTable = `([\w."%$]+)`
	sqlNext  = `(?:\s*(?:;|\)|$)|(?:\s+(?:as\s+)?\w+)?\s+(?:where|join|inner|left|right|full|cross|natural|order|group|having|limit|offset|union|on|using|returning|for)\b)`
)

var sqlShapes = []*regexp.Regexp{
	regexp.MustCompile(`(?is)\bselect\s+[^;]+?\s+from\s+` + sqlTable + sqlNext),
	regexp.MustCompile(`(?is)\binsert\s+(?:or\s+\w+\s+)?into\s+` + sqlTable + `\s*(?:\(|values\b|select\b|default\b)`),
	regexp.MustCompile(`(?is)\bupdate\s+(?:only\s+)?` + sqlTable + `(?:\s+(?:as\s+)?\w+)?\s+set\s+[\w."]+\s*=`),
	regexp.MustCompile(`(?is)\bdelete\s+from\s+` + sqlTable + sqlNext),
	regexp.MustCompile(`(?is)\bwith\s+(?:recursive\s+)?` + sqlTable + `\s*(?:\([^()]*\)\s*)?as\s*(?:not\s+)?(?:materialized\s*)?\(\s*(?:select|insert|update|delete|values|with)\b`),
	regexp.MustCompile(`(?is)\bcreate\s+(?:temp\w*\s+|unlogged\s+)?table\s+(?:if\s+not\s+exists\s+)?` + sqlTable + `\s*(?:\(|as\b)`),
	regexp.MustCompile(`(?is)\balter\s+table\s+(?:if\s+exists\s+)?(?:only\s+)?` + sqlTable + `\s+(?:add|drop|rename|alter|set)\b`),
	regexp.MustCompile(`(?is)\bdrop\s+(?:table|index|view)\s+(?:if\s+exists\s+)?` + sqlTable + `\s*(?:;|$|cascade\b|restrict\b)`),
	regexp.MustCompile(`(?is)\bcreate\s+(?:unique\s+)?index\s+(?:if\s+not\s+exists\s+)?` + sqlTable + `\s+on\s+\w`),
}

// proseWords follow "from", "into" and "update" in English, never as table names.
var proseWords = map[string]bool{
	"the": true, "a": true, "an": true, "your": true, "our": true, "my": true, "their": true, "his": true, "her": true, "its": true,
	"this": true, "that": true, "these": true, "those": true, "below": true, "above": true, "here": true, "there": true,
	"each": true, "any": true, "all": true, "one": true, "it": true, "them": true, "me": true, "us": true, "you": true,
}

// looksLikeSQL reports whether s holds a SQL statement (see sqlShapes).
func looksLikeSQL(s string) bool {
	for _, re := range sqlShapes {
		for _, m := range re.FindAllStringSubmatch(s, -1) {
			if !proseWords[strings.ToLower(strings.Trim(m[1], `"`))] {
				return true
			}
		}
	}
	return false
}

// constString joins a chain of string literals added together; operands
// that are not literals stand in as the identifier x, so
// "SELECT a FROM " + table + " WHERE b" reads as SQL.
func constString(e ast.Expr) (string, bool) {
	switch e := e.(type) {
	case *ast.BasicLit:
		if e.Kind != token.STRING {
			return "", false
		}
		s, err := strconv.Unquote(e.Value)
		return s, err == nil
	case *ast.ParenExpr:
		return constString(e.X)
	case *ast.BinaryExpr:
		if e.Op != token.ADD {
			return "", false
		}
		l, lok := constString(e.X)
		r, rok := constString(e.Y)
		if !lok && !rok {
			return "", false
		}
		if !lok {
			l = "x"
		}
		if !rok {
			r = "x"
		}
		return l + r, true
	}
	return "", false
}

// checkSQL reports SQL in string literals outside internal/store and
// internal/storetest.
func checkSQL(root string) ([]string, error) { return sqlExcept(root, allowedSQLInTests) }

func sqlExcept(root string, allowedInTests map[string]string) ([]string, error) {
	files, err := load(root)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, f := range files {
		if area, top := f.top(); (area == "internal" && (top == "store" || top == "storetest")) || (f.test && allowedInTests[f.dir] != "") {
			continue
		}
		ast.Inspect(f.file, func(n ast.Node) bool {
			if _, ok := n.(*ast.ImportSpec); ok {
				return false
			}
			e, ok := n.(ast.Expr)
			if !ok {
				return true
			}
			s, ok := constString(e)
			if !ok {
				return true
			}
			if looksLikeSQL(s) {
				out = append(out, fmt.Sprintf("%s: SQL outside internal/store: %.60q", f.at(e.Pos()), s))
			}
			return false
		})
	}
	return out, nil
}

// checkState reports package-level variables written inside a function
// other than init (see the package comment).
func checkState(root string) ([]string, error) { return stateExcept(root, allowedState) }

func stateExcept(root string, allowed map[string]string) ([]string, error) {
	files, err := load(root)
	if err != nil {
		return nil, err
	}
	// Package-level vars per package (directory and package name, so an
	// external _test package is its own package), and the specs declaring
	// them, to tell them from locals of the same name.
	type pkgKey struct{ dir, name string }
	vars := map[pkgKey]map[string]bool{}
	specs := map[*ast.ValueSpec]bool{}
	for _, f := range files {
		k := pkgKey{f.dir, f.file.Name.Name}
		if vars[k] == nil {
			vars[k] = map[string]bool{}
		}
		for _, d := range f.file.Decls {
			if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.VAR {
				for _, s := range g.Specs {
					vs := s.(*ast.ValueSpec)
					specs[vs] = true
					for _, n := range vs.Names {
						if n.Name != "_" {
							vars[k][n.Name] = true
						}
					}
				}
			}
		}
	}
	var out []string
	for _, f := range files {
		pkgVars := vars[pkgKey{f.dir, f.file.Name.Name}]
		// global reports whether id names a package-level var: resolved to
		// a top-level spec in this file, or unresolved here (declared in
		// another file of the package) and one of the package's vars.
		global := func(id *ast.Ident) bool {
			if id.Obj == nil {
				return pkgVars[id.Name]
			}
			vs, ok := id.Obj.Decl.(*ast.ValueSpec)
			return ok && specs[vs]
		}
		written := func(e ast.Expr, how string) {
			for {
				switch x := e.(type) {
				case *ast.ParenExpr:
					e = x.X
					continue
				case *ast.SelectorExpr:
					e = x.X
					continue
				case *ast.IndexExpr:
					e = x.X
					continue
				case *ast.IndexListExpr:
					e = x.X
					continue
				case *ast.StarExpr:
					e = x.X
					continue
				case *ast.Ident:
					name := f.dir + "." + x.Name
					if global(x) && allowed[name] == "" {
						out = append(out, fmt.Sprintf("%s: package-level var %s is %s after init: pass it as a value or a field instead", f.at(x.Pos()), x.Name, how))
					}
				}
				return
			}
		}
		scan := func(body ast.Node) {
			ast.Inspect(body, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.AssignStmt:
					if n.Tok != token.DEFINE {
						for _, l := range n.Lhs {
							written(l, "assigned")
						}
					}
				case *ast.IncDecStmt:
					written(n.X, "changed")
				case *ast.UnaryExpr:
					if n.Op == token.AND {
						written(n.X, "shared by address")
					}
				case *ast.CallExpr:
					if id, ok := n.Fun.(*ast.Ident); ok && (id.Name == "delete" || id.Name == "clear") && id.Obj == nil && len(n.Args) > 0 {
						written(n.Args[0], "changed")
					}
				}
				return true
			})
		}
		for _, d := range f.file.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				// init, and a test binary's TestMain, run once before
				// anything else: setting package state there is initialisation.
				if d.Body != nil && (d.Recv != nil || (d.Name.Name != "init" && !(f.test && d.Name.Name == "TestMain"))) {
					scan(d.Body)
				}
			case *ast.GenDecl:
				// A function literal in a package-level initialiser runs
				// whenever it is called, not at initialisation.
				ast.Inspect(d, func(n ast.Node) bool {
					if fl, ok := n.(*ast.FuncLit); ok {
						scan(fl.Body)
						return false
					}
					return true
				})
			}
		}
	}
	return out, nil
}

// moneyWords mark a name as money (see the package comment).
var moneyWords = []string{"pence", "penny", "pennies", "pound", "amount", "money", "price", "cost", "budget", "fee", "payment", "salary", "wage", "gbp"}

func moneyName(name string) bool {
	l := strings.ToLower(name)
	for _, w := range moneyWords {
		if strings.Contains(l, w) {
			return true
		}
	}
	return false
}

func floatType(e ast.Expr) bool {
	switch t := e.(type) {
	case *ast.Ident:
		return t.Name == "float64" || t.Name == "float32"
	case *ast.ParenExpr:
		return floatType(t.X)
	case *ast.StarExpr:
		return floatType(t.X)
	case *ast.ArrayType:
		return floatType(t.Elt)
	case *ast.MapType:
		return floatType(t.Value)
	}
	return false
}

// checkMoney reports money fields and types held in floats.
func checkMoney(root string) ([]string, error) { return moneyExcept(root, allowedMoneyFloat) }

func moneyExcept(root string, allowed map[string]string) ([]string, error) {
	files, err := load(root)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, f := range files {
		if f.test {
			continue
		}
		ast.Inspect(f.file, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.TypeSpec:
				if moneyName(n.Name.Name) && floatType(n.Type) && allowed[f.dir+"."+n.Name.Name] == "" {
					out = append(out, fmt.Sprintf("%s: money type %s is a float: hold integer pence", f.at(n.Pos()), n.Name.Name))
				}
			case *ast.StructType:
				for _, fd := range n.Fields.List {
					for _, name := range fd.Names {
						if moneyName(name.Name) && floatType(fd.Type) && allowed[f.dir+"."+name.Name] == "" {
							out = append(out, fmt.Sprintf("%s: money field %s is a float: hold integer pence", f.at(name.Pos()), name.Name))
						}
					}
				}
			}
			return true
		})
	}
	return out, nil
}

type rule struct {
	name  string
	check func(root string) ([]string, error)
}

var rules = []rule{
	{"imports", checkImports},
	{"sql", checkSQL},
	{"state", checkState},
	{"money", checkMoney},
}

// TestArchitecture runs every rule over the module.
func TestArchitecture(t *testing.T) {
	files, err := load(".")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 100 {
		t.Fatalf("found only %d Go files; run from the module root", len(files))
	}
	for _, r := range rules {
		t.Run(r.name, func(t *testing.T) {
			found, err := r.check(".")
			if err != nil {
				t.Fatal(err)
			}
			for _, msg := range found {
				t.Error(msg)
			}
		})
	}
}

// TestExceptionsAreNeeded fails when an exception outlives its reason:
// each must still silence a finding.
func TestExceptionsAreNeeded(t *testing.T) {
	for _, c := range []struct {
		list    map[string]string
		check   func(string, map[string]string) ([]string, error)
		matches func(key, msg string) bool
	}{
		{allowedSQLInTests, sqlExcept, func(dir, msg string) bool {
			return strings.HasPrefix(msg, dir+"/") && strings.Contains(msg, "_test.go:")
		}},
		{allowedState, stateExcept, dotted(" var %s is ")},
		{allowedMoneyFloat, moneyExcept, dotted(" %s is a float")},
	} {
		found, err := c.check(".", nil)
		if err != nil {
			t.Fatal(err)
		}
		for key := range c.list {
			if !slices.ContainsFunc(found, func(msg string) bool { return c.matches(key, msg) }) {
				t.Errorf("exception %q silences nothing any more: remove it", key)
			}
		}
	}
}

// dotted matches a "dir.name" exception to a finding about name in a
// file of dir.
func dotted(format string) func(key, msg string) bool {
	return func(key, msg string) bool {
		i := strings.LastIndex(key, ".")
		file, _, _ := strings.Cut(msg, ":")
		return path.Dir(file) == key[:i] && strings.Contains(msg, fmt.Sprintf(format, key[i+1:]))
	}
}

// TestRulesCatchFixtures runs every rule over each fixture under
// testdata/arch: the fixture's own rule must report it and no other rule
// may; the clean fixture passes every rule.
func TestRulesCatchFixtures(t *testing.T) {
	fixtures := []struct {
		dir, rule, want string
		n               int // findings expected
	}{
		{"clean", "", "", 0},
		{"domain-httptest", "imports", "must not import net/http/httptest", 1},
		{"domain-sqldriver", "imports", "must not import database/sql/driver", 1},
		{"new-package-store", "imports", "domain package internal/newthing must not import " + module + "internal/store", 1},
		{"sql-lowercase-multiline", "sql", "SQL outside internal/store", 1},
		{"sql-with", "sql", "SQL outside internal/store", 1},
		{"mutable-var", "state", "package-level var counter is", 3}, // counter++ and bump in jobs.go, counter = 0 in reset.go
		{"float-money", "money", "money field CostPence is a float", 1},
	}
	seen := map[string]bool{}
	for _, fx := range fixtures {
		seen[fx.dir] = true
		t.Run(fx.dir, func(t *testing.T) {
			root := filepath.Join("testdata", "arch", fx.dir)
			if _, err := os.Stat(filepath.Join(root, "internal")); err != nil {
				t.Fatal(err)
			}
			for _, r := range rules {
				found, err := r.check(root)
				if err != nil {
					t.Fatal(err)
				}
				if r.name != fx.rule {
					for _, msg := range found {
						t.Errorf("rule %s should pass this fixture, but: %s", r.name, msg)
					}
					continue
				}
				if len(found) != fx.n {
					t.Errorf("rule %s reported %d findings, want %d saying %q: %q", r.name, len(found), fx.n, fx.want, found)
				}
				for _, msg := range found {
					if !strings.Contains(msg, fx.want) {
						t.Errorf("rule %s: got %q, want it to say %q", r.name, msg, fx.want)
					}
				}
			}
		})
	}
	entries, err := os.ReadDir(filepath.Join("testdata", "arch"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() && !seen[e.Name()] {
			t.Errorf("testdata/arch/%s is not in the fixture table", e.Name())
		}
	}
}

// TestLooksLikeSQL pins what the SQL rule calls SQL, and that it leaves
// prose alone.
func TestLooksLikeSQL(t *testing.T) {
	sql := []string{
		"SELECT id FROM tenders WHERE id = $1",
		"select id, name\n  from organisations o\n where o.id = ?",
		"SELECT count(*) FROM spend_payments",
		"  Select COALESCE(SUM(amount_pence), 0) AS total\nFROM x JOIN y ON x.id = y.x",
		"INSERT INTO audit_events (at, actor) VALUES ($1, $2)",
		"insert or ignore into t values (1)",
		"UPDATE jobs SET state = 'done' WHERE id = $1",
		"update users\nset name = ?",
		"DELETE FROM sessions",
		"delete from sessions where expires < now()",
		"WITH recent AS (SELECT * FROM runs) SELECT 1",
		"with recursive tree(id) as (\n select 1\n)",
		"CREATE TABLE IF NOT EXISTS t (id INTEGER)",
		"ALTER TABLE t ADD COLUMN x TEXT",
		"DROP TABLE IF EXISTS t;",
		"CREATE UNIQUE INDEX t_x ON t (x)",
	}
	prose := []string{
		"Select a file from your computer",
		"select one from the list",
		"Select the buyer from the list below, then press Continue.",
		"Update your details",
		"update your details and set a new password",
		"Delete from the list",
		"Please insert into the box",
		"Choose a project with a cost below the budget",
		"with thanks as ever",
		"We deleted it from your account",
		"Create a table of results",
		"Drop the table from the report",
		"Selected 3 projects from 12 proposals",
	}
	for _, s := range sql {
		if !looksLikeSQL(s) {
			t.Errorf("not recognised as SQL: %q", s)
		}
	}
	for _, s := range prose {
		if looksLikeSQL(s) {
			t.Errorf("prose taken for SQL: %q", s)
		}
	}
}
