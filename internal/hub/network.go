package hub

import (
	"slices"
	"sort"
)

// Relationship kinds in the anchors network.
var RelationshipKinds = []struct{ Value, Label string }{
	{"contract", "Contract"}, {"brokerage", "Brokerage match"}, {"fund", "Fund partnership"}, {"member", "Shared members"},
	{"network", "Network (declared)"}, {"partnership", "Partnership (declared)"},
}

// Node is an organisation in the network.
type Node struct {
	ID       int64
	Name     string
	Slug     string
	Kind     string
	Anchor   bool
	District string
}

// Edge is a relationship between two organisations.
type Edge struct {
	From, To   int64
	Kind       string
	Since      string
	Priorities []string
}

// Network is nodes and edges after filtering.
type Network struct {
	Nodes []Node
	Edges []Edge
}

// FilterNetwork keeps edges of the kind, touching the district and serving
// the priority (each "" for any), and the nodes they join. Edges without
// priorities (declared ones, shared members) pass a priority filter only
// when none is set.
func FilterNetwork(nodes []Node, edges []Edge, district, kind, priority string) Network {
	byID := map[int64]Node{}
	for _, n := range nodes {
		byID[n.ID] = n
	}
	var out Network
	keep := map[int64]bool{}
	for _, e := range edges {
		a, b := byID[e.From], byID[e.To]
		if kind != "" && e.Kind != kind || district != "" && a.District != district && b.District != district || priority != "" && !slices.Contains(e.Priorities, priority) {
			continue
		}
		out.Edges = append(out.Edges, e)
		keep[e.From], keep[e.To] = true, true
	}
	for _, n := range nodes {
		if keep[n.ID] {
			out.Nodes = append(out.Nodes, n)
		}
	}
	return out
}

// Untapped is an anchor institution and how many VCSE organisations it is
// linked to.
type Untapped struct {
	Node      Node
	VCSELinks int
}

// UntappedAnchors lists anchors linked to at most max distinct VCSE
// organisations, fewest first — the "untapped resource" the workshops
// wanted to reach.
func UntappedAnchors(nodes []Node, edges []Edge, max int) []Untapped {
	byID := map[int64]Node{}
	for _, n := range nodes {
		byID[n.ID] = n
	}
	links := map[int64]map[int64]bool{}
	for _, e := range edges {
		for _, p := range [][2]int64{{e.From, e.To}, {e.To, e.From}} {
			if byID[p[0]].Anchor && byID[p[1]].Kind == "vcse" {
				if links[p[0]] == nil {
					links[p[0]] = map[int64]bool{}
				}
				links[p[0]][p[1]] = true
			}
		}
	}
	var out []Untapped
	for _, n := range nodes {
		if n.Anchor && len(links[n.ID]) <= max {
			out = append(out, Untapped{n, len(links[n.ID])})
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].VCSELinks != out[j].VCSELinks {
			return out[i].VCSELinks < out[j].VCSELinks
		}
		return out[i].Node.Name < out[j].Node.Name
	})
	return out
}
