package web

import (
	"testing"
	"time"

	"github.com/svhub/svhub/internal/auth"
)

// One function writes every count on the site with its agreeing word.
func TestPlural(t *testing.T) {
	for _, c := range []struct {
		n    any
		want string
	}{
		{1, "1 person"}, {0, "0 people"}, {2, "2 people"}, {int64(2345), "2,345 people"},
		{int64(1234567), "1,234,567 people"}, {-1, "-1 person"}, {int32(-1500), "-1,500 people"},
	} {
		if got, err := plural(c.n, "person", "people"); err != nil || got != c.want {
			t.Errorf("plural(%v) = %q, %v; want %q", c.n, got, err, c.want)
		}
	}
	if _, err := plural(3.92, "person", "people"); err == nil {
		t.Error("a fraction of a person was counted")
	}
}

// The upload link is offered only to those the upload page lets in.
func TestUploadsSpendMatchesUploadBodies(t *testing.T) {
	now := time.Now()
	resident := auth.Actor{User: &auth.User{Email: "r@example.org", EmailVerifiedAt: &now}}
	supplier := auth.Actor{User: &auth.User{Email: "s@example.org", EmailVerifiedAt: &now}, Memberships: []auth.Membership{{OrgID: 2, OrgKind: "business", Role: auth.RoleSupplier}}}
	buyer := auth.Actor{User: &auth.User{Email: "b@example.org", EmailVerifiedAt: &now}, Memberships: []auth.Membership{{OrgID: 3, OrgKind: "public_body", Role: auth.RoleBuyer}}}
	for a, want := range map[*auth.Actor]bool{&auth.Anonymous: false, &resident: false, &supplier: false, &buyer: true} {
		if got := uploadsSpend(*a); got != want {
			t.Errorf("%+v: %v, want %v", a.User, got, want)
		}
	}
}
