package main

import (
	"archive/zip"
	"bytes"
	"database/sql"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/svhub/svhub/internal/storetest"
)

// Two nodes on one PostgreSQL: a spend upload whose import runs on one
// node is cancelled from the other node's page, and the importing node
// stops within a few seconds, rolls back and does not retry: the upload
// says cancelled, its job is finished, no spend run was stored.
func TestCancelSpendUploadFromOtherNode(t *testing.T) {
	dsn := storetest.PostgresDSN(t)
	key := []string{"SVHUB_SEAL_KEY=" + outageSealKey}
	if out, code := run(t, nil, "migrate", "up", "--db", dsn); code != 0 {
		t.Fatal(out)
	}
	if out, code := run(t, key, "seed", "demo", "--db", dsn, "--demo-password", "cancel-password-1"); code != 0 {
		t.Fatal(out)
	}
	nodes := []*node{startServe(t, "--db", dsn, "--seal-key", outageSealKey), startServe(t, "--db", dsn, "--seal-key", outageSealKey)}
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var manchester int64
	var runs0 int
	if err := db.QueryRow(`SELECT id, (SELECT COUNT(*) FROM spend_runs) FROM organisations WHERE slug = 'manchester-city-council'`).Scan(&manchester, &runs0); err != nil {
		t.Fatal(err)
	}

	// A zip of 3 million payments: long enough to import that the cancel
	// lands in the middle, small enough to upload.
	var csv bytes.Buffer
	csv.WriteString("Date,Supplier,Amount,Description\n")
	for i := range 3_000_000 {
		fmt.Fprintf(&csv, "%02d/04/2026,Supplier %d Ltd,%d.%02d,Grounds maintenance\n", i%28+1, i%5000, i%9000+1, i%100)
	}
	var zipped bytes.Buffer
	zw := zip.NewWriter(&zipped)
	w, _ := zw.Create("spend.csv")
	_, _ = w.Write(csv.Bytes())
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	var form bytes.Buffer
	mw := multipart.NewWriter(&form)
	_ = mw.WriteField("buyer", strconv.FormatInt(manchester, 10))
	fw, _ := mw.CreateFormFile("file", "big.zip")
	_, _ = fw.Write(zipped.Bytes())
	_ = mw.Close()

	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 60 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.PostForm(nodes[0].url+"/login", url.Values{"email": {"buyer@example.org"}, "password": {"cancel-password-1"}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	u0, _ := url.Parse(nodes[0].url)
	u1, _ := url.Parse(nodes[1].url)
	jar.SetCookies(u1, jar.Cookies(u0))
	res, err = c.Post(nodes[0].url+"/spend/upload", mw.FormDataContentType(), &form)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	var id int64
	if _, err := fmt.Sscanf(res.Header.Get("Location"), "/spend/uploads/%d", &id); err != nil || res.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload: %d %q\n%s", res.StatusCode, res.Header.Get("Location"), nodes[0].logs)
	}

	// Which node runs the import? The job's lease names the node's pid.
	var runner, other *node
	deadline := time.Now().Add(60 * time.Second)
	for runner == nil {
		var status, lockedBy, upload string
		err := db.QueryRow(`SELECT j.status, j.locked_by, u.status FROM jobs j, spend_uploads u WHERE j.kind = 'spend.import' AND j.payload = $1 AND u.id = $2`, strconv.FormatInt(id, 10), id).Scan(&status, &lockedBy, &upload)
		if err != nil && err != sql.ErrNoRows {
			t.Fatal(err)
		}
		if status == "running" && upload == "importing" {
			for i, n := range nodes {
				if strings.HasSuffix(lockedBy, ":"+strconv.Itoa(n.cmd.Process.Pid)) {
					runner, other = n, nodes[1-i]
				}
			}
			if runner == nil {
				t.Fatalf("the job is leased to %q, neither node", lockedBy)
			}
		}
		if upload == "done" || upload == "failed" {
			t.Fatalf("the import ended (%s) before it could be cancelled", upload)
		}
		if time.Now().After(deadline) {
			t.Fatalf("the import did not start within 60 s (job %q, upload %q)", status, upload)
		}
		time.Sleep(50 * time.Millisecond)
	}
	time.Sleep(time.Second) // well into the import

	start := time.Now()
	res, err = c.PostForm(fmt.Sprintf("%s/spend/uploads/%d/cancel", other.url, id), url.Values{})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("cancel on the other node: %d (the import may have finished first)", res.StatusCode)
	}
	var jobStatus string
	for {
		if err := db.QueryRow(`SELECT status FROM jobs WHERE kind = 'spend.import' AND payload = $1`, strconv.FormatInt(id, 10)).Scan(&jobStatus); err != nil {
			t.Fatal(err)
		}
		if jobStatus != "running" {
			break
		}
		if time.Since(start) > 20*time.Second {
			t.Fatalf("the importing node did not stop within 20 s of the cancel\n%s", runner.logs)
		}
		time.Sleep(20 * time.Millisecond)
	}
	took := time.Since(start)
	t.Logf("cancelled on the other node; the importing node's job stopped %v later", took.Round(time.Millisecond))
	if took > 5*time.Second {
		t.Fatalf("the importing node stopped %v after the cancel, more than 5 s", took)
	}
	var upload string
	var runs, attempts int
	if err := db.QueryRow(`SELECT u.status, (SELECT COUNT(*) FROM spend_runs), j.attempts FROM spend_uploads u, jobs j WHERE u.id = $1 AND j.kind = 'spend.import' AND j.payload = $2`, id, strconv.FormatInt(id, 10)).Scan(&upload, &runs, &attempts); err != nil {
		t.Fatal(err)
	}
	if jobStatus != "done" || upload != "cancelled" || runs != runs0 || attempts != 1 {
		t.Fatalf("after the cancel: job %s (attempts %d), upload %s, %d spend runs (was %d)", jobStatus, attempts, upload, runs, runs0)
	}
	code, page := body(t, c, fmt.Sprintf("%s/spend/uploads/%d", runner.url, id))
	if code != 200 || !strings.Contains(page, "ancelled") {
		t.Fatalf("the upload's page on the importing node: %d", code)
	}
}
