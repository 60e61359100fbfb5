package edition_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"prizeportal/internal/edition"
	"prizeportal/internal/edition/editiontest"
	"prizeportal/internal/i18n"
)

// The rounds of seoul-2023 at instants of its schedule (DOMAIN.md "Schedule"): round 1 decides
// from the first submission and may close after the deadline; rounds 2 and 3 open with their
// windows; a closing on the record wins over the dates.
func TestRoundsAtFollowTheScheduleAndTheClosings(t *testing.T) {
	t.Parallel()
	e := editiontest.Resolved(t, "seoul-2023")
	kst := e.TimeZone
	at := func(s string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04", s, kst)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	closed := at("2023-06-20 10:00")
	for _, c := range []struct {
		when                       string
		closures                   edition.Closures
		screening, scoring, voting edition.Phase
	}{
		{"2023-02-28 12:00", edition.Closures{}, edition.PhaseUpcoming, edition.PhaseUpcoming, edition.PhaseUpcoming},
		{"2023-04-10 12:00", edition.Closures{}, edition.PhaseOpen, edition.PhaseUpcoming, edition.PhaseUpcoming},
		{"2023-06-05 12:00", edition.Closures{}, edition.PhaseOpen, edition.PhaseUpcoming, edition.PhaseUpcoming},
		{"2023-07-01 00:00", edition.Closures{}, edition.PhaseDue, edition.PhaseOpen, edition.PhaseUpcoming},
		{"2023-07-01 00:00", edition.Closures{Screening: &closed}, edition.PhaseClosed, edition.PhaseOpen, edition.PhaseUpcoming},
		{"2023-07-12 23:59", edition.Closures{Screening: &closed}, edition.PhaseClosed, edition.PhaseOpen, edition.PhaseUpcoming},
		{"2023-07-13 00:00", edition.Closures{Screening: &closed}, edition.PhaseClosed, edition.PhaseDue, edition.PhaseUpcoming},
		{"2023-08-20 12:00", edition.Closures{Screening: &closed, Scoring: &closed}, edition.PhaseClosed, edition.PhaseClosed, edition.PhaseDue},
	} {
		r := e.RoundsAt(at(c.when), c.closures)
		if r.Screening.Phase != c.screening || r.Scoring.Phase != c.scoring || r.Voting.Phase != c.voting {
			t.Errorf("%s: phases %v %v %v, want %v %v %v", c.when, r.Screening.Phase, r.Scoring.Phase, r.Voting.Phase,
				c.screening, c.scoring, c.voting)
		}
	}
	r := e.RoundsAt(at("2023-06-05 12:00"), edition.Closures{})
	if got, want := i18n.English(r.Scoring.Status(kst)), "Opens on 1 July 2023, 00:00 KST"; !strings.Contains(got, want) {
		t.Errorf("round 2 status %q, want it to contain %q", got, want)
	}
	if got, want := r.Screening.ClosableFrom, at("2023-05-31 23:59"); !got.Equal(want) {
		t.Errorf("round 1 closable from %v, want the deadline %v", got, want)
	}
}

// LoadClosures reads each round's closing from the database: nothing for a new edition; round 3
// only once the vote of every category with semi-finalists is closed.
func TestLoadClosuresReadsTheRoundsOnTheRecord(t *testing.T) {
	t.Parallel()
	pool, ed := editiontest.Seoul2023(t)
	ctx := context.Background()
	c, err := edition.LoadClosures(ctx, pool, ed.ID)
	if err != nil {
		t.Fatal(err)
	}
	if c.Screening != nil || c.Scoring != nil || c.Voting != nil {
		t.Fatalf("a new edition has closings %+v", c)
	}
	when := time.Date(2023, 6, 20, 1, 0, 0, 0, time.UTC)
	if _, err := pool.Exec(ctx, `INSERT INTO screening_rounds (edition_id, closed_at) VALUES ($1, $2)`, ed.ID, when); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `INSERT INTO scoring_rounds (edition_id, closed_at) VALUES ($1, $2)`, ed.ID, when.AddDate(0, 0, 25)); err != nil {
		t.Fatal(err)
	}
	r, err := ed.LoadRounds(ctx, pool, when.AddDate(0, 1, 0))
	if err != nil {
		t.Fatal(err)
	}
	if !r.Screening.Closed() || !r.Scoring.Closed() || !r.Scoring.ClosedAt.Equal(when.AddDate(0, 0, 25)) {
		t.Fatalf("rounds after closing 1 and 2: %+v", r)
	}
	if r.Voting.Closed() {
		t.Fatal("round 3 reads closed with no vote closed")
	}
}

// ScoreOn moves seoul-2023 so that its scoring window is open at an instant of 2026.
func TestScoreOnOpensTheScoringWindow(t *testing.T) {
	t.Parallel()
	def, err := edition.ParseBuiltin("seoul-2023")
	if err != nil {
		t.Fatal(err)
	}
	when := time.Date(2026, 12, 7, 3, 0, 0, 0, time.UTC)
	if err := def.ScoreOn(when); err != nil {
		t.Fatal(err)
	}
	e, err := def.Resolve()
	if err != nil {
		t.Fatal(err)
	}
	if r := e.RoundsAt(when, edition.Closures{}); !r.Scoring.Open() || r.Voting.Phase != edition.PhaseUpcoming {
		t.Fatalf("after ScoreOn: scoring %v, voting %v; scoring window %v", r.Scoring.Phase, r.Voting.Phase, e.Schedule.Scoring)
	}
}
