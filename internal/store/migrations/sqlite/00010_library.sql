-- +goose Up
-- The resource library: guidance, training, case studies and templates,
-- searched with FTS5 (a contentless index kept by the store in the same
-- transaction as each change).
CREATE TABLE resources (
    id INTEGER PRIMARY KEY,
    org_id INTEGER REFERENCES organisations(id),
    title TEXT NOT NULL,
    kind TEXT NOT NULL,
    sectors TEXT NOT NULL DEFAULT '',
    priorities TEXT NOT NULL DEFAULT '',
    level TEXT NOT NULL DEFAULT '',
    summary TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL DEFAULT '',
    contract_id INTEGER REFERENCES contracts(id),
    status TEXT NOT NULL,
    created_by INTEGER REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    published_at TIMESTAMP
);
CREATE VIRTUAL TABLE resources_fts USING fts5(title, summary, body);
CREATE TABLE resource_completions (
    resource_id INTEGER NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id),
    completed_at TIMESTAMP NOT NULL,
    PRIMARY KEY (resource_id, user_id)
);

-- +goose Down
DROP TABLE resource_completions;
DROP TABLE resources_fts;
DROP TABLE resources;
