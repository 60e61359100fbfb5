package server_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/edition"
	"prizeportal/internal/notify/notifytest"
	"prizeportal/internal/results"
)

// TestCandidateWinnerPrivateLink: a Leadership winner's candidate, who has no account, receives
// the winner's email and the video request with a private link (read as received from the SMTP
// server), answers attendance and gives the video through it without signing in; the nominator,
// who receives the same emails with the signed-in pages, then sees both and who gave them. An
// unknown link is 404; a signed-out stranger holding the candidate's link reaches nothing else,
// and the link stops working once both deadlines have passed.
func TestCandidateWinnerPrivateLink(t *testing.T) {
	t.Parallel()
	w := newResultsWorld(t)
	ctx := context.Background()
	nom := w.leadershipWinner(t)
	var nominator, awardID int64
	w.e.pool.QueryRow(ctx, `SELECT user_id FROM applications WHERE id = $1`, nom).Scan(&nominator)
	w.e.pool.QueryRow(ctx, `SELECT id FROM awards WHERE application_id = $1`, nom).Scan(&awardID)
	w.exec(t, `INSERT INTO role_grants (user_id, role, edition_id) VALUES ($1, 'nominator', $2)`, nominator, w.edID)
	smtp := notifytest.StartSMTP(t)
	smtp.StartWorker(t, w.e.pool)
	w.clock.Advance(24 * time.Hour)
	w.run(t)

	// the emails as received: the candidate's carry the private link, the nominator's the signed-in pages
	won := smtp.WaitFor(t, "kim@seoul.example", "you won the Leadership Prize", 30*time.Second)
	attendance := notifytest.FirstLink(won.Text, "/winner/")
	if !strings.HasSuffix(attendance, "/attendance") || strings.Contains(won.Text, "Sign in") {
		t.Fatalf("the candidate's winner email:\n%s", won.Text)
	}
	request := smtp.WaitFor(t, "kim@seoul.example", "your video for the ceremony", 30*time.Second)
	video := notifytest.FirstLink(request.Text, "/winner/")
	if !strings.HasSuffix(video, "/video") || strings.Contains(request.Text, "Sign in") {
		t.Fatalf("the candidate's video request:\n%s", request.Text)
	}
	if m := smtp.WaitFor(t, "nora@paris.example", "your video for the ceremony", 30*time.Second); !strings.Contains(m.Text, videoPath(awardID)) ||
		strings.Contains(m.Text, "/winner/") {
		t.Errorf("the nominator's video request:\n%s", m.Text)
	}
	attendance, video = pathOf(t, attendance), pathOf(t, video)

	// the candidate answers without an account
	cand := w.e.client(t)
	if r := cand.get(attendance); r.status != 200 || !strings.Contains(r.body, "Leadership Prize") || !strings.Contains(r.body, `name="attend"`) {
		t.Fatalf("the candidate's attendance page: %d\n%s", r.status, r.body)
	}
	if r := cand.post(attendance, url.Values{"attend": {"yes"}, "representative_name": {"Cand Kim"}}); r.status != 422 ||
		!strings.Contains(r.body, "There is a problem") || !strings.Contains(r.body, `value="Cand Kim"`) {
		t.Errorf("an incomplete answer: %d", r.status)
	}
	if r := cand.post(attendance, url.Values{"attend": {"yes"}, "representative_name": {"Cand Kim"}, "representative_title": {"Chief Digital Officer"}}); r.status != 303 {
		t.Fatalf("the candidate's answer: %d %s", r.status, r.body)
	}
	if r := cand.get(attendance); !strings.Contains(r.body, "You confirmed on") || !strings.Contains(r.body, "Chief Digital Officer") {
		t.Errorf("the candidate's page after answering:\n%s", r.body)
	}
	if r := cand.post(video, url.Values{"url": {"https://video.example.org/cand-kim"}}); r.status != 303 {
		t.Fatalf("the candidate's video: %d %s", r.status, r.body)
	}
	var by string
	w.e.pool.QueryRow(ctx, `SELECT submitted_by_candidate FROM ceremony_videos WHERE award_id = $1 AND submitted_by IS NULL`, awardID).Scan(&by)
	if by != "Cand Kim" {
		t.Errorf("video given by %q", by)
	}
	if n := dbtest.Count(t, w.e.pool, `SELECT count(*) FROM audit_log WHERE actor_label = 'candidate Cand Kim <kim@seoul.example>'
		AND action IN ('award.attendance', 'results.video') AND object_id = $1`, fmt.Sprint(awardID)); n != 2 {
		t.Errorf("the candidate's audit entries: %d, want 2", n)
	}

	// the nominator sees the answers and who gave them
	nora := w.e.signedInClient(t, nominator)
	if r := nora.get(fmt.Sprintf("/awards/%d/attendance", awardID)); r.status != 200 || !strings.Contains(r.body, "Cand Kim (the candidate) confirmed on") {
		t.Errorf("the nominator's attendance page: %d\n%s", r.status, r.body)
	}
	if r := nora.get(videoPath(awardID)); r.status != 200 || !strings.Contains(r.body, "Given by Cand Kim (the candidate)") ||
		!strings.Contains(r.body, "https://video.example.org/cand-kim") {
		t.Errorf("the nominator's video page: %d\n%s", r.status, r.body)
	}

	// an unknown link, and a stranger holding the candidate's link
	stranger := w.e.client(t)
	for _, p := range []string{"/winner/NOSUCHTOKEN0123456789ABCDE/attendance", "/winner/NOSUCHTOKEN0123456789ABCDE/video"} {
		if r := stranger.get(p); r.status != 404 {
			t.Errorf("unknown link %s: %d, want 404", p, r.status)
		}
	}
	if r := stranger.get(fmt.Sprintf("/awards/%d/attendance", w.awards[0])); r.status != 303 || !strings.HasPrefix(r.location, "/signin") {
		t.Errorf("another award's attendance page, signed out: %d %q", r.status, r.location)
	}
	if r := stranger.post(videoPath(w.awards[0]), url.Values{"url": {"https://evil.example.org"}}); r.status == 303 && !strings.HasPrefix(r.location, "/signin") {
		t.Errorf("another award's video, signed out: %d %q", r.status, r.location)
	}
	if n := dbtest.Count(t, w.e.pool, `SELECT count(*) FROM ceremony_videos WHERE award_id <> $1`, awardID); n != 0 {
		t.Errorf("%d videos given for other awards", n)
	}
	ed, err := edition.ByID(ctx, w.e.pool, w.edID)
	if err != nil {
		t.Fatal(err)
	}
	w.clock.now = results.CandidateLinkExpires(ed)
	if r := cand.get(attendance); r.status != 404 {
		t.Errorf("an expired link: %d, want 404", r.status)
	}
}

// pathOf is the path of an absolute link.
func pathOf(t *testing.T, link string) string {
	t.Helper()
	u, err := url.Parse(link)
	if err != nil || u.Path == "" {
		t.Fatalf("link %q: %v", link, err)
	}
	return u.Path
}
