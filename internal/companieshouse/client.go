// Package companieshouse is the adapter for the Companies House public
// data API's company search (GET /search/companies?q=…), used to place
// the payees with the most spend that no register, creditor file or
// directory entry matched. It sends a payee's name and nothing else.
// Requests are paced by a token bucket inside the documented limit (600
// requests in 5 minutes per key), and a 429 answer is waited out as its
// Retry-After (or X-Ratelimit-Reset) says, within a bound.
package companieshouse

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/svhub/svhub/internal/spend"
)

// DefaultBaseURL is the live API.
const DefaultBaseURL = "https://api.company-information.service.gov.uk"

// Defaults of the pacing: 500 requests in 5 minutes per node (the
// documented limit is 600 per key), in bursts of at most 10.
const (
	DefaultInterval = 600 * time.Millisecond
	DefaultBurst    = 10
	// DefaultMaxWait is the longest a 429 is waited out before the search
	// gives up with a *RateLimitedError.
	DefaultMaxWait = 2 * time.Minute
	// noRetryAfter is waited when a 429 says nothing of when to retry.
	noRetryAfter = time.Minute
	// maxBody bounds a response read (a page of 20 hits is a few KB).
	maxBody = 1 << 20
	// PageSize is how many hits a search asks for.
	PageSize = 20
)

// ErrUnauthorized is a 401: the API key was refused.
var ErrUnauthorized = errors.New("the Companies House API refused the key (401 Unauthorized): check --companies-house-key (SVHUB_COMPANIES_HOUSE_KEY)")

// RateLimitedError is a 429 that asked for a longer wait than the client
// may spend.
type RateLimitedError struct {
	RetryAfter time.Duration
}

func (e *RateLimitedError) Error() string {
	return fmt.Sprintf("the Companies House API is limiting requests (429 Too Many Requests) and asked to wait %s", e.RetryAfter.Round(time.Second))
}

// Client searches companies by name. The zero value of the pacing fields
// means the defaults; one Client is shared by every job of a process so
// the bucket is shared.
type Client struct {
	BaseURL  string
	Key      string
	HTTP     *http.Client
	Interval time.Duration // one request's worth of tokens refills in this
	Burst    int
	MaxWait  time.Duration

	mu     sync.Mutex
	tokens float64
	last   time.Time
	// until is when a 429 said requests may resume.
	until time.Time
}

// New returns a client for the API at baseURL (DefaultBaseURL when empty).
func New(baseURL, key string) *Client {
	if baseURL == "" {
		baseURL = DefaultBaseURL
	}
	return &Client{BaseURL: strings.TrimRight(baseURL, "/"), Key: key, HTTP: &http.Client{Timeout: 30 * time.Second}}
}

func (c *Client) interval() time.Duration {
	if c.Interval > 0 {
		return c.Interval
	}
	return DefaultInterval
}

func (c *Client) burst() float64 {
	if c.Burst > 0 {
		return float64(c.Burst)
	}
	return DefaultBurst
}

// reserve takes a token, returning how long to wait before using it.
func (c *Client) reserve(now time.Time) time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.last.IsZero() {
		c.tokens, c.last = c.burst(), now
	}
	c.tokens = min(c.burst(), c.tokens+float64(now.Sub(c.last))/float64(c.interval()))
	c.last = now
	c.tokens--
	wait := time.Duration(0)
	if c.tokens < 0 {
		wait = time.Duration(-c.tokens * float64(c.interval()))
	}
	if d := c.until.Sub(now); d > wait {
		wait = d
	}
	return wait
}

// block holds every request of this client until t (after a 429).
func (c *Client) block(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if t.After(c.until) {
		c.until = t
	}
	c.tokens = 0
}

func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Search asks for companies named like q and returns the response body as
// sent (JSON, checked to parse), for the caller to cache and Parse. A 401
// is ErrUnauthorized; a 429 is waited out (Retry-After in seconds or as a
// date, else X-Ratelimit-Reset, else a minute) while the wait stays within
// MaxWait and the context's deadline, else it is a *RateLimitedError.
func (c *Client) Search(ctx context.Context, q string) ([]byte, error) {
	maxWait := c.MaxWait
	if maxWait <= 0 {
		maxWait = DefaultMaxWait
	}
	waited := time.Duration(0)
	for {
		// The wait is the bucket's, or what a 429 (to this call or
		// another) asked for: one longer than is left is not waited.
		d := c.reserve(time.Now())
		if dl, ok := ctx.Deadline(); d > maxWait-waited || (ok && time.Until(dl) < d) {
			return nil, &RateLimitedError{RetryAfter: d}
		}
		if err := sleep(ctx, d); err != nil {
			return nil, err
		}
		waited += d
		u := c.BaseURL + "/search/companies?" + url.Values{"q": {q}, "items_per_page": {strconv.Itoa(PageSize)}}.Encode()
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		if err != nil {
			return nil, err
		}
		req.SetBasicAuth(c.Key, "")
		req.Header.Set("Accept", "application/json")
		hc := c.HTTP
		if hc == nil {
			hc = http.DefaultClient
		}
		res, err := hc.Do(req)
		if err != nil {
			return nil, fmt.Errorf("searching Companies House: %w", err)
		}
		body, err := io.ReadAll(io.LimitReader(res.Body, maxBody+1))
		res.Body.Close()
		if err != nil {
			return nil, fmt.Errorf("searching Companies House: %w", err)
		}
		switch res.StatusCode {
		case http.StatusOK:
			if len(body) > maxBody {
				return nil, fmt.Errorf("the Companies House search answered more than %d bytes", maxBody)
			}
			if _, err := Parse(body); err != nil {
				return nil, err
			}
			return body, nil
		case http.StatusUnauthorized:
			return nil, ErrUnauthorized
		case http.StatusTooManyRequests:
			c.block(time.Now().Add(retryAfter(res.Header, time.Now())))
			continue // reserve waits until the block ends, or gives up
		default:
			return nil, fmt.Errorf("the Companies House search answered %s", res.Status)
		}
	}
}

// retryAfter reads how long a 429 asks to wait.
func retryAfter(h http.Header, now time.Time) time.Duration {
	if v := strings.TrimSpace(h.Get("Retry-After")); v != "" {
		if n, err := strconv.Atoi(v); err == nil && n >= 0 {
			return time.Duration(n) * time.Second
		}
		if t, err := http.ParseTime(v); err == nil {
			return max(0, t.Sub(now))
		}
	}
	if v := strings.TrimSpace(h.Get("X-Ratelimit-Reset")); v != "" {
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			if d := time.Unix(n, 0).Sub(now); d > 0 && d <= 10*time.Minute {
				return d
			}
		}
	}
	return noRetryAfter
}

// searchPage is the part of the documented search response read here.
type searchPage struct {
	Items []struct {
		CompanyNumber  string `json:"company_number"`
		Title          string `json:"title"`
		CompanyStatus  string `json:"company_status"`
		CompanyType    string `json:"company_type"`
		DateOfCreation string `json:"date_of_creation"`
		Address        struct {
			PostalCode string `json:"postal_code"`
		} `json:"address"`
	} `json:"items"`
}

// Parse reads a search response body into hits; items without a number
// or a name are skipped.
func Parse(body []byte) ([]spend.CompanyHit, error) {
	var p searchPage
	if err := json.Unmarshal(body, &p); err != nil {
		return nil, fmt.Errorf("the Companies House search answer is not the documented JSON: %w", err)
	}
	out := make([]spend.CompanyHit, 0, len(p.Items))
	for _, it := range p.Items {
		if strings.TrimSpace(it.CompanyNumber) == "" || strings.TrimSpace(it.Title) == "" {
			continue
		}
		out = append(out, spend.CompanyHit{Number: strings.ToUpper(strings.TrimSpace(it.CompanyNumber)), Name: strings.TrimSpace(it.Title),
			Status: it.CompanyStatus, Type: it.CompanyType, Postcode: strings.TrimSpace(it.Address.PostalCode), Created: it.DateOfCreation})
	}
	return out, nil
}
