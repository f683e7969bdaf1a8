-- +goose Up
-- Column mappings an officer chose for a buyer's file layout (the header's
-- names, normalised, in order): used for the next file with that layout.
CREATE TABLE spend_layouts (
    buyer_org_id BIGINT NOT NULL REFERENCES organisations(id),
    signature TEXT NOT NULL,
    mapping TEXT NOT NULL,
    chosen_by TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (buyer_org_id, signature)
);

-- +goose Down
DROP TABLE spend_layouts;
