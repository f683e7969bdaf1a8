-- +goose Up
-- Re-spend surveys for Local Multiplier 3: a buyer's top local suppliers
-- for a period, as they stood when the survey was sent, and their answers
-- (shares in tenths of a percent).
CREATE TABLE spend_surveys (
    id INTEGER PRIMARY KEY,
    buyer_org_id INTEGER NOT NULL REFERENCES organisations(id),
    from_date TEXT NOT NULL,
    to_date TEXT NOT NULL,
    top_n INTEGER NOT NULL,
    created_by INTEGER REFERENCES users(id),
    created_at TIMESTAMP NOT NULL
);
CREATE TABLE survey_suppliers (
    id INTEGER PRIMARY KEY,
    survey_id INTEGER NOT NULL REFERENCES spend_surveys(id) ON DELETE CASCADE,
    supplier_key TEXT NOT NULL,
    supplier_name TEXT NOT NULL,
    org_id INTEGER REFERENCES organisations(id),
    spend_pence BIGINT NOT NULL,
    location TEXT NOT NULL,
    status TEXT NOT NULL,
    wage_share INTEGER NOT NULL DEFAULT 0,
    wage_district INTEGER NOT NULL DEFAULT 0,
    wage_gm INTEGER NOT NULL DEFAULT 0,
    purchase_share INTEGER NOT NULL DEFAULT 0,
    purchase_district INTEGER NOT NULL DEFAULT 0,
    purchase_gm INTEGER NOT NULL DEFAULT 0,
    responded_by INTEGER REFERENCES users(id),
    responded_at TIMESTAMP,
    UNIQUE (survey_id, supplier_key)
);

-- +goose Down
DROP TABLE survey_suppliers;
DROP TABLE spend_surveys;
