package web

import (
	"fmt"
	"net/http"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/problem"
	"github.com/svhub/svhub/internal/proxies"
)

// proxySources lists every open source of proxy values, the loaded price
// indexes, and the attribution line of each source.
func (s *Server) proxySources(w http.ResponseWriter, r *http.Request) error {
	list, err := s.Store.ProxySources(r.Context(), auth.Can(actorFrom(r), auth.EditFramework, auth.Target{}))
	if err != nil {
		return err
	}
	indexes, err := s.Store.PriceIndexes(r.Context())
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "proxies", &page{Title: "Proxy values: what social value is worth in pounds", Data: map[string]any{"Sources": list, "Indexes": indexes}})
	return nil
}

// themeValues is one theme (workbook sheet) of a source's values.
type themeValues struct {
	Name, Anchor string
	Values       []proxies.Value
}

// proxySource lists every value of one edition with its provenance. A
// licensed-only source is never shown publicly: only to framework editors.
func (s *Server) proxySource(w http.ResponseWriter, r *http.Request) error {
	src, err := s.Store.ProxySource(r.Context(), r.PathValue("source"))
	if err != nil {
		return err
	}
	if src.LicensedOnly && !auth.Can(actorFrom(r), auth.EditFramework, auth.Target{}) {
		return fmt.Errorf("licensed proxy source %s: %w", src.Key, problem.ErrNotFound)
	}
	values, err := s.Store.ProxyValues(r.Context(), src.ID)
	if err != nil {
		return err
	}
	var themes []themeValues
	years := map[string]int{}
	for _, v := range values {
		if n := len(themes); n == 0 || themes[n-1].Name != v.Theme {
			themes = append(themes, themeValues{Name: v.Theme, Anchor: fmt.Sprintf("theme-%d", n+1)})
		}
		themes[len(themes)-1].Values = append(themes[len(themes)-1].Values, v)
		years[v.PriceYear]++
	}
	s.render(w, r, http.StatusOK, "proxy-source", &page{Title: src.Name + " " + src.Edition, Data: map[string]any{"S": src, "Themes": themes, "Count": len(values), "PriceYears": len(years)}})
	return nil
}

// proxiesExplained says in plain words what a pound figure of social value
// means and what it does not.
func (s *Server) proxiesExplained(w http.ResponseWriter, r *http.Request) error {
	list, err := s.Store.ProxySources(r.Context(), false)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "proxies-explained", &page{Title: "Social value in pounds: what it means and its limits", Data: map[string]any{"Sources": list}})
	return nil
}
