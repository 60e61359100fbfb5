package views

import (
	"net/url"
	"strconv"
	"time"

	"prizeportal/internal/blocks/numfmt"
	"prizeportal/internal/blocks/timefmt"
	"prizeportal/internal/dashboard"
	"prizeportal/internal/edition"
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
	v := pages.StaffHomeView{Name: ed.Name, Zone: timefmt.ZoneLabel(ed.TimeZone, now), Timeline: Timeline(ed, now)}
	for _, r := range g.Rounds.All() {
		v.Rounds = append(v.Rounds, pages.RoundLine{Name: r.Name, Status: r.Status(ed.TimeZone)})
	}
	council := strconv.Itoa(g.CouncilSize)
	action := func(n int, one, many, path string, query url.Values) {
		if n == 0 {
			return
		}
		l := components.NavLink{Label: numfmt.Count(n, one, many)}
		if may(path) {
			query.Set("edition", strconv.FormatInt(ed.ID, 10))
			l.Href = path + "?" + query.Encode()
		}
		v.Actions = append(v.Actions, l)
	}
	for _, c := range g.Categories {
		v.Counts = append(v.Counts, pages.GlanceRow{
			Category: c.Name, Registered: strconv.Itoa(c.Registered), Drafts: strconv.Itoa(c.Drafts),
			Submitted: strconv.Itoa(c.Submitted), Decided: strconv.Itoa(c.Decided) + " of " + numfmt.Count(c.Entries, "entry", "entries"),
			ClarificationsOpen: strconv.Itoa(c.ClarificationsOpen),
			Sheets:             strconv.Itoa(c.SheetsDone) + " / " + strconv.Itoa(c.SheetsAssigned),
			Ballots:            strconv.Itoa(c.BallotsCast) + " / " + council,
		})
		in := " not decided in round 1, " + c.Name
		action(c.Undecided, "entry"+in, "entries"+in, "/secretariat/screening", url.Values{"category": {c.Key}, "status": {"undecided"}})
		late := " with a clarification overdue, " + c.Name
		action(c.Overdue, "entry"+late, "entries"+late, "/secretariat/screening", url.Values{"category": {c.Key}, "status": {"overdue"}})
	}
	action(g.MissingConsent, "nomination waiting for the candidate's consent", "nominations waiting for the candidate's consent",
		"/secretariat/nominations", url.Values{"missing": {"consent"}})
	missing := " without a letter of recommendation or enough endorsements"
	action(g.MissingLetter, "nomination"+missing, "nominations"+missing, "/secretariat/nominations", url.Values{"missing": {"letter"}})
	action(g.EvaluatorsBehind, "evaluator with score sheets not submitted", "evaluators with score sheets not submitted",
		"/scoring/progress", url.Values{"view": {"behind"}})
	return v
}

// Timeline is every date of ed's schedule in order (DOMAIN.md "Schedule"), each marked done, now,
// next or later at now, with today's marker before the next step when no step is under way.
func Timeline(ed *edition.Edition, now time.Time) []pages.TimelineStep {
	loc, sch := ed.TimeZone, ed.Schedule
	type step struct {
		label, when string
		start, end  time.Time
	}
	point := func(label string, t time.Time) step { return step{label, timefmt.Instant(t, loc), t, t} }
	window := func(label string, w edition.Window) step { return step{label, w.Text(loc), w.Start, w.End} }
	steps := []step{
		point("Applications open", sch.ApplicationsOpen),
		{"Application deadline", timefmt.End(sch.ApplicationDeadline, loc), sch.ApplicationDeadline, sch.ApplicationDeadline},
		window("Round 1, screening by the secretariat", sch.Screening),
		window("Round 2, scoring by the Evaluation Committee", sch.Scoring),
		point("Semi-finalists announced", sch.SemiFinalistsAnnounced),
		window("Round 3, the vote of the Prize Council", sch.Voting),
		point("Winners announced", sch.WinnersAnnounced),
		window("Award ceremony", sch.Ceremony),
	}
	y, m, d := now.In(loc).Date()
	day := timefmt.Instant(time.Date(y, m, d, 0, 0, 0, 0, loc), loc)
	var out []pages.TimelineStep
	next, current := false, false
	for _, s := range steps {
		ts := pages.TimelineStep{Label: s.label, When: s.when}
		switch {
		case !now.Before(s.end):
			ts.State, ts.StateLabel = "done", "Done"
		case !now.Before(s.start):
			ts.State, ts.StateLabel, current = "now", "Now", true
			ts.When += " (today is " + day + ")"
		case !next:
			next = true
			if !current {
				out = append(out, pages.TimelineStep{State: "today", StateLabel: "Today", When: day})
			}
			ts.State, ts.StateLabel = "next", "Next"
		default:
			ts.State, ts.StateLabel = "later", "Later"
		}
		out = append(out, ts)
	}
	if !next && !current {
		out = append(out, pages.TimelineStep{State: "today", StateLabel: "Today", When: day})
	}
	return out
}
