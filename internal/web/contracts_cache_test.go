package web_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/contracts"
	"github.com/svhub/svhub/internal/store"
	"github.com/svhub/svhub/internal/storetest"
)

// TestContractPageKeptUntilWritten: a contract's page, kept between
// requests (its data under the contract page's generation, its body per
// reader's permissions and clock), is byte-identical to what a node that
// has kept nothing serves, for a visitor, a resident, the buyer and the
// supplier, on two nodes with their own copies on one database: before
// anything changes, after a resident's concern and the buyer's decision
// posted to the other node, after the supplier is renamed, after the
// supplier's reply, and as the clock moves a year on. A refused concern is
// shown with its error and leaves the kept page alone; an unknown contract
// is not found. Both engines.
func TestContractPageKeptUntilWritten(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		h := newHubOn(t, s)
		ctx := context.Background()
		node2 := h.nodeServer(t, h.now)
		// The demo buyer's contract with a line awaiting verification.
		buyerOrg, err := s.OrganisationBySlug(ctx, "manchester-city-council")
		if err != nil {
			t.Fatal(err)
		}
		cs, err := s.ListContracts(ctx, store.ContractFilter{BuyerOrgID: buyerOrg.ID})
		if err != nil {
			t.Fatal(err)
		}
		var c contracts.Contract
		var submitted, other contracts.Line
		for _, k := range cs {
			lines, err := s.DeliveryLines(ctx, k.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, l := range lines {
				if l.Status == contracts.Submitted && submitted.ID == 0 {
					submitted, c = l, k
				}
			}
			for _, l := range lines {
				if k.ID == c.ID && l.ID != submitted.ID && other.ID == 0 {
					other = l
				}
			}
		}
		if submitted.ID == 0 || other.ID == 0 {
			t.Fatal("no demo contract of the demo buyer has a line awaiting verification and another line")
		}
		path := fmt.Sprintf("/contracts/%d", c.ID)
		readers := map[string]*http.Client{"visitor": h.client(t), "resident": h.signedIn(t, "resident@example.org"), "buyer": h.signedIn(t, "buyer@example.org"),
			"supplier": h.signedIn(t, "supplier@example.org"), "admin": h.signedIn(t, "admin@example.org")}
		// same checks the page on both nodes, for every reader, against a
		// node that has kept nothing, and returns the visitor's page.
		same := func(step string) string {
			t.Helper()
			fresh := h.nodeServer(t, h.now)
			var visitor string
			for who, cl := range readers {
				_, want := get(t, cl, fresh.URL+path)
				for _, n := range []string{node2.URL, h.URL} {
					for range 2 {
						res, body := get(t, cl, n+path)
						if res.StatusCode != http.StatusOK || body != want {
							t.Fatalf("%s: %s%s as %s: %d, differs from a node that kept nothing: %v", step, n, path, who, res.StatusCode, body != want)
						}
					}
				}
				if who == "visitor" {
					visitor = want
				}
			}
			return visitor
		}
		before := same("first")

		// A resident's concern posted to node 1 is on node 2's next page.
		const concern = "The minibus on this route has not been seen this term"
		writer := h.signedIn(t, "resident@example.org")
		if res := post(t, writer, h.URL+fmt.Sprintf("%s/lines/%d/concerns", path, other.ID), url.Values{"concern": {concern}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("concern: %d", res.StatusCode)
		}
		if _, body := get(t, readers["visitor"], node2.URL+path); !strings.Contains(body, concern) {
			t.Fatal("node 2 does not show the concern posted to node 1")
		}
		flagged := same("after a concern")
		if flagged == before {
			t.Fatal("the page did not change with a concern")
		}

		// A refused concern (empty) is shown with its error; the kept page
		// is unchanged.
		res, err := writer.PostForm(node2.URL+fmt.Sprintf("%s/lines/%d/concerns", path, other.ID), url.Values{"concern": {" "}})
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(string(b), "Describe your concern in up to 2,000 characters") {
			t.Fatalf("an empty concern: %d", res.StatusCode)
		}
		if same("after a refused concern") != flagged {
			t.Fatal("a refused concern changed the page")
		}

		// The buyer's decision on node 2 is on node 1's next page.
		buyer := h.signedIn(t, "buyer@example.org")
		if res := post(t, buyer, node2.URL+fmt.Sprintf("%s/lines/%d", path, submitted.ID), url.Values{"decision": {"verified"}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("decision: %d", res.StatusCode)
		}
		_, body := get(t, readers["visitor"], h.URL+path)
		if card := body[strings.Index(body, fmt.Sprintf(`id="line-%d"`, submitted.ID)):]; !strings.HasPrefix(card[strings.Index(card, "</h3>"):], `</h3><strong class="govuk-tag govuk-tag--green">Verified`) {
			t.Fatal("node 1 does not show the line verified on node 2")
		}
		same("after a decision")

		// A renamed supplier.
		o, err := s.OrganisationByID(ctx, c.SupplierID)
		if err != nil {
			t.Fatal(err)
		}
		o.LegalName = "Renamed Contract Supplier Ltd"
		if err := s.UpdateOrganisation(ctx, auth.Actor{User: &auth.User{Email: "test", IsAdmin: true}}, o); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(same("after renaming the supplier"), "Renamed Contract Supplier Ltd") {
			t.Fatal("the new name is missing")
		}

		// A year on: expected quantities, statuses and the assessment due
		// move with the clock alone.
		year := same("now")
		h.advance(365 * 24 * time.Hour)
		if same("a year on") == year {
			t.Fatal("the page did not move with the clock")
		}

		// Within one day of the contract's run, hour by hour: "expected by
		// now" moves with the hour, and each page is the fresh node's.
		start, err := time.Parse(time.DateOnly, c.Start)
		if err != nil {
			t.Fatal(err)
		}
		end, _ := time.Parse(time.DateOnly, c.End)
		mid := start.Add(end.Sub(start) / 2)
		day := time.Date(mid.Year(), mid.Month(), mid.Day(), 1, 0, 0, 0, time.UTC)
		seen := map[string]bool{}
		for hour := range 20 {
			h.offset.Store(int64(time.Until(day.Add(time.Duration(hour) * time.Hour))))
			_, want := get(t, readers["visitor"], h.nodeServer(t, h.now).URL+path)
			seen[want] = true
			for _, n := range []string{node2.URL, h.URL} {
				if _, body := get(t, readers["visitor"], n+path); body != want {
					t.Fatalf("%s%s at %s differs from a node that kept nothing", n, path, day.Add(time.Duration(hour)*time.Hour))
				}
			}
		}
		if len(seen) < 2 {
			t.Fatal("the page did not move with the hour")
		}

		for _, p := range []string{"/contracts/999999", "/contracts/x"} {
			for _, n := range []string{h.URL, node2.URL} {
				if res, _ := get(t, readers["visitor"], n+p); res.StatusCode != http.StatusNotFound {
					t.Errorf("%s%s: %d, want 404", n, p, res.StatusCode)
				}
			}
		}
	})
}
