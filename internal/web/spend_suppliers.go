package web

import (
	"encoding/csv"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/svhub/svhub/internal/problem"
	"github.com/svhub/svhub/internal/spend"
)

func (s *Server) spendSuppliers(w http.ResponseWriter, r *http.Request) error {
	v, ok, err := s.loadSpendView(r, 1<<30)
	p := &page{Title: "Suppliers paid", Form: r.URL.Query(), Data: map[string]any{"View": v}}
	if err != nil {
		rows, rerr := s.spendSupplierRows(v, nil)
		if rerr != nil {
			return rerr
		}
		p.Data["Rows"] = rows
		return s.invalid(w, r, err, "spend-suppliers", p)
	}
	if !ok {
		return fmt.Errorf("no spend imported: %w", problem.ErrNotFound)
	}
	needle := spend.NormaliseSupplier(r.URL.Query().Get("q"))
	if needle == "" && v.built.suppliers != nil {
		p.Data["Rows"] = *v.built.suppliers
		s.render(w, r, http.StatusOK, "spend-suppliers", p)
		return nil
	}
	var list []spend.Supplier
	for _, sp := range v.Report.Top {
		if needle == "" || slices.ContainsFunc(sp.Spellings, func(n string) bool { return strings.Contains(spend.NormaliseSupplier(n), needle) }) {
			list = append(list, sp)
		}
	}
	if len(list) > 200 {
		list = list[:200]
	}
	rows, err := s.spendSupplierRows(v, list)
	if err != nil {
		return err
	}
	if needle == "" {
		// The whole list depends only on the buyer, period, filters and
		// data generation: kept with the report it was made from.
		b := v.built
		b.suppliers = &rows
		s.spendReports.put(v.key, b)
	}
	p.Data["Rows"] = rows
	s.render(w, r, http.StatusOK, "spend-suppliers", p)
	return nil
}

// spendSupplierRows renders the rows of the suppliers table.
func (s *Server) spendSupplierRows(v spendView, list []spend.Supplier) (template.HTML, error) {
	return s.renderPart("spend-suppliers", "spend-suppliers-rows", struct {
		Slug      string
		Suppliers []spend.Supplier
	}{v.Buyer.Slug, list})
}

func (s *Server) spendSuppliersCSV(w http.ResponseWriter, r *http.Request) error {
	v, ok, err := s.loadSpendView(r, 1<<30)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("no spend imported: %w", problem.ErrNotFound)
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="spend-%s-suppliers.csv"`, v.Buyer.Slug))
	cw := csv.NewWriter(w)
	// Every row carries how much of the whole report is placed, so the
	// file never travels without it.
	_ = cw.Write([]string{"rank", "supplier", "net_pence", "payments", "location", "district", "imd_decile", "sme", "vcse", "matched_by", "report_placed_share", "report_provisional"})
	placed, provisional := strconv.FormatFloat(v.Report.PlacedShare, 'f', 4, 64), strconv.FormatBool(v.Report.Provisional)
	for i, sp := range v.Report.Top {
		_ = cw.Write([]string{strconv.Itoa(i + 1), sp.Name, strconv.FormatInt(sp.NetPence, 10), strconv.Itoa(sp.Payments), sp.Location, sp.District, strconv.Itoa(sp.IMDDecile), sp.SME, sp.VCSE, sp.MatchedBy, placed, provisional})
	}
	cw.Flush()
	return cw.Error()
}

func (s *Server) spendSupplier(w http.ResponseWriter, r *http.Request) error {
	v, ok, err := s.loadSpendView(r, 1<<30)
	if err != nil || !ok {
		if err == nil {
			err = fmt.Errorf("no spend imported: %w", problem.ErrNotFound)
		}
		return err
	}
	key := r.PathValue("key")
	var sup *spend.Supplier
	for i := range v.Report.Top {
		if v.Report.Top[i].Key == key {
			sup = &v.Report.Top[i]
		}
	}
	if sup == nil {
		// A payee's own name is its address until it is matched to an
		// organisation; keep such links working afterwards.
		for _, sp := range v.Report.Top {
			if slices.ContainsFunc(sp.Spellings, func(n string) bool { return spend.NormaliseSupplier(n) == key }) {
				q := r.URL.Query()
				http.Redirect(w, r, "/spend/suppliers/"+url.PathEscape(sp.Key)+"?"+q.Encode(), http.StatusMovedPermanently)
				return nil
			}
		}
		return fmt.Errorf("supplier %q: %w", key, problem.ErrNotFound)
	}
	pays, err := s.Store.SpendPaymentsTo(r.Context(), v.Buyer.ID, sup.Spellings, key == "redacted", v.From, v.To, 500)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "spend-supplier", &page{Title: sup.Name, Data: map[string]any{"View": v, "Supplier": sup, "Payments": pays}})
	return nil
}
