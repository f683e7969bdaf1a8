package web

import (
	"encoding/json"
	"net/http"

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
	d, err := s.networkData(r.Context()) // ocds.go
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
	net, nodes, edges, err := s.network(r)
	if err != nil {
		return err
	}
	graph, _ := json.Marshal(jsonNetwork(net))
	names := map[int64]hub.Node{}
	for _, n := range nodes {
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
	areas, err := s.areaOptions(r, "Any")
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "network", &page{Title: "Anchors network", Form: r.URL.Query(), Data: map[string]any{"Graph": string(graph), "Rows": rows, "Untapped": hub.UntappedAnchors(nodes, edges, 1),
		"Districts": areas[1:], "Kinds": options(hub.RelationshipKinds), "Priorities": s.priorityOptions(r), "Nodes": len(net.Nodes)}})
	return nil
}

func (s *Server) networkJSON(w http.ResponseWriter, r *http.Request) error {
	net, _, _, err := s.network(r)
	if err != nil {
		return err
	}
	return s.writeIndentedJSON(w, http.StatusOK, jsonNetwork(net))
}
