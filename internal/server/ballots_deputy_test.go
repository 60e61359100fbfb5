package server_test

import (
	"strings"
	"testing"
)

// TestBallotDeputyChair: the chair (cm1) declared a conflict with Entry A: their ballot page
// names the deputy chair (cm2) and their close is refused; the deputy's ballot page offers the
// close, the deputy closes and confirms, and the protocol page names the deputy and why.
func TestBallotDeputyChair(t *testing.T) {
	t.Parallel()
	w := newBallotWorld(t, votingDay, 3, 3)
	w.exec(t, `INSERT INTO conflict_declarations (edition_id, evaluator_id, kind, name, created_at) VALUES ($1, $2, 'organisation', 'Org entrya', now())`,
		w.edID, w.members[0])
	w.exec(t, `INSERT INTO edition_deputies (edition_id, post, user_id, set_by, set_at) VALUES ($1, 'chair', $2, $3, now())`,
		w.edID, w.members[1], w.secretariat)
	chair, dep := w.e.signedInClient(t, w.members[0]), w.e.signedInClient(t, w.members[1])
	w.vote(t, w.members[1], 1, 2, 3)
	w.vote(t, w.members[2], 1, 2, 3)

	refusal := "Evaluator cm2, deputy chair of the Prize Council, decides for it in your place."
	if r := chair.get(w.url("")); r.status != 200 || !strings.Contains(r.body, refusal) || strings.Contains(r.body, "Close the vote") {
		t.Fatalf("the conflicted chair's ballot page: %d\n%s", r.status, r.body)
	}
	if r := chair.post(w.url("close"), nil); r.status != 403 {
		t.Fatalf("the conflicted chair closes: %d", r.status)
	}
	if r := dep.get(w.url("")); r.status != 200 || !strings.Contains(r.body, "Close the vote") {
		t.Fatalf("the deputy's ballot page offers no close: %d\n%s", r.status, r.body)
	}
	if r := dep.post(w.url("close"), nil); r.status != 303 {
		t.Fatalf("the deputy closes: %d %s", r.status, r.body)
	}
	if r := dep.post(w.url("confirm"), nil); r.status != 303 {
		t.Fatalf("the deputy confirms: %d %s", r.status, r.body)
	}
	want := "Decided by Evaluator cm2, deputy chair of the Prize Council, because the chair of the Prize Council, Evaluator cm1, has a conflict of interest with an entry of this category."
	if r := w.e.signedInClient(t, w.secretariat).get(w.url("protocol")); r.status != 200 || !strings.Contains(r.body, want) {
		t.Fatalf("the protocol page: %d\n%s", r.status, r.body)
	}
}
