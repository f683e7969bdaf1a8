-- +goose Up
-- A buyer's creditor file (its finance system's supplier master): one row
-- per supplier account, placed by its postcode. A new file for a buyer
-- replaces the buyer's entries. payees holds the payee spellings its
-- payments were made to under the account's supplier id, tab-separated.
CREATE TABLE creditor_entries (
    id INTEGER PRIMARY KEY,
    buyer_org_id INTEGER NOT NULL REFERENCES organisations(id),
    supplier_id TEXT NOT NULL DEFAULT '',
    name TEXT NOT NULL,
    other_names TEXT NOT NULL DEFAULT '',
    payees TEXT NOT NULL DEFAULT '',
    postcode TEXT NOT NULL DEFAULT '',
    district_code TEXT NOT NULL DEFAULT '',
    ward_code TEXT NOT NULL DEFAULT '',
    imd_decile INTEGER NOT NULL DEFAULT 0,
    company_number TEXT NOT NULL DEFAULT '',
    charity_number TEXT NOT NULL DEFAULT '',
    vat_number TEXT NOT NULL DEFAULT '',
    supplier_type TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL DEFAULT '',
    size TEXT NOT NULL DEFAULT '',
    line INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX creditor_entries_buyer ON creditor_entries(buyer_org_id);
-- Each creditor file imported: its hash (a file already in force is not
-- imported again), counts and the contradictions it held, as JSON.
CREATE TABLE creditor_files (
    id INTEGER PRIMARY KEY,
    buyer_org_id INTEGER NOT NULL REFERENCES organisations(id),
    file_name TEXT NOT NULL,
    file_sha256 TEXT NOT NULL,
    entries INTEGER NOT NULL,
    placed INTEGER NOT NULL,
    conflicts TEXT NOT NULL DEFAULT '[]',
    imported_by INTEGER REFERENCES users(id),
    imported_at TIMESTAMP NOT NULL
);
CREATE INDEX creditor_files_buyer ON creditor_files(buyer_org_id, id);
-- Register entries are looked up by normalised name (spend.NormaliseSupplier)
-- and company number rather than loaded whole (Companies House has 5.5
-- million); size comes from the accounts category; previous names are
-- kept in register_names, looked up the same way.
ALTER TABLE register_entries ADD COLUMN name_key TEXT NOT NULL DEFAULT '';
ALTER TABLE register_entries ADD COLUMN previous_names TEXT NOT NULL DEFAULT '';
ALTER TABLE register_entries ADD COLUMN size TEXT NOT NULL DEFAULT '';
CREATE INDEX register_entries_name_key ON register_entries(name_key);
CREATE INDEX register_entries_company ON register_entries(company_number);
CREATE TABLE register_names (
    source TEXT NOT NULL,
    number TEXT NOT NULL,
    name_key TEXT NOT NULL,
    PRIMARY KEY (source, number, name_key)
);
CREATE INDEX register_names_key ON register_names(name_key);

-- +goose Down
DROP TABLE register_names;
DROP INDEX register_entries_company;
DROP INDEX register_entries_name_key;
ALTER TABLE register_entries DROP COLUMN size;
ALTER TABLE register_entries DROP COLUMN previous_names;
ALTER TABLE register_entries DROP COLUMN name_key;
DROP TABLE creditor_files;
DROP TABLE creditor_entries;
