package web

import (
	"encoding/json"
	"html/template"
	"net/http"
	"net/url"
	"strconv"

	"github.com/svhub/svhub/internal/hub"
	"github.com/svhub/svhub/internal/store"
)

func (s *Server) networkRoutes(mux interface {
	Handle(string, http.Handler)
}) {
	h := s.serve
	mux.Handle("GET /network", h(s.networkPage))
	mux.Handle("GET /network.json", h(s.networkJSON))
}

type netNode struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	Slug     string `json:"slug"`
	Kind     string `json:"kind"`
	Anchor   bool   `json:"anchor"`
	District string `json:"district,omitempty"`
}

type netEdge struct {
	From       int64    `json:"from"`
	To         int64    `json:"to"`
	Kind       string   `json:"kind"`
	Since      string   `json:"since,omitempty"`
	Priorities []string `json:"priorities,omitempty"`
}

func jsonNetwork(n hub.Network) map[string]any {
	ns, es := []netNode{}, []netEdge{}
	for _, x := range n.Nodes {
		ns = append(ns, netNode{x.ID, x.Name, x.Slug, x.Kind, x.Anchor, x.District})
	}
	for _, e := range n.Edges {
		es = append(es, netEdge{e.From, e.To, e.Kind, e.Since, e.Priorities})
	}
	return map[string]any{"nodes": ns, "edges": es}
}

func (s *Server) networkPage(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	body, err := s.networkBody(r, q)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "network", &page{Title: "Anchors network", Form: q, Data: map[string]any{"BodyHTML": body}})
	return nil
}

// networkBody is the network page's content (the "network-body" template:
// the filter form, the untapped anchors, the drawing and the table) for
// the filter in q. Nothing in it depends on the reader, so it is rendered
// once per filter under the sum of the generations it is read from — the
// network's, the geography's (the district choices) and the priorities'
// (the priority choices) — and kept (cachedGen).
func (s *Server) networkBody(r *http.Request, q url.Values) (template.HTML, error) {
	g, err := s.generationSum(r.Context(), store.RefNetwork, store.RefGeography, store.RefPriorities) // shared with requests arriving together (freshread.go)
	if err != nil {
		return "", err
	}
	f := networkFilterOf(q)
	return cachedGen(&s.open.mu, &s.open.views, g, f, func() (template.HTML, error) {
		d, _, err := s.networkData(r.Context()) // ocds.go; read after g, so never older
		if err != nil {
			return "", err
		}
		net := hub.FilterNetwork(d.nodes, d.edges, f.district, f.kind, f.priority)
		graph, err := json.Marshal(jsonNetwork(net))
		if err != nil {
			return "", err
		}
		names := map[int64]hub.Node{}
		for _, n := range d.nodes {
			names[n.ID] = n
		}
		var rows []networkRow
		for _, e := range net.Edges {
			rows = append(rows, networkRow{names[e.From], names[e.To], e.Kind, e.Since})
		}
		areas, err := s.areaOptions(r, "Any")
		if err != nil {
			return "", err
		}
		// The form reads only district, kind and priority from the query:
		// the key holds all it shows.
		form := url.Values{"district": {f.district}, "kind": {f.kind}, "priority": {f.priority}}
		p := &page{Form: form, Data: map[string]any{"Graph": string(graph), "Rows": rows, "Relationships": len(rows),
			"Untapped": hub.UntappedAnchors(d.nodes, d.edges, 1), "Districts": areas[1:], "Kinds": options(hub.RelationshipKinds), "Priorities": s.priorityOptions(r), "Nodes": len(net.Nodes)}}
		return s.renderPart("network", "network-body", p)
	})
}

// networkRow is a row of the network page's table of relationships.
type networkRow struct {
	From, To hub.Node
	Kind     string
	Since    string
}

// networkJSON is /network.json: the network for the filter in the query
// string. Its bytes depend only on the network's data and the filter, so
// they are encoded once per filter under the network's generation and kept
// (cachedGen, at most maxKept filters): a request reads the generation,
// which every write to the network raises, and writes the kept bytes.
func (s *Server) networkJSON(w http.ResponseWriter, r *http.Request) error {
	d, g, err := s.networkData(r.Context()) // ocds.go
	if err != nil {
		return err
	}
	f := networkFilterOf(r.URL.Query())
	body, err := cachedGen(&s.open.mu, &s.open.jsonDocs, g, f, func() ([]byte, error) {
		return indentedJSON(jsonNetwork(hub.FilterNetwork(d.nodes, d.edges, f.district, f.kind, f.priority)))
	})
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	_, err = w.Write(body)
	return err
}

// networkFilter is the network's filter from the query string.
type networkFilter struct{ district, kind, priority string }

func networkFilterOf(q url.Values) networkFilter {
	return networkFilter{q.Get("district"), q.Get("kind"), q.Get("priority")}
}
