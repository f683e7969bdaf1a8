package proxies

import (
	"encoding/csv"
	"fmt"
	"io"
	"math/big"
)

// CSVHeader is the layout of a source edition's open data file. It reads
// back with ReadFile (the columns are named as the import finds them), and
// every row carries the source's licence and attribution line, so the
// values never travel without them.
var CSVHeader = []string{"theme", "cost code", "detail", "description", "unit", "value £", "price year", "agency", "agency detail", "kind", "source", "edition", "licence", "attribution"}

// WriteCSV writes an edition's values in the CSV layout. Licensed-only
// sources are refused: they are never published.
func WriteCSV(w io.Writer, src Source, values []Value) error {
	if src.LicensedOnly {
		return fmt.Errorf("%s edition %s is licensed to this hub and is never exported", src.Name, src.Edition)
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVHeader); err != nil {
		return err
	}
	for _, v := range values {
		pounds := new(big.Rat).SetFrac64(v.Pence, 100).FloatString(2)
		if err := cw.Write([]string{v.Theme, v.Code, v.Detail, v.Description, v.Unit, pounds, v.PriceYear, v.Agency, v.AgencyDetail, v.Kind, src.Name, src.Edition, src.Licence, src.Attribution}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
