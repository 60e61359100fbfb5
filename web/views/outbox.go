package views

import (
	"fmt"
	"time"

	"prizeportal/internal/i18n"
	"prizeportal/internal/notify"
	"prizeportal/web/pages"
)

// OutboxListView builds a page of the outbox, its times in loc (no I/O); logOnly says that no
// mail server is configured.
func OutboxListView(list notify.EmailPage, loc *time.Location, now time.Time, logOnly bool) pages.OutboxView {
	v := pages.OutboxView{
		ZoneLabel: OutboxZoneLabel(loc, now),
		LogOnly:   logOnly,
		Pager:     PagerFor("/admin/outbox", nil, list.Page, list.Pages, list.Total, OutboxPageSize, "messages"),
	}
	for _, e := range list.Emails {
		v.Rows = append(v.Rows, pages.OutboxRow{
			Href:     fmt.Sprintf("/admin/outbox/%d", e.ID),
			Created:  i18n.Seconds(e.CreatedAt, loc),
			Datetime: e.CreatedAt.UTC().Format(time.RFC3339),
			To:       e.Recipient(),
			Kind:     e.Kind,
			Subject:  e.Subject,
			Planned:  e.Planned(loc),
			Status:   OutboxStatus(e, loc, 160),
		})
	}
	return v
}

// OutboxZoneLabel names loc for people: "UTC", or "Asia/Seoul (KST, UTC+09:00)" (a time zone
// for i18n.T, i18n.Zone).
func OutboxZoneLabel(loc *time.Location, at time.Time) string {
	if loc == time.UTC {
		return "UTC"
	}
	return i18n.Zone(loc, at)
}

// OutboxStatus describes what happened to e (notify.Email.Status).
func OutboxStatus(e notify.Email, loc *time.Location, errLen int) pages.OutboxStatus {
	state, label, detail := e.Status(loc, errLen)
	return pages.OutboxStatus{State: state, Label: label, Detail: detail}
}

// OutboxPageSize is how many messages one page of the outbox lists.
const OutboxPageSize = 50
