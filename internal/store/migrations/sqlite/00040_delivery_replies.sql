-- +goose Up
-- The delivery loop talks back (issue 17 part 3): a queried delivery line
-- is answered by the supplier with text and evidence files (PDF, images,
-- spreadsheets; 10 MB each, type checked by content); the thread is shown
-- on the line and the buyer then verifies or rejects it.
CREATE TABLE delivery_replies (
    id INTEGER PRIMARY KEY,
    line_id BIGINT NOT NULL REFERENCES delivery_lines(id) ON DELETE CASCADE,
    author TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX delivery_replies_line ON delivery_replies (line_id, id);
CREATE TABLE delivery_files (
    id INTEGER PRIMARY KEY,
    reply_id BIGINT NOT NULL REFERENCES delivery_replies(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    content BLOB NOT NULL
);
CREATE INDEX delivery_files_reply ON delivery_files (reply_id);
-- The non-essential notifications each user has turned off on their
-- account page (internal/mail.OptionalKinds).
CREATE TABLE notification_optouts (
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    PRIMARY KEY (user_id, kind)
);

-- +goose Down
DROP TABLE notification_optouts;
DROP TABLE delivery_files;
DROP TABLE delivery_replies;
