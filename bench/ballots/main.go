// Command ballots measures People's Priorities ballot submission over HTTP:
// it starts `svhub serve` on the given database, signs in N voters and has
// each submit (and resubmit) ballots as fast as it can for a while, then
// prints a Markdown table row with ballots/s and latency percentiles.
//
//	go run ./bench/ballots -bin ./svhub -db sqlite:/tmp/b.db -voters 32 -duration 10s
package main

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"
)

func main() {
	bin := flag.String("bin", "./svhub", "svhub binary")
	db := flag.String("db", "", "database (sqlite:PATH or postgres://…), empty")
	voters := flag.Int("voters", 32, "concurrent voters")
	duration := flag.Duration("duration", 10*time.Second, "how long to submit")
	flag.Parse()
	if err := run(*bin, *db, *voters, *duration); err != nil {
		fmt.Fprintln(os.Stderr, "ballots:", err)
		os.Exit(1)
	}
}

const password = "bench-password-123"

func run(bin, db string, voters int, duration time.Duration) error {
	dir, err := os.MkdirTemp("", "svhub-bench")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if strings.HasPrefix(db, "postgres") {
		if out, err := exec.Command(bin, "migrate", "up", "--db", db).CombinedOutput(); err != nil {
			return fmt.Errorf("migrate: %v\n%s", err, out)
		}
	}
	ready := filepath.Join(dir, "ready")
	srv := exec.Command(bin, "serve", "--demo", "--demo-password", password, "--db", db, "--addr", "127.0.0.1:0", "--ready-file", ready)
	srv.Stdout, srv.Stderr = nil, nil
	if err := srv.Start(); err != nil {
		return err
	}
	defer func() { _ = srv.Process.Signal(os.Interrupt); _, _ = srv.Process.Wait() }()
	var base string
	for i := 0; i < 600; i++ {
		if b, err := os.ReadFile(ready); err == nil {
			base = strings.TrimSpace(string(b))
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if base == "" {
		return fmt.Errorf("server did not start")
	}
	for i := range voters {
		cmd := exec.Command(bin, "user", "add", "--db", db, "--email", fmt.Sprintf("voter%d@example.org", i), "--name", fmt.Sprintf("Voter %d", i), "--password", password)
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("add voter: %v\n%s", err, out)
		}
	}
	admin, err := signIn(base, "admin@example.org")
	if err != nil {
		return err
	}
	form := url.Values{"title": {"Benchmark round"}, "explanation": {"Load test"}, "framework_id": {"1"}, "owner": {"0"},
		"opens_at": {time.Now().Add(-time.Hour).Format("2006-01-02T15:04")}, "closes_at": {time.Now().Add(24 * time.Hour).Format("2006-01-02T15:04")}}
	for i := 1; i <= 6; i++ {
		form.Add("priorities", fmt.Sprint(i))
	}
	res, err := admin.PostForm(base+"/priorities", form)
	if err != nil {
		return err
	}
	res.Body.Close()
	m := regexp.MustCompile(`/priorities/(\d+)`).FindStringSubmatch(res.Header.Get("Location"))
	if m == nil {
		return fmt.Errorf("create round: %d", res.StatusCode)
	}
	round := base + "/priorities/" + m[1]
	if res, err = admin.PostForm(round+"/status", url.Values{"to": {"open"}}); err != nil {
		return err
	}
	res.Body.Close()

	clients := make([]*http.Client, voters)
	for i := range clients {
		if clients[i], err = signIn(base, fmt.Sprintf("voter%d@example.org", i)); err != nil {
			return err
		}
	}
	var mu sync.Mutex
	var lat []time.Duration
	errs := 0
	deadline := time.Now().Add(duration)
	var wg sync.WaitGroup
	for i, c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(i), 7))
			var mine []time.Duration
			bad := 0
			for time.Now().Before(deadline) {
				f := url.Values{"postcode": {"M15 4AB"}}
				left := 100
				for j := 1; j <= 6; j++ {
					p := left
					if j < 6 {
						p = r.IntN(left + 1)
					}
					left -= p
					f.Set(fmt.Sprintf("points-P%d", j), fmt.Sprint(p))
				}
				start := time.Now()
				res, err := c.PostForm(round+"/ballot", f)
				d := time.Since(start)
				if err != nil || res.StatusCode != http.StatusSeeOther {
					bad++
				} else {
					mine = append(mine, d)
				}
				if res != nil {
					res.Body.Close()
				}
			}
			mu.Lock()
			lat = append(lat, mine...)
			errs += bad
			mu.Unlock()
		}()
	}
	wg.Wait()
	slices.Sort(lat)
	pct := func(p float64) time.Duration {
		if len(lat) == 0 {
			return 0
		}
		return lat[min(len(lat)-1, int(float64(len(lat))*p))]
	}
	engine := "SQLite"
	if strings.HasPrefix(db, "postgres") {
		engine = "PostgreSQL"
	}
	fmt.Printf("| %s | %d | %d | %.0f | %.1f ms | %.1f ms | %d |\n", engine, voters, len(lat), float64(len(lat))/duration.Seconds(),
		float64(pct(0.5).Microseconds())/1000, float64(pct(0.99).Microseconds())/1000, errs)
	return nil
}

func signIn(base, email string) (*http.Client, error) {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
	res, err := c.PostForm(base+"/login", url.Values{"email": {email}, "password": {password}})
	if err != nil {
		return nil, err
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		return nil, fmt.Errorf("sign in %s: %d", email, res.StatusCode)
	}
	return c, nil
}
