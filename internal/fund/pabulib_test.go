package fund

import (
	"bytes"
	"fmt"
	"maps"
	"math/big"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

const sample = "\ufeffMETA\nkey;value\ndescription;\"Test; with semicolon\"\nnum_projects;3\nbudget;100.5\nvote_type;approval\nPROJECTS\nproject_id;cost;votes;name;selected\n1;50.25;6;\"First; one\";1\n2;50;6;Second;0\n3;50;4;Third;1\nVOTES\nvoter_id;age;vote\n1;20;1,2\n2;30;1,2\n3;40;1,2\n4;50;1,2\n5;60;1,2\n6;70;1,2\n7;20;3\n8;20;3\n9;20;3\n10;20;3\n"

func TestReadPabulib(t *testing.T) {
	e, meta, err := ReadPabulib(strings.NewReader(sample), "sample.pb")
	if err != nil {
		t.Fatal(err)
	}
	if Decimal(e.Budget) != "100.5" || len(e.Projects) != 3 || len(e.Ballots) != 10 || meta["description"] != "Test; with semicolon" || Decimal(e.Projects[0].Cost) != "50.25" {
		t.Fatalf("%+v %v", e, meta)
	}
	var buf bytes.Buffer
	o, _ := Allocate("greedy", e)
	if err := WritePabulib(&buf, e, meta, o); err != nil {
		t.Fatal(err)
	}
	f, _, err := ReadPabulib(&buf, "roundtrip.pb")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(ids(e, o), ids(f, Greedy(f))) || len(f.Ballots) != 10 {
		t.Fatal("round trip changed the election")
	}
}

func TestReadPabulibErrors(t *testing.T) {
	const head = "META\nkey;value\nbudget;10\nPROJECTS\nproject_id;cost\n1;5\n2;5\nVOTES\nvoter_id;vote\n"
	cases := map[string]string{
		"line 6: the file ends without a VOTES section":  "META\nkey;value\nbudget;10\nPROJECTS\nproject_id;cost\n1;5\n",
		"line 9: vote for unknown project":               "META\nkey;value\nbudget;10\nPROJECTS\nproject_id;cost\n1;5\nVOTES\nvoter_id;vote\n1;1,9\n",
		`line 6: project 1: cost "-5" is negative`:       "META\nkey;value\nbudget;10\nPROJECTS\nproject_id;cost\n1;-5\nVOTES\nvoter_id;vote\n",
		"line 1: META has no budget":                     "META\nkey;value\nnum_projects;1\nPROJECTS\nproject_id;cost\n1;5\nVOTES\nvoter_id;vote\n1;1\n",
		"line 1: vote_type \"ordinal\" is not supported": "META\nkey;value\nbudget;10\nvote_type;ordinal\nPROJECTS\nproject_id;cost\n1;5\nVOTES\nvoter_id;vote\n1;1\n",
		"line 1: data before the first section":          "budget;10\n",
		// An unterminated quote names its line and the cause instead of
		// swallowing the rest of the file into one field.
		"line 6: field 2 opens a quote that is not closed on this line": "META\nkey;value\nbudget;10\nPROJECTS\nproject_id;name;cost\n1;\"Park;5\n2;Pool;5\nVOTES\nvoter_id;vote\n1;1\n",
		"line 11: voter 7 appears twice (first on line 10)":             head + "7;1\n7;2\n",
		"line 11: vote without a voter_id":                              head + "7;1\n;2\n",
		"line 7: project 1 appears twice (first on line 6)":             "META\nkey;value\nbudget;10\nPROJECTS\nproject_id;cost\n1;5\n1;6\nVOTES\nvoter_id;vote\n",
		`line 6: project 1: cost "1e9999999" is not an amount`:          "META\nkey;value\nbudget;10\nPROJECTS\nproject_id;cost\n1;1e9999999\nVOTES\nvoter_id;vote\n",
		`line 6: project 1: cost "1/3" is not an amount`:                "META\nkey;value\nbudget;10\nPROJECTS\nproject_id;cost\n1;1/3\nVOTES\nvoter_id;vote\n",
		`line 1: budget "1e400" is not an amount`:                       "META\nkey;value\nbudget;1e400\nPROJECTS\nproject_id;cost\n1;5\nVOTES\nvoter_id;vote\n",
		`line 8: the VOTES header names column "vote" twice`:            "META\nkey;value\nbudget;10\nPROJECTS\nproject_id;cost\n1;5\nVOTES\nvoter_id;vote;vote\n",
		"line 9: a second VOTES section (the first is on line 7)":       "META\nkey;value\nbudget;10\nPROJECTS\nproject_id;cost\n1;5\nVOTES\nvoter_id;vote\nVOTES\n",
		`line 4: META key "budget" appears twice`:                       "META\nkey;value\nbudget;10\nbudget;20\nPROJECTS\nproject_id;cost\n1;5\nVOTES\nvoter_id;vote\n",
		"line 5: the PROJECTS header has no project_id column":          "META\nkey;value\nbudget;10\nPROJECTS\nid;cost\n1;5\nVOTES\nvoter_id;vote\n",
		"line 3: longer than 1048576 bytes":                             "META\nkey;value\ndescription;" + strings.Repeat("x", MaxPabulibLine) + "\n",
	}
	for want, in := range cases {
		_, _, err := ReadPabulib(strings.NewReader(in), "bad.pb")
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("want %q, got %v", want, err)
		}
	}
}

// Quotes: "" inside a quoted field is one quote, and text after a closing
// quote stays in the field (a real Częstochowa file names a project
// "Odkupmy" i my - …); blank lines and lower-case section names are fine.
func TestReadPabulibQuotes(t *testing.T) {
	in := "meta\nkey;value\nbudget;10,5\n\nprojects\nproject_id;cost;name\n1;5;\"Odkupmy\" i my\n2;5;\"a \"\"b\"\";c\"\n\nvotes\nvoter_id;vote\n1;\"1,2\"\r\n2;2\n"
	e, _, err := ReadPabulib(strings.NewReader(in), "q.pb")
	if err != nil {
		t.Fatal(err)
	}
	if Decimal(e.Budget) != "10.5" || len(e.Projects) != 2 || len(e.Ballots) != 2 || len(e.Ballots[0]) != 2 {
		t.Fatalf("%+v", e)
	}
	rec, err := splitPabulib(nil, `1;5;"Odkupmy" i my;"a ""b"";c"`)
	if err != nil || len(rec) != 4 || rec[2] != "Odkupmy i my" || rec[3] != `a "b";c` {
		t.Fatalf("%q %v", rec, err)
	}
}

// recountPabulib is an independent recount of a .pb file without quote
// characters, written from the format's rules rather than from
// ReadPabulib: voters, projects, approvals per project id and the budget.
// ok is false for a file the rules refuse.
func recountPabulib(data string) (voters int, approvals map[string]int, budget string, ok bool) {
	amount := regexp.MustCompile(`^[0-9]+(\.[0-9]+)?$`)
	section, seen := "", map[string]bool{}
	var head []string
	col := func(name string) int { return slices.Index(head, name) }
	meta, ids, projects := map[string]string{}, map[string]bool{}, map[string]bool{}
	approvals = map[string]int{}
	for n, line := range strings.Split(data, "\n") {
		line = strings.TrimSuffix(line, "\r")
		if n == 0 {
			line = strings.TrimPrefix(line, "\ufeff")
		}
		if strings.TrimSpace(line) == "" {
			continue
		}
		f := strings.Split(line, ";")
		for i := range f {
			f[i] = strings.TrimSpace(f[i])
		}
		if up := strings.ToUpper(f[0]); len(f) == 1 && (up == "META" || up == "PROJECTS" || up == "VOTES") {
			if seen[up] {
				return 0, nil, "", false
			}
			section, seen[up], head = up, true, nil
			continue
		}
		switch {
		case section == "":
			return 0, nil, "", false
		case head == nil:
			head = f
			for i, h := range head {
				if h != "" && slices.Index(head, h) != i {
					return 0, nil, "", false
				}
			}
			if (section == "PROJECTS" && col("project_id") < 0) || (section == "VOTES" && col("vote") < 0) {
				return 0, nil, "", false
			}
			continue
		}
		get := func(name string) string {
			if i := col(name); i >= 0 && i < len(f) {
				return f[i]
			}
			return ""
		}
		switch section {
		case "META":
			if len(f) >= 2 {
				if _, dup := meta[f[0]]; dup {
					return 0, nil, "", false
				}
				meta[f[0]] = f[1]
			}
		case "PROJECTS":
			id, cost := get("project_id"), get("cost")
			if id == "" || projects[id] || !amount.MatchString(cost) || len(cost) > 30 {
				return 0, nil, "", false
			}
			projects[id] = true
		case "VOTES":
			if col("voter_id") >= 0 {
				id := get("voter_id")
				if id == "" || ids[id] {
					return 0, nil, "", false
				}
				ids[id] = true
			}
			if v := get("vote"); v != "" {
				for _, p := range strings.Split(v, ",") {
					p = strings.TrimSpace(p)
					if !projects[p] {
						return 0, nil, "", false
					}
					approvals[p]++
				}
			}
			voters++
		}
	}
	budget = strings.ReplaceAll(meta["budget"], ",", ".")
	if len(seen) != 3 || (meta["vote_type"] != "" && meta["vote_type"] != "approval") || !amount.MatchString(budget) || len(budget) > 30 {
		return 0, nil, "", false
	}
	return voters, approvals, budget, true
}

var lineRef = regexp.MustCompile(`line (\d+)`)

// The property: a .pb file either fails with a message naming a line of
// the file, or — for files without quotes, which the recount does not
// parse — what it reads equals an independent recount.
func FuzzPabulib(f *testing.F) {
	f.Add(sample)
	f.Add("META\nkey;value\nbudget;100\nvote_type;approval\nPROJECTS\nproject_id;cost\nX1;50\nX2;50\nY;50\nVOTES\nvoter_id;vote\n1;X1,X2\n2;X1,X2\n3;Y\n")
	f.Add("META\nkey;value\nbudget;10\nPROJECTS\nproject_id;cost\n1;5\nVOTES\nvoter_id;vote\n7;1\n7;1\n")
	f.Add("META\nkey;value\nbudget;10\nPROJECTS\nproject_id;name;cost\n1;\"Park;5\nVOTES\nvoter_id;vote\n1;1\n")
	f.Add("meta\nkey;value\nbudget;10,5\n\nprojects\nproject_id;cost;name\n1;5;\"Odkupmy\" i my\n\nvotes\nvote\n1\n\n1,1\n")
	f.Add("META\nkey;value\nbudget;1e400\nPROJECTS\nproject_id;cost\n1;1/3\nVOTES\nvoter_id;vote\n")
	f.Fuzz(func(t *testing.T, data string) {
		e, _, err := ReadPabulib(strings.NewReader(data), "f.pb")
		lines := strings.Count(data, "\n") + 1
		v, approvals, budget, ok := recountPabulib(data)
		quotes := strings.Contains(data, "\"")
		if err != nil {
			m := lineRef.FindStringSubmatch(err.Error())
			if m == nil {
				t.Fatalf("error names no line: %v", err)
			}
			if l, _ := strconv.Atoi(m[1]); l < 1 || l > lines {
				t.Fatalf("error names line %d of a %d-line file: %v", l, lines, err)
			}
			if ok && !quotes {
				t.Fatalf("refused a file the recount accepts: %v", err)
			}
			return
		}
		if quotes {
			return
		}
		if !ok {
			t.Fatalf("accepted a file the recount refuses")
		}
		got := map[string]int{}
		for _, b := range e.Ballots {
			for _, p := range b {
				got[e.Projects[p].ID]++
			}
		}
		want, _ := new(big.Rat).SetString(budget)
		if len(e.Ballots) != v || !maps.Equal(got, approvals) || e.Budget.Cmp(want) != 0 {
			t.Fatalf("read %d voters, approvals %v, budget %s; recount %d, %v, %s", len(e.Ballots), got, e.Budget.RatString(), v, approvals, budget)
		}
	})
}

func TestDecimal(t *testing.T) {
	for in, want := range map[string]string{"1000": "1000", "25/2": "12.5", "100/3": "100/3", "201/4": "50.25", "1/8": "0.125", "0": "0"} {
		if got := Decimal(rat(in)); got != want {
			t.Errorf("Decimal(%s) = %s, want %s", in, got, want)
		}
	}
}

// A file past a limit on what the reader holds (projects, voters,
// approvals, size) is refused naming the line and the limit.
func TestReadPabulibLimits(t *testing.T) {
	const head = "META\nkey;value\nbudget;10\nPROJECTS\nproject_id;cost\n1;5\n2;5\nVOTES\nvoter_id;vote\n"
	var projects, voters, approvals strings.Builder
	projects.WriteString("META\nkey;value\nbudget;10\nPROJECTS\nproject_id;cost\n")
	for i := range MaxPabulibProjects + 1 {
		fmt.Fprintf(&projects, "%d;5\n", i)
	}
	voters.WriteString(head)
	for i := range MaxPabulibVoters + 1 {
		fmt.Fprintf(&voters, "v%d;1\n", i)
	}
	approvals.WriteString(head)
	line := strings.Repeat("1,", 500_000) + "2"
	for i := range MaxPabulibApprovals/500_001 + 1 {
		fmt.Fprintf(&approvals, "v%d;%s\n", i, line)
	}
	var size strings.Builder
	size.WriteString("META\nkey;value\n")
	for i := range 64 {
		fmt.Fprintf(&size, "d%02d;%s\n", i, strings.Repeat("x", 1<<20-5))
	}
	for want, in := range map[string]string{
		"line 100006: more than 100,000 projects, over the limit of 100,000 on projects in a file":             projects.String(),
		"line 500010: more than 500,000 voters, over the limit of 500,000 on voters in a file":                 voters.String(),
		"line 19: more than 5,000,000 approvals in all, over the limit of 5,000,000 on approvals in a file":    approvals.String(),
		"line 66: the file is larger than 64 MiB, over the limit of 64 MiB on the size of a .pb file; refused": size.String(),
	} {
		_, _, err := ReadPabulib(strings.NewReader(in), "big.pb")
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("want %q, got %.300v", want, err)
		}
	}
}
