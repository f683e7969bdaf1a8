package fund

import (
	"bytes"
	"reflect"
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
	cases := map[string]string{
		"missing the VOTES section":              "META\nkey;value\nbudget;10\nPROJECTS\nproject_id;cost\n1;5\n",
		"line 9: vote for unknown project":       "META\nkey;value\nbudget;10\nPROJECTS\nproject_id;cost\n1;5\nVOTES\nvoter_id;vote\n1;1,9\n",
		"line 6: project 1: cost -5 is negative": "META\nkey;value\nbudget;10\nPROJECTS\nproject_id;cost\n1;-5\nVOTES\nvoter_id;vote\n",
		"META has no budget":                     "META\nkey;value\nnum_projects;1\nPROJECTS\nproject_id;cost\n1;5\nVOTES\nvoter_id;vote\n1;1\n",
		"is not supported":                       "META\nkey;value\nbudget;10\nvote_type;ordinal\nPROJECTS\nproject_id;cost\n1;5\nVOTES\nvoter_id;vote\n1;1\n",
		"data before the first section":          "budget;10\n",
	}
	for want, in := range cases {
		_, _, err := ReadPabulib(strings.NewReader(in), "bad.pb")
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("want %q, got %v", want, err)
		}
	}
}

func TestDecimal(t *testing.T) {
	for in, want := range map[string]string{"1000": "1000", "25/2": "12.5", "100/3": "100/3", "201/4": "50.25", "1/8": "0.125", "0": "0"} {
		if got := Decimal(rat(in)); got != want {
			t.Errorf("Decimal(%s) = %s, want %s", in, got, want)
		}
	}
}
