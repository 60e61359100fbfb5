package edition

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"prizeportal/internal/db"
	"prizeportal/internal/i18n"
)

// Milestone is a step of an edition's schedule as the public page shows it: when it starts, and
// when it happens in words in the edition's time zone. Label and When are carried texts (package
// i18n): the page shows them in the reader's language.
type Milestone struct {
	Label string
	// Start and End bound the step (End excluded); a point in time has End equal to Start.
	Start, End time.Time
	When       string
}

// Milestones are the steps of e's schedule in order (DOMAIN.md "Schedule" and the three rounds).
func (e *Edition) Milestones() []Milestone {
	s, loc := e.Schedule, e.TimeZone
	at := func(label string, t time.Time) Milestone { return Milestone{label, t, t, i18n.Instant(t, loc)} }
	during := func(label string, w Window) Milestone {
		return Milestone{label, w.Start, w.End, i18n.Window(w.Start, w.End, loc)}
	}
	return []Milestone{
		at(i18n.M("Applications open"), s.ApplicationsOpen),
		at(i18n.M("Application deadline"), s.ApplicationDeadline),
		during(i18n.M("Round 1: screening by the secretariat"), s.Screening),
		during(i18n.M("Round 2: scoring by the Evaluation Committee"), s.Scoring),
		at(i18n.M("Semi-finalists announced"), s.SemiFinalistsAnnounced),
		during(i18n.M("Round 3: vote of the Prize Council"), s.Voting),
		at(i18n.M("Winners announced"), s.WinnersAnnounced),
		during(i18n.M("Prize ceremony"), s.Ceremony),
	}
}

// Stage says where e stands at now: applications not open yet, open, closed while the
// evaluation runs, or the winners announced (DOMAIN.md "Schedule"), as a carried text (package
// i18n).
func (e *Edition) Stage(now time.Time) string {
	s, loc := e.Schedule, e.TimeZone
	switch {
	case now.Before(s.ApplicationsOpen):
		return i18n.Msg("Applications open on {{.When}}.", "When", i18n.Instant(s.ApplicationsOpen, loc))
	case now.Before(s.ApplicationDeadline):
		return i18n.Msg("Applications are open until {{.When}}.", "When", i18n.Instant(s.ApplicationDeadline, loc))
	case now.Before(s.WinnersAnnounced):
		return i18n.Msg("Applications closed on {{.When}}; the evaluation is under way.", "When", i18n.Instant(s.ApplicationDeadline, loc))
	}
	return i18n.Msg("The winners were announced on {{.When}}.", "When", i18n.Instant(s.WinnersAnnounced, loc))
}

// CategoriesFor names the categories of e open to entity type key (DOMAIN.md "Categories").
func (e *Edition) CategoriesFor(key string) []string {
	var out []string
	for _, c := range e.Categories {
		if slices.Contains(c.EligibleTypes, key) {
			out = append(out, c.Name)
		}
	}
	return out
}

// Label says who a category of kind k is for.
func (k Kind) Label() string {
	if k == KindLeadership {
		return i18n.M("Individuals, by nomination")
	}
	return i18n.M("Projects")
}

// Label names the prize with its number of winners when there are several.
func (p Prize) Label() string {
	if p.Count > 1 {
		return i18n.Msg("{{.Prize}} ({{.Count}} winners)", "Prize", p.Name, "Count", p.Count)
	}
	return p.Name
}

// Share shows the weight of criterion cr as its share of c's weights: "20%" or "16.7%"; "–"
// when c has no weights (DOMAIN.md "Round 2": weights are per-edition settings).
func (c *Category) Share(cr Criterion) string {
	var total float64
	for _, x := range c.Criteria {
		total += x.Weight
	}
	if total <= 0 {
		return "–"
	}
	return strings.TrimSuffix(strconv.FormatFloat(100*cr.Weight/total, 'f', 1, 64), ".0") + "%"
}

// WeightText shows cr's weight as the score pages do: "(weight 2)", "" without one.
func (cr Criterion) WeightText() string {
	if cr.Weight == 0 {
		return ""
	}
	return "(weight " + strconv.FormatFloat(cr.Weight, 'f', -1, 64) + ")"
}

// Of returns v, just read with err, with its edition (the one id names): err as it came when
// the read failed, else ByID's.
func Of[T any](ctx context.Context, q db.DBTX, v T, err error, id func(T) int64) (T, *Edition, error) {
	if err != nil {
		return v, nil, err
	}
	ed, err := ByID(ctx, q, id(v))
	return v, ed, err
}
