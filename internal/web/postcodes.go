package web

import (
	"net/http"
	"strings"

	"github.com/svhub/svhub/internal/geo"
	"github.com/svhub/svhub/internal/problem"
)

// apiPlace is the open lookup's answer: one postcode's place. Values the
// tables do not give are null.
type apiPlace struct {
	Postcode     string          `json:"postcode"`
	DistrictCode *string         `json:"district_code"`
	DistrictName *string         `json:"district_name"`
	InGM         bool            `json:"in_greater_manchester"`
	Region       *string         `json:"region,omitempty"`
	WardCode     *string         `json:"ward_code"`
	WardName     *string         `json:"ward_name"`
	LSOA11       *string         `json:"lsoa11"`
	LSOA21       *string         `json:"lsoa21"`
	IMDDecile    *int            `json:"imd_decile"`
	IMDEdition   *string         `json:"imd_edition"`
	Lat          *float64        `json:"lat"`
	Lon          *float64        `json:"lon"`
	Terminated   *string         `json:"terminated,omitempty"`
	Confidence   geo.Confidence  `json:"confidence"`
	Source       string          `json:"source"`
	Candidates   []apiDistrictID `json:"candidates,omitempty"`
	Attribution  string          `json:"attribution"`
}

type apiDistrictID struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

func orNull[T comparable](v T) *T {
	var zero T
	if v == zero {
		return nil
	}
	return &v
}

func placeJSON(p geo.Place) apiPlace {
	out := apiPlace{Postcode: p.Postcode, DistrictCode: orNull(p.DistrictCode), DistrictName: orNull(p.DistrictName), InGM: p.InGM(),
		WardCode: orNull(p.WardCode), WardName: orNull(p.WardName), LSOA11: orNull(p.LSOACode), LSOA21: orNull(p.LSOA21),
		IMDDecile: orNull(p.IMDDecile), IMDEdition: orNull(p.IMDEdition), Terminated: orNull(p.Terminated),
		Confidence: p.Confidence, Source: p.Source, Attribution: geo.Attribution}
	if p.Lat != 0 || p.Lon != 0 {
		out.Lat, out.Lon = &p.Lat, &p.Lon
	}
	if e := p.Elsewhere; e != nil {
		out.DistrictCode, out.DistrictName, out.Region = orNull(e.Code), orNull(e.Name), orNull(e.Region)
	}
	for _, d := range p.Candidates {
		out.Candidates = append(out.Candidates, apiDistrictID{d.Code, d.Name})
	}
	return out
}

// unplacedReason says why a postcode has no place, for a 404.
func unplacedReason(p geo.Place) string {
	if p.Elsewhere != nil {
		return p.Postcode + " is not in the loaded postcode tables; every postcode around it is in " + p.Elsewhere.Name + ", outside Greater Manchester"
	}
	if geo.OutsideGM(p.Postcode) {
		return p.Postcode + " is not in the loaded postcode tables; it is outside Greater Manchester"
	}
	if len(p.Candidates) == 0 {
		return p.Postcode + " is not in the loaded postcode tables"
	}
	names := make([]string, len(p.Candidates))
	for i, d := range p.Candidates {
		names[i] = d.Name
	}
	return p.Postcode + " is not in the loaded postcode tables; it could be in " + joinOr(names)
}

// joinOr lists names as "A", "A or B", "A, B or C".
func joinOr(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// apiPostcode places one postcode: 200 with its place (a district named
// from its sector or outward code says so in confidence), 404 with the
// reason and any candidate districts when the tables cannot place it, 422
// when it is not a postcode.
func (s *Server) apiPostcode(w http.ResponseWriter, r *http.Request) error {
	n, err := geo.NormalisePostcode(r.PathValue("postcode"))
	if err != nil {
		return problem.Field("postcode", "%v", err)
	}
	p, err := s.Store.ResolvePostcode(r.Context(), n)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "public, max-age=3600")
	if p.Confidence == geo.Unknown {
		writeJSON(w, http.StatusNotFound, struct {
			Error apiError `json:"error"`
			apiPlace
		}{apiError{Status: http.StatusNotFound, Code: "not_found", Message: unplacedReason(p)}, placeJSON(p)})
		return nil
	}
	writeJSON(w, http.StatusOK, placeJSON(p))
	return nil
}
