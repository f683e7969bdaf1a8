package proxies

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"math/big"
	"strings"
)

//go:embed data/gmca-unit-cost-database-v1.4.json
var ucdJSON []byte

// UCDAttribution is the line shown wherever the Unit Cost Database's
// values are used.
const UCDAttribution = "Unit Cost Database © Greater Manchester Combined Authority, Creative Commons Attribution 4.0"

// UCDSource describes an edition of the GMCA Unit Cost Database; the
// import uses it for a newer edition unless told otherwise.
func UCDSource(edition string) Source {
	return Source{
		Name:        "Unit Cost Database",
		Publisher:   "Greater Manchester Combined Authority (GMCA Research Team, formerly New Economy)",
		Edition:     edition,
		Licence:     "Creative Commons Attribution 4.0 International",
		Attribution: UCDAttribution,
		URL:         "https://www.greatermanchester-ca.gov.uk/what-we-do/research/research-cost-benefit-analysis/",
		Note:        "Fiscal costs to public services, each in its own price year. Supplementary guidance to the HM Treasury Green Book.",
	}
}

// ShippedUCD parses the shipped Unit Cost Database v1.4 (674 fiscal unit
// costs in seven themes).
func ShippedUCD() (Edition, error) {
	return parseUCDJSON(ucdJSON)
}

// ucdFile is the layout of the shipped JSON extraction of the workbook.
type ucdFile struct {
	TotalEntries int `json:"total_entries"`
	Categories   map[string]struct {
		Sheet   string `json:"sheet"`
		Count   int    `json:"count"`
		Entries []struct {
			Code         string      `json:"code"`
			Detail       string      `json:"detail"`
			Description  string      `json:"description"`
			Unit         string      `json:"unit"`
			Cost         json.Number `json:"cost_gbp"`
			Agency       string      `json:"agency"`
			AgencyDetail *string     `json:"agency_detail"`
			SourceDetail string      `json:"source_detail"`
		} `json:"entries"`
	} `json:"categories"`
}

func parseUCDJSON(raw []byte) (Edition, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var f ucdFile
	if err := dec.Decode(&f); err != nil {
		return Edition{}, fmt.Errorf("shipped unit cost database: %w", err)
	}
	ed := Edition{Source: UCDSource("1.4")}
	ed.Source.BuiltIn = true
	// The JSON object's themes are in the workbook's order; keep it.
	order, err := objectKeys(raw, "categories")
	if err != nil {
		return Edition{}, err
	}
	for _, key := range order {
		c := f.Categories[key]
		if len(c.Entries) != c.Count {
			return Edition{}, fmt.Errorf("shipped unit cost database: sheet %s says %d entries and holds %d", c.Sheet, c.Count, len(c.Entries))
		}
		for i, e := range c.Entries {
			pence, err := ParsePence(string(e.Cost))
			if err != nil {
				return Edition{}, fmt.Errorf("shipped unit cost database: %s entry %d (%s): %w", c.Sheet, i+1, e.Code, err)
			}
			year, err := PriceYear(e.SourceDetail)
			if err != nil {
				return Edition{}, fmt.Errorf("shipped unit cost database: %s entry %d (%s): %w", c.Sheet, i+1, e.Code, err)
			}
			v := Value{Code: e.Code, Theme: c.Sheet, Detail: e.Detail, Description: e.Description, Unit: e.Unit, Pence: pence, PriceYear: year, Agency: e.Agency, Kind: Fiscal}
			if e.AgencyDetail != nil {
				v.AgencyDetail = *e.AgencyDetail
			}
			ed.Values = append(ed.Values, v)
		}
	}
	if len(ed.Values) != f.TotalEntries {
		return Edition{}, fmt.Errorf("shipped unit cost database: %d entries, expected %d", len(ed.Values), f.TotalEntries)
	}
	return ed, nil
}

// objectKeys lists the keys of a top-level object member in file order.
func objectKeys(raw []byte, member string) ([]string, error) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(raw, &top); err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(top[member]))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, fmt.Errorf("%s is not an object", member)
	}
	var keys []string
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, err
		}
		keys = append(keys, t.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return nil, err
		}
	}
	return keys, nil
}

// CarbonEdition is the carbon value the GM framework edition already uses
// for greenhouse gas emissions avoided, as a built-in source of its own.
func CarbonEdition() Edition {
	return Edition{
		Source: Source{
			Name:        "Valuation of greenhouse gas emissions",
			Publisher:   "Department for Energy Security and Net Zero (formerly BEIS)",
			Edition:     "2021",
			Licence:     "Open Government Licence v3.0",
			Attribution: "Contains public sector information licensed under the Open Government Licence v3.0 (DESNZ, Valuation of greenhouse gas emissions, 2021)",
			URL:         "https://www.gov.uk/government/publications/valuing-greenhouse-gas-emissions-in-policy-appraisal",
			Note:        "Central series. The value of avoiding one tonne of carbon dioxide equivalent, to society as a whole.",
			BuiltIn:     true,
		},
		Values: []Value{{
			Code: "GHG-2020-central", Theme: "Carbon values", Detail: "Greenhouse gas emissions",
			Description: "One tonne of carbon dioxide equivalent emitted in 2020 or avoided (central series)",
			Unit:        "Per tonne CO2e", Pence: 24100, PriceYear: "2020", Agency: "Society as a whole", Kind: Social,
		}},
	}
}

// Shipped is every built-in edition: the Unit Cost Database v1.4 and the
// carbon value.
func Shipped() ([]Edition, error) {
	ucd, err := ShippedUCD()
	if err != nil {
		return nil, err
	}
	return []Edition{ucd, CarbonEdition()}, nil
}

// ParsePence reads an amount of pounds as a publisher writes it ("£1,234.56",
// "1234.5", "-20", " 35 ") and returns whole pence, rounding a fraction of
// a penny half away from zero (spreadsheet costs are often computed and
// carry more decimals than pence).
func ParsePence(s string) (int64, error) {
	t := strings.TrimSpace(s)
	t = strings.ReplaceAll(t, ",", "")
	t = strings.TrimPrefix(t, "£")
	t = strings.TrimSpace(t)
	if neg := strings.HasPrefix(t, "-£"); neg {
		t = "-" + t[len("-£"):]
	}
	if t == "" {
		return 0, fmt.Errorf("no amount")
	}
	for _, r := range t {
		if !(r >= '0' && r <= '9') && r != '.' && r != '-' && r != 'e' && r != 'E' && r != '+' {
			return 0, fmt.Errorf("%q is not an amount of pounds", s)
		}
	}
	r, ok := new(big.Rat).SetString(t)
	if !ok {
		return 0, fmt.Errorf("%q is not an amount of pounds", s)
	}
	r.Mul(r, big.NewRat(100, 1))
	p := RoundHalfAway(r)
	if !p.IsInt64() || p.Int64() > 1e15 || p.Int64() < -1e15 {
		return 0, fmt.Errorf("%q is too large", s)
	}
	return p.Int64(), nil
}

// RoundHalfAway rounds a rational to the nearest integer, halves away from zero.
func RoundHalfAway(r *big.Rat) *big.Int {
	num := new(big.Int).Abs(r.Num())
	den := r.Denom()
	q, m := new(big.Int).QuoRem(num, den, new(big.Int))
	if new(big.Int).Lsh(m, 1).Cmp(den) >= 0 {
		q.Add(q, big.NewInt(1))
	}
	if r.Sign() < 0 {
		q.Neg(q)
	}
	return q
}
