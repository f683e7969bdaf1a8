package spend

import (
	"strings"
	"unicode"
)

// legalForms are suffixes that do not distinguish one supplier from another.
var legalForms = []string{"limited", "ltd", "plc", "llp", "lp", "cic", "cio", "co", "company", "inc", "incorporated", "uk", "group", "services"}

// NormaliseSupplier reduces a payee name to a key shared by its spellings:
// case, punctuation, "&"/"and", a leading "The", legal forms such as
// Ltd/Limited/PLC, and "T/A" trading names and text after it. It never
// merges by similarity: only spellings of the same words meet.
func NormaliseSupplier(name string) string {
	s := strings.ToLower(Text(name))
	s = strings.ReplaceAll(s, "&", " and ")
	var b strings.Builder
	for _, r := range s {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		default:
			b.WriteRune(' ')
		}
	}
	words := strings.Fields(b.String())
	// "A Ltd T/A B": the legal entity is A. Cutting at the first marker
	// leaves none behind, so normalising again changes nothing.
	for i := 1; i < len(words); i++ {
		if words[i] == "ta" || (words[i] == "t" && i+1 < len(words) && words[i+1] == "a") || (words[i] == "trading" && i+1 < len(words) && words[i+1] == "as") {
			words = words[:i]
			break
		}
	}
	for len(words) > 1 && words[0] == "the" {
		words = words[1:]
	}
	for len(words) > 1 && isLegalForm(words[len(words)-1]) {
		words = words[:len(words)-1]
	}
	return strings.Join(words, " ")
}

func isLegalForm(w string) bool {
	for _, f := range legalForms {
		if w == f {
			return true
		}
	}
	return false
}
