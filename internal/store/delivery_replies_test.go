package store_test

import (
	"strings"
	"testing"
	"time"

	"github.com/svhub/svhub/internal/contracts"
	"github.com/svhub/svhub/internal/framework"
	"github.com/svhub/svhub/internal/orgs"
	"github.com/svhub/svhub/internal/store"
	"github.com/svhub/svhub/internal/storetest"
	"github.com/svhub/svhub/internal/tenders"
)

// A reply is accepted only on a queried line of the contract, keeps its
// files' bytes, and is audited.
func TestDeliveryReplies(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		admin := mkUser(t, s, "admin@example.org", true)
		now := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
		firm, _ := s.CreateOrganisation(ctx, admin, orgs.Organisation{Kind: orgs.Business, LegalName: "Firm"}, 0)
		council, _ := s.CreateOrganisation(ctx, admin, orgs.Organisation{Kind: orgs.PublicBody, LegalName: "Council"}, 0)
		f := framework.GM2020()
		f.Status = framework.Published
		fid, _ := s.CreateFramework(ctx, admin, f)
		full, _ := s.Framework(ctx, fid)
		measure := full.Priorities[3].Outcomes[0].Measures[0].ID
		key, _ := tenders.ParseKey(tenders.NewKey())
		sealer, _ := tenders.NewSealer(key)
		tid, err := s.CreateTender(ctx, admin, tenders.Tender{BuyerOrgID: council.ID, Title: "Parks", Description: "d", ValuePence: 1, Deadline: now.Add(time.Hour), WPrice: 40, WQuality: 40, WSV: 20,
			SVMinimum: 10, AlphaPercent: 50, Method: tenders.MethodRelative, FrameworkID: fid}, sealer.NewTenderKey, now)
		if err != nil {
			t.Fatal(err)
		}
		_ = s.MoveTender(ctx, admin, tid, tenders.Published, now)
		_ = s.AssignEvaluators(ctx, admin, tid, []int64{admin.ID()}, now.Add(2*time.Hour))
		_ = s.SubmitMarks(ctx, admin, tid, nil, now.Add(2*time.Hour))
		if err := s.Moderate(ctx, admin, tid, nil, now.Add(2*time.Hour)); err != nil {
			t.Fatal(err)
		}
		cid, err := s.AwardTender(ctx, admin, store.Award{TenderID: tid, SupplierID: firm.ID, ValuePence: 1, Evaluation: "{}", Rationale: "r", StandstillEnd: "2026-06-10"},
			contracts.Contract{BuyerOrgID: council.ID, Title: "Parks", Start: "2026-07-01", End: "2027-06-30"}, []contracts.Commitment{{MeasureID: measure, QuantityMilli: 100_000, Due: "2027-06-30"}}, now)
		if err != nil {
			t.Fatal(err)
		}
		cms, _ := s.Commitments(ctx, cid)
		if _, err := s.SubmitReport(ctx, admin, contracts.Report{ContractID: cid, PeriodStart: "2026-07-01", PeriodEnd: "2026-09-30", Lines: []contracts.Line{
			{CommitmentID: cms[0].ID, QuantityMilli: 5000, Evidence: "timesheets", Attributable: true, Additional: true}}}, now.AddDate(0, 4, 0)); err != nil {
			t.Fatal(err)
		}
		lines, _ := s.DeliveryLines(ctx, cid)
		line := lines[0].ID
		file := contracts.EvidenceFile{Name: "t.pdf", Type: "application/pdf", Size: 9, SHA256: "abc", Content: []byte("%PDF-1.4\x00\xff")}
		if _, err := s.AddReply(ctx, admin, cid, line, "Firm", "here", []contracts.EvidenceFile{file}, now); err == nil || !strings.Contains(err.Error(), "queried") {
			t.Fatalf("reply to a line not queried: %v", err)
		}
		if err := s.DecideLine(ctx, admin, line, contracts.Queried, "send timesheets", now.AddDate(0, 4, 1)); err != nil {
			t.Fatal(err)
		}
		if _, err := s.AddReply(ctx, admin, cid+1, line, "Firm", "here", nil, now); err == nil {
			t.Fatal("reply through another contract")
		}
		if _, err := s.AddReply(ctx, admin, cid, line, "Firm", "  ", nil, now); err == nil {
			t.Fatal("empty reply accepted")
		}
		if _, err := s.AddReply(ctx, admin, cid, line, "Firm", "Timesheets attached", []contracts.EvidenceFile{file}, now.AddDate(0, 4, 2)); err != nil {
			t.Fatal(err)
		}
		rs, err := s.LineReplies(ctx, cid)
		if err != nil || len(rs[line]) != 1 || rs[line][0].Body != "Timesheets attached" || len(rs[line][0].Files) != 1 || rs[line][0].Files[0].Content != nil {
			t.Fatalf("replies: %v %+v", err, rs)
		}
		got, err := s.EvidenceFileContent(ctx, cid, rs[line][0].Files[0].ID)
		if err != nil || string(got.Content) != string(file.Content) || got.Name != "t.pdf" {
			t.Fatalf("file: %v %+v", err, got)
		}
		if _, err := s.EvidenceFileContent(ctx, cid+1, got.ID); err == nil {
			t.Fatal("file read through another contract")
		}
		if ev, _ := s.ListAudit(ctx, store.AuditFilter{Action: "delivery.line.reply"}); len(ev) != 1 {
			t.Fatalf("audit: %+v", ev)
		}
		// Evidence files sent with a delivery report are kept, bytes and
		// all, on the report's first line; more than three are refused
		// and nothing of that report is stored.
		rep := contracts.Report{ContractID: cid, PeriodStart: "2026-10-01", PeriodEnd: "2026-12-31", Author: "Firm", Lines: []contracts.Line{
			{CommitmentID: cms[0].ID, QuantityMilli: 1000, Evidence: "payroll", Attributable: true, Additional: true}}}
		rep.Files = []contracts.EvidenceFile{file, file, file, file}
		if _, err := s.SubmitReport(ctx, admin, rep, now.AddDate(0, 7, 0)); err == nil || !strings.Contains(err.Error(), "at most 3 files") {
			t.Fatalf("four files accepted: %v", err)
		}
		if lines, _ := s.DeliveryLines(ctx, cid); len(lines) != 1 {
			t.Fatalf("a refused report left %d lines", len(lines))
		}
		rep.Files = []contracts.EvidenceFile{file}
		if _, err := s.SubmitReport(ctx, admin, rep, now.AddDate(0, 7, 0)); err != nil {
			t.Fatal(err)
		}
		lines, _ = s.DeliveryLines(ctx, cid)
		var second int64
		for _, l := range lines {
			if l.Evidence == "payroll" {
				second = l.ID
			}
		}
		rs, _ = s.LineReplies(ctx, cid)
		if len(rs[second]) != 1 || rs[second][0].Body != store.ReportFilesNote || rs[second][0].Author != "Firm" || len(rs[second][0].Files) != 1 {
			t.Fatalf("report files: %+v", rs[second])
		}
		if got, err := s.EvidenceFileContent(ctx, cid, rs[second][0].Files[0].ID); err != nil || string(got.Content) != string(file.Content) {
			t.Fatalf("report file bytes: %v %+v", err, got)
		}
		if ev, _ := s.ListAudit(ctx, store.AuditFilter{Action: "delivery.report"}); len(ev) != 2 || !strings.Contains(ev[0].Summary, "t.pdf") {
			t.Fatalf("report audit: %+v", ev)
		}
	})
}

func TestNotificationOptOuts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		admin := mkUser(t, s, "admin@example.org", true)
		if off, err := s.OptedOut(ctx, "admin@example.org", "reminders"); err != nil || off {
			t.Fatalf("opted out by default: %v %v", off, err)
		}
		if err := s.SetNotificationOptOuts(ctx, admin, admin.ID(), []string{"reminders", "concerns"}); err != nil {
			t.Fatal(err)
		}
		if err := s.SetNotificationOptOuts(ctx, admin, admin.ID(), []string{"reminders"}); err != nil {
			t.Fatal(err)
		}
		got, _ := s.NotificationOptOuts(ctx, admin.ID())
		if len(got) != 1 || got[0] != "reminders" {
			t.Fatalf("opt-outs: %v", got)
		}
		if off, _ := s.OptedOut(ctx, "admin@example.org", "reminders"); !off {
			t.Fatal("reminders not off")
		}
		if off, _ := s.OptedOut(ctx, "admin@example.org", "concerns"); off {
			t.Fatal("concerns still off after being turned back on")
		}
	})
}
