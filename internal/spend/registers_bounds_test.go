package spend

import (
	"strings"
	"testing"
)

// Register files are read through the same guard as spend files: a bomb
// is refused naming the limit and its flag, within bounded memory and
// time, and nothing is returned.
func TestRegisterBombs(t *testing.T) {
	const head = "CompanyName,CompanyNumber,RegAddress.PostCode,CompanyCategory,CompanyStatus,SICCode.SicText_1\n"
	read := func(r *repeat, lim Limits) func() error {
		return func() error {
			entries, err := ReadRegisterLimits(r, "bomb.csv", CompaniesHouse, lim)
			if entries != nil {
				t.Fatalf("a refused file returned %d entries", len(entries))
			}
			return err
		}
	}
	// One 1.5 GB cell.
	long := &repeat{prefix: head + "ACME LTD,", unit: "1", n: 1536 << 20, suffix: ",M1 1AA\n"}
	refuse(t, "the length of a cell", "--max-field", read(long, Limits{}))
	if long.i > 8<<20 {
		t.Fatalf("read %d MB of the cell before refusing", long.i>>20)
	}
	// One row of many moderate cells.
	wide := &repeat{prefix: head + "ACME LTD,01234567", unit: "," + strings.Repeat("z", 2000), n: 600, suffix: "\n"}
	refuse(t, "the length of a row", "--max-row-bytes", read(wide, Limits{}))
	// One row of 100 million empty cells.
	cells := &repeat{prefix: head + "ACME LTD,01234567", unit: ",", n: 100_000_000, suffix: "\n"}
	refuse(t, "cells per row", "--max-cells", read(cells, Limits{}))
	if cells.i > 1<<20 {
		t.Fatalf("read %d cells before refusing", cells.i)
	}
	// A quoted cell running over a billion lines is one record.
	quoted := &repeat{prefix: head + "\"ACME", unit: "\n", n: 1 << 30, suffix: "\",01234567\n"}
	refuse(t, "the length of a cell", "--max-field", read(quoted, Limits{}))
	// More rows than allowed (a small limit here: the default is ten million).
	rows := &repeat{prefix: head, unit: "ACME LTD,01234567,M1 1AA,Private Limited Company,Active,\n", n: 2_000_000}
	refuse(t, "rows in a file", "--max-rows", read(rows, Limits{Rows: 10_000}))
	// More text than allowed.
	size := &repeat{prefix: head, unit: "ACME LTD,01234567,M1 1AA,Private Limited Company,Active,\n", n: 2_000_000}
	refuse(t, "decompressed size", "--max-bytes", read(size, Limits{Bytes: 1 << 20}))
}

// Within the limits a register still reads, and the defaults apply to a
// zero Limits.
func TestRegisterWithinLimits(t *testing.T) {
	src := "registered_charity_number,charity_name,charity_contact_postcode\n1000001,\"Food, Friends\",M1 1AA\n1000002,Hope,M2 2BB\n"
	got, err := ReadRegisterLimits(strings.NewReader(src), "c.csv", CharityRegister, Limits{Rows: 2})
	if err != nil || len(got) != 2 || got[0].Name != "Food, Friends" || got[1].Line != 3 {
		t.Fatalf("got %+v, %v", got, err)
	}
	_, err = ReadRegisterLimits(strings.NewReader(src), "c.csv", CharityRegister, Limits{Rows: 1})
	if err == nil || !strings.Contains(err.Error(), "c.csv: line 3: the file has more than 1 ") || !strings.Contains(err.Error(), "--max-rows") {
		t.Fatalf("err = %v", err)
	}
}
