package web

import (
	"encoding/base64"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/contracts"
	"github.com/svhub/svhub/internal/fund"
	"github.com/svhub/svhub/internal/geo"
	"github.com/svhub/svhub/internal/hub"
	"github.com/svhub/svhub/internal/orgs"
	"github.com/svhub/svhub/internal/priorities"
	"github.com/svhub/svhub/internal/problem"
	"github.com/svhub/svhub/internal/spend"
	"github.com/svhub/svhub/internal/tenders"
)

var london = func() *time.Location {
	l, err := time.LoadLocation("Europe/London")
	if err != nil {
		return time.UTC
	}
	return l
}()

var funcs = template.FuncMap{
	"val":  func(f url.Values, k string) string { return f.Get(k) },
	"vals": func(f url.Values, k string) []string { return f[k] },
	"fieldErr": func(e *problem.Invalid, k string) string {
		if e == nil {
			return ""
		}
		return e.Message(k)
	},
	"can": func(a auth.Actor, action string, org int64) bool {
		return auth.Can(a, auth.Action(action), auth.Target{OrgID: org})
	},
	"field": field,
	"dict": func(kv ...any) (map[string]any, error) {
		if len(kv)%2 != 0 {
			return nil, errors.New("dict needs pairs")
		}
		m := make(map[string]any, len(kv)/2)
		for i := 0; i < len(kv); i += 2 {
			k, ok := kv[i].(string)
			if !ok {
				return nil, errors.New("dict keys are strings")
			}
			m[k] = kv[i+1]
		}
		return m, nil
	},
	// money is the one money format of every page (fund.Pounds): £25,000,
	// £12.50, −£1,200.
	"money": fund.Pounds,
	// exactmoney shows exact pounds ("144164/61") as "about £2,363.34".
	"exactmoney": fund.PoundsText,
	// quantity writes a measure's amount (thousandths) in its natural
	// units: "4 people", "45.6 weeks", "£1,200".
	"quantity":     contracts.Quantity,
	"tenderstatus": tenders.StatusLabel,
	"gatelabel":    tenders.GateLabel,
	"share1000":    func(x float64) string { return strconv.FormatFloat(x*100, 'f', 0, 64) + "%" },
	"pct":          priorities.ShareString,
	"sector":       fund.SectorLabel,
	"local":        func(t time.Time) string { return t.In(london).Format("15:04 on 2 January 2006") },
	"inputTime":    func(t time.Time) string { return t.In(london).Format("2006-01-02T15:04") },
	"has": func(f url.Values, k, v string) bool {
		for _, x := range f[k] {
			if x == v {
				return true
			}
		}
		return false
	},
	"id":           func(n int64) string { return strconv.FormatInt(n, 10) },
	"plural":       plural,
	"imdName":      geo.EditionName,
	"uploadsSpend": uploadsSpend,
	"sectionOf":    sectionOf,
	"navSections":  siteSections,
	"date": func(t any) string {
		switch v := t.(type) {
		case time.Time:
			return v.In(london).Format("2 January 2006")
		case *time.Time:
			if v == nil {
				return ""
			}
			return v.In(london).Format("2 January 2006")
		case string:
			if d, err := time.Parse(time.DateOnly, v); err == nil {
				return d.Format("2 January 2006")
			}
			return v
		}
		return ""
	},
	"datetime":     func(t time.Time) string { return t.In(london).Format("2 Jan 2006 15:04:05") },
	"label":        orgs.Label,
	"add":          func(a, b int) int { return a + b },
	"roles":        func() []auth.Role { return auth.Roles },
	"kinds":        func() []orgs.Option { return orgs.Kinds },
	"subkinds":     func() []orgs.Option { return orgs.VCSESubkinds },
	"sizes":        func() []orgs.Option { return orgs.Sizes },
	"accreds":      func() []orgs.Option { return orgs.AccreditationKinds },
	"levels":       func() []orgs.Option { return orgs.CharterLevels },
	"updatestatus": fund.StatusLabel,
	"phaselabel":   fund.PhaseLabel,
	"chosen":       func(ids []string, id int64) bool { return slices.Contains(ids, strconv.FormatInt(id, 10)) },
	"markscale": func() []orgs.Option {
		var out []orgs.Option
		for i, d := range tenders.DefaultDescriptors {
			out = append(out, orgs.Option{Value: strconv.Itoa(i), Label: strconv.Itoa(i) + ": " + d})
		}
		return out
	},
	"kindunit": hub.KindUnit,
	// sicActivities names an organisation's SIC 2007 codes from the shipped list.
	"sicActivities": spend.Activities,
	"list":          func(xs ...any) []any { return xs },
	"reskind": func(k string) string {
		for _, x := range hub.ResourceKinds {
			if x.Value == k {
				return x.Label
			}
		}
		return k
	},
	"kindlabel": hub.KindLabel,
	"yesno":     func() []orgs.Option { return []orgs.Option{{Value: "yes", Label: "Yes"}, {Value: "no", Label: "No"}} },
	"electorates": func() []orgs.Option {
		return []orgs.Option{{Value: fund.Residents, Label: "Residents"}, {Value: fund.Organisations, Label: "Member organisations (one ballot each)"}, {Value: fund.Both, Label: "Both, as separate constituencies"}}
	},
	"updatestatuses": func() []orgs.Option {
		var out []orgs.Option
		for _, s := range fund.UpdateStatuses {
			out = append(out, orgs.Option{Value: s, Label: fund.StatusLabel(s)})
		}
		return out
	},
	// proposalorg finds the proposing organisation of a proposal in a list.
	"proposalorg": func(ps []fund.Proposal, id int64) int64 {
		for _, p := range ps {
			if p.ID == id {
				return p.OrgID
			}
		}
		return 0
	},
	"fundkinds": func() []orgs.Option {
		return []orgs.Option{{Value: "contribution", Label: "Contribution"}, {Value: "correction", Label: "Correction"}}
	},
	"sitekinds": func() []orgs.Option {
		return []orgs.Option{{Value: "registered_office", Label: "Registered office"}, {Value: "branch", Label: "Branch"}}
	},
	// errPrefix reports whether any field error's name starts with prefix.
	"errPrefix": func(e *problem.Invalid, prefix string) bool {
		if e == nil {
			return false
		}
		for _, f := range e.Fields {
			if strings.HasPrefix(f.Field, prefix) {
				return true
			}
		}
		return false
	},
}

const flashCookie = "svhub_flash"

// setFlash shows a one-off confirmation on the next page rendered.
func setFlash(w http.ResponseWriter, msg string) {
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: base64.RawURLEncoding.EncodeToString([]byte(msg)), Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode, MaxAge: 60})
}

// takeFlash reads and clears the flash message.
func takeFlash(w http.ResponseWriter, r *http.Request) string {
	c, err := r.Cookie(flashCookie)
	if err != nil {
		return ""
	}
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Path: "/", MaxAge: -1})
	b, err := base64.RawURLEncoding.DecodeString(c.Value)
	if err != nil {
		return ""
	}
	return string(b)
}

// plural writes a count with thousands separators and the word that agrees
// with it: {{plural .Voters "person" "people"}} gives "1 person",
// "2,345 people". It takes any integer type the page data holds.
func plural(n any, one, many string) (string, error) {
	var v int64
	switch x := n.(type) {
	case int:
		v = int64(x)
	case int64:
		v = x
	case int32:
		v = int64(x)
	default:
		return "", fmt.Errorf("plural: %T is not a whole number", n)
	}
	word := many
	if v == 1 || v == -1 {
		word = one
	}
	return thousands(v) + " " + word, nil
}

// thousands writes n with commas between groups of three digits.
func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	sign := ""
	if n < 0 {
		sign, s = "-", s[1:]
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return sign + s
}

// formField is what a form partial ("input", "textarea", "select",
// "radios", "checkboxes") shows, resolved once from its dict (field)
// instead of by a dozen calls in the template.
type formField struct {
	P    *page
	Name string
	// Label (or Legend), Hint and Value keep their types: a template.HTML
	// hint is written as it is.
	Label, Legend, Hint, Value                  any
	LabelClass, Class, Autocomplete, Spellcheck any
	Type, Empty, Rows, Small, Options           any
	// Cur is the form's value for Name; Err the page's error for it.
	Cur, Err string
}

// field resolves a form partial's dict: P (the page), Name and a Label or
// Legend are required; Value defaults to the form's value for Name (the
// "input" partial's), Type to "text" and Rows to 5.
func field(m map[string]any) (formField, error) {
	p, ok := m["P"].(*page)
	if !ok {
		return formField{}, fmt.Errorf("form field: P is %T, not the page", m["P"])
	}
	name, ok := m["Name"].(string)
	if !ok {
		return formField{}, fmt.Errorf("form field: Name is %T, not a string", m["Name"])
	}
	_, label := m["Label"]
	_, legend := m["Legend"]
	if !label && !legend {
		return formField{}, fmt.Errorf("form field %s: no Label or Legend", name)
	}
	f := formField{P: p, Name: name, Label: m["Label"], Legend: m["Legend"], Hint: m["Hint"], Value: m["Value"], LabelClass: m["LabelClass"], Class: m["Class"],
		Autocomplete: m["Autocomplete"], Spellcheck: m["Spellcheck"], Type: m["Type"], Empty: m["Empty"], Rows: m["Rows"], Small: m["Small"], Options: m["Options"],
		Cur: p.Form.Get(name)}
	if t, _ := template.IsTrue(f.Value); !t {
		f.Value = f.Cur
	}
	if t, _ := template.IsTrue(f.Type); !t {
		f.Type = "text"
	}
	if t, _ := template.IsTrue(f.Rows); !t {
		f.Rows = 5
	}
	if p.Errors != nil {
		f.Err = p.Errors.Message(name)
	}
	return f, nil
}
