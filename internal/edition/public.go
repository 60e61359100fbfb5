package edition

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"prizeportal/internal/blocks/timefmt"
	"prizeportal/internal/db"
)

// Milestone is a step of an edition's schedule as the public page shows it: when it starts, and
// when it happens in words in the edition's time zone.
type Milestone struct {
	Label string
	Start time.Time
	When  string
}

// Milestones are the steps of e's schedule in order (DOMAIN.md "Schedule" and the three rounds).
func (e *Edition) Milestones() []Milestone {
	s, loc := e.Schedule, e.TimeZone
	at := func(label string, t time.Time) Milestone { return Milestone{label, t, timefmt.Instant(t, loc)} }
	during := func(label string, w Window) Milestone {
		return Milestone{label, w.Start, timefmt.Window(w.Start, w.End, loc)}
	}
	return []Milestone{
		at("Applications open", s.ApplicationsOpen),
		at("Application deadline", s.ApplicationDeadline),
		during("Round 1: screening by the secretariat", s.Screening),
		during("Round 2: scoring by the Evaluation Committee", s.Scoring),
		at("Semi-finalists announced", s.SemiFinalistsAnnounced),
		during("Round 3: vote of the Prize Council", s.Voting),
		at("Winners announced", s.WinnersAnnounced),
		during("Prize ceremony", s.Ceremony),
	}
}

// Stage says where e stands at now: applications not open yet, open, closed while the
// evaluation runs, or the winners announced (DOMAIN.md "Schedule").
func (e *Edition) Stage(now time.Time) string {
	s, loc := e.Schedule, e.TimeZone
	switch {
	case now.Before(s.ApplicationsOpen):
		return "Applications open on " + timefmt.Instant(s.ApplicationsOpen, loc) + "."
	case now.Before(s.ApplicationDeadline):
		return "Applications are open until " + timefmt.Instant(s.ApplicationDeadline, loc) + "."
	case now.Before(s.WinnersAnnounced):
		return "Applications closed on " + timefmt.Instant(s.ApplicationDeadline, loc) + "; the evaluation is under way."
	}
	return "The winners were announced on " + timefmt.Instant(s.WinnersAnnounced, loc) + "."
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
		return "Individuals, by nomination"
	}
	return "Projects"
}

// Label names the prize with its number of winners when there are several.
func (p Prize) Label() string {
	if p.Count > 1 {
		return fmt.Sprintf("%s (%d winners)", p.Name, p.Count)
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
