package notify_test

import (
	"context"
	"testing"
	"time"

	"prizeportal/internal/edition"
	"prizeportal/internal/edition/editiontest"
	"prizeportal/internal/notify"
	"prizeportal/internal/notify/notifytest"
)

// An announcement email follows its edition's date as it stands when the release task runs:
// brought forward, it goes at the new date; postponed, it does not go at the old one (before the
// public page), only at the new one; and the outbox shows the planned instant as it now stands.
func TestReleaseFollowsTheEditionsDates(t *testing.T) {
	ctx := context.Background()
	pool, ed := editiontest.Seoul2023(t)
	outbox := notify.NewOutbox(pool)
	s := ed.Schedule
	queuedAt := s.Screening.Start.Add(time.Hour)
	outcome := message("outcome@example.org", "The outcome of the screening")
	outcome.Announces = notify.At(ed.ID, edition.ScreeningEnd, queuedAt)
	outcome.SendAfter = s.Screening.End // ignored: the milestone decides
	semi := message("semi@example.org", "You are a semi-finalist")
	semi.Announces = notify.At(ed.ID, edition.SemiFinalistsAnnounced, queuedAt)
	outcomeID, semiID := queue(t, pool, outcome), queue(t, pool, semi)

	jobs := func() int {
		return count(t, pool, `SELECT count(*) FROM river_job WHERE kind = 'email.send'`)
	}
	release := func(now time.Time, want int) {
		t.Helper()
		n, err := outbox.Release(ctx, now)
		if err != nil {
			t.Fatal(err)
		}
		if n != want {
			t.Fatalf("Release at %s released %d messages, want %d", now, n, want)
		}
	}
	planned := func(id int64) time.Time {
		t.Helper()
		e, err := notify.EmailByID(ctx, pool, id)
		if err != nil {
			t.Fatal(err)
		}
		return e.PlannedAt
	}
	if n := jobs(); n != 0 {
		t.Fatalf("%d send jobs queued with messages waiting for their milestone, want 0", n)
	}
	if got := planned(outcomeID); !got.Equal(s.Screening.End) {
		t.Errorf("outcome planned at %s, want the screening end %s", got, s.Screening.End)
	}
	release(queuedAt, 0)

	// The screening is brought forward to end a day after it starts.
	newEnd := s.Screening.Start.Add(24 * time.Hour)
	if _, err := pool.Exec(ctx, `UPDATE editions SET screening_end = $2 WHERE id = $1`, ed.ID, newEnd); err != nil {
		t.Fatal(err)
	}
	if got := planned(outcomeID); !got.Equal(newEnd) {
		t.Errorf("outcome planned at %s after the date moved, want the new screening end %s", got, newEnd)
	}
	release(newEnd.Add(-time.Second), 0)
	release(newEnd, 1)
	if n := jobs(); n != 1 {
		t.Fatalf("%d send jobs after the release at the new screening end, want 1", n)
	}
	release(newEnd.Add(time.Minute), 0) // released once

	// The semi-finalists' announcement is postponed by a day (to the start of the vote).
	newAnnouncement := s.Voting.Start
	if _, err := pool.Exec(ctx, `UPDATE editions SET semi_finalists_announced = $2 WHERE id = $1`, ed.ID, newAnnouncement); err != nil {
		t.Fatal(err)
	}
	release(s.SemiFinalistsAnnounced, 0)
	release(newAnnouncement.Add(-time.Second), 0)
	if got := planned(semiID); !got.Equal(newAnnouncement) {
		t.Errorf("semi-finalist email planned at %s, want the new announcement %s", got, newAnnouncement)
	}
	release(newAnnouncement, 1)

	// The instants reached are recorded as they were when they came.
	reached, err := edition.MilestonesReached(ctx, pool, ed.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reached[edition.ScreeningEnd].Equal(newEnd) || !reached[edition.SemiFinalistsAnnounced].Equal(newAnnouncement) {
		t.Errorf("milestones reached %v, want the screening end at %s and the announcement at %s", reached, newEnd, newAnnouncement)
	}
	if _, ok := reached[edition.WinnersAnnounced]; ok {
		t.Errorf("winners announcement recorded as reached on %s, before it came", reached[edition.WinnersAnnounced])
	}

	// Both go out once a worker runs.
	smtp := notifytest.StartSMTP(t)
	smtp.StartWorker(t, pool)
	smtp.WaitFor(t, "outcome@example.org", "The outcome of the screening", 10*time.Second)
	smtp.WaitFor(t, "semi@example.org", "You are a semi-finalist", 10*time.Second)
}

// A message queued after its milestone has come is released at once, with its send job.
func TestQueueAfterTheMilestoneReleasesAtOnce(t *testing.T) {
	pool, ed := editiontest.Seoul2023(t)
	m := message("late@example.org", "The outcome of the screening")
	m.Announces = notify.At(ed.ID, edition.ScreeningEnd, ed.Schedule.Screening.End)
	id := queue(t, pool, m)
	if n := count(t, pool, `SELECT count(*) FROM email_outbox WHERE id = $1 AND released_at IS NOT NULL`, id); n != 1 {
		t.Fatal("message queued at its milestone not released")
	}
	smtp := notifytest.StartSMTP(t)
	smtp.StartWorker(t, pool)
	smtp.WaitFor(t, "late@example.org", "The outcome of the screening", 10*time.Second)
}

// A message released and then postponed before the worker sends it waits again for its new date.
func TestPostponedAfterReleaseWaitsAgain(t *testing.T) {
	ctx := context.Background()
	pool, ed := editiontest.Seoul2023(t)
	m := message("held@example.org", "You are a semi-finalist")
	m.Announces = notify.At(ed.ID, edition.SemiFinalistsAnnounced, ed.Schedule.SemiFinalistsAnnounced)
	id := queue(t, pool, m) // released at once: its date has come
	// Before a worker runs, the whole schedule moves a hundred years later.
	if _, err := pool.Exec(ctx, `UPDATE editions SET applications_open = applications_open + interval '100 years',
		application_deadline = application_deadline + interval '100 years', screening_start = screening_start + interval '100 years',
		screening_end = screening_end + interval '100 years', scoring_start = scoring_start + interval '100 years',
		scoring_end = scoring_end + interval '100 years', semi_finalists_announced = semi_finalists_announced + interval '100 years',
		voting_start = voting_start + interval '100 years', voting_end = voting_end + interval '100 years',
		winners_announced = winners_announced + interval '100 years', ceremony_start = ceremony_start + interval '100 years',
		ceremony_end = ceremony_end + interval '100 years' WHERE id = $1`, ed.ID); err != nil {
		t.Fatal(err)
	}
	smtp := notifytest.StartSMTP(t)
	smtp.StartWorker(t, pool)
	waitUntil(t, "the message to wait again", 10*time.Second, func() (bool, error) {
		return count(t, pool, `SELECT count(*) FROM email_outbox WHERE id = $1 AND released_at IS NULL`, id) == 1, nil
	})
	if n := count(t, pool, `SELECT count(*) FROM email_outbox WHERE id = $1 AND sent_at IS NOT NULL`, id); n != 0 || len(smtp.MessagesTo("held@example.org")) != 0 {
		t.Fatal("a message postponed after its release was sent before its new date")
	}
}
