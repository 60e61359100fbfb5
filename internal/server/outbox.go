package server

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"prizeportal/internal/blocks/link"
	"prizeportal/internal/blocks/timefmt"
	"prizeportal/internal/notify"
	"prizeportal/web/pages"
	"prizeportal/web/views"
)

// outboxPageSize is how many messages one page of the outbox lists.
const outboxPageSize = 50

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
	list, err := notify.ListEmailPage(ctx, s.pool, page, outboxPageSize)
	if err != nil {
		return err
	}
	v := outboxListView(list, list.Zone, s.now(), s.cfg.SMTPURL == "")
	v.Page = s.page(r, "Email outbox")
	return s.render(w, r, http.StatusOK, pages.Outbox(v))
}

// outboxListView builds a page of the outbox, its times in loc (no I/O); logOnly says that no
// mail server is configured.
func outboxListView(list notify.EmailPage, loc *time.Location, now time.Time, logOnly bool) pages.OutboxView {
	v := pages.OutboxView{
		ZoneLabel: outboxZoneLabel(loc, now),
		LogOnly:   logOnly,
		Pager:     views.PagerFor("/admin/outbox", nil, list.Page, list.Pages, list.Total, outboxPageSize, "messages"),
	}
	for _, e := range list.Emails {
		v.Rows = append(v.Rows, pages.OutboxRow{
			Href:     fmt.Sprintf("/admin/outbox/%d", e.ID),
			Created:  timefmt.Seconds(e.CreatedAt, loc),
			Datetime: e.CreatedAt.UTC().Format(time.RFC3339),
			To:       e.Recipient(),
			Kind:     e.Kind,
			Subject:  e.Subject,
			Status:   outboxStatus(e, loc, 160),
		})
	}
	return v
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
		Page:    s.page(r, "Email: "+e.Subject),
		Subject: e.Subject,
		Status:  outboxStatus(e, loc, 0),
		// Private links are credentials of their recipient: an admin never sees a usable one,
		// even in a message not yet sent.
		Text: link.Redact(e.Text),
		HTML: link.Redact(e.HTML),
		Facts: []pages.Fact{
			{Label: "Outbox id", Value: strconv.FormatInt(e.ID, 10)},
			{Label: "Created", Value: timefmt.Seconds(e.CreatedAt, loc)},
			{Label: "To", Value: e.Recipient()},
			{Label: "Subject", Value: e.Subject},
			{Label: "Kind", Value: e.Kind},
			{Label: "Send attempts", Value: strconv.Itoa(e.Attempts)},
		},
	}
	if e.UserID != nil {
		v.Facts = append(v.Facts, pages.Fact{Label: "About user", Value: "#" + strconv.FormatInt(*e.UserID, 10)})
	}
	if e.LastError != "" {
		v.Facts = append(v.Facts, pages.Fact{Label: "Last error", Value: e.LastError})
	}
	return s.render(w, r, http.StatusOK, pages.OutboxMessage(v))
}

// outboxZoneLabel names loc for people: "UTC", or "Asia/Seoul (KST, UTC+09:00)".
func outboxZoneLabel(loc *time.Location, at time.Time) string {
	if loc == time.UTC {
		return "UTC"
	}
	return timefmt.ZoneLabel(loc, at)
}

// outboxStatus describes what happened to e (notify.Email.Status).
func outboxStatus(e notify.Email, loc *time.Location, errLen int) pages.OutboxStatus {
	state, label, detail := e.Status(loc, errLen)
	return pages.OutboxStatus{State: state, Label: label, Detail: detail}
}
