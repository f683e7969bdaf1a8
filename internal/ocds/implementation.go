package ocds

import (
	"fmt"
	"math/big"
	"strconv"
	"time"

	"github.com/svhub/svhub/internal/contracts"
	"github.com/svhub/svhub/internal/framework"
	"github.com/svhub/svhub/internal/proxies"
)

// MetricsExtension is the OCDS Metrics extension, from the OCDS extension
// registry, whose metrics and observations carry each commitment's
// quantities and worth on contracts.implementation.
const MetricsExtension = "https://raw.githubusercontent.com/open-contracting-extensions/ocds_metrics_extension/master/extension.json"

// Implementation is a contract's implementation: one milestone and one
// metric per social value commitment.
type Implementation struct {
	Milestones []Milestone `json:"milestones,omitempty"`
	Metrics    []Metric    `json:"metrics,omitempty"`
}

// Milestone is a commitment's due date and whether verified delivery met it
// (OCDS milestone status codes: scheduled, met, partiallyMet, notMet).
type Milestone struct {
	ID          string `json:"id"`
	Title       string `json:"title"`
	Type        string `json:"type"`
	Description string `json:"description"`
	DueDate     string `json:"dueDate,omitempty"`
	Status      string `json:"status"`
}

// Metric is a commitment measured (Metrics extension).
type Metric struct {
	ID           string        `json:"id"`
	Title        string        `json:"title"`
	Description  string        `json:"description,omitempty"`
	Observations []Observation `json:"observations"`
}

// Observation is one figure of a metric: a quantity with its unit, or an
// amount of money, over a period, with dimensions saying what it is.
type Observation struct {
	ID         string            `json:"id"`
	Period     *Period           `json:"period,omitempty"`
	Value      *Value            `json:"value,omitempty"`
	Measure    string            `json:"measure,omitempty"`
	Unit       *Unit             `json:"unit,omitempty"`
	Dimensions map[string]string `json:"dimensions,omitempty"`
	Notes      string            `json:"notes,omitempty"`
}

// Unit names what a quantity counts.
type Unit struct {
	Name string `json:"name"`
}

// milliString writes thousandths exactly as a decimal, like "12.5".
func milliString(m int64) string {
	return new(big.Rat).SetFrac64(m, 1000).FloatString(3)
}

func trimZeros(s string) string {
	for len(s) > 0 && s[len(s)-1] == '0' {
		s = s[:len(s)-1]
	}
	if len(s) > 0 && s[len(s)-1] == '.' {
		s = s[:len(s)-1]
	}
	return s
}

// quantity writes an amount with its unit: "£250" for pounds, else "8 people".
func quantity(n, unit string) string {
	if unit == "£" {
		return "£" + n
	}
	return n + " " + unit
}

// milestoneStatus: all verified is met; some verified is partly met; none
// verified by a due date that has passed is not met; else scheduled.
func milestoneStatus(cm contracts.Commitment, now time.Time) string {
	switch {
	case cm.QuantityMilli > 0 && cm.VerifiedMilli >= cm.QuantityMilli:
		return "met"
	case cm.VerifiedMilli > 0:
		return "partiallyMet"
	case cm.Due != "" && now.Format(time.DateOnly) > cm.Due:
		return "notMet"
	}
	return "scheduled"
}

// implementation maps a contract's commitments to OCDS (documented in
// docs/procurement.md): nil when it has none.
func implementation(c contracts.Contract, cms []contracts.Commitment, values map[int64]framework.UnitValue, now time.Time) (*Implementation, error) {
	if len(cms) == 0 {
		return nil, nil
	}
	impl := &Implementation{}
	toDate := now.UTC().Format(time.DateOnly)
	if toDate > c.End {
		toDate = c.End
	}
	sofar := &Period{StartDate: c.Start + "T00:00:00Z", EndDate: toDate + "T23:59:59Z"}
	for _, cm := range cms {
		id := "commitment-" + strconv.FormatInt(cm.ID, 10)
		qty, done := trimZeros(milliString(cm.QuantityMilli)), trimZeros(milliString(cm.VerifiedMilli))
		ms := Milestone{ID: id, Title: cm.Wording, Type: "delivery", Status: milestoneStatus(cm, now),
			Description: fmt.Sprintf("%s committed by %s; %s verified by the buyer", quantity(qty, cm.Unit), cm.Due, quantity(done, cm.Unit))}
		due := &Period{StartDate: c.Start + "T00:00:00Z"}
		if cm.Due != "" {
			ms.DueDate = cm.Due + "T23:59:59Z"
			due.EndDate = ms.DueDate
		}
		impl.Milestones = append(impl.Milestones, ms)
		m := Metric{ID: id, Title: cm.Wording, Description: fmt.Sprintf("Measure %s (%s)", cm.MeasureCode, cm.PriorityTitle),
			Observations: []Observation{
				{ID: id + "-committed", Period: due, Measure: qty, Unit: &Unit{Name: cm.Unit}, Dimensions: map[string]string{"basis": "committed"}},
				{ID: id + "-verified", Period: sofar, Measure: done, Unit: &Unit{Name: cm.Unit}, Dimensions: map[string]string{"basis": "verified"},
					Notes: "Only delivery verified by the buyer counts; claims awaiting verification are left out."},
			}}
		if uv, ok := values[cm.MeasureID]; ok {
			unit := fmt.Sprintf("at £%s each in %s prices, rounded to the penny; not discounted and not uplifted. Unit value: %s", Pounds(uv.Pence), uv.PriceYear, uv.Source)
			for _, o := range []struct {
				basis string
				milli int64
				p     *Period
			}{{"committed", cm.QuantityMilli, due}, {"verified", cm.VerifiedMilli, sofar}} {
				pence := proxies.RoundHalfAway(proxies.Worth(o.milli, uv.Pence, uv.PriceYear).Pence)
				if !pence.IsInt64() {
					return nil, fmt.Errorf("commitment %d: worth %s pence is too large", cm.ID, pence)
				}
				m.Observations = append(m.Observations, Observation{ID: id + "-" + o.basis + "-value", Period: o.p, Value: money(pence.Int64()),
					Dimensions: map[string]string{"basis": o.basis, "priceYear": uv.PriceYear},
					Notes:      quantity(trimZeros(milliString(o.milli)), cm.Unit) + " " + unit})
			}
		}
		impl.Metrics = append(impl.Metrics, m)
	}
	return impl, nil
}
