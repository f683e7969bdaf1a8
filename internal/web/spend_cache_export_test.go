package web

// SpendReportLookups returns how many spend report lookups found a built
// report at the current data generation, and how many built one.
func (s *Server) SpendReportLookups() (hits, misses int64) {
	s.spendReports.mu.Lock()
	defer s.spendReports.mu.Unlock()
	return s.spendReports.hits, s.spendReports.misses
}
