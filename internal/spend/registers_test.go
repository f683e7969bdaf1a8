package spend

import (
	"os"
	"strings"
	"testing"
)

func TestReadRegister(t *testing.T) {
	in := "registered_charity_number,charity_company_registration_number,charity_name,charity_type,charity_contact_postcode\n1,NA,Good Causes,Other,M15 4AB\n2,01234567,Helping Hands Ltd,Charitable company,WA14 1AA\n,NA,No Number,Other,\n"
	_, err := ReadRegister(strings.NewReader(in), "c.csv", CharityRegister)
	if err == nil || !strings.Contains(err.Error(), "line 4") {
		t.Fatalf("bad row not reported: %v", err)
	}
	es, err := ReadRegister(strings.NewReader(strings.Join(strings.Split(in, "\n")[:3], "\n")), "c.csv", CharityRegister)
	if err != nil || len(es) != 2 || es[0].CompanyNumber != "" || es[1].CompanyNumber != "01234567" || es[1].VCSE() != "yes" {
		t.Fatalf("%v %+v", err, es)
	}
	ch := " CompanyName, CompanyNumber,RegAddress.PostCode,CompanyCategory,CompanyStatus,SICCode.SicText_1\nACME LTD,01234567,M1 1AE,Private Limited Company,Active,62020 - Business\nGOOD CIC,07654321,M1 1AE,Community Interest Company,Active,\n"
	es, err = ReadRegister(strings.NewReader(ch), "ch.csv", CompaniesHouse)
	if err != nil || len(es) != 2 || es[0].VCSE() != "no" || es[1].VCSE() != "yes" || es[0].SIC == "" {
		t.Fatalf("companies: %v %+v", err, es)
	}
	if _, err := ReadRegister(strings.NewReader("a,b\n1,2\n"), "x.csv", CompaniesHouse); err == nil || !strings.Contains(err.Error(), "CompanyNumber") {
		t.Fatalf("missing columns: %v", err)
	}
	raw, err := os.ReadFile("testdata/registers/charities_operating_in_trafford.csv")
	if err != nil {
		t.Fatal(err)
	}
	es, err = ReadRegister(strings.NewReader(string(raw)), "trafford charities", CharityRegister)
	if err != nil || len(es) != 41 {
		t.Fatalf("Trafford charities register: %d %v", len(es), err)
	}
}
