package results_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"prizeportal/internal/db"
	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/edition"
	"prizeportal/internal/edition/editiontest"
	rt "prizeportal/internal/ranking/rankingtest"
	"prizeportal/internal/results"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// world is seoul-2023 with four Tech-InnovaCity semi-finalists (A–D; A, B and C won the first,
// second and third prizes; A's summary is public, B's confidential) and a Leadership
// nomination (candidate Kim Min-ji of Busan, Korea, nominated from Paris) that won a Leadership
// Prize.
type world struct {
	pool    *pgxpool.Pool
	ed      *edition.Edition
	chair   int64
	entries []int64 // A, B, C, D
	nom     int64
	awards  map[int64]int64 // application id -> award id
}

func exec(t *testing.T, pool *pgxpool.Pool, sql string, args ...any) {
	t.Helper()
	dbtest.Exec(t, pool, sql, args...)
}

func newWorld(t *testing.T) *world {
	t.Helper()
	pool := dbtest.New(t)
	w := &world{pool: pool, ed: editiontest.Import(t, pool, "seoul-2023")[0], awards: map[int64]int64{}}
	w.chair = rt.Evaluator(t, pool, w.ed.ID, "chair", "council")
	for _, l := range []string{"a", "b", "c", "d"} {
		w.entries = append(w.entries, rt.Entry(t, pool, w.ed.ID, "tech-innovacity", "entry"+l, "Entry "+l))
	}
	exec(t, pool, `UPDATE applications SET answers = answers || '{"summary": {"text": "A public summary."}}' WHERE id = $1`, w.entries[0])
	exec(t, pool, `UPDATE applications SET answers = answers || '{"summary": {"text": "B secret summary.", "confidential": true}}' WHERE id = $1`, w.entries[1])
	// the nomination: a nominator's account, a submitted nomination found eligible
	err := pool.QueryRow(context.Background(), `
		WITH c AS (SELECT id FROM categories WHERE edition_id = $1 AND key = 'leadership'),
		u AS (INSERT INTO users (login_id, email, name, password_hash, email_verified_at, entity_type, country, city, organisation, edition_id, category_id)
		      SELECT 'nominator', 'nominator@example.org', 'Nominator', 'x', now(), 'individual', 'FR', 'Paris', 'Paris Digital', $1, c.id FROM c RETURNING id, category_id),
		a AS (INSERT INTO applications (user_id, edition_id, category_id, kind, status, answers, submitted_version, submitted_at)
		      SELECT u.id, $1, u.category_id, 'nomination', 'submitted', '{"achievements_summary": {"text": "Led the smart port."}}', 1, now() FROM u
		      RETURNING id, user_id),
		n AS (INSERT INTO nominations (application_id, user_id, edition_id, self, candidate_name, candidate_email, candidate_organisation,
		                               candidate_city, candidate_country, created_at)
		      SELECT id, user_id, $1, false, 'Kim Min-ji', 'kim@example.org', 'Port of Busan', 'Busan', 'KR', now() FROM a)
		INSERT INTO screening_decisions (application_id, decision, decided_by, decided_at)
		SELECT a.id, 'eligible', a.user_id, now() FROM a RETURNING application_id`, w.ed.ID).Scan(&w.nom)
	if err != nil {
		t.Fatal(err)
	}
	for i, id := range append(w.entries, w.nom) {
		exec(t, pool, `INSERT INTO semi_finalists (application_id, edition_id, category_id, source, rank, added_at)
			SELECT $1, $2, category_id, 'ranking', $3, now() FROM applications WHERE id = $1`, id, w.ed.ID, i+1)
	}
	exec(t, pool, `INSERT INTO semi_finalist_lists (edition_id, category_id, confirmed_by, confirmed_at)
		SELECT $1, id, $2, now() FROM categories WHERE edition_id = $1 AND key IN ('tech-innovacity', 'leadership')`, w.ed.ID, w.chair)
	return w
}

// award records a confirmed award of app at place.
func (w *world) award(t *testing.T, app int64, place int, prize string) int64 {
	t.Helper()
	var id int64
	if err := w.pool.QueryRow(context.Background(), `INSERT INTO awards (application_id, edition_id, category_id, place, prize_name, confirmed_by, confirmed_at)
		SELECT id, edition_id, category_id, $2, $3, $4, now() FROM applications WHERE id = $1 RETURNING id`, app, place, prize, w.chair).Scan(&id); err != nil {
		t.Fatal(err)
	}
	w.awards[app] = id
	return id
}

func TestWinnersOutcomeAndRecipients(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newWorld(t)
	if o, _, err := results.Outcome(ctx, w.pool, w.entries[0]); err != nil || o != nil {
		t.Fatalf("outcome before any award: %v, %v", o, err)
	}
	w.award(t, w.entries[2], 3, "Third Prize")
	w.award(t, w.entries[0], 1, "First Prize")
	w.award(t, w.entries[1], 2, "Second Prize")
	w.award(t, w.nom, 1, "Leadership Prize")

	list, err := results.Winners(ctx, w.pool, w.ed.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 4 {
		t.Fatalf("%d winners, want 4", len(list))
	}
	var tech []results.Winner
	for _, x := range list {
		if x.ApplicationID != w.nom {
			tech = append(tech, x)
		}
	}
	if tech[0].Title != "Entry a" || tech[0].Place != 1 || tech[1].Place != 2 || tech[2].Place != 3 {
		t.Errorf("order: %+v", tech)
	}
	if a := tech[0]; a.Organisation != "Org entrya" || a.City != "City of entrya" || a.Country != "KR" || a.Summary != "A public summary." {
		t.Errorf("A: %+v", a)
	}
	if tech[1].Summary != "" {
		t.Errorf("B's confidential summary is published: %q", tech[1].Summary)
	}
	for _, x := range list {
		if x.ApplicationID == w.nom && (x.Title != "Kim Min-ji" || x.Organisation != "Port of Busan" || x.City != "Busan" || x.Country != "KR" || x.Summary != "Led the smart port." || x.Kind != "nomination") {
			t.Errorf("nomination winner: %+v", x)
		}
	}

	if o, prize, err := results.Outcome(ctx, w.pool, w.entries[0]); err != nil || o == nil || !*o || prize != "First Prize" {
		t.Errorf("A's outcome: %v %q %v", o, prize, err)
	}
	if o, prize, err := results.Outcome(ctx, w.pool, w.entries[3]); err != nil || o == nil || *o || prize != "" {
		t.Errorf("D's outcome: %v %q %v", o, prize, err)
	}

	var techID int64
	w.pool.QueryRow(ctx, `SELECT category_id FROM applications WHERE id = $1`, w.entries[0]).Scan(&techID)
	rcs, err := results.Recipients(ctx, w.pool, techID)
	if err != nil {
		t.Fatal(err)
	}
	if len(rcs) != 4 || !rcs[0].Winner() || rcs[0].Prize != "First Prize" || rcs[3].Winner() || rcs[3].ApplicationID != w.entries[3] {
		t.Errorf("recipients: %+v", rcs)
	}

	// The Leadership winner's candidate is told, the nominator's account gets the copy.
	var leadID int64
	w.pool.QueryRow(ctx, `SELECT category_id FROM applications WHERE id = $1`, w.nom).Scan(&leadID)
	if rcs, err = results.Recipients(ctx, w.pool, leadID); err != nil {
		t.Fatal(err)
	}
	if len(rcs) != 2 || rcs[0].Email != "nominator@example.org" || rcs[0].Candidate || rcs[0].UserID == 0 ||
		rcs[1].Email != "kim@example.org" || rcs[1].Name != "Kim Min-ji" || !rcs[1].Candidate || rcs[1].UserID != 0 || !rcs[1].Winner() {
		t.Errorf("leadership recipients: %+v", rcs)
	}

	// A succession: C's award is withdrawn and D gets the third place; the current state counts.
	exec(t, w.pool, `DELETE FROM awards WHERE id = $1`, w.awards[w.entries[2]])
	w.award(t, w.entries[3], 3, "Third Prize")
	if o, _, _ := results.Outcome(ctx, w.pool, w.entries[2]); o == nil || *o {
		t.Errorf("C after the succession: %v", o)
	}
	if o, prize, _ := results.Outcome(ctx, w.pool, w.entries[3]); o == nil || !*o || prize != "Third Prize" {
		t.Errorf("D after the succession: %v %q", o, prize)
	}
}

func TestAnnouncementClaimAndVideoEmails(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newWorld(t)
	a := w.award(t, w.entries[0], 1, "First Prize")
	var techID int64
	w.pool.QueryRow(ctx, `SELECT category_id FROM applications WHERE id = $1`, w.entries[0]).Scan(&techID)
	pending, err := results.Pending(ctx, w.pool, w.ed.ID)
	if err != nil || len(pending) != 1 || pending[0] != techID {
		t.Fatalf("pending: %v %v", pending, err)
	}
	deadline := results.VideoDeadline(w.ed)
	if want := time.Date(2023, 9, 16, 15, 0, 0, 0, time.UTC); !deadline.Equal(want) {
		t.Errorf("video deadline %v, want %v (17 September 2023, 00:00 KST)", deadline, want)
	}
	// nothing is due before the category is announced
	announced := w.ed.Schedule.WinnersAnnounced
	if due, err := results.DueVideoEmails(ctx, w.pool, w.ed.ID, deadline, announced); err != nil || len(due) != 0 {
		t.Fatalf("due before the announcement: %v %v", due, err)
	}
	claim := func(now time.Time) bool {
		var ok bool
		if err := db.InTx(ctx, w.pool, func(tx pgx.Tx) error {
			var err error
			ok, err = results.Claim(ctx, tx, w.ed.ID, techID, now)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return ok
	}
	if !claim(announced) || claim(announced) {
		t.Fatal("the announcement is claimed more or less than once")
	}
	if pending, _ := results.Pending(ctx, w.pool, w.ed.ID); len(pending) != 0 {
		t.Errorf("pending after the announcement: %v", pending)
	}
	due, err := results.DueVideoEmails(ctx, w.pool, w.ed.ID, deadline, announced)
	if err != nil || len(due) != 1 || due[0].Stage != results.StageRequest || due[0].AwardID != a {
		t.Fatalf("due request: %+v %v", due, err)
	}
	claimVideo := func(stage string, now time.Time) bool {
		var ok bool
		if err := db.InTx(ctx, w.pool, func(tx pgx.Tx) error {
			var err error
			ok, err = results.ClaimVideoEmail(ctx, tx, a, stage, now)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return ok
	}
	if !claimVideo(results.StageRequest, announced) || claimVideo(results.StageRequest, announced) {
		t.Fatal("the request is claimed more or less than once")
	}
	steps := []struct {
		at   time.Time
		want string
	}{
		{announced.Add(time.Hour), ""},
		{deadline.Add(-80 * time.Hour), ""},
		{deadline.Add(-70 * time.Hour), results.Stage3Days},
		{deadline.Add(-10 * time.Hour), results.Stage1Day},
		{deadline, ""},
	}
	for _, s := range steps {
		due, err := results.DueVideoEmails(ctx, w.pool, w.ed.ID, deadline, s.at)
		if err != nil {
			t.Fatal(err)
		}
		got := ""
		if len(due) == 1 {
			got = due[0].Stage
		}
		if len(due) > 1 || got != s.want {
			t.Errorf("at %v: %+v, want stage %q", s.at, due, s.want)
		}
		if got != "" {
			claimVideo(got, s.at)
		}
	}
	// a winner with a video gets no reminder
	if err := db.InTx(ctx, w.pool, func(tx pgx.Tx) error {
		return results.SaveVideo(ctx, tx, a, results.By{UserID: w.chair}, "https://video.example.org/a", deadline.Add(-100*time.Hour))
	}); err != nil {
		t.Fatal(err)
	}
	exec(t, w.pool, `DELETE FROM video_emails WHERE stage <> 'request'`)
	if due, _ := results.DueVideoEmails(ctx, w.pool, w.ed.ID, deadline, deadline.Add(-70*time.Hour)); len(due) != 0 {
		t.Errorf("reminder despite the video: %+v", due)
	}
}

func TestOwnAwardAndVideo(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newWorld(t)
	a := w.award(t, w.entries[0], 1, "First Prize")
	var owner, other int64
	w.pool.QueryRow(ctx, `SELECT user_id FROM applications WHERE id = $1`, w.entries[0]).Scan(&owner)
	w.pool.QueryRow(ctx, `SELECT user_id FROM applications WHERE id = $1`, w.entries[1]).Scan(&other)
	if _, err := results.OwnAward(ctx, w.pool, other, a); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("another account's award: %v", err)
	}
	got, err := results.OwnAward(ctx, w.pool, owner, a)
	if err != nil || got.Title != "Entry a" || got.Prize != "First Prize" || got.Video != nil {
		t.Fatalf("own award: %+v %v", got, err)
	}
	now := time.Date(2023, 8, 1, 0, 0, 0, 0, time.UTC)
	for _, link := range []string{"https://video.example.org/a", "https://video.example.org/b"} {
		if err := db.InTx(ctx, w.pool, func(tx pgx.Tx) error { return results.SaveVideo(ctx, tx, a, results.By{UserID: owner}, link, now) }); err != nil {
			t.Fatal(err)
		}
		now = now.Add(time.Hour)
	}
	got, _ = results.OwnAward(ctx, w.pool, owner, a)
	if got.Video == nil || got.Video.URL != "https://video.example.org/b" || !got.Video.UpdatedAt.After(got.Video.SubmittedAt) {
		t.Errorf("video: %+v", got.Video)
	}
	if list, err := results.OwnAwards(ctx, w.pool, owner, w.ed.ID); err != nil || len(list) != 1 {
		t.Errorf("own awards: %v %v", list, err)
	}
	// an award no longer current is nobody's
	exec(t, w.pool, `DELETE FROM awards WHERE id = $1`, a)
	if _, err := results.OwnAward(ctx, w.pool, owner, a); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("removed award: %v", err)
	}
}

func TestCheckVideoURL(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"  https://video.example.org/x ": "https://video.example.org/x",
		"HTTPS://Video.example.org/x":    "https://Video.example.org/x",
		"http://example.org":             "http://example.org",
		"":                               "",
		"video.example.org/x":            "",
		"ftp://example.org/x":            "",
		"javascript:alert(1)":            "",
		"https://":                       "",
		"https://example.org/a b":        "",
	} {
		got, msg := results.CheckVideoURL(in)
		if got != want || (want == "") != (msg != "") {
			t.Errorf("CheckVideoURL(%q) = %q, %q; want %q", in, got, msg, want)
		}
	}
}
