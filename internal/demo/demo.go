// Package demo builds the demonstration data set: Greater Manchester's
// public bodies, fictional businesses and VCSE organisations at real
// postcodes, the GM framework, and a user for every role. Tests and
// browser tests use the same seed.
package demo

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"fmt"
	"strings"
	"time"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/framework"
	"github.com/svhub/svhub/internal/orgs"
	"github.com/svhub/svhub/internal/store"
	"github.com/svhub/svhub/internal/tenders"
)

// Account is a seeded user and the password it was given.
type Account struct {
	Email, Password, Role string
}

// Result says what the seed made.
type Result struct {
	Accounts      []Account
	Organisations int
	FrameworkID   int64
}

const actor = "demo seed"

// Seed fills an empty database. password, when not empty, is used for every
// account (tests); otherwise each gets a random one, shown once.
func Seed(ctx context.Context, s *store.Store, hasher *auth.Hasher, password string, sealer *tenders.Sealer) (*Result, error) {
	if n, err := s.OrganisationCount(ctx); err != nil {
		return nil, err
	} else if n > 0 {
		return nil, fmt.Errorf("seed demo: the database already has %d organisations; seed only an empty database", n)
	}
	if ok, err := s.GeoLoaded(ctx); err != nil || !ok {
		return nil, fmt.Errorf("seed demo: load the reference geography first (svhub import geo): %v", err)
	}
	res := &Result{}
	sys := auth.Actor{User: &auth.User{Email: actor}}
	fw := framework.GM2020()
	fw.Status = framework.Published
	id, err := s.CreateFramework(ctx, sys, fw)
	if err != nil {
		return nil, fmt.Errorf("seed framework: %w", err)
	}
	res.FrameworkID = id
	// The central government Social Value Model (PPN 002) is published
	// beside it, for buyers who choose it; People's Weights stay on GM's.
	ppn := framework.PPN002()
	ppn.Status = framework.Published
	if _, err := s.CreateFramework(ctx, sys, ppn); err != nil {
		return nil, fmt.Errorf("seed PPN 002 framework: %w", err)
	}

	districts, err := s.Districts(ctx)
	if err != nil {
		return nil, err
	}
	postcodes := map[string][]string{}
	byCode := map[string][]string{}
	for _, d := range districts {
		if postcodes[d.Name], err = s.SamplePostcodes(ctx, d.Code, 60); err != nil {
			return nil, err
		}
		byCode[d.Code] = postcodes[d.Name]
	}
	used := map[string]int{}
	postcodeIn := func(district string) string {
		list := postcodes[district]
		if len(list) == 0 {
			return ""
		}
		i := used[district] * 7 % len(list)
		used[district]++
		return list[i]
	}
	slugs := map[string]string{}
	add := func(o orgs.Organisation, district string) error {
		o.Verified = o.Kind == orgs.PublicBody || o.Verified
		if pc := postcodeIn(district); pc != "" {
			place, err := s.ResolvePostcode(ctx, pc)
			if err != nil {
				return err
			}
			o.Sites = []orgs.Site{{Kind: "registered_office", Label: "Head office", Postcode: pc, DistrictCode: place.DistrictCode, WardCode: place.WardCode, LSOACode: place.LSOACode}}
		}
		created, err := s.CreateOrganisation(ctx, sys, o, 0)
		if err != nil {
			return fmt.Errorf("seed %s: %w", o.LegalName, err)
		}
		slugs[o.LegalName] = created.Slug
		res.Organisations++
		return nil
	}
	for _, d := range districts {
		name := d.Name + " Council"
		switch d.Name {
		case "Manchester", "Salford":
			name = d.Name + " City Council"
		case "Bolton", "Bury", "Oldham", "Rochdale", "Stockport", "Tameside", "Trafford", "Wigan":
			name = d.Name + " Council"
		}
		if err := add(orgs.Organisation{Kind: orgs.PublicBody, LegalName: name, Size: "large", Anchor: true, Description: "Local authority for " + d.Name + "."}, d.Name); err != nil {
			return nil, err
		}
	}
	for _, pb := range publicBodies {
		if err := add(orgs.Organisation{Kind: orgs.PublicBody, LegalName: pb.name, Size: "large", Anchor: true, Description: pb.desc}, pb.district); err != nil {
			return nil, err
		}
	}
	for i, b := range businesses {
		o := orgs.Organisation{Kind: orgs.Business, LegalName: b.name, Size: b.size, SICCodes: b.sic, Description: b.desc, CompanyNumber: fmt.Sprintf("%08d", 11000000+i*7919), Verified: i%3 == 0}
		o.Accreditations = verifiedDemo(accreditationsFor(i))
		if err := add(o, b.district); err != nil {
			return nil, err
		}
	}
	for i, v := range vcses {
		o := orgs.Organisation{Kind: orgs.VCSE, Subkind: v.subkind, LegalName: v.name, Size: v.size, Description: v.desc, Verified: i%2 == 0}
		if v.subkind == "charity" {
			o.CharityNumber = fmt.Sprintf("%d", 1100000+i*1237)
		}
		if i%4 == 0 {
			o.Accreditations = []orgs.Accreditation{{Kind: "real_living_wage", AwardedOn: "2023-04-01"}}
			if i%8 == 0 { // every other one stays self-declared, labelled so
				o.Accreditations = verifiedDemo(o.Accreditations)
			}
		}
		if err := add(o, v.district); err != nil {
			return nil, err
		}
	}

	// A user for every role.
	people := []struct {
		email, name, role, org string
		admin                  bool
		orgRole                auth.Role
	}{
		{"admin@example.org", "Hub Administrator", "hub administrator", "", true, ""},
		{"buyer@example.org", "Bea Buyer", "buyer officer, Manchester City Council", "Manchester City Council", false, auth.RoleBuyer},
		{"evaluator@example.org", "Evan Evaluator", "evaluator, Manchester City Council", "Manchester City Council", false, auth.RoleEvaluator},
		{"council-admin@example.org", "Cara Council", "organisation admin, Manchester City Council", "Manchester City Council", false, auth.RoleOrgAdmin},
		{"supplier@example.org", "Sam Supplier", "supplier representative, " + businesses[0].name, businesses[0].name, false, auth.RoleSupplier},
		{"business-admin@example.org", "Bo Business", "organisation admin, " + businesses[0].name, businesses[0].name, false, auth.RoleOrgAdmin},
		{"vcse@example.org", "Val VCSE", "VCSE representative, " + vcses[0].name, vcses[0].name, false, auth.RoleVCSE},
		{"vcse-admin@example.org", "Vic VCSE", "organisation admin, " + vcses[0].name, vcses[0].name, false, auth.RoleOrgAdmin},
		{"resident@example.org", "Rae Resident", "resident", "", false, ""},
	}
	for _, p := range people {
		pw := password
		if pw == "" {
			pw = randomPassword()
		}
		hash, err := hasher.Hash(ctx, pw)
		if err != nil {
			return nil, err
		}
		u, err := s.CreateVerifiedUser(ctx, actor, auth.User{Email: p.email, Name: p.name, PasswordHash: hash, IsAdmin: p.admin, Postcode: postcodeIn("Manchester")})
		if err != nil {
			return nil, fmt.Errorf("seed user %s: %w", p.email, err)
		}
		if p.org != "" {
			o, err := s.OrganisationBySlug(ctx, slugs[p.org])
			if err != nil {
				return nil, err
			}
			if err := s.AddMember(ctx, sys, o.ID, u.ID, p.orgRole); err != nil {
				return nil, err
			}
		}
		res.Accounts = append(res.Accounts, Account{Email: p.email, Password: pw, Role: p.role})
	}
	if err := seedRounds(ctx, s, sys, id, byCode); err != nil {
		return nil, err
	}
	if err := seedFund(ctx, s, sys, slugs); err != nil {
		return nil, err
	}
	if err := seedSpend(ctx, s, sys, slugs); err != nil {
		return nil, err
	}
	full, err := s.Framework(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := seedProcurement(ctx, s, sys, sealer, slugs, full, hasher); err != nil {
		return nil, err
	}
	if err := seedHub(ctx, s, sys, slugs); err != nil {
		return nil, err
	}
	return res, nil
}

func randomPassword() string {
	b := make([]byte, 10)
	_, _ = rand.Read(b)
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))
}

func accreditationsFor(i int) []orgs.Accreditation {
	var out []orgs.Accreditation
	if i%2 == 0 || i < 8 { // every demo bidder declaring the Real Living Wage holds it
		out = append(out, orgs.Accreditation{Kind: "real_living_wage", AwardedOn: "2022-11-01"})
	}
	if i%3 == 0 {
		level := "supporter"
		if i%6 == 0 {
			level = "member"
		}
		out = append(out, orgs.Accreditation{Kind: "good_employment_charter", Level: level, AwardedOn: "2023-06-15"})
	}
	if i%5 == 0 || i == 2 || i == 6 { // and every bidder above £5m the Carbon Reduction Plan
		out = append(out, orgs.Accreditation{Kind: "carbon_reduction_plan", EvidenceURL: "https://example.org/carbon-reduction-plan", TargetYear: 2038, AwardedOn: "2024-01-31"})
	}
	if i%7 == 0 {
		out = append(out, orgs.Accreditation{Kind: "fair_tax_mark", AwardedOn: "2024-05-01", ExpiresOn: "2027-04-30"})
	}
	return out
}

// verifiedDemo marks the demo's accreditations as checked by the hub a
// month ago, the check standing for a year.
func verifiedDemo(as []orgs.Accreditation) []orgs.Accreditation {
	now := time.Now().UTC()
	for i := range as {
		as[i].VerifiedEvidence = "https://example.org/accreditation-register"
		as[i].VerifiedOn = now.AddDate(0, -1, 0).Format(time.DateOnly)
		as[i].VerifiedUntil = now.AddDate(1, -1, 0).Format(time.DateOnly)
		as[i].VerifiedBy = "Demo hub administrator"
	}
	return as
}
