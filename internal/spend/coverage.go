package spend

import "fmt"

// How much of a report is known. A share of spend "placed" is only a
// finding when most spend is placed: with 1% placed, "0.5% local" says
// nothing about the other 99%. Every view states these shares, and
// location shares are marked provisional below ProvisionalBelow.

// ProvisionalBelow is the placed share under which local and Greater
// Manchester shares are provisional (the 80%).
const ProvisionalBelow = 0.8

// CoverageTop is how many of the largest suppliers the top shares cover
// (CLES analyses look at the top 300).
const CoverageTop = 300

// Coverage is how much of the spend to named payees is placed (its
// location known: in the district, elsewhere in GM or outside GM),
// classified SME or large, and classified VCSE or not, over all suppliers
// and over the CoverageTop largest. Redacted payees are left out of the
// base: nobody can place them, and the report states them separately.
type Coverage struct {
	NamedPence     int64   `json:"named_pence"`
	PlacedShare    float64 `json:"placed_share"`
	SizeShare      float64 `json:"size_classified_share"`
	VCSEShare      float64 `json:"vcse_classified_share"`
	TopSuppliers   int     `json:"top_suppliers"`
	TopNamedPence  int64   `json:"top_named_pence"`
	TopPlacedShare float64 `json:"top_placed_share"`
	TopSizeShare   float64 `json:"top_size_classified_share"`
	TopVCSEShare   float64 `json:"top_vcse_classified_share"`
}

// coverage measures list (sorted largest first).
func coverage(list []Supplier) Coverage {
	var c Coverage
	var placed, sized, vcse, tPlaced, tSized, tVCSE int64
	n := 0
	for _, s := range list {
		if s.Key == "redacted" {
			continue
		}
		top := n < CoverageTop
		n++
		c.NamedPence += s.NetPence
		if top {
			c.TopSuppliers++
			c.TopNamedPence += s.NetPence
		}
		if s.Location != Unknown {
			placed += s.NetPence
			if top {
				tPlaced += s.NetPence
			}
		}
		if s.SME != "unknown" {
			sized += s.NetPence
			if top {
				tSized += s.NetPence
			}
		}
		if s.VCSE != "unknown" {
			vcse += s.NetPence
			if top {
				tVCSE += s.NetPence
			}
		}
	}
	c.PlacedShare, c.SizeShare, c.VCSEShare = ratio(placed, c.NamedPence), ratio(sized, c.NamedPence), ratio(vcse, c.NamedPence)
	c.TopPlacedShare, c.TopSizeShare, c.TopVCSEShare = ratio(tPlaced, c.TopNamedPence), ratio(tSized, c.TopNamedPence), ratio(tVCSE, c.TopNamedPence)
	return c
}

// ratio is part/whole, 0 when whole is not positive, and never above 1
// or below 0 (refunds can make a supplier's net negative).
func ratio(part, whole int64) float64 {
	if whole <= 0 {
		return 0
	}
	return min(1, max(0, float64(part)/float64(whole)))
}

// Percent writes a share as a whole percentage for a sentence, rounded
// down so that 79.6% placed never reads as 80%, and "less than 1%" for a
// share above nothing that rounds to none.
func Percent(share float64) string {
	p := int(share * 100)
	switch {
	case p == 0 && share > 0:
		return "less than 1%"
	default:
		return fmt.Sprintf("%d%%", p)
	}
}

// ProvisionalNote is the words shown beside local and Greater Manchester
// shares when less than ProvisionalBelow of spend is placed, else "".
func ProvisionalNote(placedShare float64) string {
	if placedShare >= ProvisionalBelow {
		return ""
	}
	return "provisional — only " + Percent(placedShare) + " of spend placed"
}
