package application

import (
	"time"

	"prizeportal/internal/blocks/timefmt"
	"prizeportal/internal/edition"
)

// Outcomes are the facts the evaluation rounds record about an application (DOMAIN.md "People
// and roles": screening by the secretariat, scoring by the Evaluation Committee, voting by the
// Prize Council). Every field is optional: nil means the fact is not recorded (yet). Timeline
// reveals each outcome to the applicant only from its announcement date on, however early it is
// recorded.
type Outcomes struct {
	// ClarificationRequested is when the secretariat asked the applicant to clarify something
	// during screening; the applicant sees the request at once (they must answer it).
	ClarificationRequested *time.Time
	// Eligible is the screening result (round 1), announced at the end of the screening window.
	Eligible *bool
	// SemiFinalist is the scoring result (round 2), announced on semi_finalists_announced.
	SemiFinalist *bool
	// Winner is the voting result (round 3), announced on winners_announced; Prize names the
	// prize won, when Winner is true.
	Winner *bool
	Prize  string
}

// StepKey names a step of the applicant's status timeline.
type StepKey string

// The steps of the status timeline (DOMAIN.md "People and roles": the applicant follows its status), in order.
const (
	StepDraft         StepKey = "draft"
	StepSubmitted     StepKey = "submitted"
	StepWithdrawn     StepKey = "withdrawn"
	StepScreening     StepKey = "screening"
	StepClarification StepKey = "clarification"
	StepEligibility   StepKey = "eligibility"
	StepEvaluation    StepKey = "evaluation"
	StepSemiFinal     StepKey = "semi-final"
	StepWinner        StepKey = "winner"
)

// StepState is where the applicant stands relative to a step.
type StepState int

// The states of a step: reached and passed, the current one, or still ahead.
const (
	StepUpcoming StepState = iota
	StepDone
	StepCurrent
)

// Step is one step of the status timeline.
type Step struct {
	Key   StepKey
	Label string
	State StepState
	// At is when the step happened (Done or Current) or, for an upcoming step, when it starts or
	// is announced; zero when unknown.
	At time.Time
	// Announced says At is the announcement date of an outcome not revealed yet.
	Announced bool
}

// Timeline is the applicant's status timeline at now (DOMAIN.md "People and roles"): draft, submitted, in
// screening, clarification requested (only when it was), eligible or not, in evaluation,
// semi-finalist or not, winner or not. It is derived from the application's status and the
// edition's schedule (DOMAIN.md "Schedule"); an outcome in o counts only from its announcement
// on: screening from the end of the screening window, semi-finalists from
// SemiFinalistsAnnounced, winners from WinnersAnnounced. Steps after a negative outcome are left
// out; a withdrawn application ends with the withdrawal. Exactly one step is StepCurrent.
func Timeline(s edition.Schedule, a Application, o Outcomes, now time.Time) []Step {
	var steps []Step
	add := func(st Step, reached bool) {
		if reached {
			st.State = StepDone
		}
		steps = append(steps, st)
	}
	add(Step{Key: StepDraft, Label: "Draft", At: a.UpdatedAt}, true)
	if a.Status == Withdrawn {
		add(Step{Key: StepWithdrawn, Label: "Withdrawn", At: a.UpdatedAt}, true)
		return markCurrent(steps)
	}
	submitted := a.Status == Submitted && a.SubmittedAt != nil
	var at time.Time
	if submitted {
		at = *a.SubmittedAt
	}
	add(Step{Key: StepSubmitted, Label: "Submitted", At: at}, submitted)
	if !submitted {
		// The deadline is the last moment to submit.
		steps[len(steps)-1].At = s.ApplicationDeadline
	}
	add(Step{Key: StepScreening, Label: "In screening", At: s.Screening.Start}, submitted && !now.Before(s.Screening.Start))
	if o.ClarificationRequested != nil {
		add(Step{Key: StepClarification, Label: "Clarification requested", At: *o.ClarificationRequested},
			submitted && !now.Before(*o.ClarificationRequested))
	}
	eligible, known := reveal(o.Eligible, s.Screening.End, now)
	switch {
	case known && !eligible:
		add(Step{Key: StepEligibility, Label: "Not eligible", At: s.Screening.End}, submitted)
		return markCurrent(steps)
	case known:
		add(Step{Key: StepEligibility, Label: "Eligible", At: s.Screening.End}, submitted)
	default:
		add(Step{Key: StepEligibility, Label: "Eligible or not eligible", At: s.Screening.End, Announced: true}, false)
	}
	add(Step{Key: StepEvaluation, Label: "In evaluation", At: s.Scoring.Start}, submitted && known && !now.Before(s.Scoring.Start))
	semi, known := reveal(o.SemiFinalist, s.SemiFinalistsAnnounced, now)
	switch {
	case known && !semi:
		add(Step{Key: StepSemiFinal, Label: "Not a semi-finalist", At: s.SemiFinalistsAnnounced}, submitted)
		return markCurrent(steps)
	case known:
		add(Step{Key: StepSemiFinal, Label: "Semi-finalist", At: s.SemiFinalistsAnnounced}, submitted)
	default:
		add(Step{Key: StepSemiFinal, Label: "Semi-finalist or not", At: s.SemiFinalistsAnnounced, Announced: true}, false)
	}
	won, known := reveal(o.Winner, s.WinnersAnnounced, now)
	switch {
	case known && won && o.Prize != "":
		add(Step{Key: StepWinner, Label: "Winner: " + o.Prize, At: s.WinnersAnnounced}, submitted)
	case known && won:
		add(Step{Key: StepWinner, Label: "Winner", At: s.WinnersAnnounced}, submitted)
	case known:
		add(Step{Key: StepWinner, Label: "Not among the winners", At: s.WinnersAnnounced}, submitted)
	default:
		add(Step{Key: StepWinner, Label: "Winner or not", At: s.WinnersAnnounced, Announced: true}, false)
	}
	return markCurrent(steps)
}

// reveal returns an outcome and whether the applicant may know it at now: it is recorded and
// its announcement time has come.
func reveal(fact *bool, announced, now time.Time) (value, known bool) {
	if fact == nil || now.Before(announced) {
		return false, false
	}
	return *fact, true
}

// markCurrent makes the last reached step the current one.
func markCurrent(steps []Step) []Step {
	for i := len(steps) - 1; i >= 0; i-- {
		if steps[i].State == StepDone {
			steps[i].State = StepCurrent
			break
		}
	}
	return steps
}

// When says when step st of e's timeline happened or will, for its owner, with the times in the
// edition's zone: "" for a step without a date.
func (e Entry) When(st Step) string {
	loc := e.Edition.TimeZone
	switch {
	case st.At.IsZero():
		return ""
	case st.Key == StepDraft && e.App.ID == 0:
		return "Not saved yet"
	case st.Key == StepDraft:
		return "Last saved on " + timefmt.Instant(st.At, loc)
	case st.Key == StepSubmitted && st.State == StepUpcoming:
		return "Submit by " + DeadlineText(e.Edition, e.App)
	case st.Announced:
		return "Announced on " + timefmt.Instant(st.At, loc)
	case st.State == StepUpcoming:
		return "From " + timefmt.Instant(st.At, loc)
	}
	return "On " + timefmt.Instant(st.At, loc)
}
