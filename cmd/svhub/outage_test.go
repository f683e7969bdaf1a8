package main

import (
	"bufio"
	"database/sql"
	"fmt"
	"net"
	"net/http"
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

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/svhub/svhub/internal/storetest"
)

const outageSealKey = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="

// ownPostgres starts a PostgreSQL cluster of the test's own (the shared
// one serves other packages' tests, which a restart would break) and
// returns its DSN and a function running .ci/postgres.sh pause or resume.
func ownPostgres(t *testing.T) (string, func(string)) {
	t.Helper()
	storetest.PostgresDSN(t) // skips, or fails under REQUIRE_POSTGRES=1, without PostgreSQL
	dir, err := os.MkdirTemp("", "svhub-outage-pg")
	if err != nil {
		t.Fatal(err)
	}
	script := filepath.Join("..", "..", ".ci", "postgres.sh")
	ctl := func(verb string) {
		if out, err := exec.Command("bash", script, verb, dir).CombinedOutput(); err != nil {
			t.Fatalf("postgres.sh %s: %v\n%s", verb, err, out)
		}
	}
	out, err := exec.Command("bash", script, "start", dir).CombinedOutput()
	if err != nil {
		t.Fatalf("start PostgreSQL: %v\n%s", err, out)
	}
	t.Cleanup(func() { _ = exec.Command("bash", script, "stop", dir).Run(); os.RemoveAll(dir) })
	// The script prints an export line; tools run as the postgres user may
	// add warnings around it (e.g. about the working directory).
	dsn := regexp.MustCompile(`postgres://[^'\s]+`).FindString(string(out))
	if dsn == "" {
		t.Fatalf("no DSN in the output of postgres.sh start:\n%s", out)
	}
	return dsn, ctl
}

func noRedirects() *http.Client {
	return &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// While PostgreSQL restarts, two nodes keep serving the public pages they
// have cached, answer writes with a clear 503 page, and recover by
// themselves once it is back.
func TestNodesSurvivePostgresRestart(t *testing.T) {
	dsn, ctl := ownPostgres(t)
	if out, code := run(t, nil, "migrate", "up", "--db", dsn); code != 0 {
		t.Fatal(out)
	}
	if out, code := run(t, []string{"SVHUB_SEAL_KEY=" + outageSealKey}, "seed", "demo", "--db", dsn, "--demo-password", "outage-password-1"); code != 0 {
		t.Fatal(out)
	}
	nodes := []*node{startServe(t, "--db", dsn, "--seal-key", outageSealKey), startServe(t, "--db", dsn, "--seal-key", outageSealKey)}
	c := noRedirects()
	login := func(n *node) (int, string) {
		res, err := c.PostForm(n.url+"/login", url.Values{"email": {"buyer@example.org"}, "password": {"outage-password-1"}})
		if err != nil {
			t.Fatal(err)
		}
		b := new(strings.Builder)
		_, _ = bufio.NewReader(res.Body).WriteTo(b)
		res.Body.Close()
		return res.StatusCode, b.String()
	}
	for _, n := range nodes {
		for _, p := range []string{"/", "/about"} { // warm the public page cache
			if code, _ := body(t, c, n.url+p); code != 200 {
				t.Fatalf("%s%s: %d", n.url, p, code)
			}
		}
	}
	ctl("pause")
	down := time.Now()
	for i, n := range nodes {
		for _, p := range []string{"/", "/about"} {
			if code, _ := body(t, c, n.url+p); code != 200 {
				t.Errorf("node %d: cached %s while the database is down: %d", i, p, code)
			}
		}
		if code, page := login(n); code != http.StatusServiceUnavailable || !strings.Contains(page, "Sorry, the service is unavailable") {
			t.Errorf("node %d: a write while the database is down: %d", i, code)
		}
		if code, h := body(t, c, n.url+"/healthz"); code != http.StatusServiceUnavailable {
			t.Errorf("node %d: healthz while the database is down: %d %s", i, code, h)
		}
	}
	if time.Since(down) > 25*time.Second {
		t.Fatalf("the outage checks took %s, longer than the page cache lasts", time.Since(down))
	}
	ctl("resume")
	for i, n := range nodes {
		deadline := time.Now().Add(30 * time.Second)
		for {
			code, _ := login(n)
			if code == http.StatusSeeOther {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("node %d did not recover within 30 s of the database coming back: last sign-in %d\n%s", i, code, n.logs)
			}
			time.Sleep(200 * time.Millisecond)
		}
		if code, _ := body(t, c, n.url+"/organisations?uncached=1"); code != 200 {
			t.Errorf("node %d: an uncached page after recovery: %d", i, code)
		}
	}
}

// fakeSMTP is a mail relay for tests: it holds the first connection open
// without a word (a send stuck in the middle) and accepts every later one,
// recording the messages it receives.
type fakeSMTP struct {
	ln      net.Listener
	mu      sync.Mutex
	conns   int
	stalled chan struct{}
	msgs    []string
}

func newFakeSMTP(t *testing.T) *fakeSMTP {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	f := &fakeSMTP{ln: ln, stalled: make(chan struct{})}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			f.mu.Lock()
			f.conns++
			first := f.conns == 1
			f.mu.Unlock()
			if first {
				close(f.stalled) // never answer: the sender is stuck until it dies
				continue
			}
			go f.speak(c)
		}
	}()
	return f
}

func (f *fakeSMTP) speak(c net.Conn) {
	defer c.Close()
	r := bufio.NewReader(c)
	say := func(s string) { fmt.Fprintf(c, "%s\r\n", s) }
	say("220 fake ESMTP")
	var data strings.Builder
	inData := false
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		if inData {
			if line == ".\r\n" {
				inData = false
				f.mu.Lock()
				f.msgs = append(f.msgs, data.String())
				f.mu.Unlock()
				say("250 queued")
				continue
			}
			data.WriteString(line)
			continue
		}
		switch cmd := strings.ToUpper(strings.TrimSpace(line)); {
		case strings.HasPrefix(cmd, "EHLO"), strings.HasPrefix(cmd, "HELO"):
			say("250 fake")
		case cmd == "DATA":
			inData = true
			say("354 go ahead")
		case cmd == "QUIT":
			say("221 bye")
			return
		default:
			say("250 ok")
		}
	}
}

func (f *fakeSMTP) messages() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.msgs...)
}

// A background job whose node dies mid-run is taken over by the other node
// once its lease runs out, and runs to the end exactly once: the email is
// delivered once.
func TestJobTakenOverWhenNodeDies(t *testing.T) {
	dsn := storetest.PostgresDSN(t)
	if out, code := run(t, nil, "migrate", "up", "--db", dsn); code != 0 {
		t.Fatal(out)
	}
	if out, code := run(t, nil, "user", "add", "--db", dsn, "--email", "lost@example.org", "--name", "Lou Lost", "--password", "a-long-password-1"); code != 0 {
		t.Fatal(out)
	}
	relay := newFakeSMTP(t)
	flags := []string{"--db", dsn, "--seal-key", outageSealKey, "--smtp-addr", relay.ln.Addr().String(), "--job-lease", "4s"}
	a := startServe(t, flags...)
	res, err := noRedirects().PostForm(a.url+"/forgot", url.Values{"email": {"lost@example.org"}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	select {
	case <-relay.stalled: // node A claimed the email job and is sending it
	case <-time.After(30 * time.Second):
		t.Fatalf("node A never tried to send the email\n%s", a.logs)
	}
	b := startServe(t, flags...)
	if err := a.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_, _ = a.cmd.Process.Wait()
	deadline := time.Now().Add(40 * time.Second)
	for len(relay.messages()) == 0 {
		if time.Now().After(deadline) {
			t.Fatalf("node B did not take the job over\n%s", b.logs)
		}
		time.Sleep(200 * time.Millisecond)
	}
	time.Sleep(6 * time.Second) // longer than a lease: nothing may send it again
	msgs := relay.messages()
	if len(msgs) != 1 || !strings.Contains(msgs[0], "To: lost@example.org") {
		t.Fatalf("the email was delivered %d times: %q", len(msgs), msgs)
	}
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var jobs, done int
	if err := db.QueryRow(`SELECT COUNT(*), COUNT(*) FILTER (WHERE status = 'done') FROM jobs WHERE kind = 'email.send'`).Scan(&jobs, &done); err != nil {
		t.Fatal(err)
	}
	if jobs != 1 || done != 1 {
		t.Fatalf("jobs: %d email jobs, %d done", jobs, done)
	}
}

// A backup of a database in use, restored as a fresh database, gives the
// same spend report, the same users and a verified audit chain.
func TestBackupRestoresIdenticalReport(t *testing.T) {
	dir := t.TempDir()
	db := "sqlite:" + filepath.Join(dir, "hub.db")
	if out, code := run(t, nil, "seed", "demo", "--db", db, "--demo-password", "backup-password-1"); code != 0 {
		t.Fatal(out)
	}
	trafford := filepath.Join("..", "..", "internal", "spend", "testdata", "councils", "trafford", "trafford-supplier-spend-2024-25.zip")
	if out, code := run(t, nil, "import", "spend", "--db", db, "--buyer", "Trafford Council", trafford); code != 0 {
		t.Fatal(out)
	}
	backup := filepath.Join(dir, "backup.db")
	if out, code := run(t, nil, "backup", "--db", db, "--out", backup); code != 0 {
		t.Fatal(out)
	}
	restored := "sqlite:" + filepath.Join(dir, "restored.db")
	if err := os.Rename(backup, strings.TrimPrefix(restored, "sqlite:")); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"report", "spend", "--all-gm", "--format", "json"},
		{"report", "spend", "--buyer", "Trafford Council", "--format", "csv"},
		{"user", "list"},
	} {
		before, code1 := run(t, nil, append(args, "--db", db)...)
		after, code2 := run(t, nil, append(args, "--db", restored)...)
		if code1 != 0 || code2 != 0 || before != after {
			t.Fatalf("%v differs after restore (%d, %d):\n%s\n---\n%s", args, code1, code2, before, after)
		}
	}
	if out, code := run(t, nil, "audit", "verify", "--db", restored); code != 0 || !strings.Contains(out, "intact") {
		t.Fatalf("restored audit chain: %d %s", code, out)
	}
}
