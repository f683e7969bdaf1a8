package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/svhub/svhub/internal/audit"
	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/framework"
	"github.com/svhub/svhub/internal/geo"
	"github.com/svhub/svhub/internal/orgs"
	"github.com/svhub/svhub/internal/problem"
	"github.com/svhub/svhub/internal/store"
	"github.com/svhub/svhub/internal/storetest"
)

var ctx = context.Background()

func mkUser(t testing.TB, s *store.Store, email string, admin bool) auth.Actor {
	t.Helper()
	u, err := s.CreateVerifiedUser(ctx, "test", auth.User{Email: email, Name: email, PasswordHash: "x", IsAdmin: admin})
	if err != nil {
		t.Fatal(err)
	}
	a, err := s.ActorForUser(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestUsersTokensSessions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		now := time.Now()
		u, err := s.CreateUser(ctx, auth.User{Email: "a@example.org", Name: "A", PasswordHash: "h", CreatedAt: now}, "vhash", now.Add(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.CreateUser(ctx, auth.User{Email: "a@example.org", Name: "B", PasswordHash: "h", CreatedAt: now}, "vhash2", now.Add(time.Hour)); !errors.Is(err, problem.ErrConflict) {
			t.Fatalf("duplicate email: %v", err)
		}
		if _, err := s.ConsumeVerifyToken(ctx, "vhash", now.Add(2*time.Hour)); !errors.Is(err, problem.ErrNotFound) {
			t.Fatalf("expired token accepted: %v", err)
		}
		v, err := s.ConsumeVerifyToken(ctx, "vhash", now.Add(time.Minute))
		if err != nil || !v.Verified() {
			t.Fatalf("verify: %v %+v", err, v)
		}
		if _, err := s.ConsumeVerifyToken(ctx, "vhash", now.Add(time.Minute)); !errors.Is(err, problem.ErrNotFound) {
			t.Fatalf("token reused: %v", err)
		}
		if err := s.CreateSession(ctx, "sess", u.ID, now, now.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		a, err := s.SessionActor(ctx, "sess", now.Add(time.Minute))
		if err != nil || a.User == nil || a.User.ID != u.ID {
			t.Fatalf("session: %v %+v", err, a)
		}
		if a, _ := s.SessionActor(ctx, "sess", now.Add(2*time.Hour)); a.User != nil {
			t.Fatal("expired session still signed in")
		}
		if err := s.AddUserToken(ctx, u.ID, auth.PurposeReset, "rhash", now.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if _, err := s.ConsumeResetToken(ctx, "rhash", "newhash", now.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		if a, _ := s.SessionActor(ctx, "sess", now.Add(time.Minute)); a.User != nil {
			t.Fatal("password reset must end existing sessions")
		}
		got, _ := s.UserByEmail(ctx, "a@example.org")
		if got.PasswordHash != "newhash" {
			t.Fatal("password not changed")
		}
		if err := s.RecordLoginFailure(ctx, []string{"acct:a", "ip:1"}, now); err != nil {
			t.Fatal(err)
		}
		if n, _ := s.CountLoginFailures(ctx, "acct:a", now.Add(-time.Minute)); n != 1 {
			t.Fatalf("failures %d", n)
		}
		if n, _ := s.CountLoginFailures(ctx, "acct:a", now.Add(time.Second)); n != 0 {
			t.Fatalf("failures after window %d", n)
		}
	})
}

func TestOrganisationsMembersInvitations(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		admin := mkUser(t, s, "admin@example.org", true)
		owner := mkUser(t, s, "owner@example.org", false)
		o, err := s.CreateOrganisation(ctx, owner, orgs.Organisation{Kind: orgs.Business, LegalName: "Acme Ltd", Size: "small",
			Sites:          []orgs.Site{{Kind: "registered_office", Postcode: "M1 1AE"}},
			Accreditations: []orgs.Accreditation{{Kind: "real_living_wage", AwardedOn: "2024-01-01"}}}, owner.ID())
		if err != nil {
			t.Fatal(err)
		}
		o2, err := s.CreateOrganisation(ctx, admin, orgs.Organisation{Kind: orgs.Business, LegalName: "Acme Ltd"}, 0)
		if err != nil || o2.Slug != "acme-ltd-2" {
			t.Fatalf("second slug %q %v", o2.Slug, err)
		}
		got, err := s.OrganisationBySlug(ctx, "acme-ltd")
		if err != nil || len(got.Sites) != 1 || len(got.Accreditations) != 1 || !got.SME() {
			t.Fatalf("%v %+v", err, got)
		}
		members, _ := s.MembersOfOrg(ctx, o.ID)
		if len(members) != 1 || members[0].Role != auth.RoleOrgAdmin {
			t.Fatalf("members %+v", members)
		}
		if err := s.RemoveMember(ctx, admin, o.ID, owner.ID(), auth.RoleOrgAdmin); err == nil {
			t.Fatal("removed the last organisation admin")
		}
		list, total, err := s.ListOrganisations(ctx, orgs.Filter{Query: "acme", SME: true, Accred: "real_living_wage", SelfDeclared: true})
		if err != nil || total != 1 || len(list) != 1 {
			t.Fatalf("filter: %v %d %d", err, total, len(list))
		}
		if _, total, _ := s.ListOrganisations(ctx, orgs.Filter{Query: "acme", SME: true, Accred: "real_living_wage", Today: "2026-12-07"}); total != 0 {
			t.Fatalf("a self-declared accreditation passed the verified-only filter: %d", total)
		}
		inv, err := s.CreateInvitation(ctx, owner, store.Invitation{OrgID: o.ID, Email: "new@example.org", Role: auth.RoleSupplier, ExpiresAt: time.Now().Add(time.Hour)}, "ihash")
		if err != nil {
			t.Fatal(err)
		}
		stranger := mkUser(t, s, "stranger@example.org", false)
		if _, err := s.AcceptInvitation(ctx, stranger, "ihash", time.Now()); !errors.Is(err, problem.ErrForbidden) {
			t.Fatalf("someone else accepted: %v", err)
		}
		invited := mkUser(t, s, "new@example.org", false)
		if _, err := s.AcceptInvitation(ctx, invited, "ihash", time.Now()); err != nil {
			t.Fatal(err)
		}
		if _, err := s.AcceptInvitation(ctx, invited, "ihash", time.Now()); err == nil {
			t.Fatal("invitation used twice")
		}
		ms, _ := s.MembershipsOfUser(ctx, invited.ID())
		if len(ms) != 1 || ms[0].OrgID != inv.OrgID || ms[0].Role != auth.RoleSupplier {
			t.Fatalf("memberships %+v", ms)
		}
		if n, err := s.VerifyAudit(ctx); err != nil || n < 8 {
			t.Fatalf("audit %d %v", n, err)
		}
	})
}

func TestFrameworkLifecycle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		admin := mkUser(t, s, "admin@example.org", true)
		gm := framework.GM2020()
		id, err := s.CreateFramework(ctx, admin, gm)
		if err != nil {
			t.Fatal(err)
		}
		f, err := s.Framework(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if len(f.Priorities) != 6 || f.MeasureCount() != gm.MeasureCount() {
			t.Fatalf("loaded %d priorities %d measures", len(f.Priorities), f.MeasureCount())
		}
		m := f.Priorities[4].Outcomes[0].Measures[0]
		if len(m.Proxies) != 1 || m.Proxies[0].PencePerUnit != 24100 {
			t.Fatalf("proxy lost: %+v", m)
		}
		m.Wording = "Edited wording"
		if err := s.UpdateMeasure(ctx, admin, id, m); err != nil {
			t.Fatal(err)
		}
		if err := s.PublishFramework(ctx, admin, id); err != nil {
			t.Fatal(err)
		}
		if err := s.UpdateMeasure(ctx, admin, id, m); !errors.Is(err, problem.ErrConflict) {
			t.Fatalf("edited a published edition: %v", err)
		}
		if err := s.PublishFramework(ctx, admin, id); !errors.Is(err, problem.ErrConflict) {
			t.Fatalf("published twice: %v", err)
		}
		if _, err := s.NewDraftEdition(ctx, admin, id, "2020"); err == nil {
			t.Fatal("duplicate edition name accepted")
		}
		nid, err := s.NewDraftEdition(ctx, admin, id, "2026")
		if err != nil {
			t.Fatal(err)
		}
		n, _ := s.Framework(ctx, nid)
		if n.Status != framework.Draft || n.MeasureCount() != f.MeasureCount() || n.Priorities[4].Outcomes[0].Measures[0].Wording != "Edited wording" {
			t.Fatalf("copy: %+v", n)
		}
	})
}

func TestGeoImportAndResolve(t *testing.T) {
	ref, err := geo.Load(geo.ShippedFS())
	if err != nil {
		t.Fatal(err)
	}
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		if err := s.ImportGeo(ctx, "test", ref, nil); err != nil {
			t.Fatal(err)
		}
		// Importing twice replaces rather than duplicates.
		if err := s.ImportGeo(ctx, "test", ref, nil); err != nil {
			t.Fatal(err)
		}
		p, err := s.ResolvePostcode(ctx, "M15 4AB")
		if err != nil || p.Confidence != geo.Exact || p.DistrictName != "Trafford" || p.LSOACode != "E01006185" || p.WardName == "" || p.IMDDecile == 0 {
			t.Fatalf("exact: %v %+v", err, p)
		}
		p, err = s.ResolvePostcode(ctx, "BL1 1AA")
		if err != nil || p.Confidence != geo.Located || p.DistrictName != "Bolton" || p.LSOACode == "" || p.WardCode == "" {
			t.Fatalf("located: %v %+v", err, p)
		}
		p, err = s.ResolvePostcode(ctx, "BL1 9ZZ")
		if err != nil || p.Confidence != geo.ByOutward || p.DistrictName != "Bolton" || p.LSOACode != "" {
			t.Fatalf("district only: %v %+v", err, p)
		}
		p, _ = s.ResolvePostcode(ctx, "SW1A 1AA")
		if p.Confidence != geo.Unknown {
			t.Fatalf("outside GM: %+v", p)
		}
		js, err := s.GeoLayer(ctx, "districts")
		if err != nil || len(js) < 1000 {
			t.Fatalf("layer: %v", err)
		}
	})
}

func TestAuditTamperDetected(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		for _, e := range []string{"a@example.org", "b@example.org", "c@example.org"} {
			mkUser(t, s, e, false)
		}
		if n, err := s.VerifyAudit(ctx); err != nil || n != 3 {
			t.Fatalf("clean chain: %d %v", n, err)
		}
		if err := store.TamperAuditForTest(s, 2, `{"before":null,"after":{"email":"evil@example.org"}}`); err != nil {
			t.Fatal(err)
		}
		_, err := s.VerifyAudit(ctx)
		var b *audit.Break
		if !errors.As(err, &b) || b.Seq != 2 {
			t.Fatalf("tampering not reported at event 2: %v", err)
		}
	})
}

func TestBackup(t *testing.T) {
	s := storetest.SQLite(t)
	mkUser(t, s, "a@example.org", false)
	path := t.TempDir() + "/backup.db"
	if err := s.Backup(ctx, path); err != nil {
		t.Fatal(err)
	}
	if err := s.Backup(ctx, path); err == nil {
		t.Fatal("backup overwrote an existing file")
	}
	r, err := store.Open(ctx, "sqlite:"+path, false)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if _, err := r.UserByEmail(ctx, "a@example.org"); err != nil {
		t.Fatalf("restored copy lacks the user: %v", err)
	}
	if n, err := r.VerifyAudit(ctx); err != nil || n != 1 {
		t.Fatalf("restored audit: %d %v", n, err)
	}
}

func orgsVCSE(name string) orgs.Organisation {
	return orgs.Organisation{Kind: orgs.VCSE, Subkind: "community_group", LegalName: name}
}

// requireTriggers fails the test unless each table has, for each kind of
// write (INSERT, UPDATE, DELETE), a trigger whose name contains part (the
// generation it raises), so a table rebuilt by a later migration without
// them fails; what names the generation in messages.
func requireTriggers(t *testing.T, s *store.Store, part, what string, tables ...string) {
	t.Helper()
	triggers, err := s.GenerationTriggersForTest(ctx, part)
	if err != nil {
		t.Fatal(err)
	}
	for _, table := range tables {
		for _, op := range []string{"INSERT", "UPDATE", "DELETE"} {
			if !triggers[table][op] {
				t.Errorf("%s: no trigger raises %s on %s", table, what, op)
			}
		}
	}
}
