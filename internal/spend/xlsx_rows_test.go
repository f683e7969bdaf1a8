package spend

import (
	"reflect"
	"testing"
)

func TestXLSXSheetsAndRowNumbers(t *testing.T) {
	data := makeXLSX(t)
	names, err := XLSXSheets(data, Limits{})
	if err != nil || !reflect.DeepEqual(names, []string{"Notes", "Spend"}) {
		t.Fatalf("sheets = %v, %v", names, err)
	}
	rows, err := XLSXRows(data, "Spend", Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 || rows[0].Num != 1 || rows[3].Num != 4 || rows[2].Cells[2] != "1234.56" {
		t.Fatalf("rows = %+v", rows)
	}
	if _, err := XLSXSheets([]byte("not a zip"), Limits{}); err == nil {
		t.Fatal("a non-workbook listed sheets")
	}
}
