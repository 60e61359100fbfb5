package server_test

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"prizeportal/internal/ranking/rankingtest"
)

// awardsDay is after seoul-2023's winners' announcement (31 July 2023) and before its attendance
// deadline (one week before the ceremony: 17 September 2023, Asia/Seoul).
var awardsDay = time.Date(2023, 8, 10, 3, 0, 0, 0, time.UTC)

// awardWorld is a ballotWorld whose Tech-InnovaCity vote is closed with the final order A, B, C,
// D, E and whose winners A, B, C are confirmed, seeded in SQL; the entries' accounts hold the
// applicant role, and a committee head serves the edition.
type awardWorld struct {
	*ballotWorld
	owners []int64 // the account of entries[i]
	awards []int64 // the awards of A, B, C
	head   int64
}

func newAwardWorld(t *testing.T, now time.Time) *awardWorld {
	t.Helper()
	w := &awardWorld{ballotWorld: newBallotWorld(t, now, 3, 5)}
	ctx := context.Background()
	for _, id := range w.entries {
		var u int64
		if err := w.e.pool.QueryRow(ctx, `SELECT user_id FROM applications WHERE id = $1`, id).Scan(&u); err != nil {
			t.Fatal(err)
		}
		w.exec(t, `INSERT INTO role_grants (user_id, role, edition_id) VALUES ($1, 'applicant', $2)`, u, w.edID)
		w.owners = append(w.owners, u)
	}
	w.head = rankingtest.Evaluator(t, w.e.pool, w.edID, "head", "committee_head")
	w.exec(t, `INSERT INTO vote_results (edition_id, category_id, method, council, quorum, ballots, final_order, seed, closed_by, closed_at)
		SELECT $1, id, 'schulze', 3, 2, 3, $2, 'seed', $3, now() FROM categories WHERE edition_id = $1 AND key = 'tech-innovacity'`,
		w.edID, w.entries, w.members[0])
	for i, prize := range []string{"First Prize", "Second Prize", "Third Prize"} {
		var id int64
		if err := w.e.pool.QueryRow(ctx, `INSERT INTO awards (application_id, edition_id, category_id, place, prize_name, confirmed_by, confirmed_at)
			SELECT $1, $2, category_id, $3, $4, $5, now() FROM applications WHERE id = $1 RETURNING id`,
			w.entries[i], w.edID, i+1, prize, w.members[0]).Scan(&id); err != nil {
			t.Fatal(err)
		}
		w.awards = append(w.awards, id)
	}
	return w
}

func attendanceURL(award int64) string { return fmt.Sprintf("/awards/%d/attendance", award) }

func (w *awardWorld) awardsURL() string { return fmt.Sprintf("/awards?edition=%d", w.edID) }

// openProposal returns the id of the open proposal of award (0: none).
func (w *awardWorld) openProposal(t *testing.T, award int64) int64 {
	t.Helper()
	var id int64
	w.e.pool.QueryRow(context.Background(), `SELECT id FROM award_proposals WHERE award_id = $1 AND confirmed_at IS NULL`, award).Scan(&id)
	return id
}

// TestAttendanceOwnerAndDeadline: only the first-place winner's own account answers, from the
// winners' announcement until the attendance deadline; errors show next to the fields.
func TestAttendanceOwnerAndDeadline(t *testing.T) {
	t.Parallel()
	w := newAwardWorld(t, awardsDay)
	first := w.e.signedInClient(t, w.owners[0])
	if r := first.get("/dashboard"); !strings.Contains(r.body, attendanceURL(w.awards[0])) {
		t.Errorf("the dashboard lacks the attendance link:\n%s", r.body)
	}
	if r := first.get(attendanceURL(w.awards[0])); r.status != 200 || !strings.Contains(r.body, "Can you attend the ceremony?") {
		t.Fatalf("attendance page: %d", r.status)
	}
	second := w.e.signedInClient(t, w.owners[1])
	for path, want := range map[string]int{attendanceURL(w.awards[0]): 404, attendanceURL(w.awards[1]): 404, "/awards/x/attendance": 404} {
		if r := second.get(path); r.status != want {
			t.Errorf("second-place account GET %s: %d, want %d", path, r.status, want)
		}
	}
	if r := second.post(attendanceURL(w.awards[0]), url.Values{"attend": {"no"}}); r.status != 404 {
		t.Errorf("another account declining: %d, want 404", r.status)
	}
	// Invalid answers: errors next to the fields and a summary; what was typed stays.
	r := first.post(attendanceURL(w.awards[0]), url.Values{})
	if r.status != 422 || !strings.Contains(r.body, "There is a problem") || !strings.Contains(r.body, "Say whether you can attend the ceremony.") {
		t.Fatalf("empty answer: %d\n%s", r.status, r.body)
	}
	r = first.post(attendanceURL(w.awards[0]), url.Values{"attend": {"yes"}, "representative_name": {"Kim Min-jun"}})
	if r.status != 422 || !strings.Contains(r.body, "Enter the representative") || !strings.Contains(r.body, `value="Kim Min-jun"`) {
		t.Fatalf("missing title: %d\n%s", r.status, r.body)
	}
	r = first.post(attendanceURL(w.awards[0]), url.Values{"attend": {"yes"}, "representative_name": {"Kim Min-jun"}, "representative_title": {"Mayor"}})
	if r.status != 303 {
		t.Fatalf("attending: %d\n%s", r.status, r.body)
	}
	if r := first.get(attendanceURL(w.awards[0])); !strings.Contains(r.body, "Kim Min-jun (Mayor) attends the ceremony") {
		t.Errorf("answer not shown:\n%s", r.body)
	}
	if r := first.get("/dashboard"); strings.Contains(r.body, attendanceURL(w.awards[0])) {
		t.Errorf("the dashboard still asks for the answer")
	}
	var audited int
	w.e.pool.QueryRow(context.Background(), `SELECT count(*) FROM audit_log WHERE action = 'award.attendance'`).Scan(&audited)
	if audited != 1 {
		t.Errorf("audit entries: %d", audited)
	}

	// After the deadline: read-only, and a post is refused.
	late := newEnvOn(t, w.e.pool, time.Date(2023, 9, 20, 3, 0, 0, 0, time.UTC), nil)
	lc := late.signedInClient(t, w.owners[0])
	if r := lc.get(attendanceURL(w.awards[0])); r.status != 200 || !strings.Contains(r.body, "The deadline to confirm attendance passed") || strings.Contains(r.body, "Send my answer") {
		t.Errorf("after the deadline: %d\n%s", r.status, r.body)
	}
	if r := lc.post(attendanceURL(w.awards[0]), url.Values{"attend": {"no"}}); r.status != 409 {
		t.Errorf("declining after the deadline: %d, want 409", r.status)
	}
	if id := w.openProposal(t, w.awards[0]); id != 0 {
		t.Errorf("a late answer proposed a succession")
	}
	// Before the winners' announcement the page does not exist.
	early := newEnvOn(t, w.e.pool, votingDay, nil)
	if r := early.signedInClient(t, w.owners[0]).get(attendanceURL(w.awards[0])); r.status != 404 {
		t.Errorf("before the announcement: %d, want 404", r.status)
	}
}

// TestAwardInvalidationByHeadOrChair: the chair and the committee head invalidate with a
// reason; another council member, the secretariat and an evaluator get 403.
func TestAwardInvalidationByHeadOrChair(t *testing.T) {
	t.Parallel()
	w := newAwardWorld(t, awardsDay)
	path := func(i int) string { return fmt.Sprintf("/awards/%d/invalidate?edition=%d", w.awards[i], w.edID) }
	reason := func(i int, text string) url.Values { return url.Values{fmt.Sprintf("reason-%d", w.awards[i]): {text}} }
	for _, u := range []int64{w.members[1], w.secretariat, w.evaluator, w.owners[0]} {
		if r := w.e.signedInClient(t, u).post(path(1), reason(1, "Qualification not met.")); r.status != 403 {
			t.Errorf("user %d invalidating: %d, want 403", u, r.status)
		}
	}
	head := w.e.signedInClient(t, w.head)
	r := head.post(path(1), reason(1, "  "))
	if r.status != 422 || !strings.Contains(r.body, "Give the reason to invalidate Entry B.") || !strings.Contains(r.body, "There is a problem") {
		t.Fatalf("no reason: %d\n%s", r.status, r.body)
	}
	if r := head.post(path(1), reason(1, "The project did not meet the qualification requirements.")); r.status != 303 {
		t.Fatalf("head invalidates: %d\n%s", r.status, r.body)
	}
	if r := head.post(path(1), reason(1, "Again.")); r.status != 409 {
		t.Errorf("invalidating twice: %d, want 409", r.status)
	}
	chair := w.e.signedInClient(t, w.members[0])
	if r := chair.post(path(2), reason(2, "Brought disgrace on the Prize.")); r.status != 303 {
		t.Fatalf("chair invalidates: %d\n%s", r.status, r.body)
	}
	if r := chair.post(fmt.Sprintf("/awards/999999/invalidate?edition=%d", w.edID), url.Values{}); r.status != 404 {
		t.Errorf("an unknown award: %d, want 404", r.status)
	}
	// The secretariat reads the awards and the proposals, without a confirm button.
	r = w.e.signedInClient(t, w.secretariat).get(w.awardsURL())
	if r.status != 200 || !strings.Contains(r.body, "A change waits for the chair") || strings.Contains(r.body, "Confirm the new result") ||
		!strings.Contains(r.body, "Entry D receives the Second place (Second Prize).") ||
		!strings.Contains(r.body, "The project did not meet the qualification requirements.") {
		t.Errorf("secretariat awards page: %d\n%s", r.status, r.body)
	}
	if r := w.e.signedInClient(t, w.evaluator).get(w.awardsURL()); r.status != 403 {
		t.Errorf("an evaluator opening the awards: %d, want 403", r.status)
	}
	if r := head.get(w.awardsURL()); r.status != 200 {
		t.Errorf("the committee head opening the awards: %d", r.status)
	}
}

// TestAwardSuccessionChairConfirms: the first-place winner declines; the awards page shows the
// recomputed result (B first, C second, D third); only the chair confirms it; every entry that
// receives a new place is emailed, the new first place to confirm attendance.
func TestAwardSuccessionChairConfirms(t *testing.T) {
	t.Parallel()
	w := newAwardWorld(t, awardsDay)
	if r := w.e.signedInClient(t, w.owners[0]).post(attendanceURL(w.awards[0]), url.Values{"attend": {"no"}}); r.status != 303 {
		t.Fatalf("declining: %d\n%s", r.status, r.body)
	}
	if w.openProposal(t, w.awards[0]) == 0 {
		t.Fatal("no proposal after declining")
	}
	confirm := fmt.Sprintf("/awards/categories/tech-innovacity/confirm?edition=%d", w.edID)
	chair := w.e.signedInClient(t, w.members[0])
	page := chair.get(w.awardsURL())
	version := regexp.MustCompile(`name="version" value="([0-9a-f]+)"`).FindStringSubmatch(page.body)
	for _, want := range []string{"Entry A cannot attend the ceremony", "Entry B moves up from the Second place (Second Prize) to the First place (First Prize).",
		"Entry C moves up from the Third place (Third Prize) to the Second place (Second Prize).", "Entry D receives the Third place (Third Prize).",
		"Confirm the new result of Tech-InnovaCity"} {
		if !strings.Contains(page.body, want) {
			t.Fatalf("chair's awards page lacks %q:\n%s", want, page.body)
		}
	}
	if version == nil {
		t.Fatal("no version in the confirmation form")
	}
	for _, u := range []int64{w.members[1], w.head, w.secretariat} {
		if r := w.e.signedInClient(t, u).post(confirm, url.Values{"version": {version[1]}}); r.status != 403 {
			t.Errorf("user %d confirming: %d, want 403", u, r.status)
		}
	}
	// A stale version applies nothing.
	if r := chair.post(confirm, url.Values{"version": {"0123"}}); r.status != 303 || !strings.Contains(chair.get(w.awardsURL()).body, "changed since you opened this page") {
		t.Fatalf("a stale confirmation: %d", r.status)
	}
	if r := chair.post(confirm, url.Values{"version": {version[1]}}); r.status != 303 {
		t.Fatalf("chair confirms: %d\n%s", r.status, r.body)
	}
	ctx := context.Background()
	var status string
	w.e.pool.QueryRow(ctx, `SELECT status FROM awards WHERE id = $1`, w.awards[0]).Scan(&status)
	placeOf := func(i int) (int, int64) {
		var place int
		var id int64
		w.e.pool.QueryRow(ctx, `SELECT place, id FROM awards WHERE application_id = $1 AND status = 'confirmed'`, w.entries[i]).Scan(&place, &id)
		return place, id
	}
	b, newAward := placeOf(1)
	c, _ := placeOf(2)
	d, _ := placeOf(3)
	if status != "declined" || b != 1 || c != 2 || d != 3 {
		t.Fatalf("after the confirmation: A %s, B %d, C %d, D %d", status, b, c, d)
	}
	emails := func(owner int64, text string) int {
		var n int
		w.e.pool.QueryRow(ctx, `SELECT count(*) FROM email_outbox WHERE kind = 'award-successor' AND user_id = $1 AND text_body LIKE '%' || $2 || '%'`,
			owner, text).Scan(&n)
		return n
	}
	if emails(w.owners[1], attendanceURL(newAward)) != 1 || emails(w.owners[2], "Second Prize") != 1 || emails(w.owners[3], "Third Prize") != 1 {
		t.Errorf("emails to B, C, D: %d, %d, %d", emails(w.owners[1], attendanceURL(newAward)), emails(w.owners[2], "Second Prize"), emails(w.owners[3], "Third Prize"))
	}
	var audited int
	w.e.pool.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE action = 'award.succession'`).Scan(&audited)
	if audited != 1 {
		t.Errorf("succession audit entries: %d", audited)
	}
	if r := chair.post(confirm, url.Values{"version": {version[1]}}); r.status != 303 || !strings.Contains(chair.get(w.awardsURL()).body, "already applied") {
		t.Errorf("confirming twice: %d", r.status)
	}
	after := chair.get(w.awardsURL()).body
	if !strings.Contains(after, "The place went to Entry B.") || !strings.Contains(after, "Moved up to the First Prize.") {
		t.Errorf("the confirmed change is not shown:\n%s", after)
	}
	if r := chair.get(fmt.Sprintf("/council/ballots/tech-innovacity/protocol?edition=%d", w.edID)); !strings.Contains(r.body, "later declined") ||
		!strings.Contains(r.body, "later moved up to a better place") {
		t.Errorf("the protocol does not say what became of the awards: %d\n%s", r.status, r.body)
	}
	// B's account now answers for the first place.
	if r := w.e.signedInClient(t, w.owners[1]).get(attendanceURL(newAward)); r.status != 200 || !strings.Contains(r.body, "Send my answer") {
		t.Errorf("successor's attendance page: %d", r.status)
	}
	if r := w.e.signedInClient(t, w.owners[0]).get(attendanceURL(w.awards[0])); r.status != 200 || !strings.Contains(r.body, "This award passed to another entry") {
		t.Errorf("declined winner's page: %d\n%s", r.status, r.body)
	}
}
