package edition

import (
	"context"
	"fmt"
	"time"

	"prizeportal/internal/db"
	"prizeportal/internal/i18n"
)

// Phase is where one of the three rounds stands at an instant (DOMAIN.md "Schedule" and the
// rounds): the one place every rule of the rounds reads, with the round's closure on the record.
type Phase int

const (
	// PhaseUpcoming: the round's work has not started (before Round.Opens).
	PhaseUpcoming Phase = iota
	// PhaseOpen: the round's work goes on, from Round.Opens to the end of its window.
	PhaseOpen
	// PhaseDue: its window has ended and the round is not closed on the record yet.
	PhaseDue
	// PhaseClosed: closed on the record (round 1 by the secretariat, round 2 by the committee
	// head, round 3 when the chair has closed the vote of every category).
	PhaseClosed
)

// Round is one round of an edition at an instant.
type Round struct {
	// Number is 1, 2 or 3; Name says what the round is (a catalog's text).
	Number int
	Name   string
	// Window is the round's window in the schedule. Opens is when its work starts: round 1
	// decides each entry from its submission (DOMAIN.md "Round 1"), so it opens with the
	// applications; rounds 2 and 3 open with their windows.
	Window Window
	Opens  time.Time
	// ClosableFrom is the earliest instant the round may be closed by the schedule: round 1
	// after the application deadline and its grace period (the entries' extensions and letters
	// are checked by the screening round itself), rounds 2 and 3 at the end of their windows
	// (round 2 earlier only when every sheet is in, with a reason: ranking.Close).
	ClosableFrom time.Time
	Phase        Phase
	// ClosedAt is when the round was closed on the record; nil while it is not.
	ClosedAt *time.Time
	// At is the instant the phase is for.
	At time.Time
}

// Open reports whether the round's work goes on.
func (r Round) Open() bool { return r.Phase == PhaseOpen }

// Closed reports whether the round is closed on the record.
func (r Round) Closed() bool { return r.Phase == PhaseClosed }

// Status says in words where r stands, with its dates in loc (always naming the zone), carried
// for the reader's language (i18n.Msg).
func (r Round) Status(loc *time.Location) string {
	switch r.Phase {
	case PhaseUpcoming:
		return i18n.Msg("Opens on {{.When}}.", "When", i18n.Start(r.Opens, loc))
	case PhaseOpen:
		if r.At.Before(r.Window.Start) {
			return i18n.Msg("Open: decisions from submission; the window runs {{.Window}}.", "Window", i18n.Window(r.Window.Start, r.Window.End, loc))
		}
		return i18n.Msg("Open until {{.When}}.", "When", i18n.End(r.Window.End, loc))
	case PhaseDue:
		return i18n.Msg("The window ended on {{.When}}; the round is not closed yet.", "When", i18n.End(r.Window.End, loc))
	}
	return i18n.Msg("Closed on {{.When}}.", "When", i18n.Start(*r.ClosedAt, loc))
}

// Summary names r and says where it stands: "Round 2: scoring by the Evaluation Committee. Open
// until 12 July 2023, 23:59 KST (Asia/Seoul time)." (carried, as Status).
func (r Round) Summary(loc *time.Location) string {
	return i18n.Msg("{{.Round}}. {{.Status}}", "Round", r.Name, "Status", r.Status(loc))
}

// Rounds are the three rounds of an edition at an instant.
type Rounds struct {
	Screening, Scoring, Voting Round
}

// All lists the rounds in order.
func (r Rounds) All() []Round { return []Round{r.Screening, r.Scoring, r.Voting} }

// Closures are the recorded closings of an edition's rounds, nil for a round not closed.
type Closures struct {
	Screening, Scoring, Voting *time.Time
}

// RoundsAt is where e's rounds stand at now, given their closings on the record (LoadClosures).
func (e *Edition) RoundsAt(now time.Time, c Closures) Rounds {
	s := e.Schedule
	round := func(n int, name string, w Window, opens, closable time.Time, closed *time.Time) Round {
		r := Round{Number: n, Name: name, Window: w, Opens: opens, ClosableFrom: closable, ClosedAt: closed, At: now}
		switch {
		case closed != nil:
			r.Phase = PhaseClosed
		case now.Before(opens):
			r.Phase = PhaseUpcoming
		case now.Before(w.End):
			r.Phase = PhaseOpen
		default:
			r.Phase = PhaseDue
		}
		return r
	}
	return Rounds{
		Screening: round(1, i18n.M("Round 1: screening by the secretariat"), s.Screening, s.ApplicationsOpen,
			s.ApplicationDeadline.Add(s.GracePeriod), c.Screening),
		Scoring: round(2, i18n.M("Round 2: scoring by the Evaluation Committee"), s.Scoring, s.Scoring.Start,
			s.Scoring.End, c.Scoring),
		Voting: round(3, i18n.M("Round 3: vote of the Prize Council"), s.Voting, s.Voting.Start, s.Voting.End, c.Voting),
	}
}

// closuresSQL reads the closings of an edition's rounds: round 1 and round 2 from their round
// rows; round 3 once the vote of every category with semi-finalists is closed, at the last close.
const closuresSQL = `
SELECT (SELECT closed_at FROM screening_rounds WHERE edition_id = $1),
       (SELECT closed_at FROM scoring_rounds WHERE edition_id = $1),
       (SELECT CASE WHEN count(*) > 0 AND count(*) = count(r.closed_at) THEN max(r.closed_at) END
        FROM (SELECT DISTINCT category_id FROM semi_finalists WHERE edition_id = $1) f
        LEFT JOIN vote_results r ON r.category_id = f.category_id)`

// LoadClosures reads the closings of edition editionID's rounds.
func LoadClosures(ctx context.Context, q db.DBTX, editionID int64) (Closures, error) {
	var c Closures
	if err := q.QueryRow(ctx, closuresSQL, editionID).Scan(&c.Screening, &c.Scoring, &c.Voting); err != nil {
		return c, fmt.Errorf("edition: round closures: %w", err)
	}
	return c, nil
}

// LoadRounds is where e's rounds stand at now, with their closings read from q.
func (e *Edition) LoadRounds(ctx context.Context, q db.DBTX, now time.Time) (Rounds, error) {
	c, err := LoadClosures(ctx, q, e.ID)
	if err != nil {
		return Rounds{}, err
	}
	return e.RoundsAt(now, c), nil
}
