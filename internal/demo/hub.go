package demo

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/hub"
	"github.com/svhub/svhub/internal/store"
)

// seedHub posts needs and offers, with one accepted and one delivered
// match, so the brokerage pages have something in them on first run.
func seedHub(ctx context.Context, s *store.Store, sys auth.Actor, slugs map[string]string) error {
	now := time.Now().UTC()
	org := func(name string) (int64, error) {
		o, err := s.OrganisationBySlug(ctx, slugs[name])
		return o.ID, err
	}
	type needSpec struct {
		org, title, desc, kind, area string
		prio                         []string
		size                         int64
		top, open                    bool
	}
	needs := []needSpec{
		{vcses[0].name, "Volunteers to cook Saturday lunches", "Help us cook and serve a hot lunch for 80 families every Saturday.", "volunteers", "E08000003", []string{"P4", "P3"}, 60, true, true},
		{vcses[1].name, "Employers for mock interviews", "Young people practise interviews with real employers before applying for jobs.", "expertise", "E08000006", []string{"P3"}, 20, true, true},
		{vcses[2].name, "Laptops for English classes", "Refurbished laptops so learners can practise at home.", "goods", "E08000001", []string{"P3", "P4"}, 15, false, true},
		{vcses[3].name, "Tools and gloves for park volunteers", "Spades, rakes, gloves and a storage box for our Saturday park days.", "goods", "E08000004", []string{"P5"}, 30, false, false},
		{vcses[0].name, "Help with our accounts", "A bookkeeper to set up our accounts before the charity's year end.", "expertise", "E08000003", []string{"P4"}, 8, false, true},
	}
	needIDs := make([]int64, len(needs))
	for i, n := range needs {
		id, err := org(n.org)
		if err != nil {
			return fmt.Errorf("seed need: %w", err)
		}
		needIDs[i], err = s.CreateNeed(ctx, sys, hub.Need{OrgID: id, Title: n.title, Description: n.desc, Kind: n.kind, Area: n.area, Priorities: n.prio, Size: n.size,
			Contact: "Email the coordinator at hello@example.org", TopChallenge: n.top}, now.AddDate(0, 0, -20+i))
		if err != nil {
			return fmt.Errorf("seed need: %w", err)
		}
		if n.open {
			if err := s.MoveNeed(ctx, sys, needIDs[i], hub.Open, now.AddDate(0, 0, -19+i)); err != nil {
				return err
			}
		}
	}
	type offerSpec struct {
		org, title, desc, kind, area, skills string
		prio                                 []string
		capacity                             int64
	}
	offers := []offerSpec{
		{businesses[2].name, "Staff volunteering days", "Our cleaning and facilities teams give two days a year each to community projects.", "volunteers", "E08000003", "", []string{"P4"}, 100},
		{businesses[1].name, "Pro bono web and digital help", "Websites, online forms and digital skills for community groups.", "expertise", "", "web design, accessibility, digital skills", []string{"P4", "P3"}, 40},
		{businesses[5].name, "Mock interviews and CV clinics", "Our managers run mock interviews and CV clinics.", "expertise", "E08000006", "interviewing, recruitment", []string{"P3"}, 30},
		{businesses[4].name, "Refurbished laptops", "Laptops from our fleet refresh, wiped and refurbished.", "goods", "", "", []string{"P3"}, 10},
	}
	offerIDs := make([]int64, len(offers))
	for i, o := range offers {
		id, err := org(o.org)
		if err != nil {
			return fmt.Errorf("seed offer: %w", err)
		}
		var skills []string
		for _, sk := range strings.Split(o.skills, ",") {
			if sk = strings.TrimSpace(sk); sk != "" {
				skills = append(skills, sk)
			}
		}
		if offerIDs[i], err = s.CreateOffer(ctx, sys, hub.Offer{OrgID: id, Title: o.title, Description: o.desc, Kind: o.kind, Area: o.area, Skills: skills, Priorities: o.prio, Capacity: o.capacity}, now.AddDate(0, 0, -15+i)); err != nil {
			return fmt.Errorf("seed offer: %w", err)
		}
	}
	// Volunteering days for the kitchen: accepted; laptops for the classes: delivered.
	volunteers, err := org(offers[0].org)
	if err != nil {
		return err
	}
	classes, err := org(needs[2].org)
	if err != nil {
		return err
	}
	m1, err := s.ProposeMatch(ctx, sys, needIDs[0], offerIDs[0], volunteers, 24, 0.85, now.AddDate(0, 0, -10))
	if err != nil {
		return err
	}
	if err := s.DecideMatch(ctx, sys, m1, true, "", now.AddDate(0, 0, -9)); err != nil {
		return err
	}
	m2, err := s.ProposeMatch(ctx, sys, needIDs[2], offerIDs[3], classes, 10, 0.78, now.AddDate(0, 0, -12))
	if err != nil {
		return err
	}
	if err := s.DecideMatch(ctx, sys, m2, true, "", now.AddDate(0, 0, -11)); err != nil {
		return err
	}
	if err := seedResources(ctx, s, sys, slugs, now); err != nil {
		return err
	}
	if err := seedPledges(ctx, s, sys, slugs, now); err != nil {
		return err
	}
	on := now.AddDate(0, 0, -5).Format(time.DateOnly)
	for _, side := range []string{"offer", "need"} {
		if _, err := s.ConfirmDelivery(ctx, sys, m2, side, 10, on, now.AddDate(0, 0, -4)); err != nil {
			return err
		}
	}
	return nil
}

// seedResources publishes a few library items, in our own words.
func seedResources(ctx context.Context, s *store.Store, sys auth.Actor, slugs map[string]string, now time.Time) error {
	gmca, err := s.OrganisationBySlug(ctx, slugs[publicBodies[0].name])
	if err != nil {
		return err
	}
	items := []hub.Resource{
		{OrgID: gmca.ID, Title: "Social value in a tender: a first guide for buyers", Kind: "guidance", Sectors: []string{"public"}, Priorities: []string{"P3", "P6"}, Level: "introductory",
			Summary: "How to choose measures, weight social value and use the People's Weights.",
			Body:    "## Start with what residents said\n\nUse the published **People's Weights** so the priorities residents chose carry the most weight.\n\n## Choose a few measures\n\n- Pick measures the contract can really influence\n- Prefer measures you can verify\n- Ask for a delivery plan for every commitment\n\n## Weight it properly\n\nGive social value at least 10% of the evaluation, and say how commitments will be compared."},
		{OrgID: gmca.ID, Title: "Writing a strong social value answer", Kind: "training", Sectors: []string{"private", "vcse"}, Priorities: []string{"P3", "P4"}, Level: "introductory",
			Summary: "A 20-minute module for suppliers bidding for public contracts.",
			Body:    "## What evaluators look for\n\n1. A clear link to the contract\n2. Named partners and places in Greater Manchester\n3. Numbers you can evidence every quarter\n\n## Common mistakes\n\n- Promising what would have happened anyway\n- Counting the same apprentice twice\n\nWhen you are done, mark the module as completed."},
		{OrgID: gmca.ID, Title: "Case study: volunteering that community groups asked for", Kind: "case_study", Sectors: []string{"private", "vcse"}, Priorities: []string{"P4"}, Level: "intermediate", ContractID: 1,
			Summary: "A supplier matched its staff volunteering to community needs on the hub.",
			Body:    "A supplier linked its volunteering offer to its contract commitment. Community groups confirmed each day delivered, so the buyer could verify it without chasing paperwork."},
		{OrgID: gmca.ID, Title: "Template: quarterly social value delivery report", Kind: "template", Sectors: []string{"private"}, Priorities: []string{"P1", "P3", "P5"}, Level: "introductory",
			Summary: "The fields a buyer needs to verify a delivery claim.",
			Body:    "For each commitment: the quantity delivered this quarter, where, the evidence you hold, and two declarations — that it is attributable only to this contract and period, and that it would not have happened anyway."},
	}
	for _, r := range items {
		id, err := s.CreateResource(ctx, sys, r, now.AddDate(0, -1, 0))
		if err != nil {
			return fmt.Errorf("seed resource: %w", err)
		}
		for _, to := range []string{hub.ResReview, hub.ResPublished} {
			if err := s.MoveResource(ctx, sys, id, to, now.AddDate(0, 0, -20)); err != nil {
				return err
			}
		}
	}
	return nil
}

// seedPledges signs the pledge for some businesses, with reports, names a
// champion and declares a partnership for the network.
func seedPledges(ctx context.Context, s *store.Store, sys auth.Actor, slugs map[string]string, now time.Time) error {
	for i, b := range businesses[:6] {
		o, err := s.OrganisationBySlug(ctx, slugs[b.name])
		if err != nil {
			return err
		}
		if err := s.SignPledge(ctx, sys, o.ID, 1, []string{"P1", "P3", "P6"}[:1+i%3], now.AddDate(-1, 0, 0)); err != nil {
			return err
		}
		if i%2 == 0 {
			if err := s.ReportPledge(ctx, sys, o.ID, now.Year(), "We paid the Real Living Wage, bought from local suppliers and offered work placements.", now.AddDate(0, -1, 0)); err != nil {
				return err
			}
		}
		if i == 0 {
			if err := s.AddChampion(ctx, sys, hub.Champion{OrgID: o.ID, Name: "Priya Shah", Role: "Operations director", Consent: true}, now); err != nil {
				return err
			}
		}
	}
	gmca, err := s.OrganisationBySlug(ctx, slugs[publicBodies[0].name])
	if err != nil {
		return err
	}
	youth, err := s.OrganisationBySlug(ctx, slugs[vcses[1].name])
	if err != nil {
		return err
	}
	return s.DeclareRelationship(ctx, sys, gmca.ID, youth.ID, "partnership", "2024-04-01", now)
}
