package web

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

// A client still sending a body past the limit gets the refusal page,
// not a reset connection: the server reads the rest before answering.
func TestOverLimitBodyAnsweredNotReset(t *testing.T) {
	const limit = 1 << 20
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w = limitBody(w, r, limit)
		_, err := io.ReadAll(r.Body)
		var mbe *http.MaxBytesError
		if !errors.As(err, &mbe) {
			t.Errorf("read: %v, want a MaxBytesError", err)
		}
		http.Error(w, "The file is larger than 1 MB", http.StatusRequestEntityTooLarge)
	}))
	defer srv.Close()
	body := bytes.Repeat([]byte("priority,P1,,T\n"), 3<<20/15) // about 3 MB
	for i := range 30 {
		res, err := srv.Client().Post(srv.URL, "text/csv", bytes.NewReader(body))
		if err != nil {
			t.Fatalf("attempt %d: %v", i+1, err)
		}
		page, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusRequestEntityTooLarge || !bytes.Contains(page, []byte("larger than 1 MB")) {
			t.Fatalf("attempt %d: %d %q", i+1, res.StatusCode, page)
		}
	}
}

// A body within the limit is read whole and nothing is drained.
func TestUnderLimitBodyUntouched(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w = limitBody(w, r, 1<<20)
		b, err := io.ReadAll(r.Body)
		if err != nil {
			t.Errorf("read: %v", err)
		}
		_, _ = w.Write(b[:5])
	}))
	defer srv.Close()
	res, err := srv.Client().Post(srv.URL, "text/plain", bytes.NewReader([]byte("hello world")))
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if string(got) != "hello" {
		t.Fatalf("got %q", got)
	}
}
