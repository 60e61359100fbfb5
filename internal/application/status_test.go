package application_test

import (
	"fmt"
	"testing"
	"time"

	"prizeportal/internal/application"
	"prizeportal/internal/edition"
)

// schedule2023 is the 2023 schedule (DOMAIN.md "Schedule") in UTC, whole days.
func schedule2023() edition.Schedule {
	d := func(m time.Month, day int) time.Time { return time.Date(2023, m, day, 0, 0, 0, 0, time.UTC) }
	return edition.Schedule{
		ApplicationsOpen:       d(3, 1),
		ApplicationDeadline:    d(6, 1),
		Screening:              edition.Window{Start: d(6, 1), End: d(7, 1)},
		Scoring:                edition.Window{Start: d(7, 1), End: d(7, 13)},
		SemiFinalistsAnnounced: d(7, 13),
		Voting:                 edition.Window{Start: d(7, 14), End: d(7, 29)},
		WinnersAnnounced:       d(7, 31),
		Ceremony:               edition.Window{Start: d(9, 24), End: d(9, 27)},
	}
}

func yes() *bool { v := true; return &v }
func no() *bool  { v := false; return &v }

// timeline renders steps as "label" with "*" for the current step and "+" for done ones.
func timeline(steps []application.Step) []string {
	var out []string
	current := 0
	for _, s := range steps {
		mark := " "
		switch s.State {
		case application.StepDone:
			mark = "+"
		case application.StepCurrent:
			mark = "*"
			current++
		}
		out = append(out, mark+s.Label)
	}
	if current != 1 {
		out = append(out, fmt.Sprintf("!%d current steps", current))
	}
	return out
}

func TestTimelineRevealsOutcomesByDate(t *testing.T) {
	t.Parallel()
	s := schedule2023()
	at := func(m time.Month, day, hour int) time.Time { return time.Date(2023, m, day, hour, 0, 0, 0, time.UTC) }
	submittedAt := at(5, 20, 9)
	submitted := application.Application{ID: 1, Status: application.Submitted, SubmittedAt: &submittedAt, UpdatedAt: submittedAt}
	draft := application.Application{ID: 1, Status: application.Draft, UpdatedAt: submittedAt}
	asked := at(6, 10, 0)
	// Every outcome recorded in advance: the dates alone decide what the applicant sees.
	winner := application.Outcomes{ClarificationRequested: &asked, Eligible: yes(), SemiFinalist: yes(), Winner: yes(), Prize: "Grand Prize"}

	tests := []struct {
		name string
		app  application.Application
		o    application.Outcomes
		now  time.Time
		want []string
	}{
		{"draft", draft, application.Outcomes{}, at(5, 21, 0),
			[]string{"*Draft", " Submitted", " In screening", " Eligible or not eligible", " In evaluation", " Semi-finalist or not", " Winner or not"}},
		{"submitted before screening", submitted, winner, at(5, 31, 23),
			[]string{"+Draft", "*Submitted", " In screening", " Clarification requested", " Eligible or not eligible", " In evaluation", " Semi-finalist or not", " Winner or not"}},
		{"in screening, clarification requested", submitted, winner, at(6, 15, 0),
			[]string{"+Draft", "+Submitted", "+In screening", "*Clarification requested", " Eligible or not eligible", " In evaluation", " Semi-finalist or not", " Winner or not"}},
		{"screening result hidden until the window ends", submitted, application.Outcomes{Eligible: no()}, at(6, 30, 23),
			[]string{"+Draft", "+Submitted", "*In screening", " Eligible or not eligible", " In evaluation", " Semi-finalist or not", " Winner or not"}},
		{"not eligible from the end of screening", submitted, application.Outcomes{Eligible: no()}, at(7, 1, 0),
			[]string{"+Draft", "+Submitted", "+In screening", "*Not eligible"}},
		{"in evaluation; semi-finalists hidden", submitted, winner, at(7, 12, 23),
			[]string{"+Draft", "+Submitted", "+In screening", "+Clarification requested", "+Eligible", "*In evaluation", " Semi-finalist or not", " Winner or not"}},
		{"semi-finalist from its announcement; winners hidden", submitted, winner, at(7, 13, 0),
			[]string{"+Draft", "+Submitted", "+In screening", "+Clarification requested", "+Eligible", "+In evaluation", "*Semi-finalist", " Winner or not"}},
		{"not a semi-finalist", submitted, application.Outcomes{Eligible: yes(), SemiFinalist: no()}, at(7, 20, 0),
			[]string{"+Draft", "+Submitted", "+In screening", "+Eligible", "+In evaluation", "*Not a semi-finalist"}},
		{"winner from the announcement", submitted, winner, at(7, 31, 0),
			[]string{"+Draft", "+Submitted", "+In screening", "+Clarification requested", "+Eligible", "+In evaluation", "+Semi-finalist", "*Winner: Grand Prize"}},
		{"not among the winners", submitted, application.Outcomes{Eligible: yes(), SemiFinalist: yes(), Winner: no()}, at(8, 1, 0),
			[]string{"+Draft", "+Submitted", "+In screening", "+Eligible", "+In evaluation", "+Semi-finalist", "*Not among the winners"}},
		{"no outcome recorded yet: nothing is revealed", submitted, application.Outcomes{}, at(8, 1, 0),
			[]string{"+Draft", "+Submitted", "*In screening", " Eligible or not eligible", " In evaluation", " Semi-finalist or not", " Winner or not"}},
		{"withdrawn", application.Application{ID: 1, Status: application.Withdrawn, UpdatedAt: submittedAt}, winner, at(8, 1, 0),
			[]string{"+Draft", "*Withdrawn"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := timeline(application.Timeline(s, tt.app, tt.o, tt.now))
			if len(got) != len(tt.want) {
				t.Fatalf("timeline = %q, want %q", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Fatalf("timeline = %q, want %q", got, tt.want)
				}
			}
		})
	}
}

func TestTimelineAnnouncementDates(t *testing.T) {
	t.Parallel()
	s := schedule2023()
	now := time.Date(2023, 6, 2, 0, 0, 0, 0, time.UTC)
	sub := now.Add(-48 * time.Hour)
	steps := application.Timeline(s, application.Application{Status: application.Submitted, SubmittedAt: &sub}, application.Outcomes{}, now)
	want := map[application.StepKey]time.Time{
		application.StepSubmitted:   sub,
		application.StepEligibility: s.Screening.End,
		application.StepSemiFinal:   s.SemiFinalistsAnnounced,
		application.StepWinner:      s.WinnersAnnounced,
	}
	for _, st := range steps {
		if w, ok := want[st.Key]; ok && !st.At.Equal(w) {
			t.Errorf("%s at %v, want %v", st.Key, st.At, w)
		}
		if announced := st.Key == application.StepEligibility || st.Key == application.StepSemiFinal || st.Key == application.StepWinner; announced != st.Announced {
			t.Errorf("%s announced = %v, want %v", st.Key, st.Announced, announced)
		}
	}
}

// stepAt returns the date of the step with key k.
func stepAt(t *testing.T, steps []application.Step, k application.StepKey) (application.Step, time.Time) {
	t.Helper()
	for _, st := range steps {
		if st.Key == k {
			return st, st.At
		}
	}
	t.Fatalf("no step %s in %v", k, timeline(steps))
	return application.Step{}, time.Time{}
}

// The steps already passed keep the dates they happened at: an entry submitted after the
// screening started is in screening from its own submission; an announcement passed keeps its
// recorded instant (and stays revealed) when the schedule is changed afterwards; an outcome
// decided after the end of the screening is announced at the close.
func TestTimelineKeepsThePastAsItHappened(t *testing.T) {
	t.Parallel()
	s := schedule2023()
	at := func(m time.Month, day, hour int) time.Time { return time.Date(2023, m, day, hour, 0, 0, 0, time.UTC) }
	late := at(6, 5, 10) // after the screening started on 1 June (an extension)
	a := application.Application{ID: 1, Status: application.Submitted, SubmittedAt: &late, UpdatedAt: late}
	if _, got := stepAt(t, application.Timeline(s, a, application.Outcomes{}, at(6, 20, 0)), application.StepScreening); !got.Equal(late) {
		t.Errorf("in screening on %s, want its own submission %s", got, late)
	}

	// The screening ended on 1 July and was recorded then; on 5 July the end is moved to 10 July.
	moved := s
	moved.Screening.End = at(7, 10, 0)
	moved.Scoring = edition.Window{Start: at(7, 10, 0), End: at(7, 13, 0)}
	o := application.Outcomes{Eligible: yes(), Reached: edition.Reached{edition.ScreeningEnd: s.Screening.End}}
	steps := application.Timeline(moved, a, o, at(7, 5, 0))
	if st, got := stepAt(t, steps, application.StepEligibility); st.Label != "Eligible" || st.State == application.StepUpcoming || !got.Equal(s.Screening.End) {
		t.Errorf("after the screening end moved: %q on %s (%v), want Eligible on the recorded %s\n%v", st.Label, got, st.State, s.Screening.End, timeline(steps))
	}

	// Round 1 closed on 3 July, after the end of the screening: the outcome came with the close.
	closed := at(7, 3, 9)
	o.ScreeningClosed = &closed
	if _, got := stepAt(t, application.Timeline(s, a, o, at(7, 5, 0)), application.StepEligibility); !got.Equal(closed) {
		t.Errorf("outcome on %s, want the close %s", got, closed)
	}

	// Without a record (the release task has not run yet) the schedule decides, as before.
	o = application.Outcomes{SemiFinalist: yes(), Eligible: yes()}
	if st, _ := stepAt(t, application.Timeline(s, a, o, s.SemiFinalistsAnnounced.Add(-time.Second)), application.StepSemiFinal); st.Label != "Semi-finalist or not" {
		t.Errorf("before the announcement: %q", st.Label)
	}
}
