package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/svhub/svhub/internal/audit"
	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/geo"
	"github.com/svhub/svhub/internal/spend"
)

// CreditorImport is the outcome of importing one creditor file.
type CreditorImport struct {
	File      string   `json:"file"`
	SHA256    string   `json:"sha256"`
	Entries   int      `json:"entries"`
	Placed    int      `json:"placed"`                // entries whose postcode places them (in GM or outside)
	ByID      int      `json:"linked_by_supplier_id"` // entries whose supplier id the buyer's payments carry
	Conflicts []string `json:"conflicts"`             // contradictions reported, not guessed
	Unchanged bool     `json:"unchanged"`             // the same file was already in force: nothing done
}

// creditorIDBase keeps creditor entries' organisation ids (negative, like
// register entries') apart from register entries'.
const creditorIDBase = 1 << 40

// ImportCreditors replaces a buyer's creditor entries with a file's, in
// one transaction with its audit event: a killed import leaves the
// previous file in force, and importing the file in force again changes
// nothing. Each entry is placed by its postcode and linked to the payee
// spellings the buyer's payments carry its supplier id under.
func (s *Store) ImportCreditors(ctx context.Context, actor auth.Actor, buyerID int64, file, sha string, cf spend.CreditorFile) (CreditorImport, error) {
	res := CreditorImport{File: file, SHA256: sha, Entries: len(cf.Entries)}
	for _, c := range cf.Conflicts {
		res.Conflicts = append(res.Conflicts, c.String())
	}
	var last string
	err := s.readRow(ctx, `SELECT file_sha256 FROM creditor_files WHERE buyer_org_id = $1 ORDER BY id DESC LIMIT 1`, buyerID).Scan(&last)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return res, fmt.Errorf("creditor files: %w", wrapConn(err))
	}
	if last == sha {
		res.Unchanged = true
		return res, nil
	}
	// Payee spellings by supplier id, from the buyer's stored payments.
	payees := map[string][]string{}
	err = s.eachBlock(ctx, "payments' supplier ids", `SELECT id, month, supplier_name, redacted, data FROM spend_blocks WHERE buyer_org_id = $1 AND redacted = $2`, []any{buyerID, false},
		func(b storedBlock) error {
			return decodeBlock(b.data, func(p *decodedPayment) {
				if p.SupplierID != "" && !slices.Contains(payees[p.SupplierID], b.supplier) {
					payees[p.SupplierID] = append(payees[p.SupplierID], b.supplier)
				}
			})
		})
	if err != nil {
		return res, err
	}
	type placed struct {
		district, ward string
		decile         int
	}
	places := map[string]placed{}
	for _, c := range cf.Entries {
		pc, err := geo.NormalisePostcode(c.Postcode)
		if err != nil {
			continue
		}
		if _, seen := places[pc]; seen {
			continue
		}
		p, err := s.ResolvePostcode(ctx, pc)
		if err != nil {
			return res, err
		}
		pl := placed{p.DistrictCode, p.WardCode, p.IMDDecile}
		if p.DistrictCode == "" && (p.Elsewhere != nil || geo.OutsideGM(pc)) {
			pl.district = outsideGM
		}
		places[pc] = pl
	}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		res.Placed, res.ByID = 0, 0 // afresh on every attempt (tx may run this again)
		if _, err := tx.ExecContext(ctx, `DELETE FROM creditor_entries WHERE buyer_org_id = $1`, buyerID); err != nil {
			return fmt.Errorf("replace creditor entries: %w", err)
		}
		cols := []string{"buyer_org_id", "supplier_id", "name", "other_names", "payees", "postcode", "district_code", "ward_code", "imd_decile",
			"company_number", "charity_number", "vat_number", "supplier_type", "kind", "size", "line"}
		err := s.bulkInsert(ctx, tx, "creditor_entries", cols, len(cf.Entries), func(i int) []any {
			c := cf.Entries[i]
			pl := places[c.Postcode]
			var ps []string
			if c.SupplierID != "" {
				ps = payees[c.SupplierID]
			}
			return []any{buyerID, c.SupplierID, c.Name, strings.Join(c.OtherNames, "\t"), strings.Join(ps, "\t"), c.Postcode, pl.district, pl.ward, pl.decile,
				c.CompanyNumber, c.CharityNumber, c.VATNumber, c.Type, c.Kind(), c.Size(), c.Line}
		})
		if err != nil {
			return err
		}
		for _, c := range cf.Entries {
			if places[c.Postcode].district != "" {
				res.Placed++
			}
			if c.SupplierID != "" && len(payees[c.SupplierID]) > 0 {
				res.ByID++
			}
		}
		conflicts, _ := json.Marshal(res.Conflicts)
		var by any
		if actor.ID() != 0 {
			by = actor.ID()
		}
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO creditor_files (buyer_org_id, file_name, file_sha256, entries, placed, conflicts, imported_by, imported_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
			buyerID, file, sha, res.Entries, res.Placed, string(conflicts), by, time.Now().UTC()).Scan(&id); err != nil {
			return fmt.Errorf("record creditor file: %w", err)
		}
		if err := bumpSpendGeneration(ctx, tx, hubSpendGeneration); err != nil {
			return err
		}
		return s.record(ctx, tx, audit.Event{ActorID: actor.ID(), Actor: actor.Label(), Action: "creditors.import", ObjectType: "creditor_file", ObjectID: strconv.FormatInt(id, 10),
			Summary: audit.Summary(nil, map[string]any{"buyer_org_id": buyerID, "file": file, "sha256": sha, "entries": res.Entries, "placed": res.Placed, "conflicts": len(res.Conflicts)})})
	})
	if err != nil {
		return CreditorImport{}, err
	}
	return res, nil
}

// CreditorFile is the creditor file in force for a buyer.
type CreditorFile struct {
	File       string
	Entries    int
	Placed     int
	Conflicts  []string
	ImportedAt time.Time
}

// LatestCreditorFile returns the buyer's creditor file in force; ok is
// false when it has none.
func (s *Store) LatestCreditorFile(ctx context.Context, buyerID int64) (CreditorFile, bool, error) {
	var f CreditorFile
	var conflicts string
	err := s.readRow(ctx, `SELECT file_name, entries, placed, conflicts, imported_at FROM creditor_files WHERE buyer_org_id = $1 ORDER BY id DESC LIMIT 1`, buyerID).
		Scan(&f.File, &f.Entries, &f.Placed, &conflicts, &f.ImportedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return f, false, nil
	}
	if err != nil {
		return f, false, fmt.Errorf("creditor file: %w", wrapConn(err))
	}
	_ = json.Unmarshal([]byte(conflicts), &f.Conflicts)
	return f, true, nil
}

// creditorOrgs returns every buyer's creditor entries as organisations for
// matching. An entry with a company number takes what it lacks (postcode
// place, size, category) from the Companies House register entry of that
// number, when one is loaded.
func (s *Store) creditorOrgs(ctx context.Context) ([]spend.Org, error) {
	rows, err := s.read(ctx, `SELECT c.id, c.name, c.other_names, c.payees, c.district_code, c.ward_code, c.imd_decile, c.company_number, c.vat_number, c.kind, c.size,
			COALESCE(r.district_code, ''), COALESCE(r.imd_decile, 0), COALESCE(r.size, ''), COALESCE(r.category, ''), COALESCE(r.sic, '')
		FROM creditor_entries c LEFT JOIN register_entries r ON r.source = 'company' AND c.company_number <> '' AND r.number = c.company_number
		ORDER BY c.id`)
	return collect("creditor entries", rows, err, func(r *sql.Rows) (spend.Org, error) {
		var id int64
		var o spend.Org
		var other, payees, district, ward, kind, size, rDistrict, rSize, rCategory, rSIC string
		var rDecile int
		err := r.Scan(&id, &o.Name, &other, &payees, &district, &ward, &o.IMDDecile, &o.CompanyNumber, &o.VATNumber, &kind, &size, &rDistrict, &rDecile, &rSize, &rCategory, &rSIC)
		o.ID = -(creditorIDBase + id)
		o.Source = "buyer's creditor file"
		if other != "" {
			o.OtherNames = strings.Split(other, "\t")
		}
		if payees != "" {
			o.Payees = strings.Split(payees, "\t")
		}
		if district == "" && rDistrict != "" {
			district, o.IMDDecile = rDistrict, rDecile
		}
		switch district {
		case outsideGM:
			o.Districts, o.Wards = []string{""}, []string{""}
		case "":
		default:
			o.Districts, o.Wards = []string{district}, []string{ward}
		}
		if size == "" {
			size = rSize
		}
		o.Size = map[string]string{"small": "small", "micro": "micro", "medium": "medium", "large": "large"}[size]
		o.SIC = rSIC
		switch {
		case kind == "vcse" || (kind == "" && rCategory != "" && (spend.RegisterEntry{Source: spend.CompaniesHouse, Category: rCategory}).VCSE() == "yes"):
			o.Kind = "vcse"
		case kind == "public":
			o.Kind = "public"
		case kind == "business" || (rCategory != "" && (spend.RegisterEntry{Source: spend.CompaniesHouse, Category: rCategory}).VCSE() == "no"):
			o.Kind = "business"
		}
		return o, err
	})
}
