package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"github.com/svhub/svhub/internal/storetest"
)

var bin string

func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[1] == measureArg {
		os.Exit(measureChild(os.Args[2:])) // this binary started as runLimited's measurer
	}
	dir, err := os.MkdirTemp("", "svhub-bin")
	if err != nil {
		panic(err)
	}
	bin = filepath.Join(dir, "svhub")
	// CGO_ENABLED=0 proves the static build works.
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "build: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// run executes svhub and returns its output and exit code.
func run(t *testing.T, env []string, args ...string) (string, int) {
	t.Helper()
	out, code, err := runE(env, args...)
	if err != nil {
		t.Fatal(err)
	}
	return out, code
}

// runE is run for other goroutines than the test's own (which must not
// call t.Fatal): an error means svhub could not be started at all.
func runE(env []string, args ...string) (string, int, error) {
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdin = strings.NewReader("")
	out, err := cmd.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); ok {
		return string(out), ee.ExitCode(), nil
	}
	return string(out), 0, err
}

type node struct {
	url  string
	cmd  *exec.Cmd
	logs *bytes.Buffer
}

func startServe(t *testing.T, args ...string) *node {
	t.Helper()
	return startNode(t, nil, args...)
}

// startNode starts serve, run by the command wrap when it is given (such
// as prlimit and its options, see memoryLimit), the binary and its
// arguments following.
func startNode(t *testing.T, wrap []string, args ...string) *node {
	t.Helper()
	ready := filepath.Join(t.TempDir(), "ready")
	argv := append(append(append([]string{}, wrap...), bin, "serve", "--addr", "127.0.0.1:0", "--ready-file", ready), args...)
	cmd := exec.Command(argv[0], argv[1:]...)
	logs := &bytes.Buffer{}
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	n := &node{cmd: cmd, logs: logs}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _, _ = cmd.Process.Wait() })
	for i := 0; i < 300; i++ {
		if b, err := os.ReadFile(ready); err == nil {
			n.url = strings.TrimSpace(string(b))
			return n
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("serve did not become ready:\n%s", logs)
	return nil
}

func (n *node) stop(t *testing.T) {
	t.Helper()
	if err := n.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- n.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve exited badly after SIGTERM: %v\n%s", err, n.logs)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not shut down after SIGTERM")
	}
}

func body(t *testing.T, c *http.Client, u string) (int, string) {
	t.Helper()
	res, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	return res.StatusCode, string(b)
}

func TestServeDemoOnSQLite(t *testing.T) {
	db := "sqlite:" + filepath.Join(t.TempDir(), "hub.db")
	n := startServe(t, "--demo", "--db", db)
	code, h := body(t, http.DefaultClient, n.url+"/healthz")
	if code != 200 || !strings.Contains(h, `"db": "sqlite"`) || !strings.Contains(h, `"status": "ok"`) {
		t.Fatalf("healthz: %d %s", code, h)
	}
	if code, page := body(t, http.DefaultClient, n.url+"/organisations?q=manchester+city"); code != 200 || !strings.Contains(page, "Manchester City Council") {
		t.Fatalf("directory: %d", code)
	}
	if !strings.Contains(n.logs.String(), "admin@example.org") {
		t.Fatal("demo accounts were not printed")
	}
	n.stop(t)
	// A second start finds the data and does not seed again.
	n2 := startServe(t, "--demo", "--db", db)
	n2.stop(t)
	if strings.Contains(n2.logs.String(), "Demo data created") {
		t.Fatal("demo data seeded twice")
	}
}

func TestTwoNodesShareSessionsOnPostgres(t *testing.T) {
	dsn := storetest.PostgresDSN(t)
	// Several nodes may migrate at once; the advisory lock serialises them.
	var wg sync.WaitGroup
	codes := make([]int, 3)
	outs := make([]string, 3)
	errs := make([]error, 3)
	for i := range codes {
		wg.Add(1)
		go func(i int) { defer wg.Done(); outs[i], codes[i], errs[i] = runE(nil, "migrate", "up", "--db", dsn) }(i)
	}
	wg.Wait()
	for i, c := range codes {
		if errs[i] != nil || c != 0 {
			t.Fatalf("concurrent migrate %d: %d %v\n%s", i, c, errs[i], outs[i])
		}
	}
	// Every node shares one sealing key (configuration, not in the database).
	key := []string{"SVHUB_SEAL_KEY=" + "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="}
	if out, code := run(t, nil, "seed", "demo", "--db", dsn, "--demo-password", "two-node-password"); code == 0 || !strings.Contains(out, "SVHUB_SEAL_KEY") {
		t.Fatalf("seeding PostgreSQL without a sealing key should fail and say why: %d %s", code, out)
	}
	if out, code := run(t, key, "seed", "demo", "--db", dsn, "--demo-password", "two-node-password"); code != 0 {
		t.Fatalf("seed: %s", out)
	}
	a := startServe(t, "--db", dsn, "--seal-key", strings.TrimPrefix(key[0], "SVHUB_SEAL_KEY="))
	b := startServe(t, "--db", dsn, "--seal-key", strings.TrimPrefix(key[0], "SVHUB_SEAL_KEY="))
	if _, h := body(t, http.DefaultClient, b.url+"/healthz"); !strings.Contains(h, `"db": "postgres"`) {
		t.Fatalf("healthz: %s", h)
	}
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.PostForm(a.url+"/login", url.Values{"email": {"buyer@example.org"}, "password": {"two-node-password"}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 303 {
		t.Fatalf("sign in on node A: %d\n%s", res.StatusCode, a.logs)
	}
	// The same cookie on node B (another process, another port).
	ua, _ := url.Parse(a.url)
	ub, _ := url.Parse(b.url)
	jar.SetCookies(ub, jar.Cookies(ua))
	code, page := body(t, c, b.url+"/account")
	if code != 200 || !strings.Contains(page, "buyer@example.org") || !strings.Contains(page, "Buyer officer") {
		t.Fatalf("node B does not know node A's session: %d", code)
	}
	// Sign out on B ends the session on A too.
	res, err = c.PostForm(b.url+"/logout", nil)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	jar.SetCookies(ua, jar.Cookies(ub))
	if code, _ := body(t, c, a.url+"/account"); code != 303 {
		t.Fatalf("session still alive on A after sign-out on B: %d", code)
	}
	a.stop(t)
	b.stop(t)
	if out, code := run(t, nil, "audit", "verify", "--db", dsn); code != 0 || !strings.Contains(out, "intact") {
		t.Fatalf("audit verify on postgres: %s", out)
	}
}

func TestPostgresNeedsExplicitMigration(t *testing.T) {
	dsn := storetest.PostgresDSN(t)
	out, code := run(t, nil, "user", "list", "--db", dsn)
	if code == 0 || !strings.Contains(out, "users") {
		t.Fatalf("an unmigrated PostgreSQL should fail clearly: %d %s", code, out)
	}
	if out, code := run(t, nil, "migrate", "status", "--db", dsn); code != 0 || !strings.Contains(out, "pending") {
		t.Fatalf("status: %s", out)
	}
}

func TestAuditVerifyDetectsTampering(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hub.db")
	db := "sqlite:" + path
	if out, code := run(t, nil, "seed", "demo", "--db", db, "--demo-password", "x-password-123"); code != 0 {
		t.Fatal(out)
	}
	out, code := run(t, nil, "audit", "verify", "--db", db)
	if code != 0 || !strings.Contains(out, "Audit chain intact") {
		t.Fatalf("clean chain: %d %s", code, out)
	}
	raw, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.ExecContext(context.Background(), `UPDATE audit_events SET actor = 'someone else' WHERE seq = 5`); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	out, code = run(t, nil, "audit", "verify", "--db", db)
	if code != 1 || !strings.Contains(out, "broken at event 5") {
		t.Fatalf("tampering not reported: %d %s", code, out)
	}
}

func TestBackupAndRestore(t *testing.T) {
	dir := t.TempDir()
	db := "sqlite:" + filepath.Join(dir, "hub.db")
	if out, code := run(t, nil, "user", "add", "--db", db, "--email", "Ops@Example.org", "--name", "Ops Person", "--password", "a decent passphrase", "--admin"); code != 0 || !strings.Contains(out, "ops@example.org") {
		t.Fatalf("user add: %s", out)
	}
	backup := filepath.Join(dir, "backup.db")
	if out, code := run(t, nil, "backup", "--db", db, "--out", backup); code != 0 {
		t.Fatal(out)
	}
	if out, code := run(t, nil, "backup", "--db", db, "--out", backup); code == 0 || !strings.Contains(out, "already exists") {
		t.Fatalf("backup overwrote: %s", out)
	}
	// Restore = put the copy in place of the database (docs/operations.md).
	restored := filepath.Join(dir, "restored.db")
	if err := os.Rename(backup, restored); err != nil {
		t.Fatal(err)
	}
	out, code := run(t, nil, "user", "list", "--db", "sqlite:"+restored)
	if code != 0 || !strings.Contains(out, "ops@example.org") || !strings.Contains(out, "hub administrator") {
		t.Fatalf("restored copy: %s", out)
	}
	if out, code := run(t, nil, "audit", "verify", "--db", "sqlite:"+restored); code != 0 {
		t.Fatalf("restored audit: %s", out)
	}
	if out, _ := run(t, nil, "backup", "--db", "postgres://u@h/db"); !strings.Contains(out, "pg_dump") {
		t.Fatalf("postgres backup advice: %s", out)
	}
}

func TestUserCommands(t *testing.T) {
	db := "sqlite:" + filepath.Join(t.TempDir(), "hub.db")
	if out, code := run(t, nil, "seed", "demo", "--db", db, "--demo-password", "x-password-123"); code != 0 {
		t.Fatal(out)
	}
	if out, code := run(t, nil, "user", "add", "--db", db, "--email", "new@example.org", "--name", "New", "--password", "short"); code != 2 || !strings.Contains(out, "at least 10") {
		t.Fatalf("weak password accepted: %d %s", code, out)
	}
	out, code := run(t, nil, "user", "add", "--db", db, "--email", "new@example.org", "--name", "New")
	if code != 0 || !strings.Contains(out, "Password (shown once)") {
		t.Fatalf("generated password: %s", out)
	}
	if out, code := run(t, nil, "user", "add", "--db", db, "--email", "new@example.org", "--name", "New"); code != 1 || !strings.Contains(out, "already exists") {
		t.Fatalf("duplicate: %s", out)
	}
	if out, code := run(t, nil, "user", "role", "--db", db, "--email", "new@example.org", "--org", "bolton-council", "--role", "buyer_officer"); code != 0 {
		t.Fatal(out)
	}
	if out, code := run(t, nil, "user", "role", "--db", db, "--email", "new@example.org", "--org", "irwell-valley-joinery-ltd", "--role", "buyer_officer"); code != 2 || !strings.Contains(out, "cannot have the role") {
		t.Fatalf("buyer role on a business: %d %s", code, out)
	}
	out, _ = run(t, nil, "user", "list", "--db", db)
	if !strings.Contains(out, "buyer_officer@bolton-council") {
		t.Fatalf("list: %s", out)
	}
}

func TestFlagBeatsEnvBeatsDefault(t *testing.T) {
	dir := t.TempDir()
	envDB, flagDB := filepath.Join(dir, "env.db"), filepath.Join(dir, "flag.db")
	if out, code := run(t, []string{"SVHUB_DB=sqlite:" + envDB}, "migrate", "status", "--db", "sqlite:"+flagDB); code != 0 {
		t.Fatal(out)
	}
	if _, err := os.Stat(envDB); err == nil {
		t.Fatal("environment beat the flag")
	}
	if _, err := os.Stat(flagDB); err != nil {
		t.Fatal("flag not used")
	}
	if out, code := run(t, []string{"SVHUB_DB=sqlite:" + envDB}, "migrate", "status"); code != 0 {
		t.Fatal(out)
	}
	if _, err := os.Stat(envDB); err != nil {
		t.Fatal("environment not used over the default")
	}
}

func TestHelpForEveryCommand(t *testing.T) {
	for _, c := range []string{"serve", "migrate", "seed", "import", "audit", "backup"} {
		if out, code := run(t, nil, c, "-h"); code != 0 || !strings.Contains(out, "Usage: svhub "+c) {
			t.Errorf("%s -h: %d %s", c, code, out)
		}
	}
	if out, code := run(t, nil, "user", "add", "-h"); code != 0 || !strings.Contains(out, "-email") {
		t.Errorf("user add -h: %d %s", code, out)
	}
	if out, code := run(t, nil, "-h"); code != 0 || !strings.Contains(out, "audit") {
		t.Errorf("-h: %s", out)
	}
	if _, code := run(t, nil, "frobnicate"); code != 2 {
		t.Error("unknown command should exit 2")
	}
	if out, _ := run(t, nil, "version"); !strings.HasPrefix(out, "svhub ") {
		t.Errorf("version: %s", out)
	}
}

func TestImportGeoReportsBadFiles(t *testing.T) {
	dir := t.TempDir()
	out, code := run(t, nil, "import", "geo", dir, "--db", "sqlite:"+filepath.Join(dir, "hub.db"))
	if code != 1 || !strings.Contains(out, "gm_local_authority_super_generalised.geojson") {
		t.Fatalf("missing files: %d %s", code, out)
	}
	out, code = run(t, nil, "import", "geo", filepath.Join("..", "..", "internal", "geo", "refdata"), "--db", "sqlite:"+filepath.Join(dir, "hub2.db"))
	if code != 0 || !strings.Contains(out, "1673 LSOAs") {
		t.Fatalf("import the shipped geography folder: %d %s", code, out)
	}
}

func TestRecomputeCommands(t *testing.T) {
	dir := t.TempDir()
	pb := filepath.Join(dir, "r.pb")
	if err := os.WriteFile(pb, []byte("META\nkey;value\nbudget;100\nvote_type;approval\nPROJECTS\nproject_id;cost\nX1;50\nX2;50\nY;50\nVOTES\nvoter_id;vote\n1;X1,X2\n2;X1,X2\n3;X1,X2\n4;X1,X2\n5;X1,X2\n6;X1,X2\n7;Y\n8;Y\n9;Y\n10;Y\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for rule, want := range map[string]string{"greedy": `["X1","X2"]`, "mes-add1": `["X1","Y"]`} {
		out, code := run(t, nil, "fund", "allocate", "--rule", rule, pb)
		if code != 0 || !strings.Contains(strings.Join(strings.Fields(out), ""), `"selected":`+want) {
			t.Errorf("%s: %d %s", rule, code, out)
		}
	}
	if out, code := run(t, nil, "fund", "allocate", pb, "--format", "table"); code != 0 || !strings.Contains(out, "selected (2): X1, Y") {
		t.Errorf("table: %s", out)
	}
	if out, code := run(t, nil, "fund", "allocate", "--format", "xml", pb); code != 2 || !strings.Contains(out, "json or table") {
		t.Errorf("bad format: %d %s", code, out)
	}
	bad := filepath.Join(dir, "bad.pb")
	_ = os.WriteFile(bad, []byte("META\nkey;value\nbudget;100\nPROJECTS\nproject_id;cost\n1;-5\nVOTES\nvoter_id;vote\n"), 0o600)
	if out, code := run(t, nil, "fund", "allocate", bad); code != 1 || !strings.Contains(out, "line 6") {
		t.Errorf("bad file: %d %s", code, out)
	}
	csv := filepath.Join(dir, "b.csv")
	_ = os.WriteFile(csv, []byte("ballot_id,jobs,air\nb1,100,0\nb2,100,0\nb3,0,100\n"), 0o600)
	out, code := run(t, nil, "priorities", "aggregate", csv)
	if code != 0 || !strings.Contains(out, `"jobs": 0.6666666666666666`) {
		t.Errorf("aggregate: %d %s", code, out)
	}
	if out, code := run(t, nil, "priorities", "aggregate", "--method", "mode", csv); code != 2 || !strings.Contains(out, "unknown method") {
		t.Errorf("bad method: %d %s", code, out)
	}
}

func TestImportSpend(t *testing.T) {
	dir := t.TempDir()
	db := "sqlite:" + filepath.Join(dir, "hub.db")
	csvFile := filepath.Join(dir, "may.csv")
	_ = os.WriteFile(csvFile, []byte("Spending over £500\nDate,Supplier Name,Net Amount\n01/05/2026,A,100.00\n01/05/2026,A,100.00\nnot a date,B,5\n"), 0o600)
	out, code := run(t, nil, "import", "spend", "--db", db, "--buyer", "Example Council", csvFile)
	if code != 0 || !strings.Contains(out, `"rows_imported": 2`) || !strings.Contains(out, `"rows_rejected": 1`) || !strings.Contains(out, `"total_net_pence": 20000`) || !strings.Contains(out, "Created the public body") {
		t.Fatalf("import: %d %s", code, out)
	}
	if out, _ := run(t, nil, "import", "spend", "--db", db, "--buyer", "Example Council", csvFile); !strings.Contains(out, `"rows_duplicate": 2`) || strings.Contains(out, "Created") {
		t.Fatalf("re-import: %s", out)
	}
	notSpend := filepath.Join(dir, "people.csv")
	_ = os.WriteFile(notSpend, []byte("name,address\nx,y\n"), 0o600)
	if out, code := run(t, nil, "import", "spend", "--db", db, "--buyer", "Example Council", notSpend); code != 1 || !strings.Contains(out, "not a spend file") {
		t.Fatalf("not a spend file: %d %s", code, out)
	}
	if out, code := run(t, nil, "import", "spend", "--db", db, "--buyer", "Example Council", "--map", "date", csvFile); code == 0 || !strings.Contains(out, "FIELD=COLUMN") {
		t.Fatalf("bad --map: %d %s", code, out)
	}
	// 245 real rows of Trafford's zipped LGA-layout file; the total is the
	// Amount column summed independently (internal/spend/testdata/README.md).
	trafford := filepath.Join("..", "..", "internal", "spend", "testdata", "councils", "trafford", "trafford-supplier-spend-2026-27.zip")
	out, code = run(t, nil, "import", "spend", "--db", db, "--buyer", "Trafford Council", trafford)
	if code != 0 || !strings.Contains(out, `"rows_imported": 245`) || !strings.Contains(out, `"total_net_pence": 255847152`) {
		t.Fatalf("trafford: %d %s", code, out)
	}
}

func TestReportSpendOnDemo(t *testing.T) {
	db := "sqlite:" + filepath.Join(t.TempDir(), "hub.db")
	if out, code := run(t, nil, "seed", "demo", "--db", db, "--demo-password", "x-password-123"); code != 0 {
		t.Fatal(out)
	}
	cmd := exec.Command(bin, "report", "spend", "--db", db, "--buyer", "Manchester City Council", "--top", "10")
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Report struct {
			Total    int64 `json:"total_net_pence"`
			Payments int   `json:"payments"`
			Location map[string]struct {
				Pence int64 `json:"pence"`
			} `json:"location"`
			Top []struct {
				Name string `json:"name"`
			} `json:"top"`
		} `json:"report"`
	}
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	r := doc.Report
	var sum int64
	for _, v := range r.Location {
		sum += v.Pence
	}
	if r.Payments != 403 || sum != r.Total || r.Location["district"].Pence == 0 || r.Location["gm"].Pence == 0 || r.Location["unknown"].Pence == 0 || len(r.Top) != 10 {
		t.Fatalf("report %+v", r)
	}
	csvOut, code := run(t, nil, "report", "spend", "--db", db, "--buyer", "Manchester City Council", "--format", "csv", "--top", "100")
	if code != 0 || strings.Contains(csvOut, "REDACTED,") || !strings.Contains(csvOut, "Redacted payee") {
		t.Fatalf("csv: %s", csvOut)
	}
	// The demo's 400 generated payments rotate through five directorates;
	// the three misspelt payees are all Corporate Core.
	adults, code := run(t, nil, "report", "spend", "--db", db, "--buyer", "Manchester City Council", "--service", "Adults")
	var a struct {
		Report struct {
			Payments int `json:"payments"`
		} `json:"report"`
	}
	if err := json.Unmarshal([]byte(adults), &a); code != 0 || err != nil || a.Report.Payments != 80 {
		t.Fatalf("adults only: %d payments (%v)\n%s", a.Report.Payments, err, adults)
	}
	if out, code := run(t, nil, "report", "spend", "--db", db); code != 2 || !strings.Contains(out, "--all-gm") {
		t.Fatalf("no buyer: %d %s", code, out)
	}
}

// Killing an import part-way and running it again gives exactly the totals
// of one clean run: a file is imported in one transaction. The kill lands
// while the progress bar shows some but not all rows read, and the process
// must die of the signal (not have finished first).
func TestImportSpendKilledMidRun(t *testing.T) {
	const rows = 600_000
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("Date,Supplier,Amount,Transaction Number\n")
	for i := 0; i < rows; i++ {
		fmt.Fprintf(&b, "%02d/05/2026,Supplier %d Ltd,%d.%02d,T%07d\n", 1+i%28, i%700, 500+i%9000, i%100, i)
	}
	file := filepath.Join(dir, "big.csv")
	if err := os.WriteFile(file, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	killed := "sqlite:" + filepath.Join(dir, "killed.db")
	clean := "sqlite:" + filepath.Join(dir, "clean.db")
	killMidRun(t, exec.Command(bin, "import", "spend", "--db", killed, "--buyer", "Big Council", file), "big.csv", rows, 60*time.Second)
	payments := func(db string) (int, int64) {
		out, code, err := runE(nil, "report", "spend", "--db", db, "--buyer", "Big Council")
		var doc struct {
			Report struct {
				Payments int   `json:"payments"`
				Total    int64 `json:"total_net_pence"`
			} `json:"report"`
		}
		if err != nil || code != 0 || json.Unmarshal([]byte(out), &doc) != nil {
			t.Fatalf("report on %s: %d %v\n%s", db, code, err, out)
		}
		return doc.Report.Payments, doc.Report.Total
	}
	if n, total := payments(killed); n != 0 || total != 0 {
		t.Fatalf("the killed import left %d payments (%d pence) behind", n, total)
	}
	for _, db := range []string{killed, clean} {
		if out, code := run(t, nil, "import", "spend", "--db", db, "--buyer", "Big Council", file); code != 0 {
			t.Fatalf("import: %s", out)
		}
	}
	n1, t1 := payments(killed)
	n2, t2 := payments(clean)
	if n1 != rows || n1 != n2 || t1 != t2 {
		t.Fatalf("after a killed run: %d payments, %d pence; clean run: %d payments, %d pence", n1, t1, n2, t2)
	}
}

func TestRegisterEnrichesReport(t *testing.T) {
	dir := t.TempDir()
	db := "sqlite:" + filepath.Join(dir, "hub.db")
	spendFile := filepath.Join(dir, "s.csv")
	_ = os.WriteFile(spendFile, []byte("Date,Supplier,Amount\n01/05/2026,GOOD CAUSES,100.00\n01/05/2026,Far Away Trust,50.00\n01/05/2026,Nobody,25.00\n"), 0o600)
	reg := filepath.Join(dir, "r.csv")
	_ = os.WriteFile(reg, []byte("registered_charity_number,charity_name,charity_contact_postcode\n1,Good Causes,M15 4AB\n2,Far Away Trust,SW1A 1AA\n"), 0o600)
	if out, code := run(t, nil, "import", "spend", "--db", db, "--buyer", "Trafford Council", spendFile); code != 0 {
		t.Fatal(out)
	}
	if out, code := run(t, nil, "import", "register", "--db", db, "--source", "charity", reg); code != 0 || !strings.Contains(out, "Imported 2") {
		t.Fatalf("register: %d %s", code, out)
	}
	out, code := run(t, nil, "report", "spend", "--db", db, "--buyer", "Trafford Council", "--format", "csv")
	if code != 0 || !strings.Contains(out, "GOOD CAUSES,10000,1,district,unknown,yes,name (charity register)") || !strings.Contains(out, "Far Away Trust,5000,1,outside") || !strings.Contains(out, "Nobody,2500,1,unknown") {
		t.Fatalf("report: %s", out)
	}
}

// TestTendersEvaluateWorkedExample recomputes the worked example
// from its export file alone, as an auditor would.
func TestTendersEvaluateWorkedExample(t *testing.T) {
	file := filepath.Join("..", "..", "internal", "tenders", "testdata", "worked-example.json")
	out, code := run(t, nil, "tenders", "evaluate", "--format", "json", file)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, out)
	}
	var doc struct {
		Results []struct {
			Bid       string `json:"bid"`
			Compliant bool   `json:"compliant"`
			Price     string `json:"price_score"`
			Quality   string `json:"quality_score"`
			SV        string `json:"social_value_score"`
			Total     string `json:"total"`
			Rank      int    `json:"rank"`
		} `json:"results"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	want := map[string]string{"A": "40 29 13.828125 82.828125 2", "B": "36 37 15.5 88.5 1", "C": "0 0 0 0 0"}
	for _, r := range doc.Results {
		got := fmt.Sprintf("%s %s %s %s %d", r.Price, r.Quality, r.SV, r.Total, r.Rank)
		if got != want[r.Bid] {
			t.Errorf("bid %s: %s, want %s", r.Bid, got, want[r.Bid])
		}
		if r.Bid == "C" && r.Compliant {
			t.Error("C should fail the Real Living Wage gate")
		}
	}
	out, code = run(t, nil, "tenders", "evaluate", "--format", "table", file)
	if code != 0 || !strings.Contains(out, "88.5000") || !strings.Contains(out, "excluded") {
		t.Fatalf("table: %d\n%s", code, out)
	}
	bad := filepath.Join(t.TempDir(), "bad.json")
	if err := os.WriteFile(bad, []byte(`{"format":"svhub-evaluation/1","weights":{"price":50,"quality":40,"social_value":20}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, code := run(t, nil, "tenders", "evaluate", bad); code == 0 || !strings.Contains(out, "do not sum to 100") {
		t.Fatalf("bad weights: %d %s", code, out)
	}
}

// TestExportOCDSOnDemo writes the demo's release package; the browser-test
// toolchain validates the same command's output against the 1.1.5 schema.
func TestExportOCDSOnDemo(t *testing.T) {
	db := "sqlite:" + filepath.Join(t.TempDir(), "hub.db")
	if out, code := run(t, nil, "seed", "demo", "--db", db, "--demo-password", "x-password-123"); code != 0 {
		t.Fatal(out)
	}
	file := filepath.Join(t.TempDir(), "ocds.json")
	if out, code := run(t, nil, "export", "ocds", "--db", db, "--ocid-prefix", "ocds-test", "--out", file); code != 0 {
		t.Fatal(out)
	}
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var pkg struct {
		Version  string `json:"version"`
		Releases []struct {
			OCID string   `json:"ocid"`
			Tag  []string `json:"tag"`
		} `json:"releases"`
	}
	if err := json.Unmarshal(b, &pkg); err != nil {
		t.Fatal(err)
	}
	tags := map[string]int{}
	for _, r := range pkg.Releases {
		if !strings.HasPrefix(r.OCID, "ocds-test-") {
			t.Fatalf("ocid %s", r.OCID)
		}
		tags[r.Tag[0]]++
	}
	if pkg.Version != "1.1" || tags["tender"] < 4 || tags["award"] != 6 || tags["contract"] != 6 || tags["tenderCancellation"] != 2 {
		t.Fatalf("package: version %s, tags %v", pkg.Version, tags)
	}
	if bytes.Contains(b, []byte("Community meals service")) {
		t.Fatal("a draft tender was exported")
	}
}

// A lost demo password is recovered with 'user reset-password': a second
// 'serve --demo' on the same database says how, and the printed password
// signs in while the old one no longer does.
func TestResetPasswordAfterDemo(t *testing.T) {
	dir := t.TempDir()
	db := "sqlite:" + filepath.Join(dir, "hub.db")
	if out, code := run(t, nil, "seed", "demo", "--db", db, "--demo-password", "old-password-123"); code != 0 {
		t.Fatal(out)
	}
	out, code := run(t, nil, "user", "reset-password", "Admin@Example.org", "--db", db)
	m := regexp.MustCompile(`New password for admin@example\.org \(shown only now[^)]*\): (\S+)`).FindStringSubmatch(out)
	if code != 0 || m == nil {
		t.Fatalf("reset-password: %d %s", code, out)
	}
	if out, code := run(t, nil, "user", "reset-password", "nobody@example.org", "--db", db); code != 1 || !strings.Contains(out, "no account with email nobody@example.org") {
		t.Fatalf("unknown account: %d %s", code, out)
	}
	if out, code := run(t, nil, "user", "reset-password", "--db", db); code != 2 || !strings.Contains(out, "reset-password EMAIL") {
		t.Fatalf("no email: %d %s", code, out)
	}
	n := startServe(t, "--demo", "--db", db)
	if !strings.Contains(n.logs.String(), "svhub user reset-password admin@example.org") || strings.Contains(n.logs.String(), "Demo data created") {
		t.Fatalf("a second demo start should say how to get a password:\n%s", n.logs)
	}
	for pw, want := range map[string]int{m[1]: http.StatusSeeOther, "old-password-123": http.StatusUnprocessableEntity} {
		c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		res, err := c.PostForm(n.url+"/login", url.Values{"email": {"admin@example.org"}, "password": {pw}})
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != want {
			t.Errorf("sign in with %q: %d, want %d", pw, res.StatusCode, want)
		}
	}
}
