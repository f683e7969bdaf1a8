package proxies

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math/big"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/svhub/svhub/internal/problem"
)

// Index is a price index that moves values between price years, such as
// HM Treasury's GDP deflator series: an index value per year, with the
// source it was taken from and the date of that release.
type Index struct {
	ID        int64
	Name      string // such as "GDP deflator"
	Source    string // who published it and where
	Published string // the release date, YYYY-MM-DD
	CreatedAt time.Time
	Years     map[string]*big.Rat // price year → index value
}

// Validate checks an index's descriptive fields and values.
func (ix Index) Validate() error {
	var v problem.Invalid
	if strings.TrimSpace(ix.Name) == "" {
		v.Add("name", "Enter the index's name, such as GDP deflator")
	}
	if strings.TrimSpace(ix.Source) == "" {
		v.Add("source", "Enter where the index was published")
	}
	if _, err := time.Parse(time.DateOnly, ix.Published); err != nil {
		v.Add("published", "Enter the date the index was published as YYYY-MM-DD")
	}
	if len(ix.Years) == 0 {
		v.Add("years", "The index has no years")
	}
	for y, r := range ix.Years {
		if r == nil || r.Sign() <= 0 {
			v.Add("years", "The index value for %s must be above zero", y)
		}
	}
	return v.Err()
}

// SortedYears lists the index's years in order.
func (ix Index) SortedYears() []string {
	ys := make([]string, 0, len(ix.Years))
	for y := range ix.Years {
		ys = append(ys, y)
	}
	sort.Strings(ys)
	return ys
}

var decimalRe = regexp.MustCompile(`^\d+(\.\d+)?$`)

// ReadIndexCSV reads an index's years from a CSV with the columns year and
// index (other columns are ignored), refusing the file with every bad line
// listed.
func ReadIndexCSV(r io.Reader, name string) (map[string]*big.Rat, error) {
	raw, err := io.ReadAll(io.LimitReader(r, 1<<20+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(raw) > 1<<20 {
		return nil, fmt.Errorf("%s: an index file is at most 1 MB", name)
	}
	cr := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(raw, []byte("\ufeff"))))
	cr.FieldsPerRecord = -1
	fe := &problem.FileErrors{File: name}
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: reading the header: %w", name, err)
	}
	yc, vc := -1, -1
	for i, h := range header {
		switch strings.ToLower(strings.TrimSpace(h)) {
		case "year", "price year", "financial year":
			yc = i
		case "index", "value", "deflator", "index value":
			vc = i
		}
	}
	if yc < 0 || vc < 0 {
		var missing []string
		if yc < 0 {
			missing = append(missing, "year")
		}
		if vc < 0 {
			missing = append(missing, "index")
		}
		return nil, fmt.Errorf("%s: line 1: missing column %s (an index file has the columns year and index)", name, strings.Join(missing, " and "))
	}
	years := map[string]*big.Rat{}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		get := func(i int) string {
			if i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		if get(yc) == "" && get(vc) == "" {
			continue
		}
		y, err := PriceYear(get(yc))
		if err != nil {
			fe.Add(line, "%v", err)
			continue
		}
		v := get(vc)
		if !decimalRe.MatchString(v) {
			fe.Add(line, "the index value %q for %s is not a positive decimal number", v, y)
			continue
		}
		r, _ := new(big.Rat).SetString(v)
		if r.Sign() == 0 {
			fe.Add(line, "the index value for %s is zero", y)
			continue
		}
		if _, dup := years[y]; dup {
			fe.Add(line, "%s appears twice", y)
			continue
		}
		years[y] = r
	}
	if len(fe.Lines) == 0 && len(years) == 0 {
		fe.Add(2, "the file has no years")
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	return years, nil
}

// Priced is an amount in pence (possibly fractional, such as a quantity
// times a unit cost) in one price year.
type Priced struct {
	Pence     *big.Rat
	PriceYear string
}

// ErrMixedPriceYears is returned when values of different price years
// would be added without an index.
var ErrMixedPriceYears = errors.New("values of different price years cannot be added without an uplift index")

// Total is a sum of priced amounts in one price year.
type Total struct {
	Pence     *big.Rat
	PriceYear string
	Index     string // the index used to move amounts into PriceYear, or "" when none was needed
}

// Sum adds amounts exactly. Amounts all in one price year need no index.
// Amounts in several price years are refused unless an index is given,
// and then each is moved into the price year to (pence × index[to] ÷
// index[year]) before adding; a year the index lacks is refused. With no
// amounts the total is zero in to.
func Sum(amounts []Priced, ix *Index, to string) (Total, error) {
	years := map[string]bool{}
	for _, a := range amounts {
		years[a.PriceYear] = true
	}
	if len(years) == 0 {
		return Total{Pence: new(big.Rat), PriceYear: to}, nil
	}
	if y := amounts[0].PriceYear; len(years) == 1 && (to == "" || to == y) {
		total := Total{Pence: new(big.Rat), PriceYear: y}
		for _, a := range amounts {
			total.Pence.Add(total.Pence, a.Pence)
		}
		return total, nil
	}
	if ix == nil {
		if len(years) == 1 {
			return Total{}, fmt.Errorf("values in %s prices cannot be expressed in %s prices without an uplift index", amounts[0].PriceYear, to)
		}
		return Total{}, fmt.Errorf("%w: they are in %s; load an index such as the GDP deflator and choose the price year to express them in", ErrMixedPriceYears, strings.Join(sortedKeys(years), ", "))
	}
	if to == "" {
		return Total{}, fmt.Errorf("choose the price year to express the total in")
	}
	target, ok := ix.Years[to]
	if !ok {
		return Total{}, fmt.Errorf("the index %s has no value for %s, the price year asked for", ix.Name, to)
	}
	var lacking []string
	for y := range years {
		if _, ok := ix.Years[y]; !ok {
			lacking = append(lacking, y)
		}
	}
	if len(lacking) > 0 {
		sort.Strings(lacking)
		return Total{}, fmt.Errorf("the index %s has no value for %s, so those values cannot be uplifted", ix.Name, strings.Join(lacking, ", "))
	}
	total := Total{Pence: new(big.Rat), PriceYear: to, Index: ix.Name + " (" + ix.Source + ", " + ix.Published + ")"}
	for _, a := range amounts {
		total.Pence.Add(total.Pence, Uplift(a.Pence, ix.Years[a.PriceYear], target))
	}
	return total, nil
}

// Uplift moves an amount from a year with index value from to a year with
// index value to, exactly.
func Uplift(pence, from, to *big.Rat) *big.Rat {
	r := new(big.Rat).Mul(pence, to)
	return r.Quo(r, from)
}

// ByPriceYear adds amounts within each price year only: what is shown
// when there is no index.
func ByPriceYear(amounts []Priced) []Total {
	sums := map[string]*big.Rat{}
	for _, a := range amounts {
		if sums[a.PriceYear] == nil {
			sums[a.PriceYear] = new(big.Rat)
		}
		sums[a.PriceYear].Add(sums[a.PriceYear], a.Pence)
	}
	out := make([]Total, 0, len(sums))
	for _, y := range sortedKeys(sums) {
		out = append(out, Total{Pence: sums[y], PriceYear: y})
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// Worth is a quantity counted in thousandths of a unit times a unit value
// in pence, exactly, in the unit value's price year.
func Worth(milli, unitPence int64, priceYear string) Priced {
	n := new(big.Int).Mul(big.NewInt(milli), big.NewInt(unitPence))
	return Priced{Pence: new(big.Rat).SetFrac(n, big.NewInt(1000)), PriceYear: priceYear}
}
