package server_test

import (
	"context"
	"net/url"
	"prizeportal/internal/db/dbtest"
	"strconv"
	"strings"
	"testing"
)

// parallelSubmits posts n submits of version at once from n tabs of owner and returns the
// status codes and bodies.
func parallelSubmits(t *testing.T, e *env, owner int64, path string, version, n int) []reply {
	t.Helper()
	tabs := make([]*client, n)
	forms := make([]url.Values, n)
	for i := range tabs {
		tabs[i] = e.signedInClient(t, owner)
		forms[i] = url.Values{"version": {strconv.Itoa(version)}}
	}
	return atOnce(tabs, path, forms)
}

// checkOneWinner checks that exactly one of the replies submitted and the others were told,
// without a server error, that the version is already submitted; and that the entry has one
// submitted version and its owner one receipt.
func checkOneWinner(t *testing.T, e *env, replies []reply, entry int64, owner string) {
	t.Helper()
	won := 0
	for _, r := range replies {
		switch {
		case r.status == 303:
			won++
		case r.status == 409 && strings.Contains(r.body, "already submitted"):
		default:
			t.Errorf("a parallel submit answered %d, want 303 or 409 saying it is already submitted\n%s", r.status, r.body)
		}
	}
	if won != 1 {
		t.Errorf("%d submits succeeded, want exactly 1", won)
	}
	ctx := context.Background()
	var versions, receipts int
	if err := e.pool.QueryRow(ctx, `SELECT count(*) FROM application_versions WHERE application_id = $1`, entry).Scan(&versions); err != nil {
		t.Fatal(err)
	}
	if err := e.pool.QueryRow(ctx, `SELECT count(*) FROM email_outbox WHERE to_address = $1 AND kind = 'application-receipt'`, owner).Scan(&receipts); err != nil {
		t.Fatal(err)
	}
	if versions != 1 || receipts != 1 {
		t.Fatalf("%d submitted versions and %d receipts, want 1 and 1", versions, receipts)
	}
}

func TestApplicationParallelSubmitsOneWins(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, "seoul-2023")
	kim := applicantUser(t, e, "kim", true)
	saveAnswers(t, e, kim, completeAnswers(t, e))
	a := storedApplication(t, e, kim)
	replies := parallelSubmits(t, e, kim, "/application/submit", a.Version, 5)
	checkOneWinner(t, e, replies, a.ID, "kim@example.org")
}

func TestNominationParallelSubmitsOneWins(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, "seoul-2023")
	ana, id := anaNominatesKim(t, e)
	fillNomination(t, e, ana, id)
	dbtest.Exec(t, e.pool, `UPDATE nominations SET consent = 'given', consent_decided_at = now() WHERE application_id = $1`, id)
	a := storedEntry(t, e, ana, id)
	replies := parallelSubmits(t, e, ana, "/nominations/"+strconv.FormatInt(id, 10)+"/submit", a.Version, 5)
	checkOneWinner(t, e, replies, id, "ana@example.org")
}
