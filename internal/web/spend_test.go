package web_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/svhub/svhub/internal/app"
)

func upload(t *testing.T, c *http.Client, base string, buyer int64, name, body string) *http.Response {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	_ = mw.WriteField("buyer", fmt.Sprint(buyer))
	fw, _ := mw.CreateFormFile("file", name)
	_, _ = fw.Write([]byte(body))
	_ = mw.Close()
	res, err := c.Post(base+"/spend/upload", mw.FormDataContentType(), &b)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res
}

func TestSpendUploadPermissionsAndJob(t *testing.T) {
	h := newHub(t)
	manchester, _ := h.store.OrganisationBySlug(bg, "manchester-city-council")
	bolton, _ := h.store.OrganisationBySlug(bg, "bolton-council")
	file := "Date,Supplier,Amount\n01/04/2026,A Ltd,100.00\nbad,B,1\n"
	if res := upload(t, h.signedIn(t, "resident@example.org"), h.URL, manchester.ID, "f.csv", file); res.StatusCode != 403 {
		t.Fatalf("resident upload: %d", res.StatusCode)
	}
	buyer := h.signedIn(t, "buyer@example.org")
	if res := upload(t, buyer, h.URL, bolton.ID, "f.csv", file); res.StatusCode != 403 {
		t.Fatalf("upload for another council: %d", res.StatusCode)
	}
	res := upload(t, buyer, h.URL, manchester.ID, "f.csv", file)
	if res.StatusCode != 303 {
		t.Fatalf("upload: %d", res.StatusCode)
	}
	loc := res.Header.Get("Location")
	// Run the queued job as a node's runner would.
	var id int64
	fmt.Sscanf(loc, "/spend/uploads/%d", &id)
	j, ok, err := h.store.ClaimJob(bg, "test", time.Now(), time.Minute)
	if err != nil || !ok {
		t.Fatalf("no job queued: %v", err)
	}
	if err := app.SpendImport(h.store)(bg, j.Payload); err != nil {
		t.Fatal(err)
	}
	_, page := get(t, buyer, h.URL+loc)
	if !strings.Contains(page, "1 imported, 1 rejected") || !strings.Contains(page, "is not in a recognised form") {
		t.Fatalf("status page:\n%s", page)
	}
	// Another council's officer cannot see it; the public analysis shows it.
	if r, _ := get(t, h.signedIn(t, "supplier@example.org"), h.URL+loc); r.StatusCode != 403 {
		t.Fatalf("a supplier saw the import: %d", r.StatusCode)
	}
	if r, page := get(t, h.client(t), h.URL+"/spend?buyer=manchester-city-council"); r.StatusCode != 200 || !strings.Contains(page, "A Ltd") {
		t.Fatalf("public analysis: %d", r.StatusCode)
	}
	// A file that is not a spend file fails the upload with the reason.
	res = upload(t, buyer, h.URL, manchester.ID, "people.csv", "name,address\nx,y\n")
	j, _, _ = h.store.ClaimJob(bg, "test", time.Now(), time.Minute)
	if err := app.SpendImport(h.store)(bg, j.Payload); err != nil {
		t.Fatal(err)
	}
	if _, page := get(t, buyer, h.URL+res.Header.Get("Location")); !strings.Contains(page, "not a spend file") {
		t.Fatalf("failed upload page:\n%s", page)
	}
}

func TestSpendSupplierPages(t *testing.T) {
	h := newHub(t)
	c := h.client(t)
	res, page := get(t, c, h.URL+"/spend/suppliers?buyer=manchester-city-council&q=irwell")
	if res.StatusCode != 200 || !strings.Contains(page, "Irwell Valley Joinery Ltd") || strings.Contains(page, "Bury Market Logistics") {
		t.Fatalf("search: %d", res.StatusCode)
	}
	res, page = get(t, c, h.URL+"/spend/suppliers/irwell%20valley%20joinery?buyer=manchester-city-council")
	if res.StatusCode != 200 || !strings.Contains(page, "Payments (newest first") || strings.Count(page, "govuk-table__row") < 3 {
		t.Fatalf("supplier page: %d", res.StatusCode)
	}
	res, page = get(t, c, h.URL+"/spend/suppliers/redacted?buyer=manchester-city-council")
	if res.StatusCode != 200 || strings.Contains(page, ">REDACTED<") || !strings.Contains(page, "Redacted payee") {
		t.Fatalf("redacted page: %d", res.StatusCode)
	}
	if res, _ := get(t, c, h.URL+"/spend/suppliers/no%20such%20supplier?buyer=manchester-city-council"); res.StatusCode != 404 {
		t.Fatalf("unknown supplier: %d", res.StatusCode)
	}
	if res, _ := get(t, c, h.URL+"/spend?from=yesterday"); res.StatusCode != 422 {
		t.Fatalf("bad date: %d", res.StatusCode)
	}
}

func TestSpendDownloads(t *testing.T) {
	h := newHub(t)
	c := h.client(t)
	res, body := get(t, c, h.URL+"/spend/suppliers.csv?buyer=manchester-city-council")
	lines := strings.Split(strings.TrimSpace(body), "\n")
	if res.StatusCode != 200 || !strings.HasPrefix(lines[0], "rank,supplier,net_pence") || len(lines) < 40 || strings.Contains(body, "REDACTED") {
		t.Fatalf("csv: %d %d lines", res.StatusCode, len(lines))
	}
	res, body = get(t, c, h.URL+"/spend/report.json?buyer=manchester-city-council")
	if res.StatusCode != 200 || !strings.Contains(body, `"total_net_pence"`) || !strings.Contains(body, `"by_service"`) {
		t.Fatalf("json: %d", res.StatusCode)
	}
}
