package web

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/framework"
	"github.com/svhub/svhub/internal/orgs"
	"github.com/svhub/svhub/internal/problem"
	"github.com/svhub/svhub/internal/proxies"
	"github.com/svhub/svhub/internal/tenders"
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
	s.render(w, r, http.StatusOK, "proxies-explained", &page{Title: "Social value in pounds: what it means and its limits", Data: map[string]any{"Sources": list, "Adjust": s.Adjust, "Rate": s.Discount.Percent(), "RateSource": s.Discount.Source}})
	return nil
}

// measurePageData is what the measure editing page shows: the edition,
// the measure with its links, and the sources a link can be drawn from.
func (s *Server) measurePageData(r *http.Request, f framework.Framework, m framework.Measure) (map[string]any, error) {
	list, err := s.Store.ProxySources(r.Context(), true)
	if err != nil {
		return nil, err
	}
	opts := make([]orgs.Option, 0, len(list))
	for _, src := range list {
		label := src.Name + ", edition " + src.Edition
		if src.LicensedOnly {
			label += " (licensed, never published)"
		}
		opts = append(opts, orgs.Option{Value: src.Key, Label: label})
	}
	return map[string]any{"F": f, "M": m, "Sources": opts}, nil
}

// measureForm is the measure's own fields, for re-rendering the page.
func measureForm(m framework.Measure) url.Values {
	form := url.Values{"code": {m.Code}, "wording": {m.Wording}, "unit": {m.Unit}, "guidance": {m.Guidance}}
	if m.RecordOnly {
		form.Set("record_only", "1")
	}
	return form
}

// linkMeasure adds a link from a draft edition's measure to a unit cost,
// or changes an existing link's rationale; the rationale is required.
func (s *Server) linkMeasure(w http.ResponseWriter, r *http.Request) error {
	f, m, err := s.measureFor(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	pf := r.PostForm
	l := framework.ProxyLink{SourceKey: strings.TrimSpace(pf.Get("link_source")), Code: strings.TrimSpace(pf.Get("link_code")), Rationale: strings.TrimSpace(pf.Get("rationale"))}
	err = l.Validate()
	if err == nil {
		err = s.Store.SetMeasureLink(r.Context(), actorFrom(r), f.ID, m.ID, l)
	}
	var inv *problem.Invalid
	if errors.As(err, &inv) {
		// The measure's own form on the same page has a code field: the
		// link's fields have names of their own.
		out := &problem.Invalid{}
		for _, fe := range inv.Fields {
			switch fe.Field {
			case "code":
				fe.Field = "link_code"
			case "source":
				fe.Field = "link_source"
			}
			out.Fields = append(out.Fields, fe)
		}
		data, derr := s.measurePageData(r, f, m)
		if derr != nil {
			return derr
		}
		form := measureForm(m)
		for _, k := range []string{"link_source", "link_code", "rationale"} {
			form.Set(k, pf.Get(k))
		}
		return s.invalid(w, r, out, "measure-form", &page{Title: "Edit measure " + m.Code, Form: form, Data: data})
	}
	if err != nil {
		return err
	}
	setFlash(w, "Measure "+m.Code+" is linked to unit cost "+l.Code)
	return redirect(w, r, fmt.Sprintf("/admin/frameworks/%d/measures/%d#links", f.ID, m.ID))
}

// unlinkMeasure removes a link from a draft edition's measure.
func (s *Server) unlinkMeasure(w http.ResponseWriter, r *http.Request) error {
	f, m, err := s.measureFor(r)
	if err != nil {
		return err
	}
	uid, err := pathID(r, "uid")
	if err != nil {
		return err
	}
	if err := s.Store.RemoveMeasureLink(r.Context(), actorFrom(r), f.ID, m.ID, uid); err != nil {
		return err
	}
	setFlash(w, "Link removed from measure "+m.Code)
	return redirect(w, r, fmt.Sprintf("/admin/frameworks/%d/measures/%d#links", f.ID, m.ID))
}

// proxySourceCSV is an open source's values as open data, each row with
// the source's licence and attribution; licensed sources are never exported.
func (s *Server) proxySourceCSV(w http.ResponseWriter, r *http.Request) error {
	src, err := s.Store.ProxySource(r.Context(), r.PathValue("source"))
	if err != nil {
		return err
	}
	if src.LicensedOnly {
		return fmt.Errorf("licensed proxy source %s: %w", src.Key, problem.ErrNotFound)
	}
	values, err := s.Store.ProxyValues(r.Context(), src.ID)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := proxies.WriteCSV(&buf, src, values); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+src.Key+`.csv"`)
	_, err = w.Write(buf.Bytes())
	return err
}

// upliftKey names a price index release in forms: its name and release
// date, which the store keeps unique.
func upliftKey(name, published string) string { return name + " | " + published }

// priceIndexOptions lists the loaded price indexes for the tender form.
func (s *Server) priceIndexOptions(r *http.Request) ([]proxies.Index, []orgs.Option, error) {
	list, err := s.Store.PriceIndexes(r.Context())
	if err != nil {
		return nil, nil, err
	}
	opts := make([]orgs.Option, 0, len(list))
	for _, ix := range list {
		ys := ix.SortedYears()
		opts = append(opts, orgs.Option{Value: upliftKey(ix.Name, ix.Published), Label: fmt.Sprintf("%s, published %s (%s), %s to %s", ix.Name, ix.Published, ix.Source, ys[0], ys[len(ys)-1])})
	}
	return list, opts, nil
}

// parseUplift reads the tender form's choice of price index and the year
// whose prices its monetised values are expressed in; nil when none.
func parseUplift(f url.Values, indexes []proxies.Index, v *problem.Invalid) *tenders.EvalUplift {
	key := strings.TrimSpace(f.Get("uplift_index"))
	if key == "" {
		return nil
	}
	for _, ix := range indexes {
		if upliftKey(ix.Name, ix.Published) != key {
			continue
		}
		year, err := proxies.PriceYear(f.Get("uplift_year"))
		if err != nil {
			v.Add("uplift_year", "Enter the year whose prices the values are expressed in, such as 2024/25 or 2024")
			return nil
		}
		if _, ok := ix.Years[year]; !ok {
			ys := ix.SortedYears()
			v.Add("uplift_year", "The %s has no value for %s; it runs from %s to %s", ix.Name, year, ys[0], ys[len(ys)-1])
			return nil
		}
		return tenders.UpliftFrom(ix, year)
	}
	v.Add("uplift_index", "Choose one of the loaded price indexes")
	return nil
}
