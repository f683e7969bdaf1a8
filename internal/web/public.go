package web

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/svhub/svhub/internal/geo"
	"github.com/svhub/svhub/internal/problem"
)

func (s *Server) home(w http.ResponseWriter, r *http.Request) error {
	districts, err := s.Store.Districts(r.Context())
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "home", &page{Title: "Social Value Hub", Data: map[string]any{"Districts": districts, "Attribution": geo.Attribution}})
	return nil
}

func (s *Server) about(w http.ResponseWriter, r *http.Request) error {
	sources, err := s.Store.ProxySources(r.Context(), false)
	if err != nil {
		return err
	}
	rel, err := s.Store.GeoRelease(r.Context())
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "about", &page{Title: "About the hub and its data", Data: map[string]any{"Attribution": geo.Attribution, "ProxySources": sources, "GeoRelease": rel}})
	return nil
}

func (s *Server) accessibility(w http.ResponseWriter, r *http.Request) error {
	s.render(w, r, http.StatusOK, "accessibility", &page{Title: "Accessibility statement"})
	return nil
}

var layers = map[string]string{"districts.geojson": "districts", "wards.geojson": "wards", "lsoas.geojson": "lsoas", "gm.geojson": "gm"}

func (s *Server) geoLayer(w http.ResponseWriter, r *http.Request) error {
	name, ok := layers[r.PathValue("layer")]
	if !ok {
		return fmt.Errorf("layer %q: %w", r.PathValue("layer"), problem.ErrNotFound)
	}
	js, err := s.Store.GeoLayer(r.Context(), name)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/geo+json")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	_, err = w.Write(js)
	return err
}

func (s *Server) postcodeLookup(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	p := &page{Title: "Look up a postcode", Form: q}
	if raw := strings.TrimSpace(q.Get("postcode")); raw != "" || q.Has("postcode") {
		n, err := geo.NormalisePostcode(raw)
		if err != nil {
			return s.invalid(w, r, problem.Field("postcode", "Enter a real postcode: %v", err), "postcode", p)
		}
		place, err := s.Store.ResolvePostcode(r.Context(), n)
		if err != nil {
			return err
		}
		p.Data = map[string]any{"Place": place}
	}
	s.render(w, r, http.StatusOK, "postcode", p)
	return nil
}
