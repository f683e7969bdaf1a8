package framework

// GM2020 is the Greater Manchester Social Value Framework 2020: its six
// priorities as the Combined Authority published them, with outcomes and
// measures written by this project in its own words (not the National TOMs).
// A proxy value appears only where an open government source gives one.
func GM2020() Framework {
	m := func(code, wording, unit, guidance string, recordOnly bool, proxies ...ProxyValue) Measure {
		return Measure{Code: code, Wording: wording, Unit: unit, Guidance: guidance, RecordOnly: recordOnly, Proxies: proxies}
	}
	carbon := ProxyValue{
		PencePerUnit: 24100, PriceYear: 2020,
		Source:  "DESNZ (formerly BEIS), Valuation of greenhouse gas emissions: for policy appraisal and evaluation (2021), central series, 2020 value, 2020 prices — https://www.gov.uk/government/publications/valuing-greenhouse-gas-emissions-in-policy-appraisal",
		Licence: "Open Government Licence v3.0", ValidFrom: "2020-01-01", ValidTo: "2020-12-31",
	}
	f := Framework{
		Name:      "Greater Manchester Social Value Framework",
		Publisher: "Greater Manchester Combined Authority",
		Edition:   "2020",
		Licence:   "Priorities: GMCA. Outcomes and measures: Social Value Hub contributors, Open Government Licence v3.0",
		SourceURL: "https://www.greatermanchester-ca.gov.uk/what-we-do/economy/social-value/",
		Status:    Draft,
		Priorities: []Priority{
			{Code: "P1", Position: 1, Title: "Provide the best employment that you can", Description: "Fair pay, secure work and good workplaces for the people who deliver public contracts.", Outcomes: []Outcome{
				{Code: "P1.1", Title: "Fair pay and secure work", Measures: []Measure{
					m("GM-P1-01", "Staff working on the contract who are paid at least the Real Living Wage", "people", "Count everyone who spends at least a quarter of their time on the contract, including subcontractors.", false),
					m("GM-P1-02", "Share of contract staff on permanent or guaranteed-hours contracts", "% of staff", "Report the share at the end of each reporting period.", true),
				}},
				{Code: "P1.2", Title: "Healthy and inclusive workplaces", Measures: []Measure{
					m("GM-P1-03", "Contract staff given access to mental health and wellbeing support", "people", "Support must be available in working time and at no cost to staff.", false),
					m("GM-P1-04", "People who face barriers to work (disabled people, care leavers, people with convictions, veterans) employed on the contract", "people", "Count people employed for at least 12 weeks.", false),
				}},
			}},
			{Code: "P2", Position: 2, Title: "Keep the air clean in Greater Manchester", Description: "Cut the traffic and pollution that contract delivery causes across the city region.", Outcomes: []Outcome{
				{Code: "P2.1", Title: "Cleaner travel and transport", Measures: []Measure{
					m("GM-P2-01", "Contract vehicle kilometres driven in Greater Manchester by zero-emission vehicles", "km", "Use odometer or telematics records.", false),
					m("GM-P2-02", "Staff commuting trips moved from car to walking, cycling or public transport", "trips", "Evidence with a travel survey at the start and end of the year.", false),
				}},
				{Code: "P2.2", Title: "Fewer and cleaner deliveries", Measures: []Measure{
					m("GM-P2-03", "Deliveries consolidated, or made by cargo bike or on foot, instead of by van", "deliveries", "", false),
				}},
			}},
			{Code: "P3", Position: 3, Title: "Create the employment and skills opportunities that we need to build back better", Description: "Jobs, apprenticeships and training for Greater Manchester residents, especially those furthest from work.", Outcomes: []Outcome{
				{Code: "P3.1", Title: "Jobs for local people", Measures: []Measure{
					m("GM-P3-01", "New jobs on the contract filled by Greater Manchester residents", "full-time equivalent jobs", "Count a job held for a full year as 1; pro rata for shorter periods and part-time hours.", false),
					m("GM-P3-02", "New jobs filled by residents who were long-term unemployed or not in education, employment or training", "full-time equivalent jobs", "Long-term unemployed: out of work for 12 months or more.", false),
				}},
				{Code: "P3.2", Title: "Apprenticeships, placements and training", Measures: []Measure{
					m("GM-P3-03", "Apprenticeship weeks delivered on the contract", "weeks", "Count each week an apprentice works on the contract; levels 2 to 7.", false),
					m("GM-P3-04", "Work placements of two weeks or more for young people aged 16 to 24", "placements", "Placements must be paid, or have travel and lunch costs met.", false),
					m("GM-P3-05", "Hours of careers support given in Greater Manchester schools and colleges", "hours", "Talks, mock interviews, mentoring and site visits.", false),
					m("GM-P3-06", "Weeks of training towards an accredited qualification for contract staff", "weeks", "", false),
				}},
			}},
			{Code: "P4", Position: 4, Title: "Be part of a strong local community", Description: "Time, skills and resources given to Greater Manchester's voluntary, community and social enterprise sector and its neighbourhoods.", Outcomes: []Outcome{
				{Code: "P4.1", Title: "Volunteering and practical support", Measures: []Measure{
					m("GM-P4-01", "Staff volunteering hours with Greater Manchester VCSE organisations", "hours", "Count hours given in paid working time.", false),
					m("GM-P4-02", "Hours of specialist pro bono support (legal, finance, digital, HR) to Greater Manchester VCSE organisations", "hours", "", false),
					m("GM-P4-03", "Goods, equipment or space given to Greater Manchester community organisations", "£ market value", "Value at what the recipient would otherwise have paid.", false),
					m("GM-P4-04", "Money given to Greater Manchester community projects or the Social Innovation Collaboration Fund", "£", "", false),
				}},
				{Code: "P4.2", Title: "Projects shaped by residents", Measures: []Measure{
					m("GM-P4-05", "Community initiatives designed together with the residents they serve", "initiatives", "Describe who took part and how in the delivery report.", true),
				}},
			}},
			{Code: "P5", Position: 5, Title: "Make your organisation greener", Description: "Reach net zero, use less, waste less and restore nature.", Outcomes: []Outcome{
				{Code: "P5.1", Title: "Lower carbon emissions", Measures: []Measure{
					m("GM-P5-01", "Greenhouse gas emissions avoided in delivering the contract, against an agreed baseline", "tonnes CO2e", "Use the UK Government conversion factors for company reporting.", false, carbon),
					m("GM-P5-02", "Carbon Reduction Plan published with a net-zero target year", "plans", "A plan meeting PPN 06/21, published on the supplier's website.", true),
				}},
				{Code: "P5.2", Title: "Resources and nature", Measures: []Measure{
					m("GM-P5-03", "Waste from the contract reused, recycled or composted instead of landfilled", "tonnes", "", false),
					m("GM-P5-04", "Green space or wildlife habitat created or improved in Greater Manchester", "square metres", "", false),
				}},
			}},
			{Code: "P6", Position: 6, Title: "Develop a local, GM-based and resilient supply chain", Description: "Keep public money circulating in Greater Manchester through local firms, small businesses and social enterprises.", Outcomes: []Outcome{
				{Code: "P6.1", Title: "Spend with local and social businesses", Measures: []Measure{
					m("GM-P6-01", "Contract spend with suppliers based or branched in Greater Manchester", "£", "Count subcontract and supply chain spend, not the prime contract value.", false),
					m("GM-P6-02", "Contract spend with Greater Manchester VCSE organisations and social enterprises", "£", "", false),
					m("GM-P6-03", "Contract spend with Greater Manchester micro and small businesses", "£", "", false),
				}},
				{Code: "P6.2", Title: "Fair and resilient supply chains", Measures: []Measure{
					m("GM-P6-04", "Supply chain invoices paid within 30 days", "% of invoices", "", true),
					m("GM-P6-05", "Supply chain firms helped to become Real Living Wage employers or join the Good Employment Charter", "organisations", "", false),
				}},
			}},
		},
	}
	for pi := range f.Priorities {
		for oi := range f.Priorities[pi].Outcomes {
			ms := f.Priorities[pi].Outcomes[oi].Measures
			for mi := range ms {
				ms[mi].Links = gm2020Links[ms[mi].Code]
			}
		}
	}
	return f
}

// gm2020Links are the measures of the GM 2020 edition for which an open
// source has an honest match. The other measures have no open proxy: the
// Unit Cost Database prices outcomes for public services (a claimant
// entering work, a crime avoided), and most measures here count inputs
// (hours, weeks, spend) whose worth it does not state.
var gm2020Links = map[string][]ProxyLink{
	"GM-P3-02": {{SourceKey: "unit-cost-database-1.4", Code: "E&E1.0",
		Rationale: "A full-time equivalent job held for a year by a resident who was long-term unemployed is one workless claimant entering work for a year. " +
			"The Unit Cost Database values that, for a Jobseeker's Allowance claimant, as the benefits no longer paid and the health gain (fiscal) plus the economic gain. " +
			"It assumes the person claimed Jobseeker's Allowance; a person not in education, employment or training who claimed nothing saves less. No deadweight is deducted."}},
	"GM-P5-01": {{SourceKey: "valuation-of-greenhouse-gas-emissions-2021", Code: "GHG-2020-central",
		Rationale: "One tonne of carbon dioxide equivalent avoided is valued at the government's central carbon value for 2020, the value used in public policy appraisal. " +
			"It is a value to society, not a saving to any budget."}},
}
