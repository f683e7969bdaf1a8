package web

import (
	"fmt"
	"net/http"

	"github.com/svhub/svhub/internal/mail"
	"github.com/svhub/svhub/internal/tenders"
)

// tellBidders emails a clarification answer to every registered bidder of
// the tender (each organisation that asked a question or has a bid in);
// the answer is published without the asker's name. A failed email is
// logged; the answer stands.
func (s *Server) tellBidders(r *http.Request, t tenders.Tender, question, answer string) {
	emails, err := s.Store.TenderParticipantEmails(r.Context(), t.ID)
	if err != nil {
		s.Log.Warn("clarification notification", "tender", t.ID, "err", err)
		return
	}
	body := fmt.Sprintf("%s has answered a clarification question on %s.\n\nQuestion:\n%s\n\nAnswer:\n%s\n\nAll questions and answers are at %s/tenders/%d#questions\n", t.BuyerName, t.Title, question, answer, s.BaseURL, t.ID)
	for _, e := range emails {
		if err := s.Auth.Mailer.Send(r.Context(), mail.Message{To: e, Subject: "Clarification answer on " + t.Title, Body: body}); err != nil {
			s.Log.Warn("clarification notification", "to", e, "err", err)
		}
	}
}
