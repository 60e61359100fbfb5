package views

import (
	"net/url"
	"strconv"
	"time"

	"prizeportal/internal/blocks/numfmt"
	"prizeportal/internal/dashboard"
	"prizeportal/internal/edition"
	"prizeportal/internal/i18n"
	"prizeportal/web/components"
	"prizeportal/web/pages"
)

// StaffHomePath is the staff home: an edition at a glance for its managers and secretariat.
const StaffHomePath = "/staff"

// StaffHomeHref is the staff home of an edition.
func StaffHomeHref(editionID int64) string { return inEdition(StaffHomePath, editionID) }

// StaffHome is ed at now at a glance from g (no I/O). may says whether the actor may open the
// list at a path: an action links to its filtered list only then.
func StaffHome(ed *edition.Edition, g dashboard.Glance, now time.Time, may func(path string) bool) pages.StaffHomeView {
	v := pages.StaffHomeView{Name: ed.Name, Zone: i18n.Zone(ed.TimeZone, now), Timeline: Timeline(ed, now)}
	for _, r := range g.Rounds.All() {
		v.Rounds = append(v.Rounds, pages.RoundLine{Name: r.Name, Status: r.Status(ed.TimeZone)})
	}
	council := strconv.Itoa(g.CouncilSize)
	// one and many are the English texts for one and for several ({{.Count}} is n, thousands
	// grouped as numfmt.Count writes it); Korean has one form.
	action := func(n int, one, many, path string, query url.Values, pairs ...any) {
		if n == 0 {
			return
		}
		text := many
		if n == 1 {
			text = one
		}
		l := components.NavLink{Label: i18n.Msg(text, append([]any{"Count", numfmt.Thousands(n)}, pairs...)...)}
		if may(path) {
			query.Set("edition", strconv.FormatInt(ed.ID, 10))
			l.Href = path + "?" + query.Encode()
		}
		v.Actions = append(v.Actions, l)
	}
	for _, c := range g.Categories {
		v.Counts = append(v.Counts, pages.GlanceRow{
			Category: c.Name, Registered: strconv.Itoa(c.Registered), Drafts: strconv.Itoa(c.Drafts),
			Submitted: strconv.Itoa(c.Submitted), Decided: decided(c.Decided, c.Entries),
			ClarificationsOpen: strconv.Itoa(c.ClarificationsOpen),
			Sheets:             strconv.Itoa(c.SheetsDone) + " / " + strconv.Itoa(c.SheetsAssigned),
			Ballots:            strconv.Itoa(c.BallotsCast) + " / " + council,
		})
		action(c.Undecided, i18n.M("{{.Count}} entry not decided in round 1, {{.Category}}"), i18n.M("{{.Count}} entries not decided in round 1, {{.Category}}"),
			"/secretariat/screening", url.Values{"category": {c.Key}, "status": {"undecided"}}, "Category", c.Name)
		action(c.Overdue, i18n.M("{{.Count}} entry with a clarification overdue, {{.Category}}"), i18n.M("{{.Count}} entries with a clarification overdue, {{.Category}}"),
			"/secretariat/screening", url.Values{"category": {c.Key}, "status": {"overdue"}}, "Category", c.Name)
	}
	action(g.MissingConsent, i18n.M("{{.Count}} nomination waiting for the candidate's consent"), i18n.M("{{.Count}} nominations waiting for the candidate's consent"),
		"/secretariat/nominations", url.Values{"missing": {"consent"}})
	action(g.MissingLetter, i18n.M("{{.Count}} nomination without a letter of recommendation or enough endorsements"),
		i18n.M("{{.Count}} nominations without a letter of recommendation or enough endorsements"), "/secretariat/nominations", url.Values{"missing": {"letter"}})
	action(g.EvaluatorsBehind, i18n.M("{{.Count}} evaluator with score sheets not submitted"), i18n.M("{{.Count}} evaluators with score sheets not submitted"),
		"/scoring/progress", url.Values{"view": {"behind"}})
	return v
}

// decided is "3 of 12 entries": the entries decided in round 1 of a category's entries.
func decided(done, entries int) string {
	if entries == 1 {
		return i18n.Msg("{{.Done}} of {{.Count}} entry", "Done", strconv.Itoa(done), "Count", numfmt.Thousands(entries))
	}
	return i18n.Msg("{{.Done}} of {{.Count}} entries", "Done", strconv.Itoa(done), "Count", numfmt.Thousands(entries))
}

// Timeline is every date of ed's schedule in order (DOMAIN.md "Schedule"), each marked done, now,
// next or later at now, with today's marker before the next step when no step is under way.
func Timeline(ed *edition.Edition, now time.Time) []pages.TimelineStep {
	loc := ed.TimeZone
	y, m, d := now.In(loc).Date()
	day := i18n.Instant(time.Date(y, m, d, 0, 0, 0, 0, loc), loc)
	var out []pages.TimelineStep
	next, current := false, false
	for _, s := range ed.Milestones() {
		ts := pages.TimelineStep{Label: s.Label, When: s.When}
		switch {
		case !now.Before(s.End):
			ts.State, ts.StateLabel = "done", i18n.M("Done")
		case !now.Before(s.Start):
			ts.State, ts.StateLabel, current = "now", i18n.M("Now"), true
			ts.When = i18n.Msg("{{.When}} (today is {{.Today}})", "When", s.When, "Today", day)
		case !next:
			next = true
			if !current {
				out = append(out, pages.TimelineStep{State: "today", StateLabel: i18n.M("Today"), When: day})
			}
			ts.State, ts.StateLabel = "next", i18n.M("Next")
		default:
			ts.State, ts.StateLabel = "later", i18n.M("Later")
		}
		out = append(out, ts)
	}
	if !next && !current {
		out = append(out, pages.TimelineStep{State: "today", StateLabel: i18n.M("Today"), When: day})
	}
	return out
}
