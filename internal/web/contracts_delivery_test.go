package web_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/contracts"
	"github.com/svhub/svhub/internal/store"
)

// postReply sends a reply to a queried line with its text and files
// (name → bytes), as the form does.
func postReply(t *testing.T, c *http.Client, u, reply string, files map[string][]byte) (int, string) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	_ = w.WriteField("reply", reply)
	for name, content := range files {
		fw, _ := w.CreateFormFile("files", name)
		_, _ = fw.Write(content)
	}
	_ = w.Close()
	req, _ := http.NewRequest("POST", u, &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	return res.StatusCode, string(body)
}

// Issue 17 part 3: the supplier answers a queried delivery line with text
// and evidence files checked by content; the thread shows on the line;
// the buyer is emailed and then verifies.
func TestSupplierAnswersQueryWithFile(t *testing.T) {
	h := newHub(t)
	ctx := context.Background()
	c, sup := reportingSupplier(t, h)
	path := fmt.Sprintf("%s/contracts/%d/report", h.URL, c.ID)
	_, form := get(t, sup, path)
	value := func(name string) string {
		m := regexp.MustCompile(`name="` + name + `" type="date" value="([0-9-]*)"`).FindStringSubmatch(form)
		if m == nil {
			t.Fatalf("no %s on the form", name)
		}
		return m[1]
	}
	cms, _ := h.store.Commitments(ctx, c.ID)
	id := strconv.FormatInt(cms[0].ID, 10)
	f := url.Values{"period_start": {value("period_start")}, "period_end": {value("period_end")}, "qty_" + id: {"2"}, "evidence_" + id: {"REPLY-TEST timesheets"}, "attributable_" + id: {"1"}, "additional_" + id: {"1"}}
	if res, body := postBody(t, sup, path, f); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("report: %d %s", res.StatusCode, body[:min(400, len(body))])
	}
	lines, _ := h.store.DeliveryLines(ctx, c.ID)
	var line contracts.Line
	for _, l := range lines {
		if l.Evidence == "REPLY-TEST timesheets" {
			line = l
		}
	}
	reply := fmt.Sprintf("%s/contracts/%d/lines/%d/reply", h.URL, c.ID, line.ID)
	pdf := []byte("%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n")
	if code, body := postReply(t, sup, reply, "Here are the timesheets", nil); code != 422 || !strings.Contains(body, "Only a queried line can be answered") {
		t.Fatalf("answer to a line not queried: %d", code)
	}
	officer, _ := h.store.UserByEmail(ctx, "buyer@example.org")
	sys := auth.Actor{User: &auth.User{Email: "test", IsAdmin: true}}
	if err := h.store.AddMember(ctx, sys, c.BuyerOrgID, officer.ID, auth.RoleBuyer); err != nil {
		t.Fatal(err)
	}
	buyer := h.signedIn(t, "buyer@example.org")
	if r := post(t, buyer, fmt.Sprintf("%s/contracts/%d/lines/%d", h.URL, c.ID, line.ID), url.Values{"decision": {"queried"}, "note": {"Please send the timesheets"}}); r.StatusCode != 303 {
		t.Fatalf("query: %d", r.StatusCode)
	}
	for name, c := range map[string]struct {
		text  string
		files map[string][]byte
		want  string
	}{
		"no text":       {"", nil, "Enter your answer to the buyer"},
		"program":       {"see file", map[string][]byte{"timesheets.pdf": append([]byte("MZ"), pdf...)}, "is a program"},
		"web page":      {"see file", map[string][]byte{"hours.csv": []byte("<html><script>alert(1)</script></html>")}, "is a web page"},
		"html type":     {"see file", map[string][]byte{"hours.html": []byte("<p>hi</p>")}, "hours.html is not an allowed type"},
		"executable":    {"see file", map[string][]byte{"setup.exe": []byte("MZ....")}, "setup.exe is not an allowed type"},
		"renamed image": {"see file", map[string][]byte{"photo.png": pdf}, "photo.png"},
		"too big":       {"see file", map[string][]byte{"big.pdf": append(pdf, bytes.Repeat([]byte("x"), contracts.MaxEvidenceBytes)...)}, "larger than the 10 MB limit"},
	} {
		if code, body := postReply(t, sup, reply, c.text, c.files); code != 422 || !strings.Contains(body, c.want) || !strings.Contains(body, "govuk-error-summary") {
			t.Errorf("%s: %d, want 422 with %q", name, code, c.want)
		}
	}
	if rs, _ := h.store.LineReplies(ctx, c.ID); len(rs[line.ID]) != 0 {
		t.Fatalf("a refused reply was stored: %+v", rs)
	}
	other := h.signedIn(t, "supplier@example.org")
	if code, _ := postReply(t, other, reply, "not mine", nil); code != 403 {
		t.Fatalf("another organisation answered: %d", code)
	}
	if code, body := postReply(t, sup, reply, "Timesheets for both apprentices attached", map[string][]byte{"timesheets.pdf": pdf}); code != 303 {
		t.Fatalf("answer: %d %s", code, body[:min(400, len(body))])
	}
	_, page := get(t, h.client(t), fmt.Sprintf("%s/contracts/%d", h.URL, c.ID))
	if !strings.Contains(page, "answered") || !strings.Contains(page, "Timesheets for both apprentices attached") || !strings.Contains(page, "timesheets.pdf") {
		t.Fatal("the thread is not shown on the line")
	}
	rs, _ := h.store.LineReplies(ctx, c.ID)
	if len(rs[line.ID]) != 1 || len(rs[line.ID][0].Files) != 1 || rs[line.ID][0].Files[0].Type != "application/pdf" {
		t.Fatalf("stored reply: %+v", rs[line.ID])
	}
	file := fmt.Sprintf("%s/contracts/%d/files/%d", h.URL, c.ID, rs[line.ID][0].Files[0].ID)
	res, got := get(t, buyer, file)
	if res.StatusCode != 200 || got != string(pdf) || !strings.HasPrefix(res.Header.Get("Content-Disposition"), "attachment") || res.Header.Get("Content-Type") != "application/pdf" {
		t.Fatalf("buyer downloads the evidence: %d %q", res.StatusCode, res.Header.Get("Content-Disposition"))
	}
	if res, _ := get(t, h.signedIn(t, "resident@example.org"), file); res.StatusCode != 403 {
		t.Fatalf("a resident downloaded supplier evidence: %d", res.StatusCode)
	}
	if msgs, _ := h.store.ListOutbox(ctx, "buyer@example.org", 5); len(msgs) == 0 || !strings.Contains(msgs[0].Subject, "answered your query") || !strings.Contains(msgs[0].Body, "Timesheets for both apprentices") {
		t.Fatalf("buyer not emailed the answer: %+v", msgs)
	}
	if r := post(t, buyer, fmt.Sprintf("%s/contracts/%d/lines/%d", h.URL, c.ID, line.ID), url.Values{"decision": {"verified"}}); r.StatusCode != 303 {
		t.Fatalf("verify: %d", r.StatusCode)
	}
	if code, _ := postReply(t, sup, reply, "again", nil); code != 422 {
		t.Fatalf("answer to a verified line: %d", code)
	}
	if ev, _ := h.store.ListAudit(ctx, store.AuditFilter{Action: "delivery.line.reply"}); len(ev) != 1 || !strings.Contains(ev[0].Summary, "timesheets.pdf") {
		t.Fatalf("reply audit: %+v", ev)
	}
	msgs, _ := h.store.ListOutbox(ctx, "business-admin@example.org", 10)
	var subjects []string
	for _, m := range msgs {
		subjects = append(subjects, m.Subject)
	}
	if all := strings.Join(subjects, " | "); !strings.Contains(all, "was queried") || !strings.Contains(all, "was verified") {
		t.Fatalf("supplier not emailed the query and the verification: %s", all)
	}
	// The resident who flags the claim is emailed the buyer's public response.
	resident := h.signedIn(t, "resident@example.org")
	if r := post(t, resident, fmt.Sprintf("%s/contracts/%d/lines/%d/concerns", h.URL, c.ID, line.ID), url.Values{"concern": {"I never saw these apprentices"}}); r.StatusCode != 303 {
		t.Fatalf("concern: %d", r.StatusCode)
	}
	lines, _ = h.store.DeliveryLines(ctx, c.ID)
	var concern int64
	for _, l := range lines {
		if l.ID == line.ID && len(l.Concerns) > 0 {
			concern = l.Concerns[0].ID
		}
	}
	if r := post(t, buyer, fmt.Sprintf("%s/contracts/%d/concerns/%d/response", h.URL, c.ID, concern), url.Values{"response": {"We checked the timesheets PUBLIC-RESPONSE"}}); r.StatusCode != 303 {
		t.Fatalf("response: %d", r.StatusCode)
	}
	if msgs, _ := h.store.ListOutbox(ctx, "resident@example.org", 5); len(msgs) == 0 || !strings.Contains(msgs[0].Subject, "responded to your concern") || !strings.Contains(msgs[0].Body, "PUBLIC-RESPONSE") {
		t.Fatalf("resident not emailed the response: %+v", msgs)
	}
}
