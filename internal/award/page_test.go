package award_test

import (
	"errors"
	"testing"
	"time"

	"prizeportal/internal/audit"
	"prizeportal/internal/authz"
	"prizeportal/internal/award"
	"prizeportal/internal/blocks/field"
	"prizeportal/internal/blocks/usecase"
	"prizeportal/internal/db"
	"prizeportal/internal/notify"
	"prizeportal/internal/notify/emails"
)

// TestServiceInvalidateAward invalidates an award from the awards page's form without HTTP: an
// actor who may invalidate nowhere is refused before the award is read, a missing award is not
// found, the reason is required, and the committee head's invalidation is recorded and audited.
func TestServiceInvalidateAward(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.ctx = audit.WithIP(w.ctx, "192.0.2.9")
	svc := &award.Service{Deps: usecase.New(w.pool, notify.NewOutbox(w.pool), emails.Site{}, func() time.Time { return now })}
	member := authz.Actor{UserID: w.member, Grants: []authz.Grant{{Role: authz.RoleCouncil, EditionID: w.ed.ID}}}
	head := authz.Actor{UserID: w.head, Grants: []authz.Grant{{Role: authz.RoleCommitteeHead, EditionID: w.ed.ID}}}
	c := w.awardOf("C")

	if _, err := svc.InvalidateAward(w.ctx, member, c, "Disgrace"); !errors.Is(err, award.ErrNotAllowed) || !errors.Is(err, authz.ErrForbidden) {
		t.Errorf("a member invalidating: %v, want ErrNotAllowed", err)
	}
	if _, err := svc.InvalidateAward(w.ctx, head, 0, "Disgrace"); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("no award: %v, want db.ErrNotFound", err)
	}
	var errs field.Errors
	if a, err := svc.InvalidateAward(w.ctx, head, c, "  "); !errors.As(err, &errs) || errs.Get("reason") == "" || a == nil || a.ID != c {
		t.Errorf("no reason: %v, %v", a, err)
	}
	if a, err := svc.InvalidateAward(w.ctx, head, c, "Qualification not met"); err != nil || a.ID != c {
		t.Fatalf("invalidate: %v", err)
	}
	if n := w.count(`SELECT count(*) FROM audit_log WHERE action = 'award.invalidate' AND actor_id = $1`, w.head); n != 1 {
		t.Errorf("invalidation audits = %d", n)
	}
	if _, err := svc.InvalidateAward(w.ctx, head, c, "Again"); !errors.Is(err, award.ErrPending) {
		t.Errorf("invalidating twice: %v, want ErrPending", err)
	}
	if err := award.ChairOf(w.ctx, w.pool, member, 0); !errors.Is(err, award.ErrNotChair) {
		t.Errorf("a member as chair: %v", err)
	}
	chair := authz.Actor{UserID: w.chair, Grants: []authz.Grant{{Role: authz.RoleCouncil, EditionID: w.ed.ID}}}
	if award.ChairOf(w.ctx, w.pool, chair, 0) != nil || award.ChairOf(w.ctx, w.pool, chair, w.ed.ID) != nil {
		t.Error("the chair is refused")
	}
}
