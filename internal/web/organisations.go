package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/orgs"
	"github.com/svhub/svhub/internal/problem"
)

const pageSize = 25

// filterFrom reads the directory filter; an accreditation filter counts
// only accreditations the hub has verified, unless self_declared=1.
func filterFrom(q url.Values, today string) orgs.Filter {
	f := orgs.Filter{Query: q.Get("q"), Kind: q.Get("kind"), District: q.Get("district"), SME: q.Get("sme") == "1", Verified: q.Get("verified") == "1", Accred: q.Get("accreditation"),
		SelfDeclared: q.Get("self_declared") == "1", Today: today, Limit: pageSize}
	if p, err := strconv.Atoi(q.Get("page")); err == nil && p > 1 {
		f.Offset = (p - 1) * pageSize
	}
	return f
}

func (s *Server) directory(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	ctx := r.Context()
	k, err := s.directoryKey(ctx)
	if err != nil {
		return err
	}
	today := k.now.In(london).Format(time.DateOnly)
	// The filter form and the results depend on the query alone (the
	// choices, the filter and the links to the other pages), so they are
	// rendered once per generation and day.
	d, err := s.directoryPage(k, q.Encode(), func() (dirPage, error) {
		var d dirPage
		districts, err := s.directoryDistricts(ctx, k)
		if err != nil {
			return d, err
		}
		if d.filters, err = s.renderPart("directory", "filters", &page{Form: q, Data: map[string]any{"Districts": districts}}); err != nil {
			return d, err
		}
		f := filterFrom(q, today)
		list, total, err := s.Store.ListOrganisations(ctx, f)
		if err != nil {
			return d, err
		}
		pageNo := f.Offset/pageSize + 1
		pages := (total + pageSize - 1) / pageSize
		link := func(n int) string {
			v := url.Values{}
			for k, vs := range q {
				if k != "page" {
					v[k] = vs
				}
			}
			v.Set("page", strconv.Itoa(n))
			return "/organisations?" + v.Encode()
		}
		data := map[string]any{"Orgs": list, "Total": total, "Page": pageNo, "Pages": pages, "Prev": "", "Next": "", "Today": today}
		if pageNo > 1 {
			data["Prev"] = link(pageNo - 1)
		}
		if pageNo < pages {
			data["Next"] = link(pageNo + 1)
		}
		d.results, err = s.renderPart("directory", "results", &page{Form: q, Data: data})
		return d, err
	})
	if err != nil {
		return err
	}
	// With htmx the filter form swaps in #results from this same page.
	s.render(w, r, http.StatusOK, "directory", &page{Title: "Directory of organisations", Form: q, Data: map[string]any{"Filters": d.filters, "Results": d.results}})
	return nil
}

// loadOrg finds the organisation named in the path.
func (s *Server) loadOrg(r *http.Request) (orgs.Organisation, error) {
	return s.Store.OrganisationBySlug(r.Context(), r.PathValue("slug"))
}

// orgAction loads the organisation in the path, checks the actor may do
// action to it, and parses the posted form: the start of every change.
func (s *Server) orgAction(r *http.Request, action auth.Action) (orgs.Organisation, auth.Actor, error) {
	o, err := s.loadOrg(r)
	if err != nil {
		return o, auth.Anonymous, err
	}
	a, err := require(r, action, auth.Target{OrgID: o.ID})
	if err != nil {
		return o, a, err
	}
	return o, a, r.ParseForm()
}

func (s *Server) orgPage(w http.ResponseWriter, r *http.Request) error {
	p, err := s.profile(r.Context(), r.PathValue("slug"))
	if err != nil {
		return err
	}
	data, err := s.orgDataOf(r, p)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "organisation", &page{Title: p.org.LegalName, Data: data})
	return nil
}

func orgFromForm(f url.Values) orgs.Organisation {
	o := orgs.Organisation{Kind: f.Get("kind"), Subkind: f.Get("subkind"), LegalName: f.Get("legal_name"), TradingNames: f.Get("trading_names"),
		CompanyNumber: f.Get("company_number"), CharityNumber: f.Get("charity_number"), VATNumber: f.Get("vat_number"), Size: f.Get("size"),
		Anchor: f.Get("anchor") == "1", SICCodes: f.Get("sic_codes"), Description: f.Get("description"), Website: f.Get("website")}
	o.Normalise()
	return o
}

func orgForm(o orgs.Organisation) url.Values {
	v := url.Values{"kind": {o.Kind}, "subkind": {o.Subkind}, "legal_name": {o.LegalName}, "trading_names": {o.TradingNames}, "company_number": {o.CompanyNumber},
		"charity_number": {o.CharityNumber}, "vat_number": {o.VATNumber}, "size": {o.Size}, "sic_codes": {o.SICCodes}, "description": {o.Description}, "website": {o.Website}}
	if o.Anchor {
		v.Set("anchor", "1")
	}
	return v
}

func (s *Server) newOrgForm(w http.ResponseWriter, r *http.Request) error {
	if _, err := require(r, auth.CreateBusinessOrg, auth.Target{}); err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "org-form", &page{Title: "Add an organisation", Form: url.Values{}, Data: map[string]any{"New": true}})
	return nil
}

func (s *Server) createOrg(w http.ResponseWriter, r *http.Request) error {
	a, err := require(r, auth.CreateBusinessOrg, auth.Target{})
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	o := orgFromForm(r.PostForm)
	p := &page{Title: "Add an organisation", Data: map[string]any{"New": true}}
	var v problem.Invalid
	if err := o.Validate(); err != nil {
		v = *err.(*problem.Invalid)
	}
	// Public bodies and the anchor flag are set by hub administrators only.
	if (o.Kind == orgs.PublicBody || o.Anchor) && !auth.Can(a, auth.CreatePublicBody, auth.Target{}) {
		v.Add("kind", "Only hub administrators can add public bodies; ask the hub team to add yours")
	}
	pc := strings.TrimSpace(r.PostForm.Get("postcode"))
	site, msg := s.geocodeSite(r, "registered_office", "Registered office", pc)
	if msg != "" {
		v.Add("postcode", "%s", msg)
	}
	if err := v.Err(); err != nil {
		return s.invalid(w, r, err, "org-form", p)
	}
	o.Sites = []orgs.Site{site}
	created, err := s.Store.CreateOrganisation(r.Context(), a, o, a.ID())
	if err != nil {
		return err
	}
	setFlash(w, created.LegalName+" has been added and you are its organisation admin")
	return redirect(w, r, "/organisations/"+created.Slug)
}

func (s *Server) editOrgForm(w http.ResponseWriter, r *http.Request) error {
	o, err := s.loadOrg(r)
	if err != nil {
		return err
	}
	if _, err := require(r, auth.EditOrg, auth.Target{OrgID: o.ID}); err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "org-form", &page{Title: "Edit " + o.LegalName, Form: orgForm(o), Data: map[string]any{"Org": o, "New": false}})
	return nil
}

func (s *Server) editOrg(w http.ResponseWriter, r *http.Request) error {
	o, a, err := s.orgAction(r, auth.EditOrg)
	if err != nil {
		return err
	}
	n := orgFromForm(r.PostForm)
	n.ID = o.ID
	if !a.Admin() {
		// Kind and the anchor flag define what an organisation may do; only
		// hub administrators change them.
		n.Kind, n.Anchor = o.Kind, o.Anchor
		if n.Kind != orgs.VCSE {
			n.Subkind = ""
		}
	}
	if err := n.Validate(); err != nil {
		return s.invalid(w, r, err, "org-form", &page{Title: "Edit " + o.LegalName, Data: map[string]any{"Org": o, "New": false}})
	}
	if err := s.Store.UpdateOrganisation(r.Context(), a, n); err != nil {
		return err
	}
	setFlash(w, "Profile saved")
	return redirect(w, r, "/organisations/"+o.Slug)
}

func (s *Server) verifyOrg(w http.ResponseWriter, r *http.Request) error {
	o, a, err := s.orgAction(r, auth.VerifyOrg)
	if err != nil {
		return err
	}
	verified := r.PostForm.Get("verified") == "1"
	if err := s.Store.SetVerified(r.Context(), a, o.ID, verified); err != nil {
		return err
	}
	if verified {
		setFlash(w, o.LegalName+" is now marked as verified")
	} else {
		setFlash(w, o.LegalName+" is no longer marked as verified")
	}
	return redirect(w, r, "/organisations/"+o.Slug)
}
