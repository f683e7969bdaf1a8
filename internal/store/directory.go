package store

// RefDirectory is the organisation directory's generation (migration 54):
// organisations, their sites, accreditations (and verified documents), the
// accrediting bodies, district names, the pledge, its reports and texts,
// champions, and the contracts, commitments, delivery lines, offers and
// matches the kite mark rules count. The web server keeps the directory's
// pages of results, organisation profiles and the kite marks list under it.
const RefDirectory = "directory"

// DirectoryTables are the tables whose every write raises the directory's
// generation (migration 54); a test checks each has its triggers.
func DirectoryTables() []string {
	return []string{"organisations", "sites", "accreditations", "accreditation_files", "accrediting_bodies", "geo_districts",
		"pledges", "pledge_reports", "pledge_versions", "champions", "contracts", "commitments", "delivery_lines", "hub_offers", "hub_matches"}
}
