package web

import (
	"fmt"
	"net/http"
	"slices"

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
		s.sendOptional(r, mail.KindClarifications, mail.Message{To: e, Subject: "Clarification answer on " + t.Title, Body: body})
	}
}

// sendOptional sends a non-essential notification of kind unless its
// recipient has turned that kind off on their account page. A failed
// email is logged; the change it reports stands.
func (s *Server) sendOptional(r *http.Request, kind string, m mail.Message) {
	off, err := s.Store.OptedOut(r.Context(), m.To, kind)
	if err != nil {
		s.Log.Warn("notification settings", "to", m.To, "err", err)
	}
	if off {
		return
	}
	if err := s.Auth.Mailer.Send(r.Context(), m); err != nil {
		s.Log.Warn("notification", "kind", kind, "to", m.To, "err", err)
	}
}

// notificationSettings turns the user's non-essential notifications on or
// off: every kind not ticked is turned off.
func (s *Server) notificationSettings(w http.ResponseWriter, r *http.Request) error {
	a, err := requireUser(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	on := map[string]bool{}
	for _, k := range r.PostForm["on"] {
		on[k] = true
	}
	var off []string
	for _, k := range mail.OptionalKinds {
		if !on[k.Key] {
			off = append(off, k.Key)
		}
	}
	if err := s.Store.SetNotificationOptOuts(r.Context(), a, a.ID(), off); err != nil {
		return err
	}
	setFlash(w, "Email settings saved")
	return redirect(w, r, "/account#notifications")
}

type notifyChoice struct {
	Key, Label string
	On         bool
}

// notifyChoices are the non-essential notifications with whether the user
// receives each.
func (s *Server) notifyChoices(r *http.Request, userID int64) ([]notifyChoice, error) {
	off, err := s.Store.NotificationOptOuts(r.Context(), userID)
	if err != nil {
		return nil, err
	}
	var out []notifyChoice
	for _, k := range mail.OptionalKinds {
		out = append(out, notifyChoice{Key: k.Key, Label: k.Label, On: !slices.Contains(off, k.Key)})
	}
	return out, nil
}
