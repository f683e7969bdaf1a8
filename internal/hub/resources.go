package hub

import (
	"strings"
	"time"

	"github.com/svhub/svhub/internal/problem"
)

// Resource kinds, sectors and levels.
var (
	ResourceKinds = []struct{ Value, Label string }{{"guidance", "Guidance"}, {"training", "Training module"}, {"case_study", "Case study"}, {"template", "Template"}}
	Sectors       = []struct{ Value, Label string }{{"public", "Public sector"}, {"private", "Businesses"}, {"vcse", "VCSE organisations"}}
	Levels        = []struct{ Value, Label string }{{"introductory", "Introductory"}, {"intermediate", "Intermediate"}, {"advanced", "Advanced"}}
)

// Resource states: an author drafts, sends for review, a hub administrator
// publishes.
const (
	ResDraft     = "draft"
	ResReview    = "review"
	ResPublished = "published"
)

// Resource is an item in the library.
type Resource struct {
	ID          int64
	OrgID       int64
	OrgName     string
	Title       string
	Kind        string
	Sectors     []string
	Priorities  []string
	Level       string
	Summary     string
	Body        string // Markdown, rendered with Markdown
	ContractID  int64  // a case study's contract on the hub
	Status      string
	CreatedBy   int64
	CreatedAt   time.Time
	PublishedAt *time.Time
	Completions int
}

func oneOf(v string, opts []struct{ Value, Label string }) bool {
	for _, o := range opts {
		if o.Value == v {
			return true
		}
	}
	return false
}

// Validate checks a resource; field names follow the resource form.
func (r Resource) Validate() error {
	v := &problem.Invalid{}
	if strings.TrimSpace(r.Title) == "" {
		v.Add("title", "Enter a title")
	}
	if !oneOf(r.Kind, ResourceKinds) {
		v.Add("kind", "Choose what kind of resource this is")
	}
	if len(r.Sectors) == 0 {
		v.Add("sectors", "Choose who it is for")
	}
	for _, s := range r.Sectors {
		if !oneOf(s, Sectors) {
			v.Add("sectors", "Unknown sector %q", s)
		}
	}
	if r.Level != "" && !oneOf(r.Level, Levels) {
		v.Add("level", "Choose a level")
	}
	if strings.TrimSpace(r.Summary) == "" {
		v.Add("summary", "Write a one-line summary")
	}
	if strings.TrimSpace(r.Body) == "" {
		v.Add("body", "Write the resource itself")
	}
	return v.Err()
}
