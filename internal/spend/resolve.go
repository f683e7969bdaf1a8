package spend

import (
	"sort"
	"strconv"
	"strings"
)

// Fuzzy supplier resolution. Exact identifiers (VAT, company number) and
// identical normalised names match automatically; anything less certain is
// only ever a candidate that a person confirms or rejects. Nothing is
// merged on similarity alone.

// CandidateThreshold is the least similarity worth showing to a person.
// Chosen on the demo and Trafford names: below 0.5 the suggestions were
// mostly unrelated firms sharing a word such as "services".
const CandidateThreshold = 0.5

// Candidate pairs an unmatched supplier with the directory organisation or
// register entry its name most resembles.
type Candidate struct {
	SupplierKey  string
	SupplierName string
	NetPence     int64
	OrgID        int64
	OrgName      string
	OrgSlug      string  // directory organisations only
	OrgSource    string  // the register a register entry is from
	Score        float64 // 0..1, Dice coefficient of name trigrams
}

// trigrams returns the set of three-rune windows of a normalised name,
// padded so that short names and word starts still count.
func trigrams(name string) map[string]bool {
	r := []rune("  " + NormaliseSupplier(name) + " ")
	out := map[string]bool{}
	for i := 0; i+3 <= len(r); i++ {
		out[string(r[i:i+3])] = true
	}
	return out
}

func dice(a, b map[string]bool) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	both := 0
	for t := range a {
		if b[t] {
			both++
		}
	}
	return 2 * float64(both) / float64(len(a)+len(b))
}

// Similarity compares two supplier names after normalisation: 1 for the
// same normalised name, 0 for nothing in common.
func Similarity(a, b string) float64 {
	return dice(trigrams(a), trigrams(b))
}

// FuzzyCandidates proposes, for each supplier not yet matched to an
// organisation, the directory organisation (ID > 0) or register entry
// (Register) whose legal, trading or previous name is most similar, if at least CandidateThreshold and not already
// decided (decided holds "key\x00orgID" pairs a person has rejected or
// confirmed). Highest spend first, so officers resolve what matters most.
func FuzzyCandidates(suppliers []Supplier, orgs []Org, decided map[string]bool, limit int) []Candidate {
	// An inverted index from trigram to names: each payee is compared only
	// with names it shares a trigram with, counting shared trigrams.
	type named struct {
		org  *Org
		size int
	}
	var names []named
	index := map[string][]int32{}
	add := func(o *Org, name string) {
		tris := trigrams(name)
		for t := range tris {
			index[t] = append(index[t], int32(len(names)))
		}
		names = append(names, named{o, len(tris)})
	}
	for i := range orgs {
		o := &orgs[i]
		if o.ID == 0 || (o.ID < 0 && !o.Register) {
			continue
		}
		add(o, o.Name)
		for _, t := range strings.Split(o.TradingNames, ",") {
			if t = strings.TrimSpace(t); t != "" {
				add(o, t)
			}
		}
		for _, t := range o.OtherNames {
			if o.Register {
				add(o, t)
			}
		}
	}
	shared := make([]int32, len(names))
	var touched []int32
	var out []Candidate
	for _, s := range suppliers {
		if s.OrgID != 0 || s.Key == "redacted" || s.Key == "" {
			continue
		}
		st := trigrams(s.Name)
		touched = touched[:0]
		for t := range st {
			for _, n := range index[t] {
				if shared[n] == 0 {
					touched = append(touched, n)
				}
				shared[n]++
			}
		}
		best := Candidate{}
		for _, n := range touched {
			nm := names[n]
			sc := 2 * float64(shared[n]) / float64(len(st)+nm.size)
			shared[n] = 0
			if decided[DecisionKey(s.Key, nm.org.ID)] {
				continue
			}
			if sc > best.Score || (sc == best.Score && idBefore(nm.org.ID, best.OrgID)) {
				best = Candidate{SupplierKey: s.Key, SupplierName: s.Name, NetPence: s.NetPence, OrgID: nm.org.ID, OrgName: nm.org.Name, OrgSlug: nm.org.Slug, OrgSource: nm.org.Source, Score: sc}
			}
		}
		if best.Score >= CandidateThreshold {
			out = append(out, best)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].NetPence != out[j].NetPence {
			return out[i].NetPence > out[j].NetPence
		}
		return out[i].SupplierKey < out[j].SupplierKey
	})
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out
}

// idBefore orders tied candidates: directory organisations before register
// entries, then the older (smaller id) first.
func idBefore(a, b int64) bool {
	if (a > 0) != (b > 0) {
		return a > 0
	}
	return max(a, -a) < max(b, -b)
}

// DecisionKey identifies a person's decision about a supplier and an
// organisation.
func DecisionKey(supplierKey string, orgID int64) string {
	return supplierKey + "\x00" + strconv.FormatInt(orgID, 10)
}
