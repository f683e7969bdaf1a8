package web

import (
	"bytes"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/contracts"
	"github.com/svhub/svhub/internal/store"
	"github.com/svhub/svhub/internal/tenders"
)

// contractPageCache keeps what contract pages show under the contract
// page's generation (store.ContractPageGeneration: the contract
// dashboard's and the contract page's numbers, raised by triggers in the
// transaction of every write to the tables behind the page, migrations 55
// and 58), so every node sees a write on its next request. Per contract it
// keeps the data read from the store and the page's body (the
// "contract-body" template) rendered for each combination of what the
// reader may do (buyer, supplier, flag a concern, administrator) and of
// what the time changes (today's date, the standstill, an overdue
// assessment, each commitment's expected quantity and status): the body
// is a function of exactly those, so two readers with the same key get
// the same bytes, and nothing in it names the reader. A form shown again
// with errors is rendered live.
type contractPageCache struct {
	mu    sync.Mutex
	gen   int64
	pages map[int64]*contractPageEntry
	bytes int // the bodies' sizes, bounded by maxContractPageBytes
}

// maxContractPageBytes bounds the rendered bodies kept (about a thousand
// pages of the demo's size); past it everything kept is dropped and
// rendered again as asked. maxContractPages bounds the contracts kept.
const (
	maxContractPageBytes = 32 << 20
	maxContractPages     = 512
	// maxContractBodies bounds the bodies kept per contract: the time moves
	// the key (expected quantities by the hour), so old ones are dropped.
	maxContractBodies = 32
)

// contractPageEntry is one contract's page data read under a generation,
// and its rendered bodies by key (contractBodyKey). The data is shared by
// requests: never modified once kept.
type contractPageEntry struct {
	d      contractPageData
	bodies map[string]contractBodyHTML
}

// contractPageData is everything a contract's page shows that comes from
// the store, with what follows from it alone.
type contractPageData struct {
	c        contracts.Contract
	cms      []contracts.Commitment
	lines    []lineView
	money    *contractMoney
	kpis     []contracts.KPI
	notices  []tenders.Notice
	required bool
	// The standstill's end and the first day the contract can be entered
	// into, in words, and the end as a time (ok when it parses).
	standstillEnd, enterFrom string
	standstill               time.Time
	standstillOK             bool
	// When the next performance assessment is due, in words and as a time
	// (ok when there is one).
	assessmentDue string
	due           time.Time
	dueOK         bool
}

// loadContractPage reads the rest of contract c's page from the store.
func (s *Server) loadContractPage(r *http.Request, c contracts.Contract) (contractPageData, error) {
	ctx := r.Context()
	d := contractPageData{c: c, required: contracts.KPIsRequired(c.ValuePence)}
	var err error
	if d.cms, err = s.Store.Commitments(ctx, c.ID); err != nil {
		return d, err
	}
	lines, err := s.Store.DeliveryLines(ctx, c.ID)
	if err != nil {
		return d, err
	}
	if d.money, err = s.contractMoney(r, c, d.cms); err != nil {
		return d, err
	}
	replies, err := s.Store.LineReplies(ctx, c.ID)
	if err != nil {
		return d, err
	}
	d.lines = lineViews(lines, replies)
	if d.kpis, err = s.Store.KPIs(ctx, c.ID); err != nil {
		return d, err
	}
	if d.notices, err = s.Store.TenderNotices(ctx, c.TenderID); err != nil {
		return d, err
	}
	if c.StandstillEnd != "" {
		if end, err := time.Parse(time.DateOnly, c.StandstillEnd); err == nil {
			d.standstill, d.standstillOK = end, true
			d.standstillEnd = end.Format("Monday 2 January 2006")
			d.enterFrom = end.AddDate(0, 0, 1).Format("Monday 2 January 2006")
		}
	}
	if due, ok := contracts.AssessmentDue(c, d.kpis); ok && len(d.kpis) > 0 {
		d.due, d.dueOK = due, true
		d.assessmentDue = due.In(london).Format("2 January 2006")
	}
	return d, nil
}

// contractReader is what a reader may do on a contract's page.
type contractReader struct {
	buyer, supplier, canFlag, admin bool
}

func readerOf(a auth.Actor, c contracts.Contract) contractReader {
	return contractReader{buyer: auth.Can(a, auth.ManageTender, auth.Target{OrgID: c.BuyerOrgID}), supplier: auth.Can(a, auth.ReportDelivery, auth.Target{OrgID: c.SupplierID}),
		canFlag: auth.Can(a, auth.FlagConcern, auth.Target{}), admin: a.Admin()}
}

// contractClock is what the page shows that moves with the time.
type contractClock struct {
	today        string
	inStandstill bool
	overdue      bool
	rows         []commitmentRow
}

func (d *contractPageData) clock(now time.Time) contractClock {
	k := contractClock{today: now.In(london).Format(time.DateOnly)}
	if d.standstillOK {
		k.inStandstill = !tenders.StandstillOver(d.standstill, now)
	}
	if d.dueOK {
		k.overdue = now.After(d.due)
	}
	k.rows = make([]commitmentRow, len(d.cms))
	for i, cm := range d.cms {
		exp, st := contracts.Progress(cm, d.c.Start, now)
		k.rows[i] = commitmentRow{cm, exp, st}
	}
	return k
}

// contractBodyKey names a body by everything it depends on besides the
// data: the reader's permissions and the clock's effects.
func contractBodyKey(who contractReader, k contractClock) string {
	b := make([]byte, 0, 32+24*len(k.rows))
	for _, f := range []bool{who.buyer, who.supplier, who.canFlag, who.admin, k.inStandstill, k.overdue} {
		if f {
			b = append(b, '1')
		} else {
			b = append(b, '0')
		}
	}
	b = append(b, k.today...)
	for _, r := range k.rows {
		b = append(b, ',')
		b = strconv.AppendInt(b, r.ExpectedMilli, 10)
		b = append(b, r.Status...)
	}
	return string(b)
}

// contractPageData's template data: the keys the "contract-body" template
// reads, for a reader, a clock and a page's errors and form values.
func (d *contractPageData) templateData(who contractReader, k contractClock) map[string]any {
	return map[string]any{"C": d.c, "Rows": k.rows, "Lines": d.lines, "Money": d.money, "FileLinks": who.buyer || who.supplier || who.admin,
		"Buyer": who.buyer, "Supplier": who.supplier, "CanFlag": who.canFlag, "Admin": who.admin,
		"KPIs": d.kpis, "Notices": d.notices, "KPIRows": []int{0, 1, 2, 3, 4}, "KPIsRequired": d.required, "Ratings": ratingOptions(),
		"Today": k.today, "StandstillEnd": d.standstillEnd, "EnterFrom": d.enterFrom, "InStandstill": k.inStandstill,
		"AssessmentDue": d.assessmentDue, "AssessmentOverdue": k.overdue, "Body": contractBodyHTML(nil)}
}

// contractEntry returns contract id's kept entry under generation g, or
// reads and keeps it.
func (s *Server) contractEntry(r *http.Request, g, id int64) (*contractPageEntry, error) {
	cp := &s.contractPages
	cp.mu.Lock()
	if cp.gen == g {
		if e, ok := cp.pages[id]; ok {
			cp.mu.Unlock()
			return e, nil
		}
	}
	cp.mu.Unlock()
	c, err := s.Store.Contract(r.Context(), id)
	if err != nil {
		return nil, err
	}
	d, err := s.loadContractPage(r, c)
	if err != nil {
		return nil, err
	}
	e := &contractPageEntry{d: d, bodies: map[string]contractBodyHTML{}}
	cp.mu.Lock()
	defer cp.mu.Unlock()
	if g > cp.gen || cp.pages == nil {
		cp.gen, cp.pages, cp.bytes = g, map[int64]*contractPageEntry{}, 0
	}
	if g == cp.gen {
		if len(cp.pages) >= maxContractPages {
			cp.pages, cp.bytes = map[int64]*contractPageEntry{}, 0
		}
		if kept, ok := cp.pages[id]; ok {
			return kept, nil
		}
		cp.pages[id] = e
	}
	return e, nil
}

// contractBody is the page's body for a reader at a time, rendered once
// per key while the entry is kept.
func (s *Server) contractBody(e *contractPageEntry, who contractReader, k contractClock) (contractBodyHTML, error) {
	key := contractBodyKey(who, k)
	cp := &s.contractPages
	cp.mu.Lock()
	b, ok := e.bodies[key]
	cp.mu.Unlock()
	if ok {
		return b, nil
	}
	var buf bytes.Buffer
	p := &page{Form: url.Values{}, Data: e.d.templateData(who, k)}
	if err := s.pages["contract"].ExecuteTemplate(&buf, "contract-body", p); err != nil {
		return nil, err
	}
	b = chunkHTML(buf.String()) // html/template wrote and escaped it
	cp.mu.Lock()
	defer cp.mu.Unlock()
	if cp.pages[e.d.c.ID] != e {
		return b, nil // read under a generation no longer kept: used once
	}
	if cp.bytes+b.size() > maxContractPageBytes {
		// Drop every kept body (the data stays): the pages asked for
		// again are rendered again.
		for _, x := range cp.pages {
			x.bodies = map[string]contractBodyHTML{}
		}
		cp.bytes = 0
	}
	if len(e.bodies) >= maxContractBodies {
		for _, x := range e.bodies {
			cp.bytes -= x.size()
		}
		e.bodies = map[string]contractBodyHTML{}
	}
	if _, ok := e.bodies[key]; !ok {
		e.bodies[key] = b
		cp.bytes += b.size()
	}
	return b, nil
}

// contractBodyHTML is a rendered body in pieces of at most
// contractChunk bytes, which the layout writes one after another: the
// template package prints a value through fmt, which keeps its buffers
// for reuse only up to 64 KB, so a body printed whole (a buyer's page is
// about 75 KB) would take a new buffer on every request.
type contractBodyHTML []template.HTML

const contractChunk = 16 << 10

// chunkHTML cuts s into pieces of at most contractChunk bytes, each
// ending at a line's end where there is one.
func chunkHTML(s string) contractBodyHTML {
	var out contractBodyHTML
	for len(s) > contractChunk {
		n := strings.LastIndexByte(s[:contractChunk], '\n') + 1
		if n == 0 {
			n = contractChunk
		}
		out = append(out, template.HTML(s[:n]))
		s = s[n:]
	}
	if s != "" {
		out = append(out, template.HTML(s))
	}
	return out
}

func (b contractBodyHTML) size() int {
	n := 0
	for _, c := range b {
		n += len(c)
	}
	return n
}

// lineView is a delivery line as the contract page shows it, with what
// the page would otherwise work out per line while rendering (dates and
// quantities in words, the status tag, its replies, the names of its
// forms' fields).
type lineView struct {
	contracts.Line
	Period, Claimed string
	StatusTag       template.HTML
	Replies         []replyView
	Concerns        []concernView
	// Queried and Decidable say whether the supplier may answer the line
	// and whether the buyer may decide it.
	Queried, Decidable bool
	// The fields of the line's forms.
	ReplyField, FilesField, NoteField, DecisionField, ConcernField string
}

// replyView is a reply to a line; FilesNote marks the thread entry that
// holds a report's evidence files.
type replyView struct {
	contracts.Reply
	FilesNote bool
	Date      string
}

// concernView is a resident's concern on a line, with the buyer's
// response form's field.
type concernView struct {
	contracts.Concern
	Created, Responded, ResponseField string
}

// lineStatusTags are the status tags of the "linestatus" template, for
// each status; any other status shows as awaiting verification.
var lineStatusTags = map[string]template.HTML{
	contracts.Verified: `<strong class="govuk-tag govuk-tag--green">Verified</strong>`,
	contracts.Rejected: `<strong class="govuk-tag govuk-tag--red">Rejected</strong>`,
	contracts.Queried:  `<strong class="govuk-tag govuk-tag--yellow">Queried</strong>`,
}

const awaitingTag template.HTML = `<strong class="govuk-tag govuk-tag--grey">Awaiting verification</strong>`

// dayText writes a date as the "date" template function does.
func dayText(t time.Time) string { return t.In(london).Format("2 January 2006") }

// isoDayText writes a YYYY-MM-DD date as the "date" template function does.
func isoDayText(s string) string {
	if d, err := time.Parse(time.DateOnly, s); err == nil {
		return d.Format("2 January 2006")
	}
	return s
}

func lineViews(lines []contracts.Line, replies map[int64][]contracts.Reply) []lineView {
	out := make([]lineView, len(lines))
	for i, l := range lines {
		id := strconv.FormatInt(l.ID, 10)
		v := lineView{Line: l, Period: isoDayText(l.PeriodStart) + " to " + isoDayText(l.PeriodEnd), Claimed: contracts.Quantity(l.QuantityMilli, l.Unit),
			Queried: l.Status == contracts.Queried, Decidable: l.Status == contracts.Submitted || l.Status == contracts.Queried,
			ReplyField: "reply_" + id, FilesField: "files_" + id, NoteField: "note_" + id, DecisionField: "decision_" + id, ConcernField: "concern_" + id}
		v.StatusTag = awaitingTag
		if tag, ok := lineStatusTags[l.Status]; ok {
			v.StatusTag = tag
		}
		for _, x := range replies[l.ID] {
			v.Replies = append(v.Replies, replyView{Reply: x, FilesNote: x.Body == store.ReportFilesNote, Date: dayText(x.CreatedAt)})
		}
		for _, k := range l.Concerns {
			cv := concernView{Concern: k, Created: dayText(k.CreatedAt), ResponseField: "response_" + strconv.FormatInt(k.ID, 10)}
			if k.RespondedAt != nil {
				cv.Responded = dayText(*k.RespondedAt)
			}
			v.Concerns = append(v.Concerns, cv)
		}
		out[i] = v
	}
	return out
}
