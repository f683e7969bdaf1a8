package priorities

import (
	"errors"
	"testing"

	"github.com/svhub/svhub/internal/problem"
)

// Every points error names the priority and says what to do: a number too
// large for any integer gets "must be 100 or less", not "must be a whole
// number".
func TestParsePointsMessages(t *testing.T) {
	ps := []RoundPriority{{ID: 1, Code: "jobs", Title: "Good jobs"}, {ID: 2, Code: "air", Title: "Clean air"}}
	for _, c := range []struct{ jobs, air, field, want string }{
		{"99999999999999999999999", "0", "points-jobs", "Points for ‘Good jobs’ must be 100 or less"},
		{"101", "0", "points-jobs", "Points for ‘Good jobs’ must be 100 or less"},
		{"-99999999999999999999999", "0", "points-jobs", "Points for ‘Good jobs’ cannot be negative"},
		{"-1", "0", "points-jobs", "Points for ‘Good jobs’ cannot be negative"},
		{"20.5", "0", "points-jobs", "Points for ‘Good jobs’ must be a whole number, like 20"},
		{"60", "x", "points-air", "Points for ‘Clean air’ must be a whole number, like 20"},
		{"60", "30", "points-jobs", "Your points add up to 90; add 10 more so they add up to exactly 100"},
	} {
		_, err := ParsePoints(ps, func(code string) string { return map[string]string{"jobs": c.jobs, "air": c.air}[code] })
		var inv *problem.Invalid
		if !errors.As(err, &inv) || len(inv.Fields) != 1 || inv.Fields[0].Field != c.field || inv.Fields[0].Message != c.want {
			t.Errorf("jobs=%s air=%s: %v, want %s: %s", c.jobs, c.air, err, c.field, c.want)
		}
	}
	got, err := ParsePoints(ps, func(code string) string { return map[string]string{"jobs": "70", "air": "30"}[code] })
	if err != nil || got[1] != 70 || got[2] != 30 {
		t.Fatalf("a good ballot: %v %v", got, err)
	}
}
