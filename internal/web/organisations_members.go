package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/mail"
	"github.com/svhub/svhub/internal/orgs"
	"github.com/svhub/svhub/internal/problem"
	"github.com/svhub/svhub/internal/store"
)

func (s *Server) membersPage(w http.ResponseWriter, r *http.Request, o orgs.Organisation, code int, p *page) error {
	members, err := s.Store.MembersOfOrg(r.Context(), o.ID)
	if err != nil {
		return err
	}
	pending, err := s.Store.PendingInvitations(r.Context(), o.ID)
	if err != nil {
		return err
	}
	var roles []auth.Role
	for _, role := range auth.Roles {
		if auth.RoleFitsKind(role, o.Kind) {
			roles = append(roles, role)
		}
	}
	p.Title = "Members of " + o.LegalName
	if p.Errors != nil {
		p.Title = "Error: " + p.Title
	}
	p.Data = map[string]any{"Org": o, "Members": members, "Pending": pending, "Roles": roles}
	s.render(w, r, code, "members", p)
	return nil
}

func (s *Server) members(w http.ResponseWriter, r *http.Request) error {
	o, err := s.loadOrg(r)
	if err != nil {
		return err
	}
	if _, err := require(r, auth.ViewMembers, auth.Target{OrgID: o.ID}); err != nil {
		return err
	}
	return s.membersPage(w, r, o, http.StatusOK, &page{Form: url.Values{}})
}

// InvitationTTL is how long an invitation link works.
const InvitationTTL = 7 * 24 * time.Hour

func (s *Server) invite(w http.ResponseWriter, r *http.Request) error {
	o, a, err := s.orgAction(r, auth.InviteMember)
	if err != nil {
		return err
	}
	var v problem.Invalid
	email, msg := auth.NormaliseEmail(r.PostForm.Get("email"))
	if msg != "" {
		v.Add("email", "%s", msg)
	}
	role, ok := auth.ParseRole(r.PostForm.Get("role"))
	if !ok {
		v.Add("role", "Select a role")
	} else if !auth.RoleFitsKind(role, o.Kind) {
		v.Add("role", "A %s cannot have the role %s", strings.ToLower(o.KindLabel()), role.Label())
	}
	if err := v.Err(); err != nil {
		return s.membersPage(w, r, o, http.StatusUnprocessableEntity, &page{Errors: &v, Form: r.PostForm})
	}
	secret, hash := auth.NewToken()
	if _, err := s.Store.CreateInvitation(r.Context(), a, store.Invitation{OrgID: o.ID, Email: email, Role: role, ExpiresAt: s.now().Add(InvitationTTL)}, hash); err != nil {
		return err
	}
	if err := s.Auth.Mailer.Send(r.Context(), mail.Message{To: email, Subject: "You are invited to join " + o.LegalName + " on Social Value Hub",
		Body: fmt.Sprintf("%s has invited you to join %s on Social Value Hub as %s.\n\nAccept the invitation here (create an account with this email address first if you do not have one):\n\n%s/invitations/%s\n\nThe link expires in 7 days.\n",
			a.User.Name, o.LegalName, role.Label(), s.BaseURL, secret)}); err != nil {
		return err
	}
	setFlash(w, "Invitation sent to "+email)
	return redirect(w, r, "/organisations/"+o.Slug+"/members")
}

func (s *Server) removeMember(w http.ResponseWriter, r *http.Request) error {
	o, a, err := s.orgAction(r, auth.RemoveMember)
	if err != nil {
		return err
	}
	uid, _ := strconv.ParseInt(r.PostForm.Get("user_id"), 10, 64)
	role, _ := auth.ParseRole(r.PostForm.Get("role"))
	if err := s.Store.RemoveMember(r.Context(), a, o.ID, uid, role); err != nil {
		if _, ok := err.(*problem.Invalid); ok {
			return s.membersPage(w, r, o, http.StatusUnprocessableEntity, &page{Errors: err.(*problem.Invalid), Form: url.Values{}})
		}
		return err
	}
	setFlash(w, "Member removed")
	return redirect(w, r, "/organisations/"+o.Slug+"/members")
}

func (s *Server) invitation(w http.ResponseWriter, r *http.Request) error {
	inv, err := s.Store.InvitationByToken(r.Context(), auth.HashToken(r.PathValue("token")))
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "invitation", &page{Title: "Join " + inv.OrgName, Data: map[string]any{"Inv": inv, "Token": r.PathValue("token"), "Expired": !inv.ExpiresAt.After(s.now())}})
	return nil
}

func (s *Server) acceptInvitation(w http.ResponseWriter, r *http.Request) error {
	a, err := requireUser(r)
	if err != nil {
		return err
	}
	if !a.Resident() {
		return fmt.Errorf("confirm your email address before joining an organisation: %w", problem.ErrForbidden)
	}
	inv, err := s.Store.AcceptInvitation(r.Context(), a, auth.HashToken(r.PathValue("token")), s.now())
	if err != nil {
		if _, ok := err.(*problem.Invalid); ok {
			inv, lerr := s.Store.InvitationByToken(r.Context(), auth.HashToken(r.PathValue("token")))
			if lerr != nil {
				return lerr
			}
			return s.invalid(w, r, err, "invitation", &page{Title: "Join " + inv.OrgName, Data: map[string]any{"Inv": inv, "Token": r.PathValue("token")}})
		}
		return err
	}
	setFlash(w, "You have joined "+inv.OrgName+" as "+inv.Role.Label())
	return redirect(w, r, "/organisations/"+inv.OrgSlug)
}
