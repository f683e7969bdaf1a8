package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/orgs"
	"github.com/svhub/svhub/internal/store"
	"github.com/svhub/svhub/internal/storetest"
)

// TestDirectoryKeptUntilItChanges: the directory's results, organisation
// pages and the kite marks list are kept between requests, yet every write
// behind them is on the next page of both of two nodes sharing one
// database, and an accreditation whose check lapses overnight shows so the
// next day with nothing written. Fails if the kept copies ignore the
// directory's generation or the day.
func TestDirectoryKeptUntilItChanges(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		h := newHubOn(t, s)
		node2 := h.nodeServer(t, h.now)
		c := h.client(t)
		check := func(what string, paths []string, want, notWant string) {
			t.Helper()
			for range 2 { // the second time from what was kept
				for _, node := range []string{h.URL, node2.URL} {
					for _, path := range paths {
						res, body := get(t, c, node+path)
						if res.StatusCode != 200 || !strings.Contains(body, want) || notWant != "" && strings.Contains(body, notWant) {
							t.Errorf("%s: %s%s: %d, want %q and not %q", what, node, path, res.StatusCode, want, notWant)
						}
					}
				}
			}
		}
		search := []string{"/organisations?q=zeta", "/organisations?q=zeta&bench=1"}
		check("before", search, "<strong>0</strong> organisations found", "Zeta")
		check("before", []string{"/kitemarks.json"}, `"kite_marks"`, "zeta")

		admin := auth.Actor{User: &auth.User{Email: "test", IsAdmin: true}}
		o, err := h.store.CreateOrganisation(ctx, admin, orgs.Organisation{Kind: orgs.VCSE, Subkind: "community_group", LegalName: "Zeta Test Group"}, 0)
		if err != nil {
			t.Fatal(err)
		}
		check("created", search, "Zeta Test Group", "<strong>0</strong>")
		check("created", []string{"/organisations/" + o.Slug}, "Zeta Test Group", "")

		o.LegalName = "Zeta Renamed Group"
		if err := h.store.UpdateOrganisation(ctx, admin, o); err != nil {
			t.Fatal(err)
		}
		check("renamed", append(search, "/organisations/"+o.Slug), "Zeta Renamed Group", "Zeta Test Group")

		text, err := h.store.CurrentPledge(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if err := h.store.SignPledge(ctx, admin, o.ID, text.Version, nil, h.now()); err != nil {
			t.Fatal(err)
		}
		check("pledged", []string{"/kitemarks.json"}, `"slug": "`+o.Slug+`",
      "level": "Committed"`, "")

		london, err := time.LoadLocation("Europe/London")
		if err != nil {
			t.Fatal(err)
		}
		today := h.now().In(london)
		if err := h.store.AddAccreditation(ctx, admin, orgs.Accreditation{OrgID: o.ID, Kind: "fair_tax_mark", AwardedOn: today.AddDate(-1, 0, 0).Format(time.DateOnly),
			VerifiedOn: today.Format(time.DateOnly), VerifiedUntil: today.AddDate(0, 0, 1).Format(time.DateOnly), VerifiedBy: "test"}); err != nil {
			t.Fatal(err)
		}
		verified := `Fair Tax Mark: <strong class="govuk-tag govuk-tag--green">Verified</strong>`
		check("accredited", append(search, "/organisations?accreditation=fair_tax_mark&q=zeta"), verified, "")

		h.advance(72 * time.Hour) // nothing written: the check lapses with the day
		check("lapsed", search, `Fair Tax Mark: <strong class="govuk-tag govuk-tag--grey">Verification expired</strong>`, verified)
		check("lapsed", []string{"/organisations?accreditation=fair_tax_mark&q=zeta"}, "<strong>0</strong> organisations found", "Zeta")
	})
}
