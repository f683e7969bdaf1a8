package spend

import (
	"testing"
	"time"
)

func TestParseAmount(t *testing.T) {
	good := map[string]int64{"1234.5": 123450, "£1,234.56": 123456, " 1,234.56 ": 123456, "(1,234.56)": -123456, "-1,234.56": -123456, "1,234.56 CR": -123456,
		"500": 50000, "0.01": 1, "£-12.00": -1200, "1,000,000.00": 100000000, "12.3": 1230}
	for in, want := range good {
		if got, err := ParseAmount(in); err != nil || got != want {
			t.Errorf("%q: %d %v, want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "abc", "1.", "12,34", "1,2345.00", "£", "1.2.3", "2026-05-291234.00", "--5", "1e5"} {
		if _, err := ParseAmount(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

// Councils' exports write binary-float artefacts and sub-penny values:
// they are rounded to the penny, half away from zero, on the decimal as
// written, and said to be rounded.
func TestParseAmountRoundsPastThePenny(t *testing.T) {
	cases := map[string]int64{"607.4799999999999": 60748, "436.00000000000006": 43600, "1530.995": 153100, "553.565": 55357,
		"-553.565": -55357, "(553.565)": -55357, "553.564999": 55356, "1,234.5650": 123457, "-0.005": -1, "0.004": 0, "1.234": 123, "£99.999": 10000}
	for in, want := range cases {
		got, rounded, err := AmountRounded(in)
		if err != nil || got != want || !rounded {
			t.Errorf("%q: %d rounded=%v %v, want %d rounded", in, got, rounded, err, want)
		}
	}
	if _, rounded, err := AmountRounded("553.50"); err != nil || rounded {
		t.Errorf("two decimals said to be rounded: %v", err)
	}
	for _, bad := range []string{"553.56x", "5.5.5", "12.34.567", "1,2345.678"} {
		if _, _, err := AmountRounded(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestParseDate(t *testing.T) {
	d := func(y, m, dd int) time.Time { return time.Date(y, time.Month(m), dd, 0, 0, 0, 0, time.UTC) }
	good := map[string]time.Time{"2026-05-29": d(2026, 5, 29), "2026-05-29T00:00:00": d(2026, 5, 29), "29/05/2026": d(2026, 5, 29), "01/10/2025": d(2025, 10, 1),
		"29-May-26": d(2026, 5, 29), "29-may-2026": d(2026, 5, 29), "29.05.2026": d(2026, 5, 29), "46171": d(2026, 5, 29), "29/05/2026 00:00": d(2026, 5, 29)}
	for in, want := range good {
		if got, err := ParseDate(in, DayFirst); err != nil || !got.Equal(want) {
			t.Errorf("%q: %v %v, want %v", in, got, err, want)
		}
	}
	if got, _ := ParseDate("05/29/2026", MonthFirst); !got.Equal(d(2026, 5, 29)) {
		t.Errorf("month first: %v", got)
	}
	for _, bad := range []string{"", "31/02/2026", "29/13/2026", "yesterday", "2026-05-29742.50", "29-Foo-26", "1/2"} {
		if _, err := ParseDate(bad, DayFirst); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestTextAndRedaction(t *testing.T) {
	if got := Text("\xa3100 to Caf\xe9"); got != "£100 to Café" {
		t.Errorf("windows-1252: %q", got)
	}
	for _, r := range []string{"REDACTED", "Redacted Personal Information", "REDACTED UNDER DP ACT", " personal  information ", "\u00a0REDACTED"} {
		if !Redacted(r) {
			t.Errorf("%q not seen as redacted", r)
		}
	}
	if Redacted("Redacted Ltd trading") {
		t.Error("a real name seen as redacted")
	}
}

func FuzzParseAmount(f *testing.F) {
	for _, s := range []string{"1234.5", "£1,234.56", "(1,234.56)", "1,234.56 CR", "-0.01", "742.50"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParseAmount(s)
		if fast, ok := plainAmount(s); ok {
			if slow, _, err := parseAmount(s); err != nil || slow != fast {
				t.Fatalf("%q: fast path %d, general path %d (%v)", s, fast, slow, err)
			}
		}
		if err != nil {
			return
		}
		// Whatever parses must survive a round trip through its canonical form.
		neg := p < 0
		if neg {
			p = -p
		}
		canon := formatPence(p)
		if neg {
			canon = "-" + canon
		}
		q, err := ParseAmount(canon)
		if err != nil || (neg && q != -p) || (!neg && q != p) {
			t.Fatalf("%q → %d → %q → %d %v", s, p, canon, q, err)
		}
	})
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2026-05-29", "29/05/2026", "29-May-26", "29.05.2026", "46171"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s, DayFirst)
		if err == nil && (d.Year() < 1900 || d.Year() > 2200) {
			t.Fatalf("%q → implausible %v", s, d)
		}
	})
}
