package studio

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"prizeportal/internal/blocks/numfmt"
	"prizeportal/internal/db"
	"prizeportal/internal/edition"
	"prizeportal/internal/i18n"
	"prizeportal/internal/notify"
	"prizeportal/internal/notify/emails"
	"prizeportal/internal/notify/wording"
)

// The rules of a change once an edition is published (a draft has collected nothing: every
// change to it is free). Some changes are free: texts, help, an added optional question, a date
// still in the future moved to another future date. Some are refused with the reason: a date that
// has passed, a date moved into the past, criteria, weights or the scale once scoring started, a
// question removed that has answers, an entity type, a category or a nominator category removed
// that registrations, entries or nominations use. Some need a reason and tell those affected:
// moving the application deadline emails the applicants who have a draft; moving the scoring or
// voting window emails the committee or the council (windows.go).

// plan is what a checked change will do besides storing the edition.
type plan struct {
	// deadlineMoved: the application deadline moved, and applicants with drafts are told.
	deadlineMoved bool
	// windows are the round windows moved that people already work in, with those people (they
	// are told).
	windows []movedWindow
	// needsReason: the change may only be saved with its reason (the deadline of an edition
	// with entries moves, or a round's window that people work in); a dry run (the review) asks
	// for it.
	needsReason bool
}

// reasonProblem asks for the reason of a change that needs one, naming who is emailed about it.
func (p plan) reasonProblem() *edition.ValidationError {
	var told []string
	if p.deadlineMoved {
		told = append(told, "the applicants with a draft")
	}
	for _, w := range p.windows {
		told = append(told, w.who)
	}
	return &edition.ValidationError{Problems: []edition.Problem{{Path: "reason",
		Message: i18n.Msg("Give the reason for this change: {{.Who}} will be emailed about it.", "Who", strings.Join(told, " and "))}}}
}

// datedValue is one date of an edition that the rules check, with its path in the definition.
type datedValue struct {
	path string
	at   func(*edition.Edition) time.Time
}

func datedValues(e *edition.Edition) []datedValue {
	sched := func(path string, f func(edition.Schedule) time.Time) datedValue {
		return datedValue{"schedule." + path, func(e *edition.Edition) time.Time { return f(e.Schedule) }}
	}
	out := []datedValue{
		sched("applications_open", func(s edition.Schedule) time.Time { return s.ApplicationsOpen }),
		sched("application_deadline", func(s edition.Schedule) time.Time { return s.ApplicationDeadline }),
		sched("screening.start", func(s edition.Schedule) time.Time { return s.Screening.Start }),
		sched("screening.end", func(s edition.Schedule) time.Time { return s.Screening.End }),
		sched("scoring.start", func(s edition.Schedule) time.Time { return s.Scoring.Start }),
		sched("scoring.end", func(s edition.Schedule) time.Time { return s.Scoring.End }),
		sched("semi_finalists_announced", func(s edition.Schedule) time.Time { return s.SemiFinalistsAnnounced }),
		sched("voting.start", func(s edition.Schedule) time.Time { return s.Voting.Start }),
		sched("voting.end", func(s edition.Schedule) time.Time { return s.Voting.End }),
		sched("winners_announced", func(s edition.Schedule) time.Time { return s.WinnersAnnounced }),
		sched("ceremony.start", func(s edition.Schedule) time.Time { return s.Ceremony.Start }),
		sched("ceremony.end", func(s edition.Schedule) time.Time { return s.Ceremony.End }),
	}
	for i, c := range e.Categories {
		if c.Nominations != nil {
			key := c.Key
			out = append(out, datedValue{fmt.Sprintf("categories[%d].nominations.letter_deadline", i),
				func(e *edition.Edition) time.Time {
					if c, ok := e.Category(key); ok && c.Nominations != nil {
						return c.Nominations.LetterDeadline
					}
					return time.Time{}
				}})
		}
	}
	return out
}

// scoringPaths are the values that scoring depends on: criteria (with their indicators and
// weights) and scales.
var scoringPaths = regexp.MustCompile(`^(categories\[\d+\]\.(criteria|scale)|scale)(\.|\[|$)`)

// check applies the rules above to the change from old to next with its differences, and returns
// what the change will do; a refused change is a *edition.ValidationError with a problem at the
// path of each refused value.
func (s *Service) check(ctx context.Context, tx pgx.Tx, old, next *edition.Edition, changes []edition.Difference) (plan, error) {
	var p plan
	if old.Draft() {
		return p, nil
	}
	now := s.Now()
	var problems []edition.Problem
	var moved []string
	refuse := func(path, msg string) {
		problems = append(problems, edition.Problem{Path: path, Message: msg})
	}
	for _, d := range datedValues(old) {
		was, is := d.at(old), d.at(next)
		if was.Equal(is) || is.IsZero() {
			continue
		}
		switch {
		case !was.After(now):
			refuse(d.path, i18n.Msg("This date has passed ({{.When}}): it can no longer be moved.", "When", i18n.Instant(was, old.TimeZone)))
		case !is.After(now):
			refuse(d.path, i18n.Msg("Choose a date in the future: a date cannot be moved into the past (it is now {{.Now}}).",
				"Now", i18n.Instant(now, old.TimeZone)))
		default:
			moved = append(moved, d.path)
			p.deadlineMoved = p.deadlineMoved || d.path == "schedule.application_deadline"
		}
	}
	var entries, sheets int
	if err := tx.QueryRow(ctx, `
		SELECT (SELECT count(*) FROM applications WHERE edition_id = $1),
			(SELECT count(*) FROM score_sheets WHERE edition_id = $1)`, old.ID).Scan(&entries, &sheets); err != nil {
		return p, fmt.Errorf("collected data: %w", err)
	}
	p.needsReason = p.deadlineMoved && entries > 0
	for _, w := range movedWindows(moved) {
		people, err := windowPeople(ctx, tx, old.ID, w)
		if err != nil {
			return p, err
		}
		if len(people) > 0 {
			p.windows = append(p.windows, movedWindow{w, people})
			p.needsReason = true
		}
	}
	if sheets > 0 || !now.Before(old.Schedule.Scoring.Start) {
		for _, d := range changes {
			if scoringPaths.MatchString(d.Path) {
				refuse(d.Path, i18n.M("Scoring has started: the criteria, their weights and indicators and the scale can no longer change."))
			}
		}
	}
	removed, err := removedQuestionsWithAnswers(ctx, tx, old, next)
	if err != nil {
		return p, err
	}
	problems = append(problems, removed...)
	inUse, err := removedInUse(ctx, tx, old, next)
	if err != nil {
		return p, err
	}
	problems = append(problems, inUse...)
	rounds, err := roundsRefusals(ctx, tx, old, next, now)
	if err != nil {
		return p, err
	}
	problems = append(problems, rounds...)
	if len(problems) > 0 {
		return p, &edition.ValidationError{Problems: problems}
	}
	return p, nil
}

// removedQuestionsWithAnswers refuses the removal of a question that an entry has answered (in
// its draft or in a submitted version).
func removedQuestionsWithAnswers(ctx context.Context, tx pgx.Tx, old, next *edition.Edition) ([]edition.Problem, error) {
	var problems []edition.Problem
	for i, c := range old.Categories {
		if c.Form == nil {
			continue
		}
		nc, ok := next.Category(c.Key)
		for _, q := range c.Form.Questions() {
			if ok && nc.Form != nil {
				if _, kept := nc.Form.Question(q.Key); kept {
					continue
				}
			}
			var n int
			err := tx.QueryRow(ctx, `
				SELECT count(*) FROM applications a
				WHERE a.category_id = $1 AND (a.answers ? $2 OR EXISTS (
					SELECT 1 FROM application_versions v WHERE v.application_id = a.id AND v.answers ? $2))`,
				c.ID, q.Key).Scan(&n)
			if err != nil {
				return nil, fmt.Errorf("answers to %s: %w", q.Key, err)
			}
			if n > 0 {
				problems = append(problems, edition.Problem{Path: fmt.Sprintf("categories[%d].form", i),
					Message: i18n.Msg("The question {{.Question}} cannot be removed: {{.Count}} entries have answered it. Make it optional instead.", "Question", strconv.Quote(q.Label), "Count", strconv.Itoa(n))})
			}
		}
	}
	return problems, nil
}

// removedInUse refuses the removal of what the data collected uses: an entity type that
// registrants hold, a category with entries or registrations, a nominator category that
// nominations name. Each refusal is at the removed item's path in old.
func removedInUse(ctx context.Context, tx pgx.Tx, old, next *edition.Edition) ([]edition.Problem, error) {
	var problems []edition.Problem
	count := func(what, sql string, args ...any) (int, error) {
		var n int
		if err := tx.QueryRow(ctx, sql, args...).Scan(&n); err != nil {
			return 0, fmt.Errorf("%s in use: %w", what, err)
		}
		return n, nil
	}
	for i, t := range old.EntityTypes {
		if slices.ContainsFunc(next.EntityTypes, func(n edition.EntityType) bool { return n.Key == t.Key }) {
			continue
		}
		n, err := count("entity type", `SELECT count(*) FROM edition_registrations r JOIN users u ON u.id = r.user_id
			WHERE r.edition_id = $1 AND u.entity_type = $2`, old.ID, t.Key)
		if err != nil {
			return nil, err
		}
		if n > 0 {
			problems = append(problems, edition.Problem{Path: fmt.Sprintf("entity_types[%d]", i),
				Message: registrantsRefusal(t.Name, n)})
		}
	}
	for i, c := range old.Categories {
		nc, kept := next.Category(c.Key)
		if !kept {
			n, err := count("category", `SELECT (SELECT count(*) FROM applications WHERE category_id = $1)
				+ (SELECT count(*) FROM edition_registrations WHERE category_id = $1)`, c.ID)
			if err != nil {
				return nil, err
			}
			if n > 0 {
				problems = append(problems, edition.Problem{Path: fmt.Sprintf("categories[%d]", i),
					Message: i18n.Msg("The category {{.Name}} cannot be removed: it has entries or registrations ({{.Count}}).", "Name", c.Name, "Count", strconv.Itoa(n))})
			}
			continue
		}
		if c.Nominations == nil {
			continue
		}
		for k, nom := range c.Nominations.NominatorCategories {
			if nc.Nominations != nil && slices.ContainsFunc(nc.Nominations.NominatorCategories,
				func(n edition.NominatorCategory) bool { return n.Key == nom.Key }) {
				continue
			}
			n, err := count("nominator category", `SELECT count(*) FROM nominations n JOIN applications a ON a.id = n.application_id
				WHERE a.category_id = $1 AND n.nominator_category = $2`, c.ID, nom.Key)
			if err != nil {
				return nil, err
			}
			if n > 0 {
				problems = append(problems, edition.Problem{Path: fmt.Sprintf("categories[%d].nominations.nominator_categories[%d]", i, k),
					Message: nominationsRefusal(nom.Name, n)})
			}
		}
	}
	return problems, nil
}

// notify tells those a stored change concerns, in tx, and returns how many were emailed: the
// applicants with a draft when the application deadline moved, the people of a round whose
// window moved.
func (s *Service) notify(ctx context.Context, tx pgx.Tx, e *edition.Edition, p plan) (int, error) {
	if s.Outbox == nil {
		return 0, nil
	}
	n, err := s.notifyDeadline(ctx, tx, e, p)
	if err != nil {
		return n, err
	}
	for _, w := range p.windows {
		for _, who := range w.people {
			if _, err := s.Outbox.Queue(ctx, tx, s.windowMessage(e, w.roundWindow, who)); err != nil {
				return n, err
			}
		}
		n += len(w.people)
	}
	return n, nil
}

// notifyDeadline emails the applicants with a draft when the application deadline moved.
func (s *Service) notifyDeadline(ctx context.Context, tx pgx.Tx, e *edition.Edition, p plan) (int, error) {
	if !p.deadlineMoved {
		return 0, nil
	}
	list, err := db.List(ctx, tx, "studio: applicants with drafts", pgx.RowToStructByPos[person], `
		SELECT DISTINCT u.id, u.name, u.email FROM applications a JOIN users u ON u.id = a.user_id
		WHERE a.edition_id = $1 AND a.status = 'draft' AND u.erased_at IS NULL AND u.deactivated_at IS NULL
		ORDER BY u.id`, e.ID)
	if err != nil {
		return 0, err
	}
	for _, a := range list {
		if _, err := s.Outbox.Queue(ctx, tx, s.deadlineMovedEmail(e, a)); err != nil {
			return 0, err
		}
	}
	return len(list), nil
}

// deadlineMovedEmail tells applicant a, with a draft in e, of e's new application deadline.
func (s *Service) deadlineMovedEmail(e *edition.Edition, a person) notify.Message {
	values := wording.Values{wording.Name: a.Name, wording.EditionName: e.Name, wording.Link: s.Site.URL("/application"),
		wording.Deadline: i18n.Msg("{{.When}} ({{.Zone}} time)", "When", i18n.Deadline(e.Schedule.ApplicationDeadline, e.TimeZone), "Zone", e.TimeZone.String())}
	m := emails.ActionMessage("deadline-moved", a.Email, a.Name, "The deadline of the "+e.Name+" has moved", a.ID, emails.ActionEmail{
		Meta: s.Site.Meta(e), Title: "The application deadline has moved", Greeting: "Dear " + a.Name + ",",
		Paragraphs: []string{"The deadline for applications to the " + e.Name + " has moved. Your application is still a draft: " +
			"it reaches the committee only once you submit it.", "The new deadline is " + i18n.English(values[wording.Deadline]) + "."},
		ActionLabel: "Open your application", ActionURL: values[wording.Link],
	})
	m.Wording = s.Site.Wording(e, m.Kind, values)
	return m
}

// registrantsRefusal says why entity type name stays: n registrants hold it.
func registrantsRefusal(name string, n int) string {
	if n == 1 {
		return i18n.Msg("{{.Name}} cannot be removed: {{.Count}} registrant registered as one.", "Name", name, "Count", "1")
	}
	return i18n.Msg("{{.Name}} cannot be removed: {{.Count}} registrants registered as one.", "Name", name, "Count", numfmt.Thousands(n))
}

// nominationsRefusal says why nominator category name stays: n nominations name it.
func nominationsRefusal(name string, n int) string {
	if n == 1 {
		return i18n.Msg("The nominator category {{.Name}} cannot be removed: {{.Count}} nomination name it.", "Name", name, "Count", "1")
	}
	return i18n.Msg("The nominator category {{.Name}} cannot be removed: {{.Count}} nominations name it.", "Name", name,
		"Count", numfmt.Thousands(n))
}
