package priorities

import "github.com/svhub/svhub/internal/problem"

// PreferNotToSay is an answer to every demographic question.
const PreferNotToSay = "prefer_not_to_say"

// Question is an optional demographic question with its answers.
type Question struct {
	Key, Text string
	Answers   []Answer
}

// Answer is one option of a question.
type Answer struct{ Value, Label string }

// Questions are asked only after explicit consent. The categories follow
// the ONS harmonised standards (ethnicity at the five high-level groups).
var Questions = []Question{
	{"age_band", "How old are you?", []Answer{{"16-24", "16 to 24"}, {"25-34", "25 to 34"}, {"35-44", "35 to 44"}, {"45-54", "45 to 54"}, {"55-64", "55 to 64"}, {"65-74", "65 to 74"}, {"75+", "75 or over"}, {PreferNotToSay, "Prefer not to say"}}},
	{"disability", "Do you have a disability or long-term health condition that limits your day-to-day activities?", []Answer{{"yes", "Yes"}, {"no", "No"}, {PreferNotToSay, "Prefer not to say"}}},
	{"ethnicity", "What is your ethnic group?", []Answer{{"asian", "Asian or Asian British"}, {"black", "Black, Black British, Caribbean or African"}, {"mixed", "Mixed or multiple ethnic groups"}, {"white", "White"}, {"other", "Another ethnic group"}, {PreferNotToSay, "Prefer not to say"}}},
	{"employment", "Which best describes what you do?", []Answer{{"employed", "Employed"}, {"self_employed", "Self-employed"}, {"unemployed", "Unemployed and looking for work"}, {"student", "In education or training"}, {"retired", "Retired"}, {"caring", "Looking after home or family"}, {"sick_disabled", "Unable to work because of sickness or disability"}, {"other", "Something else"}, {PreferNotToSay, "Prefer not to say"}}},
}

// Demographics holds a participant's optional answers, keyed by question.
type Demographics map[string]string

// ParseDemographics reads the optional answers. Answers count only with
// consent; answers without consent are an error rather than silently
// dropped or silently kept.
func ParseDemographics(consent bool, get func(string) string) (Demographics, error) {
	var v problem.Invalid
	d := Demographics{}
	for _, q := range Questions {
		a := get(q.Key)
		if a == "" {
			continue
		}
		ok := false
		for _, ans := range q.Answers {
			if ans.Value == a {
				ok = true
			}
		}
		if !ok {
			v.Add(q.Key, "Choose one of the answers given")
			continue
		}
		d[q.Key] = a
	}
	if len(d) > 0 && !consent {
		v.Add("consent", "Tick the box to agree to answer the questions about yourself, or leave them blank")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	if !consent {
		return nil, nil
	}
	return d, nil
}

// AnswerLabel names an answer.
func AnswerLabel(key, value string) string {
	for _, q := range Questions {
		if q.Key == key {
			for _, a := range q.Answers {
				if a.Value == value {
					return a.Label
				}
			}
		}
	}
	return value
}
