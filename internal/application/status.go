package application

import (
	"time"

	"prizeportal/internal/edition"
	"prizeportal/internal/i18n"
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
	// Reached holds the announcement steps of the edition already passed, at the instants
	// recorded when they came (edition.MilestonesReached): a step passed keeps its date and stays
	// revealed even when the schedule is changed afterwards.
	Reached edition.Reached
	// ScreeningClosed is when round 1 was closed (nil while open): an outcome decided after the
	// end of the screening window is announced at the close.
	ScreeningClosed *time.Time
}

// announced returns when the announcement step m of o's edition comes: the instant recorded when
// it came, else the schedule's s; and whether it has come at now.
func (o Outcomes) announced(s edition.Schedule, m edition.Announcement, now time.Time) (time.Time, bool) {
	if at, ok := o.Reached[m]; ok {
		return at, true
	}
	at := s.At(m)
	return at, !now.Before(at)
}

// StepKey names a step of the applicant's status timeline.
type StepKey string

// The steps of the status timeline (DOMAIN.md "People and roles": the applicant follows its status), in order.
const (
	StepDraft         StepKey = "draft"
	StepSubmitted     StepKey = "submitted"
	StepWithdrawn     StepKey = "withdrawn"
	StepMerged        StepKey = "merged"
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
	// Prize is the prize won, named in the winner's Label ("Winner: " and the prize).
	Prize string
}

// Text is the step's Label for the reader's language (i18n.T shows it).
func (st Step) Text() string {
	if st.Prize != "" {
		return i18n.Msg("Winner: {{.Prize}}", "Prize", st.Prize)
	}
	return st.Label
}

// Timeline is the applicant's status timeline at now (DOMAIN.md "People and roles"): draft, submitted, in
// screening, clarification requested (only when it was), eligible or not, in evaluation,
// semi-finalist or not, winner or not. It is derived from the application's status and the
// edition's schedule (DOMAIN.md "Schedule"); an outcome in o counts only from its announcement
// on: screening from the end of the screening window, semi-finalists from
// SemiFinalistsAnnounced, winners from WinnersAnnounced. Steps already passed keep the dates
// they happened at: an entry submitted after the screening started is in screening from its
// submission, and an announcement passed keeps the instant recorded when it came (o.Reached),
// however the schedule changes later. Steps after a negative outcome are left out; a withdrawn
// application ends with the withdrawal, a merged nomination with the merge. Exactly one step is StepCurrent.
func Timeline(s edition.Schedule, a Application, o Outcomes, now time.Time) []Step {
	var steps []Step
	add := func(st Step, reached bool) {
		if reached {
			st.State = StepDone
		}
		steps = append(steps, st)
	}
	add(Step{Key: StepDraft, Label: i18n.M("Draft"), At: a.UpdatedAt}, true)
	if a.Status == Withdrawn {
		add(Step{Key: StepWithdrawn, Label: i18n.M("Withdrawn"), At: a.UpdatedAt}, true)
		return markCurrent(steps)
	}
	if a.Status == Merged {
		add(Step{Key: StepMerged, Label: i18n.M("Merged into another nomination of the same candidate"), At: a.UpdatedAt}, true)
		return markCurrent(steps)
	}
	submitted := a.Status == Submitted && a.SubmittedAt != nil
	var at time.Time
	if submitted {
		at = *a.SubmittedAt
	}
	add(Step{Key: StepSubmitted, Label: i18n.M("Submitted"), At: at}, submitted)
	if !submitted {
		// The deadline is the last moment to submit.
		steps[len(steps)-1].At = s.ApplicationDeadline
	}
	inScreening := s.Screening.Start
	if submitted && at.After(inScreening) {
		inScreening = at
	}
	add(Step{Key: StepScreening, Label: i18n.M("In screening"), At: inScreening}, submitted && !now.Before(s.Screening.Start))
	if o.ClarificationRequested != nil {
		add(Step{Key: StepClarification, Label: i18n.M("Clarification requested"), At: *o.ClarificationRequested},
			submitted && !now.Before(*o.ClarificationRequested))
	}
	screened, come := o.announced(s, edition.ScreeningEnd, now)
	if o.ScreeningClosed != nil && o.ScreeningClosed.After(screened) {
		screened = *o.ScreeningClosed
	}
	eligible, known := reveal(o.Eligible, come)
	switch {
	case known && !eligible:
		add(Step{Key: StepEligibility, Label: i18n.M("Not eligible"), At: screened}, submitted)
		return markCurrent(steps)
	case known:
		add(Step{Key: StepEligibility, Label: i18n.M("Eligible"), At: screened}, submitted)
	default:
		add(Step{Key: StepEligibility, Label: i18n.M("Eligible or not eligible"), At: screened, Announced: true}, false)
	}
	add(Step{Key: StepEvaluation, Label: i18n.M("In evaluation"), At: s.Scoring.Start}, submitted && known && !now.Before(s.Scoring.Start))
	semiAt, come := o.announced(s, edition.SemiFinalistsAnnounced, now)
	semi, known := reveal(o.SemiFinalist, come)
	switch {
	case known && !semi:
		add(Step{Key: StepSemiFinal, Label: i18n.M("Not a semi-finalist"), At: semiAt}, submitted)
		return markCurrent(steps)
	case known:
		add(Step{Key: StepSemiFinal, Label: i18n.M("Semi-finalist"), At: semiAt}, submitted)
	default:
		add(Step{Key: StepSemiFinal, Label: i18n.M("Semi-finalist or not"), At: semiAt, Announced: true}, false)
	}
	wonAt, come := o.announced(s, edition.WinnersAnnounced, now)
	won, known := reveal(o.Winner, come)
	switch {
	case known && won && o.Prize != "":
		add(Step{Key: StepWinner, Label: "Winner: " + o.Prize, Prize: o.Prize, At: wonAt}, submitted)
	case known && won:
		add(Step{Key: StepWinner, Label: i18n.M("Winner"), At: wonAt}, submitted)
	case known:
		add(Step{Key: StepWinner, Label: i18n.M("Not among the winners"), At: wonAt}, submitted)
	default:
		add(Step{Key: StepWinner, Label: i18n.M("Winner or not"), At: wonAt, Announced: true}, false)
	}
	return markCurrent(steps)
}

// reveal returns an outcome and whether the applicant may know it: it is recorded and its
// announcement has come.
func reveal(fact *bool, come bool) (value, known bool) {
	if fact == nil || !come {
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
		return i18n.M("Not saved yet")
	case st.Key == StepDraft:
		return i18n.Msg("Last saved on {{.When}}", "When", i18n.Instant(st.At, loc))
	case st.Key == StepSubmitted && st.State == StepUpcoming:
		return i18n.Msg("Submit by {{.Deadline}}", "Deadline", DeadlineMsg(e.Edition, e.App))
	case st.Announced:
		return i18n.Msg("Announced on {{.When}}", "When", i18n.Instant(st.At, loc))
	case st.State == StepUpcoming:
		return i18n.Msg("From {{.When}}", "When", i18n.Instant(st.At, loc))
	}
	return i18n.Msg("On {{.When}}", "When", i18n.Instant(st.At, loc))
}
