package award_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"prizeportal/internal/authz"
	"prizeportal/internal/award"
	"prizeportal/internal/blocks/usecase"
	"prizeportal/internal/db"
	"prizeportal/internal/notify"
	"prizeportal/internal/notify/emails"
	"prizeportal/internal/ranking/rankingtest"
	"prizeportal/internal/results"
)

// leadershipWorld adds to w a closed Leadership vote whose final order is the nominations L1, L2,
// L3 (third-party nominations of the candidates Cand One, Cand Two, Cand Three, each with a
// nominator's account); the category gives two first places, to L1 and L2.
func (w *world) leadershipWorld() {
	w.t.Helper()
	w.cat, _ = w.ed.Category("leadership")
	var order []int64
	for i, l := range []string{"L1", "L2", "L3"} {
		id := rankingtest.Entry(w.t, w.pool, w.ed.ID, "leadership", "nom"+strings.ToLower(l), "")
		name := "Cand " + []string{"One", "Two", "Three"}[i]
		w.exec(`UPDATE applications SET kind = 'nomination' WHERE id = $1`, id)
		w.exec(`INSERT INTO nominations (application_id, user_id, edition_id, self, candidate_name, candidate_email, consent, created_at)
			SELECT id, user_id, edition_id, false, $2, lower(replace($2, ' ', '.')) || '@cand.example', 'given', now() FROM applications WHERE id = $1`, id, name)
		w.entries[l] = id
		var u int64
		if err := w.pool.QueryRow(w.ctx, `SELECT user_id FROM applications WHERE id = $1`, id).Scan(&u); err != nil {
			w.t.Fatal(err)
		}
		w.owner[l] = u
		order = append(order, id)
	}
	w.exec(`INSERT INTO vote_results (edition_id, category_id, method, council, quorum, ballots, final_order, seed, closed_by, closed_at)
		VALUES ($1, $2, 'schulze', 2, 2, 2, $3, 'seed', $4, now())`, w.ed.ID, w.cat.ID, order, w.chair)
	for _, l := range []string{"L1", "L2"} {
		w.exec(`INSERT INTO awards (application_id, edition_id, category_id, place, prize_name, confirmed_by, confirmed_at)
			VALUES ($1, $2, $3, 1, 'Leadership Prize', $4, now())`, w.entries[l], w.ed.ID, w.cat.ID, w.chair)
	}
}

// candidateLink makes a private link to the standing award of l for its candidate.
func (w *world) candidateLink(l string) string {
	w.t.Helper()
	path, err := results.NewCandidateLink(w.ctx, w.pool, w.ed, w.awardOf(l), now)
	if err != nil {
		w.t.Fatal(err)
	}
	return strings.TrimPrefix(path, "/winner/")
}

// TestCandidateAnswersThroughTheLink: a winning nomination's candidate, who has no account,
// answers for the ceremony through their private link with the account's rules; the answer is
// the entry's (the nominator's page shows it and who gave it, and the nominator can no longer
// answer after a "cannot attend"), audited in the candidate's name; the link opens its own
// award only, and not after it expires. The succession then emails both the nominator (the
// signed-in page) and the candidate (a new private link) of the entry that moves up.
func TestCandidateAnswersThroughTheLink(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.leadershipWorld()
	svc := &award.Service{Deps: usecase.New(w.pool, notify.NewOutbox(w.pool), emails.Site{BaseURL: "https://prize.example"}, func() time.Time { return now })}

	token := w.candidateLink("L1")
	c, a, ed, err := award.LoadCandidateFirst(w.ctx, w.pool, token, now)
	if err != nil || a.ID != w.awardOf("L1") || c.Name != "Cand One" || c.Email != "cand.one@cand.example" || ed.ID != w.ed.ID {
		t.Fatalf("the candidate's link: %+v %+v %v", c, a, err)
	}
	for name, load := range map[string]func() error{
		"unknown": func() error {
			_, _, _, err := award.LoadCandidateFirst(w.ctx, w.pool, "NOSUCHTOKEN0123456789ABCDE", now)
			return err
		},
		"expired": func() error {
			_, _, _, err := award.LoadCandidateFirst(w.ctx, w.pool, token, results.CandidateLinkExpires(w.ed))
			return err
		},
	} {
		if err := load(); !errors.Is(err, db.ErrNotFound) {
			t.Errorf("%s link: %v, want not found", name, err)
		}
	}
	// the link is for its own award: an answer for another award is refused
	err = db.InTx(w.ctx, w.pool, func(tx pgx.Tx) error {
		_, err := award.Respond(w.ctx, tx, results.By{Candidate: c}, w.awardOf("L2"), award.Answer{CanAttend: false}, w.ed.AttendanceDeadline(), now)
		return err
	})
	if !errors.Is(err, db.ErrNotFound) {
		t.Errorf("the link used for another award: %v, want not found", err)
	}

	if _, err := svc.AttendAsCandidate(w.ctx, c, w.ed, award.Answer{CanAttend: true, RepresentativeName: "Cand One", RepresentativeTitle: "Chief Digital Officer"}); err != nil {
		t.Fatal(err)
	}
	mine, err := award.Mine(w.ctx, w.pool, w.owner["L1"], w.awardOf("L1"))
	if err != nil || mine.Attendance == nil || !mine.Attendance.ByCandidate || mine.Attendance.By != "Cand One" || mine.Attendance.AnsweredBy != 0 {
		t.Fatalf("the nominator reads the candidate's answer: %+v, %v", mine, err)
	}
	if got := mine.AnswerText(w.ed.TimeZone, true, false); !strings.HasPrefix(got, "Cand One (the candidate) confirmed on ") {
		t.Errorf("the nominator's page says %q", got)
	}
	if got := mine.AttendanceText(w.ed, now); got != "Attends: Cand One, Chief Digital Officer (answered by the candidate, Cand One)" {
		t.Errorf("the staff read %q", got)
	}
	if n := w.count(`SELECT count(*) FROM audit_log WHERE action = 'award.attendance' AND actor_id IS NULL
		AND actor_label = 'candidate Cand One <cand.one@cand.example>'`); n != 1 {
		t.Errorf("candidate's attendance audits = %d", n)
	}

	// the candidate cannot attend after all: final for both, and the succession is proposed in their name
	proposal, err := svc.AttendAsCandidate(w.ctx, c, w.ed, award.Answer{CanAttend: false})
	if err != nil || proposal == 0 {
		t.Fatalf("cannot attend: %d, %v", proposal, err)
	}
	if _, err := svc.Attend(w.ctx, authz.Actor{UserID: w.owner["L1"]}, w.ed, w.awardOf("L1"), award.Answer{CanAttend: true, RepresentativeName: "Nora Nominator", RepresentativeTitle: "Director"}); !errors.Is(err, award.ErrAnswered) && !errors.Is(err, award.ErrPending) {
		t.Errorf("the nominator answering after the candidate's \"cannot attend\": %v", err)
	}
	if p, err := award.GetProposal(w.ctx, w.pool, proposal); err != nil || p.ProposedBy != "Cand One (the candidate)" {
		t.Errorf("proposal: %+v, %v", p, err)
	}

	ch := w.pending()
	if changed, err := svc.ConfirmChange(w.ctx, authz.Actor{UserID: w.chair}, w.ed, w.cat, ch.Version); err != nil || changed {
		t.Fatalf("confirm: %v %v", changed, err)
	}
	var nominatorText, candidateText string
	if err := w.pool.QueryRow(w.ctx, `SELECT text_body FROM email_outbox WHERE kind = 'award-successor' AND to_address = 'noml3@example.org'`).Scan(&nominatorText); err != nil {
		t.Fatalf("no successor email to L3's nominator: %v", err)
	}
	if err := w.pool.QueryRow(w.ctx, `SELECT text_body FROM email_outbox WHERE kind = 'award-successor' AND to_address = 'cand.three@cand.example'
		AND user_id IS NULL`).Scan(&candidateText); err != nil {
		t.Fatalf("no successor email to L3's candidate: %v", err)
	}
	if !strings.Contains(nominatorText, "/awards/") || strings.Contains(nominatorText, "/winner/") {
		t.Errorf("the nominator's successor email:\n%s", nominatorText)
	}
	i := strings.Index(candidateText, "https://prize.example/winner/")
	if i < 0 || strings.Contains(candidateText, "/awards/") {
		t.Fatalf("the candidate's successor email:\n%s", candidateText)
	}
	token3 := strings.TrimSuffix(strings.Fields(candidateText[i+len("https://prize.example/winner/"):])[0], "/attendance")
	c3, a3, _, err := award.LoadCandidateFirst(w.ctx, w.pool, token3, now)
	if err != nil || c3.Name != "Cand Three" || a3.ID != w.awardOf("L3") {
		t.Errorf("the successor's candidate opens their award: %+v %+v %v", c3, a3, err)
	}
}
