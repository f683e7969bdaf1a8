package web

import (
	"context"
	"net/http"
	"strings"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/geo"
	"github.com/svhub/svhub/internal/orgs"
	"github.com/svhub/svhub/internal/problem"
)

// geocodeSite normalises a postcode and places it; the message explains a bad one.
func (s *Server) geocodeSite(r *http.Request, kind, label, postcode string) (orgs.Site, string) {
	n, err := geo.NormalisePostcode(postcode)
	if err != nil {
		if postcode == "" {
			return orgs.Site{}, "Enter the postcode of the registered office"
		}
		return orgs.Site{}, "Enter a real postcode: " + err.Error()
	}
	site := orgs.Site{Kind: kind, Label: label, Postcode: n}
	place, err := s.Store.ResolvePostcode(r.Context(), n)
	if err == nil {
		site.DistrictCode, site.WardCode, site.LSOACode = place.DistrictCode, place.WardCode, place.LSOACode
	}
	return site, ""
}

func (s *Server) addSite(w http.ResponseWriter, r *http.Request) error {
	o, a, err := s.orgAction(r, auth.EditOrg)
	if err != nil {
		return err
	}
	kind := r.PostForm.Get("site_kind")
	var v problem.Invalid
	if kind != "registered_office" && kind != "branch" {
		v.Add("site_kind", "Select registered office or branch")
	}
	site, msg := s.geocodeSite(r, kind, strings.TrimSpace(r.PostForm.Get("site_label")), strings.TrimSpace(r.PostForm.Get("site_postcode")))
	if msg != "" {
		v.Add("site_postcode", "%s", strings.Replace(msg, "of the registered office", "of the site", 1))
	}
	if err := v.Err(); err != nil {
		data, derr := s.orgData(r, o)
		if derr != nil {
			return derr
		}
		return s.invalid(w, r, err, "organisation", &page{Title: o.LegalName, Data: data})
	}
	site.OrgID = o.ID
	if err := s.Store.AddSite(r.Context(), a, site); err != nil {
		return err
	}
	setFlash(w, "Site added")
	return redirect(w, r, "/organisations/"+o.Slug+"#sites")
}

// deletePart removes a site or an accreditation (by the id in the path)
// of the organisation in the path.
func (s *Server) deletePart(del func(ctx context.Context, a auth.Actor, orgID, id int64) error, done, anchor string) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		o, a, err := s.orgAction(r, auth.EditOrg)
		if err != nil {
			return err
		}
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		if err := del(r.Context(), a, o.ID, id); err != nil {
			return err
		}
		setFlash(w, done)
		return redirect(w, r, "/organisations/"+o.Slug+anchor)
	}
}

func (s *Server) addAccreditation(w http.ResponseWriter, r *http.Request) error {
	o, a, err := s.orgAction(r, auth.EditOrg)
	if err != nil {
		return err
	}
	f := r.PostForm
	acc := orgs.Accreditation{OrgID: o.ID, Kind: f.Get("acc_kind"), Level: f.Get("acc_level"), EvidenceURL: strings.TrimSpace(f.Get("acc_evidence_url")),
		AwardedOn: strings.TrimSpace(f.Get("acc_awarded_on")), ExpiresOn: strings.TrimSpace(f.Get("acc_expires_on")), TargetYear: orgs.ParseYear(f.Get("acc_target_year"))}
	if acc.Kind != "good_employment_charter" {
		acc.Level = ""
	}
	if err := acc.Validate(s.now()); err != nil {
		// Field names in the form carry an acc_ prefix.
		if inv, ok := err.(*problem.Invalid); ok {
			for i := range inv.Fields {
				inv.Fields[i].Field = "acc_" + inv.Fields[i].Field
			}
		}
		data, derr := s.orgData(r, o)
		if derr != nil {
			return derr
		}
		return s.invalid(w, r, err, "organisation", &page{Title: o.LegalName, Data: data})
	}
	if err := s.Store.AddAccreditation(r.Context(), a, acc); err != nil {
		return err
	}
	setFlash(w, "Accreditation added")
	return redirect(w, r, "/organisations/"+o.Slug+"#accreditations")
}
