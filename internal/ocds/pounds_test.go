package ocds

import (
	"encoding/json"
	"testing"
)

func TestPoundsJSON(t *testing.T) {
	for _, c := range []struct {
		pence int64
		json  string
	}{{0, "0.00"}, {5, "0.05"}, {123456, "1234.56"}, {100, "1.00"}, {-1205, "-12.05"}, {900719925474099199, "9007199254740991.99"}} {
		b, err := json.Marshal(Value{Amount: Pounds(c.pence), Currency: "GBP"})
		if err != nil {
			t.Fatal(err)
		}
		if want := `{"amount":` + c.json + `,"currency":"GBP"}`; string(b) != want {
			t.Errorf("%d pence: got %s, want %s", c.pence, b, want)
		}
		var v Value
		if err := json.Unmarshal(b, &v); err != nil || int64(v.Amount) != c.pence {
			t.Errorf("%s read back as %d pence (%v), want %d", b, v.Amount, err, c.pence)
		}
	}
	for in, want := range map[string]int64{"12": 1200, "12.5": 1250, "-0.01": -1} {
		var p Pounds
		if err := json.Unmarshal([]byte(in), &p); err != nil || int64(p) != want {
			t.Errorf("%s: got %d pence (%v), want %d", in, p, err, want)
		}
	}
	for _, bad := range []string{"1.234", "1e3", `"12.00"`, "-", ".5", "1.2.3"} {
		var p Pounds
		if err := json.Unmarshal([]byte(bad), &p); err == nil {
			t.Errorf("%s: read as %d pence, want an error", bad, p)
		}
	}
}
