package priorities

import (
	"errors"
	"strings"
	"testing"

	"github.com/svhub/svhub/internal/spend"
)

// A ballot file with a huge cell, a huge row or thousands of columns is
// refused naming the line and the limit before the row is buffered.
func TestReadCSVRefusesBombs(t *testing.T) {
	for name, in := range map[string]string{
		"cell":  "ballot_id,jobs\nb1," + strings.Repeat("9", 2<<10) + "\n",
		"row":   "ballot_id,jobs\n\"" + strings.Repeat("b,", 40<<10) + "\",1\n",
		"cells": "ballot_id" + strings.Repeat(",p", 300) + "\n",
		"line":  "ballot_id,jobs\nb1,\"" + strings.Repeat("x\n", 50<<10) + "\"\n",
	} {
		_, err := ReadCSV(strings.NewReader(in), "ballots.csv")
		if !errors.Is(err, spend.ErrLimit) || !strings.Contains(err.Error(), "line ") || strings.Contains(err.Error(), "--max") {
			t.Errorf("%s: %v", name, err)
		}
	}
}
