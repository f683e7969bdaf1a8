package demo

type entry struct{ name, district, size, sic, desc string }

type vcse struct{ name, district, subkind, size, desc string }

var publicBodies = []struct{ name, district, desc string }{
	{"Greater Manchester Combined Authority", "Manchester", "The combined authority of the ten Greater Manchester councils."},
	{"Transport for Greater Manchester", "Manchester", "The city region's transport body."},
	{"Manchester University NHS Foundation Trust", "Manchester", "Hospital and community health services."},
	{"Salford Royal Care Organisation", "Salford", "Hospital services in Salford."},
	{"Greater Manchester Fire and Rescue Service", "Manchester", "Fire and rescue for the ten districts."},
	{"Greater Manchester Police", "Trafford", "Policing for Greater Manchester."},
}

// Fictional businesses. Any likeness to a real firm is accidental.
var businesses = []entry{
	{"Irwell Valley Joinery Ltd", "Salford", "small", "16230", "Bespoke joinery and shopfitting."},
	{"Northern Quarter Digital Ltd", "Manchester", "micro", "62020", "Accessible websites for public services."},
	{"Medlock Facilities Management Ltd", "Manchester", "medium", "81100", "Cleaning and building services."},
	{"Pennine Fleet Services Ltd", "Oldham", "small", "45200", "Electric van conversions and servicing."},
	{"Wigan Pier Catering Co Ltd", "Wigan", "small", "56290", "School and workplace catering with local produce."},
	{"Bolton Steelworks Fabrication Ltd", "Bolton", "medium", "25110", "Structural steel fabrication."},
	{"Rochdale Pioneers Print Ltd", "Rochdale", "micro", "18129", "Printing on recycled stock."},
	{"Tame Valley Landscapes Ltd", "Tameside", "small", "81300", "Landscaping and tree planting."},
	{"Stockport Viaduct Engineering Ltd", "Stockport", "medium", "71129", "Civil and structural engineering."},
	{"Bury Market Logistics Ltd", "Bury", "small", "49410", "Last-mile delivery by cargo bike."},
	{"Trafford Park Manufacturing Ltd", "Trafford", "large", "28990", "Industrial machinery."},
	{"Ancoats Software Cooperative Ltd", "Manchester", "micro", "62012", "Worker-owned software studio."},
	{"Salford Quays Media Services Ltd", "Salford", "small", "59112", "Video production and captioning."},
	{"Oldham Mills Textiles Ltd", "Oldham", "small", "13921", "Workwear and uniforms."},
	{"Wigan Warriors Construction Ltd", "Wigan", "medium", "41201", "Housing refurbishment."},
	{"Heaton Moor Accountants LLP", "Stockport", "small", "69201", "Accounts and audit for charities."},
	{"Altrincham Care Services Ltd", "Trafford", "medium", "88100", "Home care."},
	{"Middleton Electrical Contractors Ltd", "Rochdale", "small", "43210", "Electrical installation and solar panels."},
	{"Ashton Moss Recycling Ltd", "Tameside", "small", "38320", "Commercial waste recycling."},
	{"Leigh Spinners Security Ltd", "Wigan", "small", "80100", "Security services."},
	{"Horwich Parkway Plumbing Ltd", "Bolton", "micro", "43220", "Plumbing and heat pumps."},
	{"Radcliffe Green Energy Ltd", "Bury", "small", "35110", "Community solar installations."},
	{"Sale Water Park Leisure Ltd", "Trafford", "small", "93110", "Sports facility management."},
	{"Deansgate Legal Services LLP", "Manchester", "medium", "69102", "Legal services."},
	{"Eccles Cakes Bakery Ltd", "Salford", "micro", "10710", "Bakery supplying schools and cafés."},
	{"Failsworth Furniture Ltd", "Oldham", "small", "31090", "Office furniture refurbishment."},
	{"Hyde Park Civil Engineering Ltd", "Tameside", "medium", "42990", "Highways maintenance."},
	{"Marple Bridge Consulting Ltd", "Stockport", "micro", "70229", "Procurement and social value advice."},
	{"Heywood Distribution Ltd", "Rochdale", "large", "52103", "Warehousing."},
	{"Ramsbottom Architects LLP", "Bury", "small", "71111", "Architecture for low-carbon buildings."},
	{"Westhoughton Training Ltd", "Bolton", "small", "85590", "Apprenticeship training provider."},
	{"Atherton Clean Transport Ltd", "Wigan", "small", "49390", "Electric minibus hire."},
}

// Fictional VCSE organisations.
var vcses = []vcse{
	{"Moss Side Community Kitchen", "Manchester", "charity", "micro", "Cooking, food and friendship for families."},
	{"Salford Youth Skills CIC", "Salford", "cic", "small", "Employability support for young people."},
	{"Bolton Refugee Welcome", "Bolton", "charity", "micro", "Practical help for people seeking sanctuary."},
	{"Oldham Green Spaces Group", "Oldham", "community_group", "micro", "Volunteers caring for parks."},
	{"Wigan Digital Inclusion CIC", "Wigan", "cic", "micro", "Devices, data and skills for people offline."},
	{"Rochdale Carers Network", "Rochdale", "charity", "small", "Support for unpaid carers."},
	{"Stockport Men's Shed", "Stockport", "community_group", "micro", "Woodwork and company for older men."},
	{"Tameside Food Pantry", "Tameside", "charity", "micro", "Low-cost food membership scheme."},
	{"Trafford Deaf Centre", "Trafford", "charity", "small", "Services for Deaf people and sign language classes."},
	{"Bury Cycle Recycle CIC", "Bury", "cic", "micro", "Refurbished bikes and repair training."},
	{"Cheetham Hill Women's Network", "Manchester", "community_group", "micro", "Peer support and ESOL classes."},
	{"Little Hulton Community Trust", "Salford", "charity", "small", "Community centre and youth club."},
	{"Farnworth Social Circle", "Bolton", "social_enterprise", "micro", "Activities for isolated older people."},
	{"Chadderton Allotment Society", "Oldham", "community_group", "micro", "Growing food together."},
	{"Ince Community Energy", "Wigan", "social_enterprise", "micro", "Community-owned solar on school roofs."},
	{"Littleborough Arts Collective", "Rochdale", "community_group", "micro", "Arts workshops for all ages."},
	{"Brinnington Job Club", "Stockport", "charity", "micro", "Help into work."},
	{"Denton Young Carers", "Tameside", "charity", "micro", "Breaks and support for young carers."},
	{"Partington Together", "Trafford", "community_group", "micro", "Residents improving their neighbourhood."},
	{"Prestwich Repair Café", "Bury", "community_group", "micro", "Fixing things instead of throwing them away."},
	{"Manchester Mind Matters", "Manchester", "charity", "medium", "Mental health support and advocacy."},
	{"Greater Manchester VCSE Infrastructure Alliance", "Manchester", "charity", "small", "Support for the voluntary sector across the ten districts."},
}
