package server_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/ranking/rankingtest"
)

// Seoul-2023's announcement: winners_announced 31 July 2023 (Asia/Seoul), ceremony from 24
// September, so the video deadline is 17 September 2023, 00:00 KST.
var (
	winnersDay    = time.Date(2023, 7, 30, 15, 0, 0, 0, time.UTC)
	videoDeadline = time.Date(2023, 9, 16, 15, 0, 0, 0, time.UTC)
)

// resultsWorld is seoul-2023 on a test clock with four confirmed Tech-InnovaCity
// semi-finalists A–D (applicants with accounts) of which A, B and C won the first, second and
// third prizes (A's summary is public, B's confidential), and a secretariat member.
type resultsWorld struct {
	e           *env
	clock       *testClock
	edID        int64
	chair       int64
	secretariat int64
	entries     []int64 // A, B, C, D
	users       []int64 // their accounts
	awards      []int64 // A, B, C
}

func newResultsWorld(t *testing.T) *resultsWorld {
	t.Helper()
	clock := &testClock{now: winnersDay.Add(-24 * time.Hour)}
	e := newEnvWithClock(t, clock)
	w := &resultsWorld{e: e, clock: clock}
	ctx := context.Background()
	e.pool.QueryRow(ctx, `SELECT id FROM editions WHERE slug = 'seoul-2023'`).Scan(&w.edID)
	w.chair = rankingtest.Evaluator(t, e.pool, w.edID, "chair", "council")
	w.secretariat = rankingtest.Evaluator(t, e.pool, w.edID, "sec", "secretariat")
	for i, l := range []string{"a", "b", "c", "d"} {
		id := rankingtest.Entry(t, e.pool, w.edID, "tech-innovacity", "entry"+l, "Entry "+strings.ToUpper(l))
		w.entries = append(w.entries, id)
		var u int64
		e.pool.QueryRow(ctx, `SELECT user_id FROM applications WHERE id = $1`, id).Scan(&u)
		w.users = append(w.users, u)
		w.exec(t, `INSERT INTO role_grants (user_id, role, edition_id) VALUES ($1, 'applicant', $2)`, u, w.edID)
		w.exec(t, `INSERT INTO semi_finalists (application_id, edition_id, category_id, source, rank, added_at)
			SELECT $1, $2, category_id, 'ranking', $3, now() FROM applications WHERE id = $1`, id, w.edID, i+1)
	}
	w.exec(t, `UPDATE applications SET answers = answers || '{"summary": {"text": "Alpha makes buses talk."}}' WHERE id = $1`, w.entries[0])
	w.exec(t, `UPDATE applications SET answers = answers || '{"summary": {"text": "Bravo secret plan.", "confidential": true}}' WHERE id = $1`, w.entries[1])
	w.exec(t, `INSERT INTO semi_finalist_lists (edition_id, category_id, confirmed_by, confirmed_at)
		SELECT $1, id, $2, now() FROM categories WHERE edition_id = $1 AND key = 'tech-innovacity'`, w.edID, w.secretariat)
	for i, prize := range []string{"First Prize", "Second Prize", "Third Prize"} {
		w.awards = append(w.awards, w.award(t, w.entries[i], i+1, prize))
	}
	return w
}

func (w *resultsWorld) exec(t *testing.T, sql string, args ...any) {
	t.Helper()
	dbtest.Exec(t, w.e.pool, sql, args...)
}

func (w *resultsWorld) award(t *testing.T, app int64, place int, prize string) int64 {
	t.Helper()
	var id int64
	if err := w.e.pool.QueryRow(context.Background(), `INSERT INTO awards (application_id, edition_id, category_id, place, prize_name, confirmed_by, confirmed_at)
		SELECT id, edition_id, category_id, $2, $3, $4, now() FROM applications WHERE id = $1 RETURNING id`, app, place, prize, w.chair).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

// emails counts the outbox emails of kind (to addr when not empty).
func (w *resultsWorld) emails(t *testing.T, kind, addr string) int {
	t.Helper()
	return dbtest.Count(t, w.e.pool, `SELECT count(*) FROM email_outbox WHERE kind = $1 AND ($2 = '' OR to_address = $2)`,
		kind, addr)
}

func (w *resultsWorld) run(t *testing.T) {
	t.Helper()
	w.e.runTask(t, "results-announcement", w.clock.Now)
}

func videoPath(award int64) string { return fmt.Sprintf("/awards/%d/video", award) }

// TestResultsPageFromTheAnnouncement: before the announcement the public page says when and
// reveals no winner; from it, the winners by place with their published details (never a
// confidential summary) and the special mentions; the edition page links to it.
func TestResultsPageFromTheAnnouncement(t *testing.T) {
	t.Parallel()
	w := newResultsWorld(t)
	w.exec(t, `INSERT INTO special_mentions (edition_id, award, recipient_name, city, country, partner, citation, created_by, created_at)
		VALUES ($1, 'Smart City Index', 'Lisbon', 'Lisbon', 'PT', 'Index research', 'For open data.', $2, now())`, w.edID, w.secretariat)
	c := w.e.client(t)
	r := c.get("/editions/seoul-2023/results")
	if r.status != 200 || !strings.Contains(r.body, "The winners will be announced on 31 July 2023 (Asia/Seoul time).") {
		t.Fatalf("before: %d\n%s", r.status, r.body)
	}
	for _, leak := range []string{"Entry A", "Org entrya", "First Prize", "Lisbon", "Alpha makes buses talk"} {
		if strings.Contains(r.body, leak) {
			t.Errorf("the page reveals %q before the announcement", leak)
		}
	}
	if r := c.get("/editions/seoul-2023"); strings.Contains(r.body, `href="/editions/seoul-2023/results"`) {
		t.Errorf("the edition page links to the results before the announcement")
	}

	w.clock.Advance(24 * time.Hour)
	r = c.get("/editions/seoul-2023/results")
	if r.status != 200 {
		t.Fatalf("after: %d", r.status)
	}
	for _, want := range []string{"First place", "First Prize", "Entry A", "Org entrya", "City of entrya, Korea (South)", "Alpha makes buses talk.",
		"Second Prize", "Entry B", "Third Prize", "Entry C", "Special mentions", "Smart City Index", "Lisbon", "For open data.",
		"No entry was submitted in this category: it has no winners."} {
		if !strings.Contains(r.body, want) {
			t.Errorf("the results page lacks %q", want)
		}
	}
	if strings.Index(r.body, "Entry A") > strings.Index(r.body, "Entry B") || strings.Index(r.body, "Entry B") > strings.Index(r.body, "Entry C") {
		t.Errorf("winners not in the order of places")
	}
	for _, leak := range []string{"Bravo secret plan", "Entry D"} {
		if strings.Contains(r.body, leak) {
			t.Errorf("the results page shows %q", leak)
		}
	}
	if r := c.get("/editions/seoul-2023"); !strings.Contains(r.body, `href="/editions/seoul-2023/results"`) {
		t.Errorf("the edition page does not link to the results")
	}
	// the current state: C's award withdrawn, D succeeds to the third place
	w.exec(t, `DELETE FROM awards WHERE id = $1`, w.awards[2])
	w.award(t, w.entries[3], 3, "Third Prize")
	r = c.get("/editions/seoul-2023/results")
	if !strings.Contains(r.body, "Entry D") || strings.Contains(r.body, "Entry C") {
		t.Errorf("the page does not show the current winners")
	}
	if r := c.get("/editions/nope/results"); r.status != 404 {
		t.Errorf("unknown edition: %d", r.status)
	}
}

// TestResultsAnnouncementEmails: the task sends nothing before the date; on it, the outcome to
// every confirmed semi-finalist and the video request to each winner, exactly once however
// often it runs; later a successor gets the request, and winners without a video the reminders
// three days and one day before the deadline, each once; nothing after the deadline.
func TestResultsAnnouncementEmails(t *testing.T) {
	t.Parallel()
	w := newResultsWorld(t)
	w.run(t)
	if n := w.emails(t, "results-winner", "") + w.emails(t, "results-outcome", "") + w.emails(t, "video-request", ""); n != 0 {
		t.Fatalf("%d emails before the announcement", n)
	}
	w.clock.Advance(24 * time.Hour)
	w.run(t)
	w.run(t)
	if a, o, v := w.emails(t, "results-winner", ""), w.emails(t, "results-outcome", ""), w.emails(t, "video-request", ""); a != 3 || o != 1 || v != 3 {
		t.Fatalf("winner %d, outcome %d, video requests %d; want 3, 1, 3", a, o, v)
	}
	if w.emails(t, "results-outcome", "entryd@example.org") != 1 || w.emails(t, "results-winner", "entrya@example.org") != 1 {
		t.Errorf("the wrong people got the outcomes")
	}
	var text string
	w.e.pool.QueryRow(context.Background(), `SELECT text_body FROM email_outbox WHERE kind = 'results-winner' AND to_address = 'entrya@example.org'`).Scan(&text)
	if !strings.Contains(text, "First Prize") || !strings.Contains(text, "“Entry A”") {
		t.Errorf("winner email:\n%s", text)
	}
	w.e.pool.QueryRow(context.Background(), `SELECT text_body FROM email_outbox WHERE kind = 'video-request' AND to_address = 'entrya@example.org'`).Scan(&text)
	if !strings.Contains(text, "16 September 2023, 23:59 KST") || !strings.Contains(text, videoPath(w.awards[0])) {
		t.Errorf("video request:\n%s", text)
	}
	var audits int
	w.e.pool.QueryRow(context.Background(), `SELECT count(*) FROM audit_log WHERE action = 'results.announce'`).Scan(&audits)
	if audits != 1 {
		t.Errorf("%d announcement audit entries, want 1", audits)
	}

	// a succession after the announcement: D gets the request, no second outcome email
	w.exec(t, `DELETE FROM awards WHERE id = $1`, w.awards[2])
	w.award(t, w.entries[3], 3, "Third Prize")
	w.clock.Advance(time.Hour)
	w.run(t)
	w.run(t)
	if w.emails(t, "video-request", "entryd@example.org") != 1 || w.emails(t, "results-winner", "") != 3 {
		t.Errorf("succession: %d requests to D, %d winner emails", w.emails(t, "video-request", "entryd@example.org"), w.emails(t, "results-winner", ""))
	}

	// A gives a video; the others are reminded three days, then one day before the deadline
	w.exec(t, `INSERT INTO ceremony_videos (award_id, url, submitted_by, submitted_at, updated_at) VALUES ($1, 'https://v.example.org/a', $2, now(), now())`,
		w.awards[0], w.users[0])
	w.clock.now = videoDeadline.Add(-70 * time.Hour)
	w.run(t)
	w.run(t)
	if n := w.emails(t, "video-reminder", ""); n != 2 || w.emails(t, "video-reminder", "entrya@example.org") != 0 {
		t.Errorf("three-day reminders: %d, want 2 (B and D)", n)
	}
	w.clock.now = videoDeadline.Add(-10 * time.Hour)
	w.run(t)
	w.run(t)
	if n := w.emails(t, "video-reminder", ""); n != 4 {
		t.Errorf("reminders after the one-day stage: %d, want 4", n)
	}
	w.clock.now = videoDeadline
	w.run(t)
	if n := w.emails(t, "video-reminder", ""); n != 4 {
		t.Errorf("reminders after the deadline: %d", n)
	}
}

// TestVideoLink: the winner gives and changes the link before the deadline (validated, the
// typed text kept on error, audited); after it the page is read-only and a post is refused.
func TestVideoLink(t *testing.T) {
	t.Parallel()
	w := newResultsWorld(t)
	c := w.e.signedInClient(t, w.users[0])
	path := videoPath(w.awards[0])
	if r := c.get(path); r.status != 404 {
		t.Fatalf("before the announcement: %d, want 404", r.status)
	}
	w.clock.Advance(24 * time.Hour)
	r := c.get(path)
	if r.status != 200 || !strings.Contains(r.body, "First Prize") || !strings.Contains(r.body, "16 September 2023, 23:59 KST") || !strings.Contains(r.body, `name="url"`) {
		t.Fatalf("video page: %d\n%s", r.status, r.body)
	}
	for typed, msg := range map[string]string{
		"":                    "Enter the link to your video.",
		"video.example.org/x": "Enter a full web address starting with https://",
		"ftp://example.org/x": "Enter a full web address starting with https://",
	} {
		r := c.post(path, url.Values{"url": {typed}})
		if r.status != 422 || !strings.Contains(r.body, msg) || !strings.Contains(r.body, "There is a problem") || !strings.Contains(r.body, `value="`+typed+`"`) {
			t.Errorf("link %q: %d", typed, r.status)
		}
	}
	if r := c.post(path, url.Values{"url": {" https://video.example.org/alpha "}}); r.status != 303 {
		t.Fatalf("valid link: %d %s", r.status, r.body)
	}
	r = c.get(path)
	if !strings.Contains(r.body, "the link to your video is saved") || !strings.Contains(r.body, `href="https://video.example.org/alpha"`) {
		t.Errorf("after saving:\n%s", r.body)
	}
	c.post(path, url.Values{"url": {"https://video.example.org/alpha-2"}})
	var link string
	var audits int
	w.e.pool.QueryRow(context.Background(), `SELECT url FROM ceremony_videos WHERE award_id = $1`, w.awards[0]).Scan(&link)
	w.e.pool.QueryRow(context.Background(), `SELECT count(*) FROM audit_log WHERE action = 'results.video'`).Scan(&audits)
	if link != "https://video.example.org/alpha-2" || audits != 2 {
		t.Errorf("stored %q, %d audit entries", link, audits)
	}
	// the dashboard links to the video page
	if r := c.get("/dashboard"); !strings.Contains(r.body, `href="`+path+`"`) {
		t.Errorf("the dashboard does not link to the video page")
	}
	w.clock.now = videoDeadline
	r = c.get(path)
	if r.status != 200 || strings.Contains(r.body, `name="url"`) || !strings.Contains(r.body, "The deadline for the ceremony video passed") ||
		!strings.Contains(r.body, "https://video.example.org/alpha-2") {
		t.Errorf("after the deadline: %d\n%s", r.status, r.body)
	}
	if r := c.post(path, url.Values{"url": {"https://video.example.org/late"}}); r.status != 409 {
		t.Errorf("post after the deadline: %d, want 409", r.status)
	}
	w.e.pool.QueryRow(context.Background(), `SELECT url FROM ceremony_videos WHERE award_id = $1`, w.awards[0]).Scan(&link)
	if link != "https://video.example.org/alpha-2" {
		t.Errorf("a late post changed the link: %q", link)
	}
}

// TestVideoAccess: only the account that entered the winning entry (for a nomination, its
// nominator) opens its video page; another applicant and an unknown award are 404, other roles
// 403, an anonymous visitor is sent to sign in.
func TestVideoAccess(t *testing.T) {
	t.Parallel()
	w := newResultsWorld(t)
	w.clock.Advance(24 * time.Hour)
	path := videoPath(w.awards[0])
	// a Leadership nomination that won: its nominator opens the page
	var nominator, nom int64
	ctx := context.Background()
	w.e.pool.QueryRow(ctx, `INSERT INTO users (login_id, email, name, password_hash, email_verified_at, edition_id)
		VALUES ('nom', 'nom@example.org', 'Nominator', 'x', now(), $1) RETURNING id`, w.edID).Scan(&nominator)
	w.exec(t, `INSERT INTO role_grants (user_id, role, edition_id) VALUES ($1, 'nominator', $2)`, nominator, w.edID)
	if err := w.e.pool.QueryRow(ctx, `
		WITH a AS (INSERT INTO applications (user_id, edition_id, category_id, kind, status, submitted_at)
		           SELECT $1, $2, id, 'nomination', 'submitted', now() FROM categories WHERE edition_id = $2 AND key = 'leadership' RETURNING id)
		INSERT INTO nominations (application_id, user_id, edition_id, self, candidate_name, candidate_email, created_at)
		SELECT id, $1, $2, false, 'Kim Min-ji', 'kim@example.org', now() FROM a RETURNING application_id`, nominator, w.edID).Scan(&nom); err != nil {
		t.Fatal(err)
	}
	nomAward := w.award(t, nom, 1, "Leadership Prize")
	if r := w.e.signedInClient(t, nominator).get(videoPath(nomAward)); r.status != 200 || !strings.Contains(r.body, "your nomination of Kim Min-ji") {
		t.Errorf("nominator's video page: %d", r.status)
	}
	if r := w.e.signedInClient(t, nominator).get(path); r.status != 404 {
		t.Errorf("nominator on A's award: %d, want 404", r.status)
	}
	other := w.e.signedInClient(t, w.users[3])
	if r := other.get(path); r.status != 404 {
		t.Errorf("another applicant: %d, want 404", r.status)
	}
	if r := other.post(path, url.Values{"url": {"https://evil.example.org"}}); r.status != 404 {
		t.Errorf("another applicant's post: %d, want 404", r.status)
	}
	if r := other.get("/awards/999999/video"); r.status != 404 {
		t.Errorf("unknown award: %d", r.status)
	}
	for _, u := range []int64{w.secretariat, w.chair} {
		if r := w.e.signedInClient(t, u).get(path); r.status != 403 {
			t.Errorf("staff %d: %d, want 403", u, r.status)
		}
	}
	if r := w.e.client(t).get(path); r.status != 303 || !strings.HasPrefix(r.location, "/signin") {
		t.Errorf("anonymous: %d %q", r.status, r.location)
	}
	var n int
	w.e.pool.QueryRow(ctx, `SELECT count(*) FROM ceremony_videos`).Scan(&n)
	if n != 0 {
		t.Errorf("%d videos saved by others", n)
	}
}

// TestResultsStatusTimeline: the applicant's status shows the outcome only from the
// announcement: "Winner: First Prize" for A, "Not among the winners" for D.
func TestResultsStatusTimeline(t *testing.T) {
	t.Parallel()
	w := newResultsWorld(t)
	w.clock.now = time.Date(2023, 7, 29, 0, 0, 0, 0, time.UTC)
	a := w.e.signedInClient(t, w.users[0])
	if r := a.get("/application/status"); r.status != 200 || strings.Contains(r.body, "First Prize") || !strings.Contains(r.body, "Winner or not") {
		t.Fatalf("before the announcement: %d\n%s", r.status, r.body)
	}
	w.clock.now = winnersDay
	if r := a.get("/application/status"); !strings.Contains(r.body, "Winner: First Prize") {
		t.Errorf("A's status after the announcement lacks the prize")
	}
	if r := w.e.signedInClient(t, w.users[3]).get("/application/status"); !strings.Contains(r.body, "Not among the winners") {
		t.Errorf("D's status after the announcement")
	}
}

// leadershipWinner adds to w the Leadership nomination of Cand Kim (Seoul Metropolitan
// Government, Seoul, Korea) by Nora Nominator of Paris, France, a confirmed semi-finalist who
// won the Leadership Prize, and returns the application's id.
func (w *resultsWorld) leadershipWinner(t *testing.T) int64 {
	t.Helper()
	var nom int64
	if err := w.e.pool.QueryRow(context.Background(), `
		WITH c AS (SELECT id FROM categories WHERE edition_id = $1 AND key = 'leadership'),
		u AS (INSERT INTO users (login_id, email, name, password_hash, email_verified_at, entity_type, country, city, organisation, edition_id, category_id)
		      SELECT 'nora', 'nora@paris.example', 'Nora Nominator', 'x', now(), 'individual', 'FR', 'Paris', 'Paris Digital', $1, c.id FROM c
		      RETURNING id, category_id),
		a AS (INSERT INTO applications (user_id, edition_id, category_id, kind, status, submitted_version, submitted_at)
		      SELECT id, $1, category_id, 'nomination', 'submitted', 1, now() FROM u RETURNING id, user_id, category_id),
		n AS (INSERT INTO nominations (application_id, user_id, edition_id, self, candidate_name, candidate_email, candidate_organisation,
		                               candidate_city, candidate_country, consent, created_at)
		      SELECT id, user_id, $1, false, 'Cand Kim', 'kim@seoul.example', 'Seoul Metropolitan Government', 'Seoul', 'KR', 'given', now() FROM a),
		s AS (INSERT INTO semi_finalists (application_id, edition_id, category_id, source, rank, added_at)
		      SELECT id, $1, category_id, 'ranking', 1, now() FROM a)
		INSERT INTO semi_finalist_lists (edition_id, category_id, confirmed_by, confirmed_at)
		SELECT $1, category_id, $2, now() FROM a RETURNING (SELECT id FROM a)`, w.edID, w.secretariat).Scan(&nom); err != nil {
		t.Fatal(err)
	}
	w.award(t, nom, 1, "Leadership Prize")
	return nom
}
