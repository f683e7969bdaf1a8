package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/problem"
	"github.com/svhub/svhub/internal/spend"
	"github.com/svhub/svhub/internal/store"
)

// The column-mapping screen: an upload whose date, amount and supplier
// columns could not be told apart waits here for an officer to choose
// them from the file's first rows. The choice is remembered for the
// buyer's file layout and used for its next files.

// mappingField is a field the officer may choose a column for.
type mappingField struct {
	Name, Label, Hint string
	Required          bool
}

var mappingFields = []mappingField{
	{"date", "Payment date", "The day (or month) each payment was made", true},
	{"amount", "Net amount", "The amount paid without VAT, in pounds; choose Net where there are Gross, VAT and Net columns", true},
	{"supplier", "Supplier", "The name of the organisation or person paid", true},
	{"service", "Service area (optional)", "", false},
	{"expense_type", "Expense category (optional)", "", false},
	{"supplier_id", "Supplier reference (optional)", "The council's own number for the supplier", false},
	{"transaction", "Transaction number (optional)", "", false},
	{"postcode", "Supplier postcode (optional)", "", false},
	{"company_number", "Company number (optional)", "", false},
}

// mappingPreview is what the screen shows of an upload.
type mappingPreview struct {
	Upload  store.SpendUpload
	Detect  *spend.DetectError
	Columns []string // the header's names, blank ones numbered
	Rows    [][]string
	Fields  []mappingField
}

func (s *Server) loadMapping(r *http.Request) (mappingPreview, auth.Actor, error) {
	var mp mappingPreview
	id, err := pathID(r, "id")
	if err != nil {
		return mp, auth.Actor{}, err
	}
	// The permission is checked on the upload's buyer before its file is read.
	u, err := s.Store.SpendUploadByID(r.Context(), id)
	if err != nil {
		return mp, auth.Actor{}, err
	}
	a, err := require(r, auth.ImportSpend, auth.Target{OrgID: u.BuyerID})
	if err != nil {
		return mp, a, err
	}
	if u.Status != store.SpendUploadMapping {
		return mp, a, fmt.Errorf("the upload of %s is not waiting for its columns (it is %s): %w", u.File, u.Status, problem.ErrConflict)
	}
	u, content, err := s.Store.SpendUploadContent(r.Context(), id)
	if err != nil {
		return mp, a, err
	}
	stop := errors.New("stop")
	_, err = spend.StreamBytes(u.File, content, nil, "", func(*spend.Payment, *spend.Reject) error { return stop })
	de, ok := spend.IsDetectError(err)
	if !ok || !de.Mappable() {
		return mp, a, fmt.Errorf("the upload of %s has no header row to choose columns from: %w", u.File, problem.ErrConflict)
	}
	mp = mappingPreview{Upload: u, Detect: de, Fields: mappingFields}
	for i, h := range de.Header {
		h = strings.TrimSpace(spend.Text(h))
		if h == "" {
			h = fmt.Sprintf("(column %d, no name)", i+1)
		}
		mp.Columns = append(mp.Columns, h)
	}
	for _, row := range de.Rows {
		cells := make([]string, len(mp.Columns))
		for i := range cells {
			if i < len(row) {
				cells[i] = spend.Printable(strings.TrimSpace(spend.Text(row[i])), 60)
			}
		}
		mp.Rows = append(mp.Rows, cells)
	}
	return mp, a, nil
}

func (s *Server) spendMappingForm(w http.ResponseWriter, r *http.Request) error {
	mp, _, err := s.loadMapping(r)
	if err != nil {
		return err
	}
	// Start from the best candidate of each core role, for the officer to
	// confirm or change.
	form := url.Values{}
	for _, role := range spend.CoreRoles {
		if cs := mp.Detect.Candidates[role]; len(cs) > 0 && cs[0].Score > 0 && cs[0].Column-1 < len(mp.Columns) {
			form.Set(role, mp.Columns[cs[0].Column-1])
		}
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, http.StatusOK, "spend-mapping", &page{Title: "Choose the columns of " + mp.Upload.File, Form: form, Data: map[string]any{"M": mp}})
	return nil
}

func (s *Server) spendMapping(w http.ResponseWriter, r *http.Request) error {
	mp, a, err := s.loadMapping(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	p := &page{Title: "Choose the columns of " + mp.Upload.File, Form: r.PostForm, Data: map[string]any{"M": mp}}
	mapping, inv := checkMapping(mp, r.PostForm)
	if inv.Err() != nil {
		return s.invalid(w, r, inv, "spend-mapping", p)
	}
	if err := s.Store.MapSpendUpload(r.Context(), a, mp.Upload.ID, spend.LayoutSignature(mp.Detect.Header), mapping); err != nil {
		return err
	}
	setFlash(w, "Columns saved: "+mp.Upload.File+" is being imported, and "+mp.Upload.BuyerName+"'s next files with these columns will be read the same way")
	return redirect(w, r, fmt.Sprintf("/spend/uploads/%d", mp.Upload.ID))
}

// checkMapping validates the chosen columns: the three required, each a
// column of the file, no column twice, and the date and amount columns
// holding dates and amounts in the rows shown.
func checkMapping(mp mappingPreview, form url.Values) (map[string]string, *problem.Invalid) {
	inv := &problem.Invalid{}
	mapping := map[string]string{}
	usedBy := map[string]string{}
	col := map[string]int{}
	for i, c := range mp.Columns {
		if _, dup := col[c]; !dup {
			col[c] = i
		}
	}
	for _, f := range mappingFields {
		v := strings.TrimSpace(form.Get(f.Name))
		if v == "" {
			if f.Required {
				inv.Add(f.Name, "Choose the column with the %s", strings.ToLower(f.Label))
			}
			continue
		}
		i, ok := col[v]
		if !ok {
			inv.Add(f.Name, "Choose the %s from the file's columns", strings.ToLower(strings.TrimSuffix(f.Label, " (optional)")))
			continue
		}
		if other, taken := usedBy[v]; taken {
			inv.Add(f.Name, "The column %q is already chosen as the %s: choose a different column for the %s", v, strings.ToLower(strings.TrimSuffix(other, " (optional)")), strings.ToLower(strings.TrimSuffix(f.Label, " (optional)")))
			continue
		}
		usedBy[v] = f.Label
		switch f.Name {
		case "date":
			if !anyCell(mp.Rows, i, func(c string) bool {
				if _, err := spend.ParseDate(c, spend.DayFirst); err == nil {
					return true
				}
				_, _, ok := spend.ParsePeriod(c)
				return ok
			}) {
				inv.Add(f.Name, "The column %q has no dates in the rows shown: choose the column with the payment date", v)
				continue
			}
		case "amount":
			if !anyCell(mp.Rows, i, func(c string) bool { _, err := spend.ParseAmount(c); return err == nil }) {
				inv.Add(f.Name, "The column %q has no amounts in pounds in the rows shown: choose the column with the net amount", v)
				continue
			}
		}
		mapping[f.Name] = v
	}
	return mapping, inv
}

func anyCell(rows [][]string, col int, ok func(string) bool) bool {
	for _, r := range rows {
		if col < len(r) && ok(r[col]) {
			return true
		}
	}
	return false
}
