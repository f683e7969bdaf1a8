package web_test

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Evidence attached to a bid is sniffed like any upload: a web page
// called .pdf is refused on the form with the bid's answers kept, and no
// bid is stored.
func TestBidEvidenceSniffed(t *testing.T) {
	h := newHub(t)
	buyer := h.signedIn(t, "buyer@example.org")
	// Evidence attached to a bid: refused with the bid's answers kept on
	// the page, and nothing stored.
	supplier := h.signedIn(t, "supplier@example.org")
	res := post(t, buyer, h.URL+"/tenders", tenderForm(t, h, h.now().Add(2*time.Hour)))
	tpath := res.Header.Get("Location")
	if r := post(t, buyer, h.URL+tpath+"/state", url.Values{"to": {"published"}}); r.StatusCode != 303 {
		t.Fatalf("publish: %d", r.StatusCode)
	}
	id, _ := strconv.ParseInt(strings.TrimPrefix(tpath, "/tenders/"), 10, 64)
	tn, _ := h.store.Tender(context.Background(), id, h.now())
	sup := orgID(t, h, "supplier@example.org")
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	for k, vs := range bidForm(tn, sup, "500000", "3", "yes") {
		for _, v := range vs {
			_ = w.WriteField(k, v)
		}
	}
	fw, _ := w.CreateFormFile("attachment_Q1", "evidence.pdf")
	_, _ = io.WriteString(fw, "<html><body onload=\"alert(1)\">")
	_ = w.Close()
	req, _ := http.NewRequest("POST", h.URL+tpath+"/bid", &b)
	req.Header.Set("Content-Type", w.FormDataContentType())
	r, err := supplier.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(r.Body)
	r.Body.Close()
	if r.StatusCode != 422 || !strings.Contains(string(page), "evidence.pdf is a web page") || !strings.Contains(string(page), "SECRET-ANSWER-500000") {
		t.Fatalf("HTML evidence: %d", r.StatusCode)
	}
	if own, _ := h.store.OrgBids(context.Background(), id, sup); len(own) != 0 {
		t.Fatalf("a refused bid was stored: %d versions", len(own))
	}

}
