package audit

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"prizeportal/internal/blocks/field"
	"prizeportal/internal/i18n"
)

// ParseFilter reads the filters of the audit log page from query q. Dates are UTC days; "to"
// includes its whole day. Malformed dates, or an end before the start, are field errors.
func ParseFilter(q url.Values, page int) (Filter, field.Errors) {
	f := Filter{
		Action: strings.TrimSpace(q.Get("action")), Actor: strings.TrimSpace(q.Get("actor")),
		ObjectType: strings.TrimSpace(q.Get("object_type")), ObjectID: strings.TrimSpace(q.Get("object_id")),
		Page: page,
	}
	var errs field.Errors
	day := func(name string) time.Time {
		v := strings.TrimSpace(q.Get(name))
		if v == "" {
			return time.Time{}
		}
		t, err := time.Parse("2006-01-02", v)
		if err != nil {
			errs.Add(name, "Enter a date like 2023-05-31.")
		}
		return t
	}
	f.From = day("from")
	if to := day("to"); !to.IsZero() {
		f.To = to.AddDate(0, 0, 1)
	}
	if !f.From.IsZero() && !f.To.IsZero() && !f.From.Before(f.To) {
		errs.Add("to", "The end date must not be before the start date.")
	}
	return f, errs
}

// Any reports whether f filters the log at all.
func (f Filter) Any() bool {
	return f.Action != "" || f.Actor != "" || f.ObjectType != "" || f.ObjectID != "" || !f.From.IsZero() || !f.To.IsZero()
}

// ActorText names who did an audited action: the account (name and login), its number, the
// label of the system, or an anonymous visitor: a text for i18n.T.
func (r Row) ActorText() string {
	switch {
	case r.ActorID != 0 && r.ActorName != "" && r.ActorLogin != "":
		return r.ActorName + " (" + r.ActorLogin + ")"
	case r.ActorID != 0:
		return i18n.Msg("account {{.ID}}", "ID", strconv.FormatInt(r.ActorID, 10))
	case r.ActorLabel == "system":
		return i18n.M("system")
	case r.ActorLabel != "":
		return r.ActorLabel
	}
	return i18n.M("anonymous visitor")
}
