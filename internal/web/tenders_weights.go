package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"github.com/svhub/svhub/internal/framework"
	"github.com/svhub/svhub/internal/orgs"
	"github.com/svhub/svhub/internal/priorities"
	"github.com/svhub/svhub/internal/problem"
)

// weightsRounds are the People's Weights a tender on framework f may use,
// latest published first: every published round whose weights cover each
// of f's priorities, whichever edition the round was run on (a new edition
// keeps the priorities residents weighted, so their weights still apply).
func (s *Server) weightsRounds(r *http.Request, f framework.Framework) ([]orgs.Option, error) {
	rounds, err := s.Store.ListRounds(r.Context())
	if err != nil {
		return nil, err
	}
	type published struct {
		opt orgs.Option
		at  int64
	}
	var out []published
	for _, rd := range rounds {
		if rd.Status != priorities.Published {
			continue
		}
		pw, err := s.Store.PublishedWeights(r.Context(), rd.ID)
		if err != nil {
			return nil, err
		}
		var shares map[string]float64
		if err := json.Unmarshal([]byte(pw.Weights), &shares); err != nil {
			return nil, fmt.Errorf("people's weights of round %d: %w", rd.ID, err)
		}
		covers := len(f.Priorities) > 0
		for _, p := range f.Priorities {
			if _, ok := shares[p.Code]; !ok {
				covers = false
			}
		}
		if covers {
			label := fmt.Sprintf("%s (published %s)", rd.Title, pw.PublishedAt.In(london).Format("2 January 2006"))
			out = append(out, published{orgs.Option{Value: strconv.FormatInt(rd.ID, 10), Label: label}, pw.PublishedAt.UnixNano()})
		}
	}
	slices.SortStableFunc(out, func(a, b published) int {
		switch {
		case a.at > b.at:
			return -1
		case a.at < b.at:
			return 1
		}
		return 0
	})
	opts := make([]orgs.Option, len(out))
	for i, p := range out {
		opts[i] = p.opt
	}
	return opts, nil
}

// checkWeightsRound refuses People's Weights the form did not offer: a
// round not published, or one that does not weigh every priority.
func checkWeightsRound(v *problem.Invalid, id int64, offered []orgs.Option) {
	if id == 0 || v.Has("weights_round") {
		return
	}
	if !slices.ContainsFunc(offered, func(o orgs.Option) bool { return o.Value == strconv.FormatInt(id, 10) }) {
		v.Add("weights_round", "Choose published People's Weights from the list, or equal weights")
	}
}
