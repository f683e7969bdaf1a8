// Command chgen writes a synthetic Companies House "BasicCompanyData" file
// in the published layout (the full 55-column header with its leading
// spaces, RegAddress.PostCode, Accounts.AccountCategory, SICCode.SicText_1…4,
// PreviousName_1…10), for the register import benchmark. Rows look like the
// real file's: about 60% of cells empty, one company in five with previous
// names, postcodes spread over the UK's postcode areas (about 5% in Greater
// Manchester's), the real file's mix of categories and accounts types.
// Values are invented.
//
//	go run ./bench/chgen -rows 5500000 -out /tmp/BasicCompanyData.csv
package main

import (
	"bufio"
	"encoding/csv"
	"flag"
	"fmt"
	"os"
	"strconv"
)

var header = []string{"CompanyName", " CompanyNumber", "RegAddress.CareOf", "RegAddress.POBox", "RegAddress.AddressLine1", " RegAddress.AddressLine2",
	"RegAddress.PostTown", "RegAddress.County", "RegAddress.Country", "RegAddress.PostCode", "CompanyCategory", "CompanyStatus", "CountryOfOrigin",
	"DissolutionDate", "IncorporationDate", "Accounts.AccountRefDay", "Accounts.AccountRefMonth", "Accounts.NextDueDate", "Accounts.LastMadeUpDate",
	"Accounts.AccountCategory", "Returns.NextDueDate", "Returns.LastMadeUpDate", "Mortgages.NumMortCharges", "Mortgages.NumMortOutstanding",
	"Mortgages.NumMortPartSatisfied", "Mortgages.NumMortSatisfied", "SICCode.SicText_1", "SICCode.SicText_2", "SICCode.SicText_3", "SICCode.SicText_4",
	"LimitedPartnerships.NumGenPartners", "LimitedPartnerships.NumLimPartners", "URI"}

func init() {
	for i := 1; i <= 10; i++ {
		header = append(header, fmt.Sprintf("PreviousName_%d.CONDATE", i), fmt.Sprintf(" PreviousName_%d.CompanyName", i))
	}
	header = append(header, "ConfStmtNextDueDate", " ConfStmtLastMadeUpDate")
}

var (
	areas      = []string{"M", "SK", "OL", "BL", "WN", "WA", "LS", "B", "L", "NE", "S", "BS", "CF", "G", "EH", "SW", "E", "N", "W", "EC", "NW", "SE", "CB", "OX", "RG", "GU", "KT", "TN", "ME", "BN", "PO", "SO", "BH", "DT", "EX", "PL", "TR", "TQ", "NG", "LE", "DE", "CV", "WV", "DY", "ST", "CW", "CH", "PR", "BB", "LA", "CA", "DH", "SR", "TS", "YO", "HU", "DN", "LN", "PE", "NR", "IP", "CO", "CM", "SS", "SG", "AL", "HP", "MK", "NN", "LU"}
	categories = []string{"Private Limited Company", "Private Limited Company", "Private Limited Company", "Private Limited Company", "Private Limited Company", "Private Limited Company", "Private Limited Company", "Private Limited Company",
		"PRI/LBG/NSC (Private, Limited by guarantee, no share capital, use of 'Limited' exemption)", "Community Interest Company", "Limited Liability Partnership", "Public Limited Company", "Registered Society", "Charitable Incorporated Organisation"}
	accounts = []string{"MICRO ENTITY", "MICRO ENTITY", "MICRO ENTITY", "TOTAL EXEMPTION FULL", "TOTAL EXEMPTION FULL", "UNAUDITED ABRIDGED", "NO ACCOUNTS FILED", "DORMANT", "SMALL", "FULL", "GROUP", "ACCOUNTS TYPE NOT AVAILABLE", "MEDIUM", "AUDIT EXEMPTION SUBSIDIARY"}
	sics     = []string{"62020 - Information technology consultancy activities", "68209 - Other letting and operating of own or leased real estate", "70229 - Management consultancy activities other than financial management", "82990 - Other business support service activities n.e.c.", "96090 - Other service activities n.e.c.", "41100 - Development of building projects", "47910 - Retail sale via mail order houses or via Internet", "56101 - Licensed restaurants", "99999 - Dormant Company", "88990 - Other social work activities without accommodation n.e.c."}
	words    = []string{"NORTHERN", "ACORN", "BRIGHT", "CASTLE", "DELTA", "EAGLE", "FORGE", "GREEN", "HARBOUR", "IRON", "JUNIPER", "KESTREL", "LANTERN", "MERIDIAN", "NOVA", "OAK", "PIONEER", "QUAY", "RIVER", "SUMMIT", "THAMES", "UNITY", "VALLEY", "WILLOW", "YORK", "ZENITH"}
	trades   = []string{"CONSULTING", "PROPERTIES", "CARE", "BUILDERS", "TRADING", "DIGITAL", "LOGISTICS", "HOLDINGS", "DESIGN", "ENGINEERING", "CATERING", "CLEANING"}
	letters  = "ABDEFGHJLNPQRSTUWXYZ"
)

func main() {
	rows := flag.Int("rows", 5_500_000, "companies to write")
	out := flag.String("out", "", "CSV to write")
	flag.Parse()
	if *out == "" {
		fmt.Fprintln(os.Stderr, "chgen: say -out FILE")
		os.Exit(2)
	}
	if err := run(*rows, *out); err != nil {
		fmt.Fprintln(os.Stderr, "chgen:", err)
		os.Exit(1)
	}
}

func run(rows int, out string) error {
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	w := csv.NewWriter(bw)
	if err := w.Write(header); err != nil {
		return err
	}
	rec := make([]string, len(header))
	x := uint64(88172645463325252)
	next := func(n int) int { // xorshift: the same file every run
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		return int(x % uint64(n))
	}
	for i := range rows {
		clear(rec)
		num := fmt.Sprintf("%08d", i+1)
		name := words[next(len(words))] + " " + words[next(len(words))] + " " + trades[next(len(trades))] + " " + strconv.Itoa(i) + " LIMITED"
		area := areas[next(len(areas))]
		pc := fmt.Sprintf("%s%d %d%c%c", area, 1+next(30), next(10), letters[next(20)], letters[next(20)])
		rec[0], rec[1] = name, num
		rec[4], rec[6], rec[8], rec[9] = fmt.Sprintf("%d HIGH STREET", 1+next(200)), "TOWN", "UNITED KINGDOM", pc
		rec[10], rec[11], rec[12] = categories[next(len(categories))], "Active", "United Kingdom"
		rec[14] = fmt.Sprintf("%02d/%02d/%d", 1+next(28), 1+next(12), 1980+next(45))
		rec[15], rec[16], rec[17], rec[18] = strconv.Itoa(1+next(28)), strconv.Itoa(1+next(12)), "30/06/2026", "30/09/2024"
		rec[19] = accounts[next(len(accounts))]
		rec[20], rec[21] = "14/10/2016", "16/09/2015"
		rec[22], rec[23], rec[24], rec[25] = "0", "0", "0", "0"
		rec[26] = sics[next(len(sics))]
		if next(4) == 0 {
			rec[27] = sics[next(len(sics))]
		}
		rec[30], rec[31] = "0", "0"
		rec[32] = "http://business.data.gov.uk/id/company/" + num
		if next(5) == 0 {
			for k := range 1 + next(3) {
				rec[33+2*k] = fmt.Sprintf("%02d/%02d/%d", 1+next(28), 1+next(12), 2000+next(25))
				rec[34+2*k] = words[next(len(words))] + " " + trades[next(len(trades))] + " " + strconv.Itoa(i) + " LTD"
			}
		}
		rec[53], rec[54] = "01/03/2026", "15/02/2025"
		if err := w.Write(rec); err != nil {
			return err
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return f.Close()
}
