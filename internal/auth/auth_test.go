package auth

import (
	"context"
	"strings"
	"testing"
	"time"
)

func TestHashAndCheck(t *testing.T) {
	h := NewHasher(2)
	ctx := context.Background()
	phc, err := h.Hash(ctx, "correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(phc, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("not a PHC argon2id string: %s", phc)
	}
	if ok, err := h.Check(ctx, phc, "correct horse battery"); !ok || err != nil {
		t.Fatal("right password refused", err)
	}
	if ok, _ := h.Check(ctx, phc, "correct horse batterY"); ok {
		t.Fatal("wrong password accepted")
	}
	if _, err := h.Check(ctx, "$bcrypt$nonsense", "x"); err == nil {
		t.Fatal("unknown hash format accepted")
	}
	// The dummy hash used for unknown accounts must parse, or timing would leak.
	if _, err := h.Check(ctx, dummyHash, "x"); err != nil {
		t.Fatalf("dummy hash: %v", err)
	}
}

func TestHasherBoundsConcurrency(t *testing.T) {
	h := NewHasher(1)
	h.slots <- struct{}{} // occupy the only slot
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := h.Hash(ctx, "anything at all"); err == nil {
		t.Fatal("hash ran although no slot was free")
	}
}

func TestPasswordStrength(t *testing.T) {
	for pw, bad := range map[string]bool{
		"short":                 true,
		"1234567890":            true,
		"Password123":           true,
		"manchester1":           true,
		"annsmith-is-me":        true, // contains the email's local part
		"correct horse battery": false,
		"tram to piccadilly 42": false,
	} {
		if got := CheckPasswordStrength(pw, "annsmith@example.org") != ""; got != bad {
			t.Errorf("%q: weak=%v, want %v", pw, got, bad)
		}
	}
}

func TestNormaliseEmail(t *testing.T) {
	if e, msg := NormaliseEmail("  Ann@Example.ORG "); e != "ann@example.org" || msg != "" {
		t.Fatalf("%q %q", e, msg)
	}
	for _, bad := range []string{"", "ann", "ann@localhost", "Ann <ann@example.org>", "a@b@c.org"} {
		if _, msg := NormaliseEmail(bad); msg == "" {
			t.Errorf("%q accepted", bad)
		}
	}
}

// TestCan is the permission matrix at the domain level; the HTTP matrix in
// package web checks the same rules through every route.
func TestCan(t *testing.T) {
	now := time.Now()
	verified := func(admin bool, ms ...Membership) Actor {
		return Actor{User: &User{ID: 1, EmailVerifiedAt: &now, IsAdmin: admin}, Memberships: ms}
	}
	unverified := Actor{User: &User{ID: 2, IsAdmin: true}, Memberships: []Membership{{OrgID: 7, Role: RoleOrgAdmin}}}
	orgAdmin := verified(false, Membership{OrgID: 7, OrgKind: "business", Role: RoleOrgAdmin})
	supplier := verified(false, Membership{OrgID: 7, Role: RoleSupplier})
	other := verified(false, Membership{OrgID: 8, Role: RoleOrgAdmin})
	admin := verified(true)
	buyer := verified(false, Membership{OrgID: 9, OrgKind: "public_body", Role: RoleBuyer})
	vcseRep := verified(false, Membership{OrgID: 11, OrgKind: "vcse", Role: RoleVCSE})
	org7 := Target{OrgID: 7}
	cases := []struct {
		name   string
		actor  Actor
		action Action
		target Target
		want   bool
	}{
		{"anyone views the directory", Anonymous, ViewDirectory, Target{}, true},
		{"anonymous cannot create orgs", Anonymous, CreateBusinessOrg, Target{}, false},
		{"unverified cannot create orgs", unverified, CreateBusinessOrg, Target{}, false},
		{"resident creates a business", verified(false), CreateBusinessOrg, Target{}, true},
		{"resident cannot create a public body", verified(false), CreatePublicBody, Target{}, false},
		{"admin creates a public body", admin, CreatePublicBody, Target{}, true},
		{"unverified admin is not admin", unverified, PublishFramework, Target{}, false},
		{"unverified org admin cannot edit", unverified, EditOrg, org7, false},
		{"org admin edits own org", orgAdmin, EditOrg, org7, true},
		{"org admin cannot edit another org", other, EditOrg, org7, false},
		{"supplier cannot edit", supplier, EditOrg, org7, false},
		{"supplier sees members", supplier, ViewMembers, org7, true},
		{"supplier cannot invite", supplier, InviteMember, org7, false},
		{"org admin invites", orgAdmin, InviteMember, org7, true},
		{"admin edits any org", admin, EditOrg, org7, true},
		{"org admin cannot verify", orgAdmin, VerifyOrg, org7, false},
		{"admin verifies", admin, VerifyOrg, org7, true},
		{"resident cannot edit frameworks", verified(false), EditFramework, Target{}, false},
		{"admin publishes frameworks", admin, PublishFramework, Target{}, true},
		{"org admin cannot read audit", orgAdmin, ViewAudit, Target{}, false},
		{"unknown action is refused", admin, Action("nonsense"), Target{}, false},
		{"edit without a target org is refused", orgAdmin, EditOrg, Target{}, false},
		{"resident votes", verified(false), Vote, Target{}, true},
		{"unverified cannot vote", Actor{User: &User{ID: 3}}, Vote, Target{}, false},
		{"business org admin cannot create rounds", orgAdmin, CreateRound, Target{}, false},
		{"buyer creates rounds", buyer, CreateRound, Target{}, true},
		{"buyer resolves suppliers", buyer, ResolveSuppliers, Target{}, true},
		{"business org admin cannot resolve suppliers", orgAdmin, ResolveSuppliers, Target{}, false},
		{"resident cannot resolve suppliers", verified(false), ResolveSuppliers, Target{}, false},
		{"admin resolves suppliers", admin, ResolveSuppliers, Target{}, true},
		{"buyer creates a tender for its body", buyer, CreateTender, Target{OrgID: 9}, true},
		{"buyer cannot create for another body", buyer, CreateTender, Target{OrgID: 10}, false},
		{"hub admin does not run a body's tenders", admin, ManageTender, Target{OrgID: 9}, false},
		{"supplier cannot manage a tender", supplier, ManageTender, Target{OrgID: 9}, false},
		{"supplier bids for its organisation", supplier, Bid, org7, true},
		{"business org admin bids", orgAdmin, Bid, org7, true},
		{"other org cannot bid as org 7", other, Bid, org7, false},
		{"buyer cannot bid", buyer, Bid, org7, false},
		{"supplier reports delivery", supplier, ReportDelivery, org7, true},
		{"other org cannot report on org 7's contract", other, ReportDelivery, org7, false},
		{"resident flags a concern", verified(false), FlagConcern, Target{}, true},
		{"anonymous cannot flag a concern", Anonymous, FlagConcern, Target{}, false},
		{"VCSE rep posts a need", vcseRep, PostNeed, Target{OrgID: 11}, true},
		{"buyer posts a need for its body", buyer, PostNeed, Target{OrgID: 9}, true},
		{"supplier cannot post a need", supplier, PostNeed, org7, false},
		{"business org admin posts an offer", orgAdmin, PostOffer, org7, true},
		{"VCSE rep cannot post an offer", vcseRep, PostOffer, Target{OrgID: 11}, false},
		{"buyer cannot post an offer", buyer, PostOffer, Target{OrgID: 9}, false},
		{"admin moderates needs", admin, ModerateHub, Target{}, true},
		{"VCSE rep cannot moderate", vcseRep, ModerateHub, Target{}, false},
		{"rep of a trusted VCSE body moderates", verified(false, Membership{OrgID: 12, OrgKind: "vcse", OrgModerates: true, Role: RoleVCSE}), ModerateHub, Target{}, true},
		{"buyer manages own body's round", buyer, ManageRound, Target{OrgID: 9}, true},
		{"buyer cannot manage another body's round", buyer, ManageRound, Target{OrgID: 10}, false},
		{"buyer cannot manage a hub round", buyer, ManageRound, Target{}, false},
		{"admin manages any round", admin, ManageRound, Target{}, true},
		{"vcse rep runs own workshop", vcseRep, RunWorkshop, Target{OrgID: 11}, true},
		{"vcse rep cannot use another org", vcseRep, RunWorkshop, Target{OrgID: 12}, false},
		{"business admin cannot run workshops", orgAdmin, RunWorkshop, Target{OrgID: 7}, false},
	}
	for _, c := range cases {
		if got := Can(c.actor, c.action, c.target); got != c.want {
			t.Errorf("%s: Can = %v, want %v", c.name, got, c.want)
		}
	}
}

func TestRoleFitsKind(t *testing.T) {
	if RoleFitsKind(RoleBuyer, "business") || !RoleFitsKind(RoleBuyer, "public_body") || RoleFitsKind(RoleVCSE, "business") || !RoleFitsKind(RoleSupplier, "vcse") {
		t.Fatal("role/kind rules wrong")
	}
}
