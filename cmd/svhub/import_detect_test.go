package main

import (
	"database/sql"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// svhub import spend reports per role the column chosen, its header,
// score and runner-up, and the amounts it rounded; a file with no column
// confidently a date, an amount and a supplier is refused with the best
// candidates, nothing stored; --map reads it.
func TestImportSpendDetectsColumns(t *testing.T) {
	dir := t.TempDir()
	db := "sqlite:" + filepath.Join(dir, "hub.db")
	layouts := filepath.Join("..", "..", "internal", "spend", "testdata", "layouts")
	out, code := run(t, nil, "import", "spend", "--db", db, "--buyer", "Anytown Council", filepath.Join(layouts, "title-block.csv"), filepath.Join(layouts, "float-artefacts.csv"))
	if code != 0 {
		t.Fatalf("import: %d %s", code, out)
	}
	var res struct {
		Runs []struct {
			Columns map[string]struct {
				Column   int     `json:"column"`
				Header   string  `json:"header"`
				Score    float64 `json:"score"`
				Why      string  `json:"why"`
				RunnerUp *struct {
					Header string  `json:"header"`
					Score  float64 `json:"score"`
				} `json:"runner_up"`
			} `json:"columns"`
			Total   int64    `json:"total_net_pence"`
			Rounded int      `json:"rounded_amounts"`
			Notes   []string `json:"notes"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(out[strings.Index(out, "{"):]), &res); err != nil || len(res.Runs) != 2 {
		t.Fatalf("%v: %s", err, out)
	}
	title := res.Runs[0]
	if c := title.Columns["supplier"]; c.Header != "Creditor Name" || c.Column != 2 || c.Score < 0.85 || c.RunnerUp == nil || c.RunnerUp.Score >= c.Score || c.Why == "" {
		t.Fatalf("supplier column: %+v", c)
	}
	if title.Columns["amount"].Header != "Value (£)" || title.Columns["date"].Header != "Posting Date" || title.Total != 703025 {
		t.Fatalf("title block: %+v", title)
	}
	if f := res.Runs[1]; f.Rounded != 5 || f.Total != 357458 || len(f.Notes) != 1 || !strings.Contains(f.Notes[0], "5 amounts rounded to the penny") {
		t.Fatalf("float artefacts: %+v", f)
	}
	notPayments := filepath.Join(layouts, "not-payments.csv")
	out, code = run(t, nil, "import", "spend", "--db", db, "--buyer", "Anytown Council", notPayments)
	if code != 1 || !strings.Contains(out, "not a spend file") || !strings.Contains(out, "best for the supplier: \"Description\"") || !strings.Contains(out, "--map") {
		t.Fatalf("not payments: %d %s", code, out)
	}
	out, code = run(t, nil, "import", "spend", "--db", db, "--buyer", "Anytown Council", "--format", "table", "--map", "date=Code", "--map", "supplier=Description", "--map", "amount=Quantity", notPayments)
	if code != 0 || !strings.Contains(out, "not-payments.csv") {
		t.Fatalf("--map: %d %s", code, out)
	}
	// Columns an officer chose on the web for this buyer's layout are used
	// by the command line too.
	raw, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "hub.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(`INSERT INTO spend_layouts (buyer_org_id, signature, mapping, chosen_by, created_at)
		SELECT id, 'code|description|quantity', '{"date":"Code","supplier":"Description","amount":"Quantity"}', 'officer', CURRENT_TIMESTAMP FROM organisations WHERE legal_name = 'Anytown Council'`); err != nil {
		t.Fatal(err)
	}
	out, code = run(t, nil, "import", "spend", "--db", db, "--buyer", "Anytown Council", notPayments)
	if code != 0 || !strings.Contains(out, "with the columns chosen earlier for Anytown Council") || !strings.Contains(out, `"rows_read": 3`) {
		t.Fatalf("remembered layout: %d %s", code, out)
	}
}
