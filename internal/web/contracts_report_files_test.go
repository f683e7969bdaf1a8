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

// postMultipart sends form fields and files (name → bytes, field "files")
// as the browser does for a form with enctype multipart/form-data.
func postMultipart(t *testing.T, c *http.Client, u string, fields url.Values, files map[string][]byte) (int, string) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, vs := range fields {
		for _, v := range vs {
			_ = w.WriteField(k, v)
		}
	}
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

// Issue 17 part 3: the delivery report itself accepts evidence files,
// checked by content; they show on the report's line and only the buyer,
// the supplier and hub administrators can download them.
func TestDeliveryReportWithFiles(t *testing.T) {
	h := newHub(t)
	ctx := context.Background()
	c, sup := reportingSupplier(t, h)
	path := fmt.Sprintf("%s/contracts/%d/report", h.URL, c.ID)
	_, form := get(t, sup, path)
	if !strings.Contains(form, `enctype="multipart/form-data"`) || !strings.Contains(form, `name="files" type="file" multiple`) {
		t.Fatal("the report form does not offer evidence files")
	}
	value := func(name string) string {
		m := regexp.MustCompile(`name="` + name + `" type="date" value="([0-9-]*)"`).FindStringSubmatch(form)
		if m == nil {
			t.Fatalf("no %s on the form", name)
		}
		return m[1]
	}
	cms, _ := h.store.Commitments(ctx, c.ID)
	id := strconv.FormatInt(cms[0].ID, 10)
	f := url.Values{"period_start": {value("period_start")}, "period_end": {value("period_end")}, "qty_" + id: {"2"}, "evidence_" + id: {"REPORT-FILES payroll"}, "attributable_" + id: {"1"}, "additional_" + id: {"1"}}
	pdf := []byte("%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n")
	for name, c := range map[string]struct {
		files map[string][]byte
		want  string
	}{
		"renamed program": {map[string][]byte{"payroll.pdf": append([]byte("MZ"), pdf...)}, "is a program"},
		"web page":        {map[string][]byte{"hours.csv": []byte("<html><script>alert(1)</script></html>")}, "is a web page"},
		"html type":       {map[string][]byte{"hours.html": []byte("<p>hi</p>")}, "hours.html is not an allowed type"},
		"executable":      {map[string][]byte{"setup.exe": []byte("MZ....")}, "setup.exe is not an allowed type"},
		"too large":       {map[string][]byte{"big.pdf": append(pdf, bytes.Repeat([]byte("x"), contracts.MaxEvidenceBytes)...)}, "big.pdf is larger than the 10 MB limit"},
		"too many":        {map[string][]byte{"a.pdf": pdf, "b.pdf": pdf, "c.pdf": pdf, "d.pdf": pdf}, "Attach at most 3 files; you chose 4"},
	} {
		code, body := postMultipart(t, sup, path, f, c.files)
		if code != 422 || !strings.Contains(body, c.want) || !strings.Contains(body, "govuk-error-summary") || !strings.Contains(body, "REPORT-FILES payroll") {
			t.Errorf("%s: %d, want 422 with %q and the values kept", name, code, c.want)
		}
	}
	if lines, _ := h.store.DeliveryLines(ctx, c.ID); len(lines) != 0 {
		for _, l := range lines {
			if l.Evidence == "REPORT-FILES payroll" {
				t.Fatal("a report with a refused file was stored")
			}
		}
	}
	if code, body := postMultipart(t, sup, path, f, map[string][]byte{"payroll.pdf": pdf}); code != 303 {
		t.Fatalf("report with a file: %d %s", code, body[:min(400, len(body))])
	}
	lines, _ := h.store.DeliveryLines(ctx, c.ID)
	var line contracts.Line
	for _, l := range lines {
		if l.Evidence == "REPORT-FILES payroll" {
			line = l
		}
	}
	rs, _ := h.store.LineReplies(ctx, c.ID)
	if len(rs[line.ID]) != 1 || len(rs[line.ID][0].Files) != 1 || rs[line.ID][0].Files[0].Type != "application/pdf" || rs[line.ID][0].Files[0].Name != "payroll.pdf" {
		t.Fatalf("report files stored: %+v", rs[line.ID])
	}
	if ev, _ := h.store.ListAudit(ctx, store.AuditFilter{Action: "delivery.report"}); len(ev) == 0 || !strings.Contains(ev[0].Summary, "payroll.pdf") {
		t.Fatalf("report audit does not name the file: %+v", ev)
	}
	_, page := get(t, h.client(t), fmt.Sprintf("%s/contracts/%d", h.URL, c.ID))
	if !strings.Contains(page, "sent evidence files with the report") || !strings.Contains(page, "payroll.pdf") {
		t.Fatal("the report's files are not shown on its line")
	}
	file := fmt.Sprintf("%s/contracts/%d/files/%d", h.URL, c.ID, rs[line.ID][0].Files[0].ID)
	if strings.Contains(page, file[len(h.URL):]) {
		t.Fatal("the public page links to the evidence file")
	}
	officer, _ := h.store.UserByEmail(ctx, "buyer@example.org")
	if err := h.store.AddMember(ctx, auth.Actor{User: &auth.User{Email: "test", IsAdmin: true}}, c.BuyerOrgID, officer.ID, auth.RoleBuyer); err != nil {
		t.Fatal(err)
	}
	for who, client := range map[string]*http.Client{"buyer": h.signedIn(t, "buyer@example.org"), "supplier": sup, "hub admin": h.signedIn(t, "admin@example.org")} {
		res, got := get(t, client, file)
		if res.StatusCode != 200 || got != string(pdf) || !strings.HasPrefix(res.Header.Get("Content-Disposition"), "attachment") {
			t.Errorf("%s downloads the report's evidence: %d", who, res.StatusCode)
		}
	}
	if res, _ := get(t, h.signedIn(t, "resident@example.org"), file); res.StatusCode != 403 {
		t.Errorf("a resident downloaded report evidence: %d", res.StatusCode)
	}
	if res, _ := get(t, h.signedIn(t, "supplier@example.org"), file); res.StatusCode != 403 {
		t.Errorf("another supplier downloaded report evidence: %d", res.StatusCode)
	}
	if res, _ := get(t, h.client(t), file); res.StatusCode == 200 {
		t.Errorf("an anonymous visitor downloaded report evidence")
	}
	// A report without files (a plain form post) still works.
	f.Set("qty_"+id, "1")
	f.Set("evidence_"+id, "REPORT-NOFILES")
	if res, body := postBody(t, sup, path, f); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("report without files: %d %s", res.StatusCode, body[:min(400, len(body))])
	}
}
