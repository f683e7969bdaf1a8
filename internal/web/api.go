package web

import (
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/svhub/svhub/internal/framework"
	"github.com/svhub/svhub/internal/orgs"
	"github.com/svhub/svhub/internal/priorities"
	"github.com/svhub/svhub/internal/problem"
)

//go:embed openapi.json
var openapi []byte

func (s *Server) apiRoutes(mux *http.ServeMux) {
	h := s.serve
	mux.HandleFunc("GET /api/v1/openapi.json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(openapi)
	})
	mux.Handle("GET /api/v1/me", h(s.apiMe))
	mux.Handle("GET /api/v1/organisations", h(s.apiOrganisations))
	mux.Handle("GET /api/v1/organisations/{slug}", h(s.apiOrganisation))
	mux.Handle("GET /api/v1/frameworks", h(s.apiFrameworks))
	mux.Handle("GET /api/v1/frameworks/{id}", h(s.apiFramework))
	mux.Handle("GET /api/v1/postcodes/{postcode}", h(s.apiPostcode))
	mux.Handle("GET /api/v1/rounds", h(s.apiRounds))
	mux.Handle("GET /api/v1/rounds/{id}", h(s.apiRound))
	mux.Handle("GET /api/v1/rounds/{id}/results", h(s.apiRoundResults))
	mux.Handle("/api/", h(func(w http.ResponseWriter, r *http.Request) error {
		return fmt.Errorf("no endpoint %s %s: %w", r.Method, r.URL.Path, problem.ErrNotFound)
	}))
}

type apiErrorBody struct {
	Error apiError `json:"error"`
}

type apiError struct {
	Status  int                  `json:"status"`
	Code    string               `json:"code"`
	Message string               `json:"message"`
	Fields  []problem.FieldError `json:"fields,omitempty"`
}

func (s *Server) apiError(w http.ResponseWriter, code int, msg string, err error) {
	body := apiError{Status: code, Code: strings.ToLower(strings.ReplaceAll(http.StatusText(code), " ", "_")), Message: msg}
	var inv *problem.Invalid
	if errors.As(err, &inv) {
		body.Message, body.Fields = "The request has invalid fields", inv.Fields
	}
	writeJSON(w, code, apiErrorBody{Error: body})
}

// page parameters: ?page=N&per_page=M (max 100).
func apiPaging(r *http.Request) (page, per int, err error) {
	page, per = 1, 25
	var v problem.Invalid
	if s := r.URL.Query().Get("page"); s != "" {
		if page, err = strconv.Atoi(s); err != nil || page < 1 {
			v.Add("page", "page must be a whole number, 1 or more")
		}
	}
	if s := r.URL.Query().Get("per_page"); s != "" {
		if per, err = strconv.Atoi(s); err != nil || per < 1 || per > 100 {
			v.Add("per_page", "per_page must be a whole number from 1 to 100")
		}
	}
	return page, per, v.Err()
}

func (s *Server) apiMe(w http.ResponseWriter, r *http.Request) error {
	a := actorFrom(r)
	if !a.SignedIn() {
		return problem.ErrUnauthorised
	}
	type membership struct {
		Organisation string `json:"organisation"`
		Role         string `json:"role"`
	}
	ms := []membership{}
	for _, m := range a.Memberships {
		ms = append(ms, membership{m.OrgSlug, string(m.Role)})
	}
	writeJSON(w, http.StatusOK, map[string]any{"email": a.User.Email, "name": a.User.Name, "admin": a.Admin(), "memberships": ms})
	return nil
}

type apiOrg struct {
	Slug           string             `json:"slug"`
	Name           string             `json:"legal_name"`
	TradingNames   string             `json:"trading_names,omitempty"`
	Kind           string             `json:"kind"`
	Subkind        string             `json:"subkind,omitempty"`
	CompanyNumber  string             `json:"company_number,omitempty"`
	CharityNumber  string             `json:"charity_number,omitempty"`
	VATNumber      string             `json:"vat_number,omitempty"`
	Size           string             `json:"size,omitempty"`
	SME            bool               `json:"sme"`
	Anchor         bool               `json:"anchor"`
	SICCodes       []string           `json:"sic_codes"`
	Website        string             `json:"website,omitempty"`
	Verified       bool               `json:"verified"`
	Sites          []apiSite          `json:"sites,omitempty"`
	Accreditations []apiAccreditation `json:"accreditations,omitempty"`
	URL            string             `json:"url"`
}

type apiSite struct {
	Kind         string `json:"kind"`
	Postcode     string `json:"postcode"`
	DistrictCode string `json:"district_code,omitempty"`
	WardCode     string `json:"ward_code,omitempty"`
	LSOACode     string `json:"lsoa_code,omitempty"`
}

type apiAccreditation struct {
	Kind        string `json:"kind"`
	Level       string `json:"level,omitempty"`
	EvidenceURL string `json:"evidence_url,omitempty"`
	AwardedOn   string `json:"awarded_on,omitempty"`
	ExpiresOn   string `json:"expires_on,omitempty"`
	TargetYear  int    `json:"net_zero_target_year,omitempty"`
	// Verified: checked by the hub and in date; self-declared otherwise.
	Verified bool   `json:"verified"`
	Standing string `json:"standing"` // verified, self_declared, verification_expired or rejected
	// VerifiedBy names who verified it: "hub" or the accrediting body.
	VerifiedBy string `json:"verified_by,omitempty"`
}

func (s *Server) toAPIOrg(o orgs.Organisation) apiOrg {
	out := apiOrg{Slug: o.Slug, Name: o.LegalName, TradingNames: o.TradingNames, Kind: o.Kind, Subkind: o.Subkind, CompanyNumber: o.CompanyNumber, CharityNumber: o.CharityNumber,
		VATNumber: o.VATNumber, Size: o.Size, SME: o.SME(), Anchor: o.Anchor, SICCodes: strings.Fields(o.SICCodes), Website: o.Website, Verified: o.Verified, URL: s.BaseURL + "/organisations/" + o.Slug}
	for _, st := range o.Sites {
		out.Sites = append(out.Sites, apiSite{st.Kind, st.Postcode, st.DistrictCode, st.WardCode, st.LSOACode})
	}
	today := s.now().In(london).Format(time.DateOnly)
	for _, a := range o.Accreditations {
		standing := map[string]string{"Verified": "verified", "Verification expired": "verification_expired", "Rejected": "rejected"}[a.Standing(today)]
		if standing == "" {
			standing = "self_declared"
		}
		by := ""
		if a.VerifiedOn != "" {
			by = "hub"
			if a.VerifiedBody != "" {
				by = a.VerifiedBody
			}
		}
		out.Accreditations = append(out.Accreditations, apiAccreditation{a.Kind, a.Level, a.EvidenceURL, a.AwardedOn, a.ExpiresOn, a.TargetYear, a.Verified(today), standing, by})
	}
	return out
}

func (s *Server) apiOrganisations(w http.ResponseWriter, r *http.Request) error {
	page, per, err := apiPaging(r)
	if err != nil {
		return err
	}
	f := filterFrom(r.URL.Query(), s.now().In(london).Format(time.DateOnly))
	f.Limit, f.Offset = per, (page-1)*per
	if f.Kind != "" && orgs.Label(orgs.Kinds, f.Kind) == f.Kind {
		return problem.Field("kind", "kind must be one of public_body, business, vcse")
	}
	list, total, err := s.Store.ListOrganisations(r.Context(), f)
	if err != nil {
		return err
	}
	items := make([]apiOrg, 0, len(list))
	for _, o := range list {
		items = append(items, s.toAPIOrg(o))
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items, "page": page, "per_page": per, "total": total})
	return nil
}

func (s *Server) apiOrganisation(w http.ResponseWriter, r *http.Request) error {
	o, err := s.loadOrg(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.toAPIOrg(o))
	return nil
}

type apiFrameworkSummary struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	Publisher   string `json:"publisher"`
	Edition     string `json:"edition"`
	Licence     string `json:"licence"`
	SourceURL   string `json:"source_url,omitempty"`
	Status      string `json:"status"`
	PublishedAt string `json:"published_at,omitempty"`
}

func summary(f framework.Framework) apiFrameworkSummary {
	out := apiFrameworkSummary{ID: f.ID, Name: f.Name, Publisher: f.Publisher, Edition: f.Edition, Licence: f.Licence, SourceURL: f.SourceURL, Status: f.Status}
	if f.PublishedAt != nil {
		out.PublishedAt = f.PublishedAt.UTC().Format("2006-01-02T15:04:05Z")
	}
	return out
}

func (s *Server) apiFrameworks(w http.ResponseWriter, r *http.Request) error {
	list, err := s.Store.ListFrameworks(r.Context())
	if err != nil {
		return err
	}
	items := []apiFrameworkSummary{}
	for _, f := range list {
		if f.Status == framework.Published {
			items = append(items, summary(f))
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items, "page": 1, "per_page": len(items), "total": len(items)})
	return nil
}

func (s *Server) apiFramework(w http.ResponseWriter, r *http.Request) error {
	f, err := s.loadFramework(r)
	if err != nil {
		return err
	}
	type proxy struct {
		PencePerUnit int64  `json:"pence_per_unit"`
		PriceYear    int    `json:"price_year"`
		Source       string `json:"source"`
		Licence      string `json:"licence"`
		ValidFrom    string `json:"valid_from,omitempty"`
		ValidTo      string `json:"valid_to,omitempty"`
	}
	// unitCost is a measure's link to a unit cost of an open proxy
	// source (links to licensed sources are never published).
	type unitCost struct {
		Source      string `json:"source"` // the source edition's key, as in /proxies/{source}
		SourceName  string `json:"source_name"`
		Edition     string `json:"edition"`
		Code        string `json:"code"`
		Description string `json:"description"`
		Unit        string `json:"unit"`
		Pence       int64  `json:"pence"`
		PriceYear   string `json:"price_year"`
		Agency      string `json:"agency,omitempty"`
		Kind        string `json:"kind"`
		Licence     string `json:"licence"`
		Attribution string `json:"attribution"`
		Rationale   string `json:"rationale"`
	}
	type measure struct {
		Code       string     `json:"code"`
		Wording    string     `json:"wording"`
		Unit       string     `json:"unit"`
		Guidance   string     `json:"guidance,omitempty"`
		RecordOnly bool       `json:"record_only"`
		Proxies    []proxy    `json:"proxy_values"`
		UnitCosts  []unitCost `json:"unit_costs"`
	}
	type outcome struct {
		Code     string    `json:"code"`
		Title    string    `json:"title"`
		Measures []measure `json:"measures"`
	}
	type priority struct {
		Code        string    `json:"code"`
		Title       string    `json:"title"`
		Description string    `json:"description,omitempty"`
		Outcomes    []outcome `json:"outcomes"`
	}
	out := struct {
		apiFrameworkSummary
		Priorities []priority `json:"priorities"`
	}{apiFrameworkSummary: summary(f)}
	for _, p := range f.Priorities {
		ap := priority{Code: p.Code, Title: p.Title, Description: p.Description}
		for _, o := range p.Outcomes {
			ao := outcome{Code: o.Code, Title: o.Title}
			for _, m := range o.Measures {
				am := measure{Code: m.Code, Wording: m.Wording, Unit: m.Unit, Guidance: m.Guidance, RecordOnly: m.RecordOnly, Proxies: []proxy{}, UnitCosts: []unitCost{}}
				for _, pv := range m.Proxies {
					am.Proxies = append(am.Proxies, proxy{pv.PencePerUnit, pv.PriceYear, pv.Source, pv.Licence, pv.ValidFrom, pv.ValidTo})
				}
				for _, l := range m.Links {
					if l.Source.LicensedOnly {
						continue
					}
					v := l.Value
					am.UnitCosts = append(am.UnitCosts, unitCost{Source: l.Source.Key, SourceName: l.Source.Name, Edition: l.Source.Edition, Code: v.Code, Description: v.Description, Unit: v.Unit,
						Pence: v.Pence, PriceYear: v.PriceYear, Agency: v.Agency, Kind: v.Kind, Licence: l.Source.Licence, Attribution: l.Source.Attribution, Rationale: l.Rationale})
				}
				ao.Measures = append(ao.Measures, am)
			}
			ap.Outcomes = append(ap.Outcomes, ao)
		}
		out.Priorities = append(out.Priorities, ap)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

type apiRoundBody struct {
	ID          int64         `json:"id"`
	Title       string        `json:"title"`
	Explanation string        `json:"explanation"`
	Status      string        `json:"status"`
	Framework   int64         `json:"framework_id"`
	Scope       string        `json:"scope_district,omitempty"`
	OpensAt     string        `json:"opens_at"`
	ClosesAt    string        `json:"closes_at"`
	Priorities  []apiPriority `json:"priorities"`
	Ballots     *int          `json:"ballots,omitempty"`
	ResultsURL  string        `json:"results_url,omitempty"`
}

type apiPriority struct {
	Code  string `json:"code"`
	Title string `json:"title"`
}

func (s *Server) toAPIRound(rd priorities.Round) apiRoundBody {
	out := apiRoundBody{ID: rd.ID, Title: rd.Title, Explanation: rd.Explanation, Status: rd.Status, Framework: rd.FrameworkID, Scope: rd.ScopeDistrict,
		OpensAt: rd.OpensAt.UTC().Format(time.RFC3339), ClosesAt: rd.ClosesAt.UTC().Format(time.RFC3339), Priorities: []apiPriority{}}
	for _, p := range rd.Priorities {
		out.Priorities = append(out.Priorities, apiPriority{p.Code, p.Title})
	}
	// No running counts while a round is open.
	if rd.Status == priorities.Closed || rd.Status == priorities.Published {
		n := rd.Ballots
		out.Ballots = &n
	}
	if rd.Status == priorities.Published {
		out.ResultsURL = fmt.Sprintf("%s/api/v1/rounds/%d/results", s.BaseURL, rd.ID)
	}
	return out
}

func (s *Server) apiRounds(w http.ResponseWriter, r *http.Request) error {
	all, err := s.Store.ListRounds(r.Context())
	if err != nil {
		return err
	}
	items := []apiRoundBody{}
	for _, rd := range all {
		if rd.Status != priorities.Draft {
			full, err := s.Store.Round(r.Context(), rd.ID)
			if err != nil {
				return err
			}
			items = append(items, s.toAPIRound(full))
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items, "page": 1, "per_page": len(items), "total": len(items)})
	return nil
}

func (s *Server) apiRound(w http.ResponseWriter, r *http.Request) error {
	rd, err := s.loadRound(r)
	if err != nil {
		return err
	}
	if rd.Status == priorities.Draft {
		return fmt.Errorf("round %d: %w", rd.ID, problem.ErrNotFound)
	}
	writeJSON(w, http.StatusOK, s.toAPIRound(rd))
	return nil
}

// apiRoundResults serves the frozen People's Weights and results document.
func (s *Server) apiRoundResults(w http.ResponseWriter, r *http.Request) error {
	rd, err := s.loadRound(r)
	if err != nil {
		return err
	}
	if rd.Status != priorities.Published {
		return fmt.Errorf("round %d has no published results: %w", rd.ID, problem.ErrNotFound)
	}
	pw, err := s.Store.PublishedWeights(r.Context(), rd.ID)
	if err != nil {
		return err
	}
	var doc priorities.Document
	if err := json.Unmarshal([]byte(pw.Results), &doc); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"people_weights_id": pw.ID, "round": rd.ID, "method": pw.Method, "ballots": pw.BallotCount,
		"weights": doc.Weights, "ballots_csv_sha256": pw.ExportSHA256, "published_at": pw.PublishedAt.UTC().Format(time.RFC3339), "results": doc})
	return nil
}
