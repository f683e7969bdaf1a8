package web_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/fund"
	"github.com/svhub/svhub/internal/store"
	"github.com/svhub/svhub/internal/storetest"
)

// TestFundRoundKeptUntilItChanges: a fund round's page is built from
// copies kept under the fund's generation, and a progress update, a
// renamed proposer and a phase moved are on the very next page of every
// node (two servers with their own caches on one database), for visitors
// and signed-in people, on both engines.
func TestFundRoundKeptUntilItChanges(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		h := newHubOn(t, s)
		ctx := context.Background()
		node2 := h.nodeServer(t, h.now)
		anon, resident := h.client(t), h.signedIn(t, "resident@example.org")
		check := func(path, want, notWant string) {
			t.Helper()
			for _, node := range []string{h.URL, node2.URL} {
				for who, c := range map[string]*http.Client{"visitor": anon, "resident": resident} {
					res, body := get(t, c, node+path)
					if res.StatusCode != 200 || want != "" && !strings.Contains(body, want) || notWant != "" && strings.Contains(body, notWant) {
						t.Errorf("%s%s as %s: %d, want %q and not %q", node, path, who, res.StatusCode, want, notWant)
					}
				}
			}
		}
		const note = "Forty homes visited this month"
		check("/fund/rounds/1", "Warm and well at home", note)
		admin := auth.Actor{User: &auth.User{Email: "test", IsAdmin: true}}
		ps, err := s.Proposals(ctx, 1)
		if err != nil {
			t.Fatal(err)
		}
		var warm fund.Proposal
		for _, p := range ps {
			if p.Title == "Warm and well at home" {
				warm = p
			}
		}
		if _, err := s.AddFundUpdate(ctx, admin, fund.Update{ProposalID: warm.ID, Percent: 40, Status: "on_track", Note: note}, true); err != nil {
			t.Fatal(err)
		}
		check("/fund/rounds/1", note, "")
		// The delivery part is kept for readers who may report on no
		// funded proposal; one who may sees the forms, with the update.
		const form = `Publish update<span class="govuk-visually-hidden"> for Warm and well at home`
		check("/fund/rounds/1", note, form)
		reporter, err := s.UserByEmail(ctx, "supplier@example.org")
		if err != nil {
			t.Fatal(err)
		}
		if err := s.AddMember(ctx, admin, warm.OrgID, reporter.ID, auth.RoleOrgAdmin); err != nil {
			t.Fatal(err)
		}
		for _, node := range []string{h.URL, node2.URL} {
			if _, body := get(t, h.signedIn(t, "supplier@example.org"), node+"/fund/rounds/1"); !strings.Contains(body, form) || !strings.Contains(body, note) {
				t.Errorf("%s: the proposer's organisation admin does not see the update form and the update", node)
			}
		}
		check("/fund/rounds/1", note, form)
		org, err := s.OrganisationByID(ctx, warm.OrgID)
		if err != nil {
			t.Fatal(err)
		}
		org.LegalName = "Rochdale Carers Renamed"
		if err := s.UpdateOrganisation(ctx, admin, org); err != nil {
			t.Fatal(err)
		}
		check("/fund/rounds/1", "Rochdale Carers Renamed", "")
		check("/fund/rounds/2", ">Voting</dd>", "Voting closed; counting")
		if err := s.MoveFundRound(ctx, admin, 2, fund.PhaseClosed); err != nil {
			t.Fatal(err)
		}
		check("/fund/rounds/2", "Voting closed; counting", "")
		if res, _ := get(t, anon, h.URL+"/fund/rounds/99"); res.StatusCode != 404 {
			t.Errorf("an unknown round: %d", res.StatusCode)
		}

		// The ledger: an entry recorded is on the next /fund of both nodes.
		const entry = "Top-up from the kept-ledger test"
		check("/fund", "Ledger", entry)
		if _, err := s.AddLedgerEntry(ctx, admin, fund.Entry{Kind: fund.Contribution, Pence: 123456, OrgID: org.ID, Sector: fund.SectorOf(org.Kind), Note: entry}); err != nil {
			t.Fatal(err)
		}
		check("/fund", entry, "")
		// A fund manager's entry form lists the organisations, the renamed
		// one under its new name; a refused entry keeps the one chosen.
		manager := h.signedIn(t, "admin@example.org")
		_, page := get(t, manager, h.URL+"/fund")
		option := fmt.Sprintf(`<option value="%d">Rochdale Carers Renamed</option>`, org.ID)
		if !strings.Contains(page, option) {
			t.Errorf("the entry form does not offer %s", option)
		}
		res, err := manager.PostForm(h.URL+"/fund/entries", url.Values{"kind": {"contribution"}, "amount": {"lots"}, "org": {fmt.Sprint(org.ID)}})
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		chosen := fmt.Sprintf(`<option value="%d" selected>Rochdale Carers Renamed</option>`, org.ID)
		if res.StatusCode != 422 || !strings.Contains(string(body), chosen) || !strings.Contains(string(body), "Enter an amount in pounds") {
			t.Errorf("a refused entry: %d, want the organisation still chosen and the reason", res.StatusCode)
		}
		if _, page := get(t, manager, h.URL+"/fund"); !strings.Contains(page, option) || strings.Contains(page, chosen) {
			t.Error("the kept options carry the refused entry's choice")
		}
	})
}
