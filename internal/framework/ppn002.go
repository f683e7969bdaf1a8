package framework

// PPN002Source is where the central government Social Value Model is
// published: Procurement Policy Note 002 (February 2025), Crown copyright,
// Open Government Licence v3.0.
const PPN002Source = "https://www.gov.uk/government/publications/ppn-002-taking-account-of-social-value-in-the-award-of-contracts"

// PPN002 is the central government Social Value Model of PPN 002 (2025) as
// an open edition beside the Greater Manchester framework. Its priorities
// are the model's five missions, named as government names them; the
// outcomes and measures under them are this project's own short wording of
// the areas the model covers (fair work, resilient supply chains, net zero
// and the environment, safer communities, skills and opportunity, health),
// not the model's text and not the National TOMs. The model's award
// criteria and reporting metrics are to be read in the PPN itself; a buyer
// who needs them exactly writes them into the tender's quality criteria.
// People's Weights do not apply to this edition: residents weighted the GM
// framework's six priorities, not these missions.
func PPN002() Framework {
	m := func(code, wording, unit, guidance string, recordOnly bool) Measure {
		return Measure{Code: code, Wording: wording, Unit: unit, Guidance: guidance, RecordOnly: recordOnly}
	}
	return Framework{
		Name:      "Social Value Model (PPN 002)",
		Publisher: "Cabinet Office (central government)",
		Edition:   "2025",
		Licence: "Missions: Procurement Policy Note 002, Crown copyright, Open Government Licence v3.0. " +
			"Outcomes and measures: Social Value Hub contributors, in their own words, Open Government Licence v3.0",
		SourceURL: PPN002Source,
		Status:    Draft,
		Priorities: []Priority{
			{Code: "M1", Position: 1, Title: "Kickstart economic growth", Description: "Good jobs on fair terms, and supply chains that small firms and social enterprises can join.", Outcomes: []Outcome{
				{Code: "M1.1", Title: "Fair work", Measures: []Measure{
					m("PPN-M1-01", "Jobs created or kept on the contract that pay at least the Real Living Wage", "people", "Count people who spend at least a quarter of their time on the contract.", false),
					m("PPN-M1-02", "Contract staff who moved to a better-paid or more skilled role during the contract", "people", "", false),
				}},
				{Code: "M1.2", Title: "Resilient and open supply chains", Measures: []Measure{
					m("PPN-M1-03", "Contract spend with small and medium-sized businesses", "£", "Count subcontract and supply chain spend, not the prime contract value.", false),
					m("PPN-M1-04", "Contract spend with voluntary, community and social enterprises", "£", "", false),
					m("PPN-M1-05", "Supply chain invoices paid within 30 days", "% of invoices", "", true),
				}},
			}},
			{Code: "M2", Position: 2, Title: "Make Britain a clean energy superpower", Description: "Less carbon and less harm to nature from delivering the contract.", Outcomes: []Outcome{
				{Code: "M2.1", Title: "Net zero", Measures: []Measure{
					m("PPN-M2-01", "Greenhouse gas emissions avoided in delivering the contract, against an agreed baseline", "tonnes CO2e", "Use the UK Government conversion factors for company reporting.", false),
				}},
				{Code: "M2.2", Title: "Looking after the environment", Measures: []Measure{
					m("PPN-M2-02", "Waste from the contract reused, recycled or composted instead of landfilled", "tonnes", "", false),
				}},
			}},
			{Code: "M3", Position: 3, Title: "Take back our streets", Description: "Safer neighbourhoods and stronger communities where the contract is delivered.", Outcomes: []Outcome{
				{Code: "M3.1", Title: "Safer, stronger communities", Measures: []Measure{
					m("PPN-M3-01", "Staff volunteering hours with community safety, youth or victim support groups", "hours", "Count hours given in paid working time.", false),
				}},
			}},
			{Code: "M4", Position: 4, Title: "Break down barriers to opportunity", Description: "Skills, training and routes into work for people who face barriers.", Outcomes: []Outcome{
				{Code: "M4.1", Title: "Skills and routes into work", Measures: []Measure{
					m("PPN-M4-01", "Apprenticeship weeks delivered on the contract", "weeks", "Count each week an apprentice works on the contract.", false),
					m("PPN-M4-02", "People who face barriers to work (disabled people, care leavers, prison leavers, veterans) employed on the contract", "people", "Count people employed for at least 12 weeks.", false),
					m("PPN-M4-03", "Paid work placements of two weeks or more for young people aged 16 to 24", "placements", "", false),
				}},
			}},
			{Code: "M5", Position: 5, Title: "Build an NHS fit for the future", Description: "Better physical and mental health for contract staff and the communities served.", Outcomes: []Outcome{
				{Code: "M5.1", Title: "Health and wellbeing", Measures: []Measure{
					m("PPN-M5-01", "Contract staff given access to mental health and wellbeing support", "people", "Support must be available in working time and at no cost to staff.", false),
					m("PPN-M5-02", "Hours of health and wellbeing activity run for residents", "hours", "", false),
				}},
			}},
		},
	}
}
