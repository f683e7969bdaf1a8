package web_test

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	svhub "github.com/svhub/svhub/internal/hub"
	"github.com/svhub/svhub/internal/store"
)

func TestHubBadInputAndPrivacy(t *testing.T) {
	h := newHub(t)
	ctx := context.Background()
	group := h.signedIn(t, "vcse@example.org")
	supplier := h.signedIn(t, "supplier@example.org")
	resident := h.signedIn(t, "resident@example.org")
	groupOrg, supOrg := orgID(t, h, "vcse@example.org"), orgID(t, h, "supplier@example.org")

	need := url.Values{"org": {fmt.Sprint(groupOrg)}, "title": {"Gardeners"}, "kind": {"volunteers"}, "size": {"0"}, "priorities": {"P5"}, "area": {"E99999999"}, "contact": {"ring 0161 PRIVATE"}}
	if res, body := postBody(t, group, h.URL+"/hub/needs", need); res.StatusCode != 422 || !strings.Contains(body, "Say how much you need") || !strings.Contains(body, "Choose a district") {
		t.Fatalf("bad need: %d", res.StatusCode)
	}
	offer := url.Values{"org": {fmt.Sprint(supOrg)}, "title": {"Gardening days"}, "kind": {"volunteers"}, "capacity": {"0"}, "from": {"2027-05-01"}, "to": {"2027-04-01"}}
	if res, body := postBody(t, supplier, h.URL+"/hub/offers", offer); res.StatusCode != 422 || !strings.Contains(body, "Capacity must be") || !strings.Contains(body, "end date must be on or after") {
		t.Fatalf("bad offer: %d", res.StatusCode)
	}
	if r := post(t, resident, h.URL+"/hub/needs", need); r.StatusCode != 403 {
		t.Fatalf("resident posted a need for an organisation: %d", r.StatusCode)
	}
	if r := post(t, group, h.URL+"/hub/offers", url.Values{"org": {fmt.Sprint(groupOrg)}}); r.StatusCode != 403 {
		t.Fatalf("VCSE rep posted an offer: %d", r.StatusCode)
	}
	need.Set("size", "12")
	need.Set("area", "E08000003")
	res := post(t, group, h.URL+"/hub/needs", need)
	if res.StatusCode != 303 {
		t.Fatalf("need: %d", res.StatusCode)
	}
	needPath := res.Header.Get("Location")
	if r, _ := get(t, h.client(t), h.URL+needPath); r.StatusCode != 404 {
		t.Fatalf("pending need is public: %d", r.StatusCode)
	}
	if r := post(t, group, h.URL+needPath+"/state", url.Values{"to": {svhub.Open}}); r.StatusCode != 403 {
		t.Fatalf("a group published its own need without moderation: %d", r.StatusCode)
	}
	if r := post(t, h.signedIn(t, "admin@example.org"), h.URL+needPath+"/state", url.Values{"to": {svhub.Open}}); r.StatusCode != 303 {
		t.Fatalf("moderation: %d", r.StatusCode)
	}
	offer.Set("capacity", "20")
	offer.Del("from")
	offer.Del("to")
	res = post(t, supplier, h.URL+"/hub/offers", offer)
	if res.StatusCode != 303 {
		t.Fatalf("offer: %d", res.StatusCode)
	}
	var needID, offerID int64
	fmt.Sscanf(needPath, "/hub/needs/%d", &needID)
	fmt.Sscanf(res.Header.Get("Location"), "/hub/offers/%d", &offerID)
	// Contact details: not public, not for the proposer before acceptance.
	if _, body := get(t, h.client(t), h.URL+needPath); strings.Contains(body, "PRIVATE") {
		t.Fatal("contact details shown publicly")
	}
	res = post(t, supplier, h.URL+"/hub/matches", url.Values{"need": {fmt.Sprint(needID)}, "offer": {fmt.Sprint(offerID)}, "side": {"offer"}, "quantity": {"10"}})
	if res.StatusCode != 303 {
		t.Fatalf("propose: %d", res.StatusCode)
	}
	matchPath := res.Header.Get("Location")
	if _, body := get(t, supplier, h.URL+matchPath); strings.Contains(body, "PRIVATE") {
		t.Fatal("contact shown before acceptance")
	}
	if r := post(t, supplier, h.URL+matchPath+"/decision", url.Values{"decision": {"accept"}}); r.StatusCode != 403 {
		t.Fatalf("the proposer accepted its own proposal: %d", r.StatusCode)
	}
	if r, _ := get(t, resident, h.URL+matchPath); r.StatusCode != 403 {
		t.Fatalf("a stranger read the match: %d", r.StatusCode)
	}
	if r := post(t, group, h.URL+matchPath+"/decision", url.Values{"decision": {"accept"}}); r.StatusCode != 303 {
		t.Fatalf("accept: %d", r.StatusCode)
	}
	if _, body := get(t, supplier, h.URL+matchPath); !strings.Contains(body, "PRIVATE") {
		t.Fatal("matched party cannot see the contact")
	}
	if r := post(t, resident, h.URL+matchPath+"/messages", url.Values{"message": {"hello"}}); r.StatusCode != 403 {
		t.Fatalf("a stranger posted a message: %d", r.StatusCode)
	}
	if r := post(t, group, h.URL+matchPath+"/messages", url.Values{"message": {"See you Saturday"}}); r.StatusCode != 303 {
		t.Fatalf("message: %d", r.StatusCode)
	}
	if msgs, _ := h.store.ListOutbox(ctx, "supplier@example.org", 5); len(msgs) == 0 || !strings.Contains(msgs[0].Subject, "New message") {
		t.Fatal("the other side was not told about the message")
	}
	if res, body := postBody(t, group, h.URL+matchPath+"/confirm", url.Values{"quantity": {"11"}, "on": {"2026-11-20"}}); res.StatusCode != 422 || !strings.Contains(body, "Confirm between 1 and 10") {
		t.Fatalf("confirmation above the agreed amount: %d", res.StatusCode)
	}
	for range 2 {
		if r := post(t, group, h.URL+matchPath+"/confirm", url.Values{"quantity": {"10"}, "on": {"2026-11-20"}}); r.StatusCode != 303 {
			t.Fatalf("confirm: %d", r.StatusCode)
		}
	}
	evs, _ := h.store.ListAudit(ctx, store.AuditFilter{Action: "hub.match.confirm", ObjectID: strings.TrimPrefix(matchPath, "/hub/matches/")})
	if len(evs) != 1 {
		t.Fatalf("a repeated confirmation was recorded %d times", len(evs))
	}
	if r, body := get(t, h.client(t), h.URL+"/hub/needs.json"); r.StatusCode != 200 || strings.Contains(body, "PRIVATE") || !strings.Contains(body, "Gardeners") {
		t.Fatalf("open data: %d", r.StatusCode)
	}
}

func TestResourcesLibrary(t *testing.T) {
	h := newHub(t)
	group := h.signedIn(t, "vcse@example.org")
	admin := h.signedIn(t, "admin@example.org")
	if r, body := get(t, h.client(t), h.URL+"/resources?q=apprentice"); r.StatusCode != 200 || !strings.Contains(body, "Writing a strong social value answer") {
		t.Fatalf("search: %d", r.StatusCode)
	}
	f := url.Values{"org": {fmt.Sprint(orgID(t, h, "vcse@example.org"))}, "title": {"Running a community kitchen"}, "kind": {"case_study"}, "sectors": {"vcse"},
		"summary": {"What we learned"}, "body": {"# Lessons\n\n<script>alert(1)</script> and [bad](javascript:alert(1)) and [good](https://example.org)"}}
	if res, body := postBody(t, group, h.URL+"/resources", url.Values{"org": f["org"], "title": {""}}); res.StatusCode != 422 || !strings.Contains(body, "Enter a title") {
		t.Fatalf("bad resource: %d", res.StatusCode)
	}
	res := post(t, group, h.URL+"/resources", f)
	if res.StatusCode != 303 {
		t.Fatalf("create: %d", res.StatusCode)
	}
	path := res.Header.Get("Location")
	if r, _ := get(t, h.client(t), h.URL+path); r.StatusCode != 404 {
		t.Fatalf("draft is public: %d", r.StatusCode)
	}
	if r := post(t, group, h.URL+path+"/state", url.Values{"to": {"review"}}); r.StatusCode != 303 {
		t.Fatalf("review: %d", r.StatusCode)
	}
	if r := post(t, group, h.URL+path+"/state", url.Values{"to": {"published"}}); r.StatusCode != 403 {
		t.Fatalf("author published own resource: %d", r.StatusCode)
	}
	if r := post(t, admin, h.URL+path+"/state", url.Values{"to": {"published"}}); r.StatusCode != 303 {
		t.Fatalf("publish: %d", r.StatusCode)
	}
	_, body := get(t, h.client(t), h.URL+path)
	if strings.Contains(body, "<script>alert") || strings.Contains(body, `href="javascript`) || !strings.Contains(body, "&lt;script&gt;") || !strings.Contains(body, `href="https://example.org"`) {
		t.Fatalf("unsafe or missing rendering:\n%s", body[strings.Index(body, "Lessons"):][:400])
	}
}

func TestHubOpenData(t *testing.T) {
	h := newHub(t)
	c := h.client(t)
	for _, p := range []string{"/api/v1/hub/needs", "/api/v1/hub/offers", "/api/v1/hub/resources", "/api/v1/hub/network", "/api/v1/hub/kitemarks", "/hub/matches.csv", "/network.json"} {
		r, body := get(t, c, h.URL+p)
		if r.StatusCode != 200 || len(body) < 20 || strings.Contains(body, "hello@example.org") {
			t.Errorf("GET %s: %d (%d bytes)", p, r.StatusCode, len(body))
		}
	}
	_, doc := get(t, c, h.URL+"/api/v1/openapi.json")
	for _, p := range []string{"/hub/needs", "/hub/offers", "/hub/resources", "/hub/network", "/hub/kitemarks"} {
		if !strings.Contains(doc, `"`+p+`"`) {
			t.Errorf("openapi lacks %s", p)
		}
	}
}

func TestHubEditNeedAndPauseOffer(t *testing.T) {
	h := newHub(t)
	ctx := context.Background()
	group := h.signedIn(t, "vcse@example.org")
	needs, _ := h.store.ListNeeds(ctx, store.NeedFilter{OrgID: orgID(t, h, "vcse@example.org"), Status: svhub.Open})
	n := needs[0]
	path := fmt.Sprintf("/hub/needs/%d/edit", n.ID)
	if r, _ := get(t, group, h.URL+path); r.StatusCode != 200 {
		t.Fatalf("edit form: %d", r.StatusCode)
	}
	if r, _ := get(t, h.signedIn(t, "supplier@example.org"), h.URL+path); r.StatusCode != 403 {
		t.Fatalf("another organisation edits the need: %d", r.StatusCode)
	}
	f := url.Values{"title": {"Cooks for Saturday lunches"}, "kind": {n.Kind}, "size": {"1"}, "priorities": n.Priorities, "area": {n.Area}, "contact": {"ask for Val"}}
	// The demo already promised 24 hours through an accepted match.
	if res, body := postBody(t, group, h.URL+path, f); res.StatusCode != 422 || !strings.Contains(body, "cannot be smaller") {
		t.Fatalf("shrinking below promised: %d", res.StatusCode)
	}
	f.Set("size", "70")
	if r := post(t, group, h.URL+path, f); r.StatusCode != 303 {
		t.Fatalf("edit: %d", r.StatusCode)
	}
	if got, _ := h.store.Need(ctx, n.ID); got.Title != "Cooks for Saturday lunches" || got.Size != 70 || got.Status != svhub.Open {
		t.Fatalf("after edit: %+v", got)
	}
	offers, _ := h.store.ListOffers(ctx, svhub.Open, 0)
	o := offers[0]
	owner := ""
	for _, email := range []string{"supplier@example.org", "business-admin@example.org"} {
		if orgID(t, h, email) == o.OrgID {
			owner = email
		}
	}
	if owner != "" {
		c := h.signedIn(t, owner)
		if r := post(t, c, h.URL+fmt.Sprintf("/hub/offers/%d/state", o.ID), url.Values{"to": {"paused"}}); r.StatusCode != 303 {
			t.Fatalf("pause: %d", r.StatusCode)
		}
	}
	if r := post(t, group, h.URL+fmt.Sprintf("/hub/offers/%d/state", o.ID), url.Values{"to": {"closed"}}); r.StatusCode != 403 {
		t.Fatalf("another organisation closed the offer: %d", r.StatusCode)
	}
}

func TestResourceFiles(t *testing.T) {
	h := newHub(t)
	group := h.signedIn(t, "vcse@example.org")
	res := post(t, group, h.URL+"/resources", url.Values{"org": {fmt.Sprint(orgID(t, h, "vcse@example.org"))}, "title": {"Volunteer rota template"}, "kind": {"template"},
		"sectors": {"vcse"}, "summary": {"A rota"}, "body": {"Use it weekly."}})
	path := res.Header.Get("Location")
	upload := func(c *http.Client, name, content string) int {
		var b bytes.Buffer
		w := multipart.NewWriter(&b)
		fw, _ := w.CreateFormFile("file", name)
		_, _ = fw.Write([]byte(content))
		_ = w.Close()
		req, _ := http.NewRequest("POST", h.URL+path+"/upload", &b)
		req.Header.Set("Content-Type", w.FormDataContentType())
		r, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		r.Body.Close()
		return r.StatusCode
	}
	if code := upload(group, "rota.exe", "MZ"); code != 422 {
		t.Fatalf("disallowed type: %d", code)
	}
	if code := upload(h.signedIn(t, "supplier@example.org"), "rota.csv", "x"); code != 404 && code != 403 {
		t.Fatalf("a stranger attached a file: %d", code)
	}
	if code := upload(group, "rota.csv", "day,name\nSat,Val\n"); code != 303 {
		t.Fatalf("upload: %d", code)
	}
	_, page := get(t, group, h.URL+path)
	m := regexp.MustCompile(`href="(/resources/\d+/files/\d+)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no file link")
	}
	if r, body := get(t, group, h.URL+m[1]); r.StatusCode != 200 || body != "day,name\nSat,Val\n" {
		t.Fatalf("download: %d", r.StatusCode)
	}
	if r, _ := get(t, h.client(t), h.URL+m[1]); r.StatusCode != 404 {
		t.Fatalf("draft's file is public: %d", r.StatusCode)
	}
}

func TestTrustedVCSEModerates(t *testing.T) {
	h := newHub(t)
	ctx := context.Background()
	admin := h.signedIn(t, "admin@example.org")
	// The demo VCSE is trusted to moderate; it may publish others' needs, not its own.
	kitchen, _ := h.store.OrganisationByID(ctx, orgID(t, h, "vcse@example.org"))
	if r := post(t, admin, h.URL+"/organisations/"+kitchen.Slug+"/moderator", url.Values{"moderator": {"1"}}); r.StatusCode != 303 {
		t.Fatalf("trust: %d", r.StatusCode)
	}
	if r := post(t, h.signedIn(t, "supplier@example.org"), h.URL+"/organisations/"+kitchen.Slug+"/moderator", url.Values{"moderator": {"0"}}); r.StatusCode != 403 {
		t.Fatalf("a supplier changed moderators: %d", r.StatusCode)
	}
	vcse := h.signedIn(t, "vcse@example.org")
	pending, _ := h.store.ListNeeds(ctx, store.NeedFilter{Status: svhub.Pending})
	if len(pending) == 0 {
		t.Fatal("demo has no pending need")
	}
	if r, _ := get(t, vcse, h.URL+"/admin/hub"); r.StatusCode != 200 {
		t.Fatalf("trusted body's moderation page: %d", r.StatusCode)
	}
	if r := post(t, vcse, h.URL+fmt.Sprintf("/hub/needs/%d/state", pending[0].ID), url.Values{"to": {svhub.Open}}); r.StatusCode != 303 {
		t.Fatalf("trusted body moderates: %d", r.StatusCode)
	}
	own := post(t, vcse, h.URL+"/hub/needs", url.Values{"org": {fmt.Sprint(kitchen.ID)}, "title": {"Our own need"}, "kind": {"goods"}, "size": {"2"}, "priorities": {"P4"}, "contact": {"x"}})
	if r := post(t, vcse, h.URL+own.Header.Get("Location")+"/state", url.Values{"to": {svhub.Open}}); r.StatusCode != 403 {
		t.Fatalf("a trusted body published its own need: %d", r.StatusCode)
	}
}
