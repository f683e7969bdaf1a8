package mail

// Notification kinds a user may turn off on their account page. Emails
// about the account itself, and award results with assessment summaries
// (which the Procurement Act 2023 requires to be given), are essential and
// always sent.
const (
	KindClarifications = "clarifications"
	KindDelivery       = "delivery"
	KindConcerns       = "concerns"
	KindReminders      = "reminders"
)

// OptionalKind is a non-essential notification a user may turn off.
type OptionalKind struct{ Key, Label string }

// OptionalKinds are the notifications a user may turn off, in the order
// the account page lists them.
var OptionalKinds = []OptionalKind{
	{KindClarifications, "Answers to clarification questions on tenders you have bid for or asked about"},
	{KindDelivery, "Delivery reports: a buyer's query, verification or rejection, and a supplier's answer"},
	{KindConcerns, "The buyer's public response to a concern you raised"},
	{KindReminders, "Reminders seven days and one day before a tender deadline or a commitment's due date"},
}
