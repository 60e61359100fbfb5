package award_test

import (
	"errors"
	"strconv"
	"testing"
	"time"

	"prizeportal/internal/audit"
	"prizeportal/internal/authz"
	"prizeportal/internal/award"
	"prizeportal/internal/blocks/usecase"
	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/notify"
	"prizeportal/internal/notify/emails"
)

func (w *world) count(sql string, args ...any) int {
	w.t.Helper()
	return dbtest.Count(w.t, w.pool, sql, args...)
}

// TestServiceAttendanceInvalidationSuccession runs the awards' use cases without HTTP: A's
// account cannot attend (a proposal opens), the committee head invalidates C, a council member
// may not, and the chair confirms the recomputed result: each audited, and every entry that
// receives a new place is emailed (B, now first, is asked to confirm attendance).
func TestServiceAttendanceInvalidationSuccession(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.ctx = audit.WithIP(w.ctx, "192.0.2.9")
	svc := &award.Service{Deps: usecase.New(w.pool, notify.NewOutbox(w.pool), emails.Site{BaseURL: "https://prize.example"}, func() time.Time { return now })}

	late := &award.Service{Deps: usecase.New(w.pool, notify.NewOutbox(w.pool), emails.Site{}, func() time.Time { return w.ed.AttendanceDeadline() })}
	if _, err := late.Attend(w.ctx, authz.Actor{UserID: w.owner["A"]}, w.ed, w.awardOf("A"), award.Answer{CanAttend: false}); !errors.Is(err, award.ErrDeadline) {
		t.Errorf("answer after the deadline: %v, want ErrDeadline", err)
	}
	a := w.awardOf("A")
	proposal, err := svc.Attend(w.ctx, authz.Actor{UserID: w.owner["A"]}, w.ed, a, award.Answer{CanAttend: false})
	if err != nil || proposal == 0 {
		t.Fatalf("cannot attend: %d, %v", proposal, err)
	}
	if n := w.count(`SELECT count(*) FROM audit_log WHERE action = 'award.attendance' AND object_id = $1 AND ip = '192.0.2.9'`, strconv.FormatInt(a, 10)); n != 1 {
		t.Errorf("attendance audits = %d", n)
	}

	if err := svc.Invalidate(w.ctx, authz.Actor{UserID: w.member}, w.awardOf("C"), "Disgrace"); !errors.Is(err, award.ErrNotAllowed) {
		t.Errorf("a member invalidating: %v, want ErrNotAllowed", err)
	}
	if err := svc.Invalidate(w.ctx, authz.Actor{UserID: w.head}, w.awardOf("C"), "Qualification not met"); err != nil {
		t.Fatal(err)
	}
	if n := w.count(`SELECT count(*) FROM audit_log WHERE action = 'award.invalidate' AND actor_id = $1`, w.head); n != 1 {
		t.Errorf("invalidation audits = %d", n)
	}

	ch := w.pending()
	if _, err := svc.ConfirmChange(w.ctx, authz.Actor{UserID: w.member}, w.ed, w.cat, ch.Version); !errors.Is(err, award.ErrNotChair) {
		t.Errorf("a member confirming: %v, want ErrNotChair", err)
	}
	if changed, err := svc.ConfirmChange(w.ctx, authz.Actor{UserID: w.chair}, w.ed, w.cat, "stale"); err != nil || !changed {
		t.Errorf("a stale version: changed %v, %v", changed, err)
	}
	if changed, err := svc.ConfirmChange(w.ctx, authz.Actor{UserID: w.chair}, w.ed, w.cat, ch.Version); err != nil || changed {
		t.Fatalf("confirm: changed %v, %v", changed, err)
	}
	if got := w.winners(); got != "1:B 2:D 3:E" {
		t.Errorf("winners = %s", got)
	}
	if n := w.count(`SELECT count(*) FROM audit_log WHERE action = 'award.succession' AND actor_id = $1`, w.chair); n != 1 {
		t.Errorf("succession audits = %d", n)
	}
	if n := w.count(`SELECT count(*) FROM email_outbox WHERE kind = 'award-successor'`); n != len(ch.Moves) {
		t.Errorf("successor emails = %d, want %d", n, len(ch.Moves))
	}
	if n := w.count(`SELECT count(*) FROM email_outbox WHERE kind = 'award-successor' AND user_id = $1 AND text_body LIKE '%/awards/%/attendance%'`, w.owner["B"]); n != 1 {
		t.Errorf("B, now first, is not asked to confirm attendance (%d)", n)
	}
	if _, err := svc.ConfirmChange(w.ctx, authz.Actor{UserID: w.chair}, w.ed, w.cat, ch.Version); !errors.Is(err, award.ErrDone) && !errors.Is(err, award.ErrNotLive) {
		t.Errorf("confirm twice: %v", err)
	}
}

// TestBoard: the awards page's data load at once, with what the reader may do and the
// recomputed result that waits for the chair.
func TestBoard(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	b, err := award.LoadBoard(w.ctx, w.pool, w.ed, w.member)
	if err != nil || b.Chair || b.MayInvalidate || len(b.Awards) != 3 || len(b.Changes) != 0 {
		t.Fatalf("member's board: %+v, %v", b, err)
	}
	if _, err := w.invalidate(w.head, "B", "Disgrace"); err != nil {
		t.Fatal(err)
	}
	b, err = award.LoadBoard(w.ctx, w.pool, w.ed, w.chair)
	if err != nil || !b.Chair || !b.MayInvalidate || len(b.Proposals) != 1 || b.Changes[w.cat.ID] == nil {
		t.Fatalf("chair's board: %+v, %v", b, err)
	}
}

// TestDeputyChairAwards: the chair declared a conflict with entry F of Tech-InnovaCity: they may
// neither invalidate its awards nor confirm its succession; the deputy chair (the member) does
// both, audited acting as deputy, and the awards page's data say so.
func TestDeputyChairAwards(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	svc := &award.Service{Deps: usecase.New(w.pool, notify.NewOutbox(w.pool), emails.Site{BaseURL: "https://prize.example"}, func() time.Time { return now })}
	w.exec(`INSERT INTO conflict_declarations (edition_id, evaluator_id, kind, name, created_at) VALUES ($1, $2, 'organisation', 'Org eF', now())`, w.ed.ID, w.chair)
	w.exec(`INSERT INTO edition_deputies (edition_id, post, user_id, set_by, set_at) VALUES ($1, 'chair', $2, $2, now())`, w.ed.ID, w.member)
	chair, dep := authz.Actor{UserID: w.chair}, authz.Actor{UserID: w.member}

	if err := svc.Invalidate(w.ctx, chair, w.awardOf("C"), "Disgrace"); !errors.Is(err, award.ErrNotAllowed) {
		t.Fatalf("the conflicted chair invalidates: %v", err)
	}
	if err := svc.Invalidate(w.ctx, dep, w.awardOf("C"), "Qualification not met"); err != nil {
		t.Fatal(err)
	}
	ch := w.pending()
	if _, err := svc.ConfirmChange(w.ctx, chair, w.ed, w.cat, ch.Version); !errors.Is(err, authz.ErrForbidden) {
		t.Fatalf("the conflicted chair confirms: %v", err)
	}
	b, err := award.LoadBoard(w.ctx, w.pool, w.ed, w.member)
	if err != nil || !b.Chairs[w.cat.ID] || !b.Invalidates[w.cat.ID] {
		t.Fatalf("the deputy's board: %+v, %v", b, err)
	}
	if changed, err := svc.ConfirmChange(w.ctx, dep, w.ed, w.cat, ch.Version); err != nil || changed {
		t.Fatalf("the deputy confirms: %v, %v", changed, err)
	}
	for _, action := range []string{"award.invalidate", "award.succession"} {
		if n := w.count(`SELECT count(*) FROM audit_log WHERE action = $1 AND actor_id = $2 AND details->>'acting_as' = 'deputy'`, action, w.member); n != 1 {
			t.Errorf("%s by the deputy audited %d times acting as deputy", action, n)
		}
	}
}
