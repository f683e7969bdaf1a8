package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/svhub/svhub/internal/app"
)

func postCreditors(t *testing.T, c *http.Client, base string, buyer int64, name, body string) (*http.Response, string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	_ = mw.WriteField("buyer", fmt.Sprint(buyer))
	fw, _ := mw.CreateFormFile("file", name)
	_, _ = fw.Write([]byte(body))
	_ = mw.Close()
	res, err := c.Post(base+"/spend/creditors", mw.FormDataContentType(), &b)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out bytes.Buffer
	_, _ = out.ReadFrom(res.Body)
	return res, out.String()
}

func placed(t *testing.T, c *http.Client, base string) (float64, bool) {
	t.Helper()
	_, body := get(t, c, base+"/spend/report.json?buyer=manchester-city-council")
	var v struct {
		Report struct {
			PlacedShare float64 `json:"placed_share"`
			Provisional bool    `json:"provisional"`
		} `json:"report"`
	}
	if err := json.Unmarshal([]byte(body), &v); err != nil {
		t.Fatalf("%v: %s", err, body[:min(300, len(body))])
	}
	return v.Report.PlacedShare, v.Report.Provisional
}

// A buyer officer uploads a creditor file for their own body only; the
// file places the suppliers its supplier ids and names match, the public
// page and report.json say how much is placed, and a file that is not a
// creditor file is refused with the reason.
func TestCreditorUpload(t *testing.T) {
	h := newHub(t)
	manchester, _ := h.store.OrganisationBySlug(bg, "manchester-city-council")
	bolton, _ := h.store.OrganisationBySlug(bg, "bolton-council")
	buyer := h.signedIn(t, "buyer@example.org")
	spendFile := "Date,Supplier,Supplier ID,Amount\n01/04/2026,Zyxwv Widgets Ltd,ZW1,90000.00\n02/04/2026,ZYXWV WIDGETS,ZW1,10000.00\n"
	upload(t, buyer, h.URL, manchester.ID, "s.csv", spendFile)
	j, ok, err := h.store.ClaimJob(bg, "test", time.Now(), time.Minute)
	if err != nil || !ok {
		t.Fatalf("no job: %v", err)
	}
	if err := app.SpendImport(h.store)(bg, j.Payload); err != nil {
		t.Fatal(err)
	}
	before, _ := placed(t, h.client(t), h.URL)
	if _, page := get(t, h.client(t), h.URL+"/spend?buyer=manchester-city-council"); !strings.Contains(page, "How much is known") {
		t.Fatal("the spend page does not say how much is known")
	}
	creditors := "Supplier No,Supplier Name,Post Code,Supplier Type\nZW1,Zyxwv Widgets Limited,M1 1AE,Company - SME\n"
	if res, _ := postCreditors(t, h.signedIn(t, "resident@example.org"), h.URL, manchester.ID, "c.csv", creditors); res.StatusCode != 403 {
		t.Fatalf("resident: %d", res.StatusCode)
	}
	if res, _ := postCreditors(t, buyer, h.URL, bolton.ID, "c.csv", creditors); res.StatusCode != 403 {
		t.Fatalf("another council: %d", res.StatusCode)
	}
	// A hub administrator may upload for any public body, not a business.
	joinery, _ := h.store.OrganisationBySlug(bg, "irwell-valley-joinery-ltd")
	if res, page := postCreditors(t, h.signedIn(t, "admin@example.org"), h.URL, joinery.ID, "c.csv", creditors); res.StatusCode != 422 || !strings.Contains(page, "Choose the public body") {
		t.Fatalf("a business as buyer: %d", res.StatusCode)
	}
	if res, page := postCreditors(t, buyer, h.URL, manchester.ID, "c.csv", "Ref,Amount\n1,2\n"); res.StatusCode == 303 || !strings.Contains(page, "not a creditor file") || !strings.Contains(page, "govuk-error-summary") {
		t.Fatalf("bad file: %d", res.StatusCode)
	}
	res, _ := postCreditors(t, buyer, h.URL, manchester.ID, "c.csv", creditors)
	if res.StatusCode != 303 {
		t.Fatalf("upload: %d", res.StatusCode)
	}
	if _, page := get(t, buyer, h.URL+res.Header.Get("Location")); !strings.Contains(page, "Imported 1 creditor entries for Manchester City Council: 1 placed by postcode, 1 linked to payments by supplier id") ||
		!strings.Contains(page, "Creditor file in force: c.csv") {
		t.Fatalf("after upload:\n%s", page)
	}
	after, _ := placed(t, h.client(t), h.URL)
	if after <= before {
		t.Fatalf("placed share %.4f → %.4f", before, after)
	}
	f, ok, err := h.store.LatestCreditorFile(bg, manchester.ID)
	if err != nil || !ok || f.Entries != 1 {
		t.Fatalf("%+v %v %v", f, ok, err)
	}
}
