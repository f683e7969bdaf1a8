package cli

import (
	"errors"
	"fmt"
	"strings"

	"github.com/svhub/svhub/internal/spend"
)

// fileError names the file an error is about, once: errors from reading
// a spend file already start with its name.
func fileError(name string, err error) error {
	if strings.Contains(err.Error(), name) {
		return err
	}
	return fmt.Errorf("%s: %w", name, err)
}

// errInterrupted stops an import on SIGTERM or Ctrl-C.
var errInterrupted = errors.New("interrupted: nothing was imported (the import was rolled back)")

// spendLimitFlags adds the flags that raise the limits on a spend file
// (spend.Limits) and returns them as parsed.
func spendLimitFlags(f *flags) func() spend.Limits {
	d := spend.DefaultLimits
	bytes := f.Int64("max-bytes", d.Bytes, "most bytes read from one file once decompressed")
	ratio := f.Int64("max-ratio", d.Ratio, "most a compressed .zip or .xlsx part may expand (decompressed bytes per compressed byte)")
	cells := f.Int("max-cells", d.Cells, "most cells in one row")
	field := f.Int("max-field", d.Field, "most bytes in one cell")
	row := f.Int("max-row-bytes", d.Row, "most bytes in one row")
	sheets := f.Int("max-sheets", d.Sheets, "most worksheets a workbook may list")
	rows := f.Int64("max-rows", d.Rows, "most rows in one file")
	shared := f.Int64("max-shared-strings", d.SharedText, "most bytes of shared-string text in a workbook (held in memory)")
	return func() spend.Limits {
		return spend.Limits{Bytes: *bytes, Ratio: *ratio, Cells: *cells, Field: *field, Row: *row, Sheets: *sheets, Rows: *rows, SharedText: *shared}
	}
}

// DefaultCreditorRows is the default row limit of a creditor file. Every
// row is held in memory (about 100 bytes each, more with long names) until
// the whole file is read; a council's supplier master has tens of
// thousands of suppliers. 4 million rows ran the binary out of a 1 GiB
// address-space limit.
const DefaultCreditorRows = 500_000

// registerLimitFlags adds the flags that raise the limits on a register
// file (svhub import register) and returns them as parsed: the limits of
// a spend CSV, with its own default row count.
func registerLimitFlags(f *flags) func() spend.Limits {
	lim := fileLimitFlags(f, spend.DefaultRegisterRows, "most rows in the file")
	ratio := f.Int64("max-ratio", spend.DefaultLimits.Ratio, "most the CSV in a .zip may expand (decompressed bytes per compressed byte)")
	return func() spend.Limits {
		l := lim()
		l.Ratio = *ratio
		return l
	}
}

// creditorLimitFlags is registerLimitFlags for a creditor file (svhub
// import creditors), whose rows are all held in memory.
func creditorLimitFlags(f *flags) func() spend.Limits {
	return fileLimitFlags(f, DefaultCreditorRows, "most rows in the file (every row is held in memory until the file is read)")
}

func fileLimitFlags(f *flags, defaultRows int64, rowsUsage string) func() spend.Limits {
	d := spend.DefaultLimits
	bytes := f.Int64("max-bytes", d.Bytes, "most bytes read from the file")
	cells := f.Int("max-cells", d.Cells, "most cells in one row")
	field := f.Int("max-field", d.Field, "most bytes in one cell")
	row := f.Int("max-row-bytes", d.Row, "most bytes in one row")
	rows := f.Int64("max-rows", defaultRows, rowsUsage)
	return func() spend.Limits {
		return spend.Limits{Bytes: *bytes, Cells: *cells, Field: *field, Row: *row, Rows: *rows}
	}
}
