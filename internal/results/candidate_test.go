package results_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"prizeportal/internal/blocks/usecase"
	"prizeportal/internal/db"
	"prizeportal/internal/notify"
	"prizeportal/internal/notify/emails"
	"prizeportal/internal/results"
)

// TestCandidateVideoEmailsAndLink: the Leadership nomination won, so the announcement sends the
// winner's email and the video request to its nominator and to its candidate, and the reminders
// reach both, each once however often the task runs; the candidate's carry a private link that
// opens the award without an account, and the video given through it is recorded in the
// candidate's name and audited so; the nominator reads who gave it.
func TestCandidateVideoEmailsAndLink(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newWorld(t)
	a := w.award(t, w.nom, 1, "Leadership Prize")
	clock := w.ed.Schedule.WinnersAnnounced
	svc := &results.Service{Deps: usecase.New(w.pool, notify.NewOutbox(w.pool), emails.Site{BaseURL: "https://prize.example"}, func() time.Time { return clock })}
	run := func() {
		t.Helper()
		for range 2 {
			if err := svc.SendResults(ctx); err != nil {
				t.Fatal(err)
			}
		}
	}
	run()
	for _, kind := range []string{"results-winner", "video-request"} {
		for _, to := range []string{"nominator@example.org", "kim@example.org"} {
			if n := count(t, w, `SELECT count(*) FROM email_outbox WHERE kind = $1 AND to_address = $2`, kind, to); n != 1 {
				t.Errorf("%s to %s: %d, want 1", kind, to, n)
			}
		}
	}
	clock = results.VideoDeadline(w.ed).Add(-24 * time.Hour)
	run()
	for _, to := range []string{"nominator@example.org", "kim@example.org"} {
		if n := count(t, w, `SELECT count(*) FROM email_outbox WHERE kind = 'video-reminder' AND to_address = $1`, to); n != 1 {
			t.Errorf("reminders to %s: %d, want 1", to, n)
		}
	}
	var text string
	if err := w.pool.QueryRow(ctx, `SELECT text_body FROM email_outbox WHERE kind = 'video-reminder' AND to_address = 'kim@example.org'`).Scan(&text); err != nil {
		t.Fatal(err)
	}
	i := strings.Index(text, "https://prize.example/winner/")
	if i < 0 || strings.Contains(text, "/awards/") || strings.Contains(text, "Sign in") {
		t.Fatalf("the candidate's reminder:\n%s", text)
	}
	token := strings.TrimSuffix(strings.Fields(text[i+len("https://prize.example/winner/"):])[0], "/video")

	c, own, ed, err := results.LoadCandidate(ctx, w.pool, token, clock)
	if err != nil || own.ID != a || c.Name != "Kim Min-ji" {
		t.Fatalf("the candidate's link: %+v %+v %v", c, own, err)
	}
	if _, _, _, err := results.LoadCandidate(ctx, w.pool, token, results.CandidateLinkExpires(w.ed)); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("the link once expired: %v, want not found", err)
	}
	if err := svc.SaveCandidateVideo(ctx, c, ed, own, "https://video.example.org/kim"); err != nil {
		t.Fatal(err)
	}
	var nominator int64
	if err := w.pool.QueryRow(ctx, `SELECT user_id FROM applications WHERE id = $1`, w.nom).Scan(&nominator); err != nil {
		t.Fatal(err)
	}
	mine, err := results.OwnAward(ctx, w.pool, nominator, a)
	if err != nil || mine.Video == nil || mine.Video.URL != "https://video.example.org/kim" || mine.Video.GivenBy(false) != "Kim Min-ji (the candidate)" || mine.Video.GivenBy(true) != "" {
		t.Fatalf("the nominator reads the candidate's video: %+v, %v", mine, err)
	}
	if n := count(t, w, `SELECT count(*) FROM audit_log WHERE action = $1 AND actor_id IS NULL AND actor_label = 'candidate Kim Min-ji <kim@example.org>'`, results.VideoAction); n != 1 {
		t.Errorf("the candidate's video audits: %d, want 1", n)
	}
}

// TestCoNominatorGetsTheOutcomeOnly: a repeat nomination of the winning candidate was merged into
// the winning one, so its nominator is a co-nominator (entry_addressees): the announcement sends
// them a copy of the winner's email, but not the video request or its reminders, whose links open
// the entry holder's pages; the announcement counts the entry once.
func TestCoNominatorGetsTheOutcomeOnly(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newWorld(t)
	w.award(t, w.nom, 1, "Leadership Prize")
	exec(t, w.pool, `
		WITH u AS (INSERT INTO users (login_id, email, name, password_hash, email_verified_at, entity_type, country, city, organisation, edition_id, category_id)
		           SELECT 'conominator', 'co@example.org', 'Co Nominator', 'x', now(), 'individual', 'KR', 'Busan', 'Busan Works', edition_id, category_id
		           FROM applications WHERE id = $1 RETURNING id, edition_id, category_id)
		INSERT INTO applications (user_id, edition_id, category_id, kind, status, answers, submitted_version, submitted_at, merged_into, merged_at)
		SELECT u.id, u.edition_id, u.category_id, 'nomination', 'merged', '{}', 1, now(), $1, now() FROM u`, w.nom)
	clock := w.ed.Schedule.WinnersAnnounced
	svc := &results.Service{Deps: usecase.New(w.pool, notify.NewOutbox(w.pool), emails.Site{BaseURL: "https://prize.example"}, func() time.Time { return clock })}
	if err := svc.SendResults(ctx); err != nil {
		t.Fatal(err)
	}
	clock = results.VideoDeadline(w.ed).Add(-24 * time.Hour)
	if err := svc.SendResults(ctx); err != nil {
		t.Fatal(err)
	}
	for kind, want := range map[string]int{"results-winner": 1, "video-request": 0, "video-reminder": 0} {
		if n := count(t, w, `SELECT count(*) FROM email_outbox WHERE kind = $1 AND to_address = 'co@example.org'`, kind); n != want {
			t.Errorf("%s to the co-nominator: %d, want %d", kind, n, want)
		}
	}
	for _, kind := range []string{"results-winner", "video-request"} {
		if n := count(t, w, `SELECT count(*) FROM email_outbox WHERE kind = $1 AND to_address = 'nominator@example.org'`, kind); n != 1 {
			t.Errorf("%s to the nominator: %d, want 1", kind, n)
		}
	}
}
