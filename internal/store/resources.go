package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/hub"
	"github.com/svhub/svhub/internal/problem"
)

// CreateResource stores a draft resource and indexes it for search.
func (s *Store) CreateResource(ctx context.Context, actor auth.Actor, r hub.Resource, now time.Time) (int64, error) {
	var id int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var org, contract any
		if r.OrgID != 0 {
			org = r.OrgID
		}
		if r.ContractID != 0 {
			contract = r.ContractID
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO resources (org_id, title, kind, sectors, priorities, level, summary, body, contract_id, status, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
			org, r.Title, r.Kind, strings.Join(r.Sectors, " "), strings.Join(r.Priorities, " "), r.Level, r.Summary, r.Body, contract, hub.ResDraft, actorRef(actor), now.UTC()).Scan(&id); err != nil {
			return fmt.Errorf("create resource: %w", err)
		}
		if s.dialect == SQLite {
			// SQLite's FTS5 index is kept here; PostgreSQL's is a generated column.
			if _, err := tx.ExecContext(ctx, `INSERT INTO resources_fts (rowid, title, summary, body) VALUES ($1, $2, $3, $4)`, id, r.Title, r.Summary, r.Body); err != nil {
				return fmt.Errorf("index resource: %w", err)
			}
		}
		return s.record(ctx, tx, hubEvent(actor, "resource.create", "resource", id, nil, map[string]any{"title": r.Title, "kind": r.Kind}))
	})
	return id, err
}

// MoveResource sends a draft for review or publishes one under review.
func (s *Store) MoveResource(ctx context.Context, actor auth.Actor, id int64, to string, now time.Time) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		var from string
		if err := tx.QueryRowContext(ctx, `SELECT status FROM resources WHERE id = $1`, id).Scan(&from); err != nil {
			return notFound(err, "move resource")
		}
		if !(from == hub.ResDraft && to == hub.ResReview || from == hub.ResReview && (to == hub.ResPublished || to == hub.ResDraft)) {
			return fmt.Errorf("a %s resource cannot become %s: %w", from, to, problem.ErrConflict)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE resources SET status = $1, published_at = CASE WHEN $1 = 'published' THEN $2 ELSE published_at END WHERE id = $3`, to, now.UTC(), id); err != nil {
			return fmt.Errorf("move resource: %w", err)
		}
		return s.record(ctx, tx, hubEvent(actor, "resource."+to, "resource", id, map[string]string{"status": from}, map[string]string{"status": to}))
	})
}

const resourceCols = `r.id, COALESCE(r.org_id, 0), COALESCE(o.legal_name, ''), r.title, r.kind, r.sectors, r.priorities, r.level, r.summary, r.body, COALESCE(r.contract_id, 0), r.status,
COALESCE(r.created_by, 0), r.created_at, r.published_at, (SELECT COUNT(*) FROM resource_completions c WHERE c.resource_id = r.id)`

func scanResource(row interface{ Scan(...any) error }) (hub.Resource, error) {
	var r hub.Resource
	var sectors, prios string
	err := row.Scan(&r.ID, &r.OrgID, &r.OrgName, &r.Title, &r.Kind, &sectors, &prios, &r.Level, &r.Summary, &r.Body, &r.ContractID, &r.Status, &r.CreatedBy, &r.CreatedAt, &r.PublishedAt, &r.Completions)
	r.Sectors, r.Priorities = strings.Fields(sectors), strings.Fields(prios)
	return r, err
}

// Resource loads one resource.
func (s *Store) Resource(ctx context.Context, id int64) (hub.Resource, error) {
	r, err := scanResource(s.readRow(ctx, `SELECT `+resourceCols+` FROM resources r LEFT JOIN organisations o ON o.id = r.org_id WHERE r.id = $1`, id))
	return r, notFound(err, "resource")
}

// ResourceFilter narrows a search ("" = any).
type ResourceFilter struct {
	Query, Kind, Sector, Priority, Status string
}

// SearchResources finds resources by full-text query and filters, best
// match first (newest first without a query). One method, two engines:
// SQLite FTS5 (each word matched as a prefix) and PostgreSQL's
// to_tsquery over the generated tsvector; in both, every word typed must
// match, as a prefix, so "apprentice" finds "apprenticeships".
func (s *Store) SearchResources(ctx context.Context, f ResourceFilter) ([]hub.Resource, error) {
	where := `WHERE ($1 = '' OR r.kind = $1) AND ($2 = '' OR (' ' || r.sectors || ' ') LIKE '% ' || $2 || ' %') AND ($3 = '' OR (' ' || r.priorities || ' ') LIKE '% ' || $3 || ' %') AND ($4 = '' OR r.status = $4)`
	args := []any{f.Kind, f.Sector, f.Priority, f.Status}
	scan := func(rows *sql.Rows) (hub.Resource, error) { return scanResource(rows) }
	q := strings.TrimSpace(f.Query)
	if len(words(q)) == 0 {
		return query(ctx, s, "resources", scan, `SELECT `+resourceCols+` FROM resources r LEFT JOIN organisations o ON o.id = r.org_id `+where+` ORDER BY COALESCE(r.published_at, r.created_at) DESC, r.id DESC`, args...)
	}
	if s.dialect == SQLite {
		return query(ctx, s, "search resources", scan, `SELECT `+resourceCols+` FROM resources_fts JOIN resources r ON r.id = resources_fts.rowid LEFT JOIN organisations o ON o.id = r.org_id `+
			where+` AND resources_fts MATCH $5 ORDER BY bm25(resources_fts, 10.0, 5.0, 1.0), r.id`, append(args, ftsQuery(q))...)
	}
	return query(ctx, s, "search resources", scan, `SELECT `+resourceCols+` FROM resources r LEFT JOIN organisations o ON o.id = r.org_id `+
		where+` AND r.search @@ to_tsquery('english', $5) ORDER BY ts_rank(r.search, to_tsquery('english', $5)) DESC, r.id`, append(args, tsQuery(q))...)
}

// words splits what someone typed into plain words (letters, digits,
// apostrophes), so no punctuation can change a query's meaning.
func words(q string) []string {
	return strings.FieldsFunc(q, func(r rune) bool {
		return !(r == '\'' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r > 127)
	})
}

// tsQuery is the PostgreSQL form: word:* & word:*.
func tsQuery(q string) string {
	var terms []string
	for _, w := range words(q) {
		if w = strings.ReplaceAll(w, "'", ""); w != "" {
			terms = append(terms, w+":*")
		}
	}
	if len(terms) == 0 {
		return "''"
	}
	return strings.Join(terms, " & ")
}

// ftsQuery turns what someone typed into an FTS5 query: each word quoted
// (so punctuation cannot change the query's meaning) and matched as a prefix.
func ftsQuery(q string) string {
	var terms []string
	for _, w := range words(q) {
		terms = append(terms, `"`+w+`"*`)
	}
	if len(terms) == 0 {
		return `""`
	}
	return strings.Join(terms, " ")
}

// MarkCompleted records that a user completed a training module (once).
func (s *Store) MarkCompleted(ctx context.Context, actor auth.Actor, resourceID int64, now time.Time) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO resource_completions (resource_id, user_id, completed_at) VALUES ($1, $2, $3) ON CONFLICT (resource_id, user_id) DO NOTHING`, resourceID, actor.ID(), now.UTC())
		if err != nil {
			return fmt.Errorf("mark completed: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		return s.record(ctx, tx, hubEvent(actor, "resource.completed", "resource", resourceID, nil, nil))
	})
}

// Completed reports whether a user has completed a resource.
func (s *Store) Completed(ctx context.Context, resourceID, userID int64) (bool, error) {
	var n int
	err := s.readRow(ctx, `SELECT COUNT(*) FROM resource_completions WHERE resource_id = $1 AND user_id = $2`, resourceID, userID).Scan(&n)
	return n > 0, err
}

// ResourceFile is a file attached to a resource.
type ResourceFile struct {
	ID          int64
	ResourceID  int64
	Name        string
	ContentType string
	Size        int64
	Content     []byte
}

// AddResourceFile attaches a file to a draft or a resource under review.
func (s *Store) AddResourceFile(ctx context.Context, actor auth.Actor, f ResourceFile, now time.Time) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		var status string
		if err := tx.QueryRowContext(ctx, `SELECT status FROM resources WHERE id = $1`, f.ResourceID).Scan(&status); err != nil {
			return notFound(err, "attach file")
		}
		if status == hub.ResPublished {
			return fmt.Errorf("a published resource cannot change: %w", problem.ErrConflict)
		}
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO resource_files (resource_id, name, content_type, size, content, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
			f.ResourceID, f.Name, f.ContentType, int64(len(f.Content)), f.Content, now.UTC()).Scan(&id); err != nil {
			return fmt.Errorf("attach file: %w", err)
		}
		return s.record(ctx, tx, hubEvent(actor, "resource.file", "resource", f.ResourceID, nil, map[string]any{"file": id, "name": f.Name, "size": len(f.Content)}))
	})
}

// ResourceFiles lists a resource's files without their bytes.
func (s *Store) ResourceFiles(ctx context.Context, resourceID int64) ([]ResourceFile, error) {
	return query(ctx, s, "resource files", func(r *sql.Rows) (ResourceFile, error) {
		var f ResourceFile
		return f, r.Scan(&f.ID, &f.ResourceID, &f.Name, &f.ContentType, &f.Size)
	}, `SELECT id, resource_id, name, content_type, size FROM resource_files WHERE resource_id = $1 ORDER BY id`, resourceID)
}

// ResourceFileContent loads one file with its bytes.
func (s *Store) ResourceFileContent(ctx context.Context, resourceID, id int64) (ResourceFile, error) {
	var f ResourceFile
	err := s.readRow(ctx, `SELECT id, resource_id, name, content_type, size, content FROM resource_files WHERE resource_id = $1 AND id = $2`, resourceID, id).
		Scan(&f.ID, &f.ResourceID, &f.Name, &f.ContentType, &f.Size, &f.Content)
	return f, notFound(err, "resource file")
}
