package ocds

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/svhub/svhub/internal/contracts"
	"github.com/svhub/svhub/internal/orgs"
)

// tenderers are every organisation that bid, as parties with the tenderer
// role, in the order given. They are only named once the tender has been
// awarded, and never while bids are sealed (before the deadline), whatever
// the input holds: a bidder's identity is as sealed as its bid.
func tenderers(ids []int64, all map[int64]orgs.Organisation) ([]OrgRef, []Party, error) {
	var refs []OrgRef
	var parties []Party
	seen := map[int64]bool{}
	for _, id := range ids {
		if seen[id] {
			continue
		}
		seen[id] = true
		o, ok := all[id]
		if !ok {
			return nil, nil, fmt.Errorf("tenderer %d not loaded", id)
		}
		refs = append(refs, *ref(o))
		parties = append(parties, party(o, "tenderer"))
	}
	return refs, parties, nil
}

// mergeParties adds parties, joining the roles of one that is already there
// (the winning supplier is also a tenderer).
func mergeParties(into []Party, add []Party) []Party {
	for _, p := range add {
		found := false
		for i := range into {
			if into[i].ID == p.ID {
				found = true
				for _, r := range p.Roles {
					if !contains(into[i].Roles, r) {
						into[i].Roles = append(into[i].Roles, r)
					}
				}
			}
		}
		if !found {
			into = append(into, p)
		}
	}
	return into
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// kpiMetrics maps a contract's key performance indicators (Procurement Act
// 2023 s.52) to Metrics-extension metrics on contracts[].implementation:
// one metric per KPI, titled with its name, its target and measure in the
// description, and one observation per published assessment: the period it
// ends, its rating code as the measure ("good", "approaching",
// "requires-improvement", "inadequate") and the rating in words in notes.
func kpiMetrics(kpis []contracts.KPI) []Metric {
	var ms []Metric
	for _, k := range kpis {
		id := "kpi-" + strconv.FormatInt(k.ID, 10)
		m := Metric{ID: id, Title: k.Name, Description: "Key performance indicator. Target: " + k.Target + ". Measured by: " + k.Measure + ".", Observations: []Observation{}}
		for _, a := range k.Assessments {
			o := Observation{ID: id + "-assessment-" + strconv.FormatInt(a.ID, 10), Measure: a.Rating, Dimensions: map[string]string{"basis": "kpiAssessment"}, Notes: a.Label()}
			if a.PeriodEnd != "" {
				o.Period = &Period{EndDate: a.PeriodEnd + "T23:59:59Z"}
			}
			if a.Note != "" {
				o.Notes += ". " + strings.TrimSpace(a.Note)
			}
			m.Observations = append(m.Observations, o)
		}
		ms = append(ms, m)
	}
	return ms
}

// concernDocuments publishes residents' concerns about delivery lines and
// the buyer's responses as contract documents (documentType
// "publicConcern", a term of our own in the open documentType codelist).
// The resident is never named; the text is what the contract page shows.
func concernDocuments(base string, contractID int64, cs []contracts.Concern) []Document {
	var ds []Document
	for _, c := range cs {
		desc := "A resident's concern: " + c.Body
		if c.Response != "" {
			desc += "\nThe buyer's response: " + c.Response
		} else {
			desc += "\nThe buyer has not responded yet."
		}
		ds = append(ds, Document{ID: "concern-" + strconv.FormatInt(c.ID, 10), DocumentType: "publicConcern", Title: "Resident's concern about a delivery report",
			Description: desc, URL: base + "/contracts/" + strconv.FormatInt(contractID, 10) + "#line-" + strconv.FormatInt(c.LineID, 10),
			DatePublished: stamp(c.CreatedAt), Format: "text/html", Language: "en"})
	}
	return ds
}
