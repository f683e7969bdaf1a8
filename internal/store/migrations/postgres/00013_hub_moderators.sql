-- +goose Up
-- A VCSE infrastructure body the hub trusts to moderate community needs.
ALTER TABLE organisations ADD COLUMN hub_moderator BOOLEAN NOT NULL DEFAULT FALSE;

-- +goose Down
ALTER TABLE organisations DROP COLUMN hub_moderator;
