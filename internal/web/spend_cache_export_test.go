package web

// SpendReportLookups returns how many spend report lookups found a built
// report at the current data generation, and how many built one.
func (s *Server) SpendReportLookups() (hits, misses int64) {
	return s.spendReports.hits.Load(), s.spendReports.misses.Load()
}
