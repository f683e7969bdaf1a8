package priorities

import "time"

// Document is a round's results as published: the results page, the JSON
// download and the API all show this, and it is frozen at publication.
type Document struct {
	Round            int64              `json:"round"`
	Title            string             `json:"title"`
	Method           string             `json:"method"`
	Ballots          int                `json:"ballots"`
	Priorities       []DocPriority      `json:"priorities"`
	Weights          map[string]float64 `json:"weights"`
	Mean             map[string]float64 `json:"mean"`
	Median           map[string]float64 `json:"median"`
	PostStratified   map[string]float64 `json:"post_stratified_mean,omitempty"`
	ByChannel        []DocGroup         `json:"by_channel"`
	ByDistrict       []DocGroup         `json:"by_district"`
	ByDistrictSource []DocGroup         `json:"by_district_source,omitempty"`
	ByWardSource     []DocGroup         `json:"by_ward_source,omitempty"`
	ByIMDQuintile    []DocGroup         `json:"by_imd_quintile"`
	ByAnswer         []DocQuestion      `json:"by_demographic_answer"`
	Participation    []Participation    `json:"participation"`
	MinGroup         int                `json:"suppressed_below"`
	PopulationSource string             `json:"population_source"`
	ExportSHA256     string             `json:"ballots_csv_sha256,omitempty"`
	PublishedAt      *time.Time         `json:"published_at,omitempty"`
}

// DocQuestion is the breakdown by one demographic question.
type DocQuestion struct {
	Question string     `json:"question"`
	Groups   []DocGroup `json:"groups"`
}

// DocPriority names a weighted priority.
type DocPriority struct {
	Code  string `json:"code"`
	Title string `json:"title"`
}

// DocGroup is a breakdown row.
type DocGroup struct {
	Label      string             `json:"label"`
	Ballots    int                `json:"ballots"`
	Suppressed bool               `json:"suppressed"`
	Weights    map[string]float64 `json:"weights,omitempty"`
}

func byCode(ps []RoundPriority, w []float64) map[string]float64 {
	if w == nil {
		return nil
	}
	m := make(map[string]float64, len(ps))
	for j, p := range ps {
		m[p.Code] = w[j]
	}
	return m
}

func groups(ps []RoundPriority, gs []Group) []DocGroup {
	out := make([]DocGroup, len(gs))
	for i, g := range gs {
		out[i] = DocGroup{Label: g.Label, Ballots: g.Ballots, Suppressed: g.Suppressed, Weights: byCode(ps, g.Weights)}
	}
	return out
}

// NewDocument assembles a round's results document.
func NewDocument(r Round, res *Results, exportSHA string) Document {
	d := Document{Round: r.ID, Title: r.Title, Method: IndependentMarkets, Ballots: res.Ballots, MinGroup: MinGroup, PopulationSource: PopulationSource, ExportSHA256: exportSHA,
		Weights: byCode(r.Priorities, res.Weights), Mean: byCode(r.Priorities, res.Mean), Median: byCode(r.Priorities, res.Median), PostStratified: byCode(r.Priorities, res.PostStratified),
		ByChannel: groups(r.Priorities, res.ByChannel), ByDistrict: groups(r.Priorities, res.ByDistrict), ByDistrictSource: groups(r.Priorities, res.ByDistrictSource), ByWardSource: groups(r.Priorities, res.ByWardSource), ByIMDQuintile: groups(r.Priorities, res.ByIMDQuintile), Participation: res.Participation}
	for _, p := range r.Priorities {
		d.Priorities = append(d.Priorities, DocPriority{Code: p.Code, Title: p.Title})
	}
	for _, q := range Questions {
		if gs := res.ByAnswer[q.Key]; len(gs) > 0 {
			d.ByAnswer = append(d.ByAnswer, DocQuestion{Question: q.Text, Groups: groups(r.Priorities, gs)})
		}
	}
	return d
}

// Row is one priority across the methods, for tables.
type Row struct {
	Code, Title                          string
	Weight, Mean, Median, PostStratified float64
}

// Rows lists the priorities with each method's weight.
func (d Document) Rows() []Row {
	out := make([]Row, len(d.Priorities))
	for i, p := range d.Priorities {
		out[i] = Row{Code: p.Code, Title: p.Title, Weight: d.Weights[p.Code], Mean: d.Mean[p.Code], Median: d.Median[p.Code], PostStratified: d.PostStratified[p.Code]}
	}
	return out
}

// Publication computes what publishing a round freezes: the results
// document (with the export's SHA-256) and the anonymised ballots CSV.
func Publication(r Round, recs []Record, districtNames map[string]string) (Document, string, error) {
	res, err := Compute(len(r.Priorities), recs, districtNames)
	if err != nil {
		return Document{}, "", err
	}
	codes := make([]string, len(r.Priorities))
	for i, p := range r.Priorities {
		codes[i] = p.Code
	}
	export, sum := ExportCSV(codes, recs)
	return NewDocument(r, res, sum), export, nil
}
