// Package geo is a domain package that keeps every rule.
package geo

import (
	"errors"
	"strings"
)

// ErrUnknown is a sentinel error: made once, only read.
var ErrUnknown = errors.New("unknown postcode")

// districts is a lookup table, only read.
var districts = map[string]string{"M1": "Manchester"}

// areas is filled in by init, which is initialisation.
var areas []string

func init() {
	for d := range districts {
		areas = append(areas, d)
	}
}

// Grant is money in pence; its score may be a float.
type Grant struct {
	AmountPence int64
	Score       float64
}

// Pence is a named money type held as an integer.
type Pence int64

// District finds a postcode's district.
func District(postcode string) (string, error) {
	// A local that shadows a package-level name may be assigned freely.
	districts := map[string]string{}
	districts["x"] = "y"
	areas := 1
	areas++
	name, ok := lookup(postcode)
	if !ok {
		return "", ErrUnknown
	}
	return name, nil
}

func lookup(postcode string) (string, bool) {
	d, ok := districts[strings.ToUpper(postcode)]
	return d, ok
}

// share splits a float cost: parameters are not money code.
func share(cost float64, voters int) float64 { return cost / float64(voters) }

const help = "Select one from the list below. Delete from your basket what you no longer want. Insert into the box."
