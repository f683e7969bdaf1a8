package web

import (
	"encoding/json"
	"html/template"
	"net/http"
	"strings"

	"github.com/svhub/svhub/internal/hub"
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

// network builds the filtered network from the query string.
func (s *Server) network(r *http.Request) (hub.Network, []hub.Node, []hub.Edge, error) {
	d, _, err := s.networkData(r.Context()) // ocds.go
	if err != nil {
		return hub.Network{}, nil, nil, err
	}
	q := r.URL.Query()
	return hub.FilterNetwork(d.nodes, d.edges, q.Get("district"), q.Get("kind"), q.Get("priority")), d.nodes, d.edges, nil
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
	d, g, err := s.networkData(r.Context()) // ocds.go
	if err != nil {
		return err
	}
	q := r.URL.Query()
	v, err := s.networkView(g, d, q.Get("district"), q.Get("kind"), q.Get("priority"))
	if err != nil {
		return err
	}
	areas, err := s.areaOptions(r, "Any")
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "network", &page{Title: "Anchors network", Form: q, Data: map[string]any{"GraphHTML": v.graph, "RowsHTML": v.rows, "Relationships": v.relationships,
		"Untapped": v.untapped, "Districts": areas[1:], "Kinds": options(hub.RelationshipKinds), "Priorities": s.priorityOptions(r), "Nodes": v.nodes}})
	return nil
}

// networkView is the network page's drawing and table rows for one filter,
// rendered by the page's own templates ("network-graph", "network-rows").
type networkView struct {
	graph, rows          template.HTML
	nodes, relationships int
	untapped             []hub.Untapped
}

type networkViewKey struct {
	gen                      int64
	district, kind, priority string
}

// maxNetworkViews bounds the views kept: the filters come from the query
// string, so past this many the kept ones are dropped and kept afresh.
const maxNetworkViews = 64

// networkView returns the view of the network d (read under generation g)
// filtered as asked, rendered once per generation and filter and kept.
func (s *Server) networkView(g int64, d networkData, district, kind, priority string) (networkView, error) {
	key := networkViewKey{g, district, kind, priority}
	c := &s.open
	c.mu.Lock()
	v, ok := c.views[key]
	c.mu.Unlock()
	if ok {
		return v, nil
	}
	net := hub.FilterNetwork(d.nodes, d.edges, district, kind, priority)
	graph, err := json.Marshal(jsonNetwork(net))
	if err != nil {
		return v, err
	}
	names := map[int64]hub.Node{}
	for _, n := range d.nodes {
		names[n.ID] = n
	}
	type row struct {
		From, To hub.Node
		Kind     string
		Since    string
	}
	var rows []row
	for _, e := range net.Edges {
		rows = append(rows, row{names[e.From], names[e.To], e.Kind, e.Since})
	}
	t := s.pages["network"]
	var b strings.Builder
	if err := t.ExecuteTemplate(&b, "network-graph", string(graph)); err != nil {
		return v, err
	}
	v.graph = template.HTML(b.String())
	b.Reset()
	if err := t.ExecuteTemplate(&b, "network-rows", rows); err != nil {
		return v, err
	}
	v.rows, v.nodes, v.relationships = template.HTML(b.String()), len(net.Nodes), len(rows)
	v.untapped = hub.UntappedAnchors(d.nodes, d.edges, 1)
	c.mu.Lock()
	if len(c.views) >= maxNetworkViews || c.views == nil {
		c.views = map[networkViewKey]networkView{}
	}
	c.views[key] = v
	c.mu.Unlock()
	return v, nil
}

func (s *Server) networkJSON(w http.ResponseWriter, r *http.Request) error {
	net, _, _, err := s.network(r)
	if err != nil {
		return err
	}
	return s.writeIndentedJSON(w, http.StatusOK, jsonNetwork(net))
}
