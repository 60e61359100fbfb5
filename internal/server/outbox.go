package server

import (
	"net/http"
	"strconv"

	"prizeportal/internal/blocks/link"
	"prizeportal/internal/i18n"
	"prizeportal/internal/notify"
	"prizeportal/web/pages"
	"prizeportal/web/views"
)

// outboxList shows the email outbox to admins, newest first, 50 per page (?page=N).
func (s *Server) outboxList(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	page := 1
	if v := r.URL.Query().Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return errNotFound
		}
		page = n
	}
	list, err := notify.ListEmailPage(ctx, s.pool, page, views.OutboxPageSize)
	if err != nil {
		return err
	}
	v := views.OutboxListView(list, list.Zone, s.now(), s.cfg.SMTPURL == "")
	v.Page = s.page(r, "Email outbox")
	return s.render(w, r, http.StatusOK, pages.Outbox(v))
}

// outboxMessage shows one message of the outbox: headers, status and plain-text body.
func (s *Server) outboxMessage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := routeID(r)
	if err != nil {
		return err
	}
	e, loc, err := notify.LoadOutboxMessage(ctx, s.pool, id)
	if err != nil {
		return err
	}
	v := pages.OutboxMessageView{
		Page:    s.page(r, i18n.Msg("Email: {{.Subject}}", "Subject", e.Subject)),
		Subject: e.Subject,
		Status:  views.OutboxStatus(e, loc, 0),
		// Private links are credentials of their recipient: an admin never sees a usable one,
		// even in a message not yet sent.
		Text: link.Redact(e.Text),
		HTML: link.Redact(e.HTML),
		Facts: []pages.Fact{
			{Label: i18n.M("Outbox id"), Value: strconv.FormatInt(e.ID, 10)},
			{Label: i18n.M("Created"), Value: i18n.Seconds(e.CreatedAt, loc)},
			{Label: i18n.M("Planned"), Value: e.Planned(loc)},
			{Label: i18n.M("To"), Value: e.Recipient()},
			{Label: i18n.M("Subject"), Value: e.Subject},
			{Label: i18n.M("Kind"), Value: e.Kind},
			{Label: i18n.M("Send attempts"), Value: strconv.Itoa(e.Attempts)},
		},
	}
	if e.UserID != nil {
		v.Facts = append(v.Facts, pages.Fact{Label: i18n.M("About user"), Value: "#" + strconv.FormatInt(*e.UserID, 10)})
	}
	if e.LastError != "" {
		v.Facts = append(v.Facts, pages.Fact{Label: i18n.M("Last error"), Value: e.LastError})
	}
	return s.render(w, r, http.StatusOK, pages.OutboxMessage(v))
}
