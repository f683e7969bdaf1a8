package web_test

import (
	"context"
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/svhub/svhub/internal/orgs"
)

// Issue 17 part 2: self-declared accreditations are labelled in the
// directory and the API, and the directory's accreditation filter counts
// only verified ones unless the person asks to include self-declared.
func TestSelfDeclaredAccreditationsLabelled(t *testing.T) {
	h := newHub(t)
	ctx := context.Background()
	today := h.now().Format(time.DateOnly)
	all, _, err := h.store.ListOrganisations(ctx, orgs.Filter{Accred: "real_living_wage", SelfDeclared: true, Today: today, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	verified, declared := 0, ""
	for _, o := range all {
		for _, a := range o.Accreditations {
			if a.Kind != "real_living_wage" {
				continue
			}
			if a.Verified(today) {
				verified++
				break
			}
			declared = o.LegalName
		}
	}
	if verified == 0 || verified == len(all) {
		t.Fatalf("the demo needs both verified and self-declared Real Living Wage holders: %d of %d verified", verified, len(all))
	}
	count := func(body string) int {
		m := regexp.MustCompile(`<strong>(\d+)</strong> organisations? found`).FindStringSubmatch(body)
		if m == nil {
			t.Fatal("no result count on the directory")
		}
		n, _ := strconv.Atoi(m[1])
		return n
	}
	c := h.client(t)
	_, body := get(t, c, h.URL+"/organisations?accreditation=real_living_wage")
	if n := count(body); n != verified {
		t.Fatalf("the filter counted %d, want the %d verified holders", n, verified)
	}
	if !strings.Contains(body, `name="self_declared"`) {
		t.Fatal("no way to include self-declared accreditations")
	}
	_, body = get(t, c, h.URL+"/organisations?accreditation=real_living_wage&self_declared=1")
	if n := count(body); n != len(all) {
		t.Fatalf("with self-declared the filter counted %d, want %d", n, len(all))
	}
	if !strings.Contains(body, "Self-declared") || !strings.Contains(body, declared) || !strings.Contains(body, "Real Living Wage") {
		t.Fatalf("%s's self-declared accreditation is not labelled in the directory", declared)
	}
	res, raw := get(t, c, h.URL+"/api/v1/organisations?accreditation=real_living_wage&self_declared=1&per_page=100")
	var doc struct {
		Items []struct {
			Name           string `json:"name"`
			Accreditations []struct {
				Kind     string `json:"kind"`
				Verified bool   `json:"verified"`
				Standing string `json:"standing"`
			} `json:"accreditations"`
		} `json:"items"`
	}
	if res.StatusCode != 200 || json.Unmarshal([]byte(raw), &doc) != nil {
		t.Fatalf("api: %d %s", res.StatusCode, raw[:min(300, len(raw))])
	}
	standings := map[string]int{}
	for _, o := range doc.Items {
		for _, a := range o.Accreditations {
			if a.Kind == "real_living_wage" {
				standings[a.Standing]++
				if a.Verified != (a.Standing == "verified") {
					t.Errorf("%s: verified %v but standing %s", o.Name, a.Verified, a.Standing)
				}
			}
		}
	}
	if standings["verified"] == 0 || standings["self_declared"] == 0 {
		t.Fatalf("the API does not tell verified from self-declared: %v", standings)
	}
	_, kites := get(t, c, h.URL+"/kitemarks.json")
	if !strings.Contains(kites, "self-declared accreditations") {
		t.Fatal("kitemarks.json does not say self-declared accreditations are not counted")
	}
}
