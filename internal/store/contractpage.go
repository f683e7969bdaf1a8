package store

import "context"

// RefContractPage is the generation of the rest of what a contract's page
// shows (migration 58): its delivery reports and lines, residents'
// concerns, the supplier's replies and their files, its KPIs and their
// assessments, and its tender's notices. The page's other data (the
// contract, its commitments, the organisations, measures, unit values,
// price indexes and area names) is behind RefContractDashboard.
const RefContractPage = "contract-page"

// ContractPageTables are the tables whose every write raises the contract
// page's generation (migration 58); a test checks each has its triggers.
func ContractPageTables() []string {
	return []string{"delivery_reports", "delivery_lines", "delivery_concerns", "delivery_replies", "delivery_files", "contract_kpis", "kpi_assessments", "notices"}
}

// ContractPageGeneration is what a contract's page is built from, as one
// number: the sum of the contract dashboard's and the contract page's
// generations (GenerationSum), read in one statement before the data it
// guards.
func (s *Store) ContractPageGeneration(ctx context.Context) (int64, error) {
	return s.GenerationSum(ctx, ContractPageKinds()...)
}

// ContractPageKinds are the generations ContractPageGeneration adds up.
func ContractPageKinds() []string { return []string{RefContractDashboard, RefContractPage} }
