package hub

import (
	"errors"
	"testing"

	"github.com/svhub/svhub/internal/problem"
)

// Two bad dates on one form give two different messages, each naming its field.
func TestParseDateNamesTheField(t *testing.T) {
	msgs := map[string]bool{}
	for _, field := range []string{"from", "to", "by"} {
		_, err := ParseDate("31/03/2027", field)
		var inv *problem.Invalid
		if !errors.As(err, &inv) || inv.Fields[0].Field != field {
			t.Fatalf("%s: %v", field, err)
		}
		msgs[inv.Fields[0].Message] = true
	}
	if len(msgs) != 3 || !msgs["Enter the date the offer starts like 2027-03-31"] {
		t.Fatalf("messages: %v", msgs)
	}
	if d, err := ParseDate(" 2027-03-31 ", "to"); err != nil || d.Format("2006-01-02") != "2027-03-31" {
		t.Fatalf("good date: %v %v", d, err)
	}
}
