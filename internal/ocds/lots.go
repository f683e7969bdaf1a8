package ocds

import (
	"fmt"
	"slices"
	"strings"

	"github.com/svhub/svhub/internal/tenders"
)

// LotsExtension is the OCDS Lots extension, from the OCDS extension
// registry: tender.lots, items' relatedLot and awards' relatedLots. It is
// declared in the package whenever a tender has lots.
const LotsExtension = "https://raw.githubusercontent.com/open-contracting-extensions/ocds_lots_extension/master/extension.json"

// Lot is one lot of a tender (Lots extension).
type Lot struct {
	ID          string `json:"id"`
	Title       string `json:"title,omitempty"`
	Description string `json:"description,omitempty"`
	Status      string `json:"status,omitempty"`
	Value       *Value `json:"value,omitempty"`
}

// lotID is a lot's id within its contracting process: "lot-1", "lot-2", …
func lotID(l tenders.Tender) string { return fmt.Sprintf("lot-%d", l.LotNumber) }

// lotsByTender groups the lots among ts by their tender, in lot order.
func lotsByTender(ts []tenders.Tender) map[int64][]tenders.Tender {
	out := map[int64][]tenders.Tender{}
	for _, t := range ts {
		if t.IsLot() && t.Status != tenders.Draft {
			out[t.ParentID] = append(out[t.ParentID], t)
		}
	}
	for _, ls := range out {
		slices.SortFunc(ls, func(a, b tenders.Tender) int { return a.LotNumber - b.LotNumber })
	}
	return out
}

// addLots writes a tender's lots into its tender stage: one lot each with
// its own value and status, an item per lot (with the tender's CPV code)
// pointing at it, and each lot's weights in the award criteria; and
// declares the Lots extension. A lot's award and contract are releases of
// the same contracting process (awardStages), the award naming its lot.
func addLots(pkg *Package, ten *Tender, lots []tenders.Tender) {
	pkg.extend(LotsExtension)
	var criteria []string
	cpv := ""
	if len(ten.Items) > 0 && ten.Items[0].Classification != nil {
		cpv = ten.Items[0].Classification.ID
	}
	ten.Items = nil
	for _, l := range lots {
		id := lotID(l)
		ten.Lots = append(ten.Lots, Lot{ID: id, Title: l.Title, Description: l.Description, Status: tenderStatus(l.Status), Value: money(l.ValuePence)})
		item := Item{ID: id + "-item", Description: l.Title, RelatedLot: id}
		if c := l.CPV; c != "" {
			item.Classification = &Classification{Scheme: "CPV", ID: c}
		} else if cpv != "" {
			item.Classification = &Classification{Scheme: "CPV", ID: cpv}
		}
		ten.Items = append(ten.Items, item)
		criteria = append(criteria, fmt.Sprintf("Lot %d: price %d%%, quality %d%%, social value %d%%", l.LotNumber, l.WPrice, l.WQuality, l.WSV))
	}
	ten.AwardCriteriaDetails = strings.Join(criteria, "; ") + " (social value weighted by People's Weights)"
}

// extend declares an extension once.
func (p *Package) extend(url string) {
	if !slices.Contains(p.Extensions, url) {
		p.Extensions = append(p.Extensions, url)
	}
}
