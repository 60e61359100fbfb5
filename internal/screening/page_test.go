package screening_test

import (
	"context"
	"errors"
	"testing"

	"prizeportal/internal/authz"
	"prizeportal/internal/db"
	"prizeportal/internal/edition"
	"prizeportal/internal/i18n"
	"prizeportal/internal/screening"
)

// TestLoadEntryPage: the screening view's data come at once for the edition's secretariat, and
// not at all for another edition's.
func TestLoadEntryPage(t *testing.T) {
	t.Parallel()
	w, s, actor, ids := newServiceWorld(t, 2)
	ctx, id := context.Background(), ids[0]
	other := authz.Actor{UserID: w.staff, Grants: []authz.Grant{{Role: authz.RoleSecretariat, EditionID: w.ed.ID + 1}}}
	if _, err := screening.LoadStaffed(ctx, w.pool, other, id); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("another edition's secretariat: %v", err)
	}
	st, err := screening.LoadStaffed(ctx, w.pool, actor, id)
	if err != nil || st.Category.ID != w.tech.ID || st.Edition.ID != w.ed.ID {
		t.Fatalf("staffed: %+v %v", st, err)
	}
	p, err := screening.LoadEntryPage(ctx, w.pool, actor, st, now)
	if err != nil || p.Decision != nil || p.ClosedAt != nil || p.Version.Number != 1 || p.Round.Phase != edition.PhaseOpen {
		t.Fatalf("page before a decision: %+v %v", p, err)
	}
	if err := s.Decide(ctx, actor, w.ed, id, screening.Input{Decision: screening.Eligible, Checklist: confirmed(w.tech)}); err != nil {
		t.Fatal(err)
	}
	if p, err = screening.LoadEntryPage(ctx, w.pool, actor, st, now); err != nil || p.Decision == nil || p.Decision.Decision != screening.Eligible {
		t.Fatalf("page after the decision: %+v %v", p.Decision, err)
	}
	q, err := screening.LoadQueue(ctx, w.pool, actor, w.ed, screening.Filter{EditionID: w.ed.ID, CategoryID: w.tech.ID, Now: now})
	if err != nil || q.Total != 2 || q.ClosedAt != nil || i18n.English(q.Round.Status(w.ed.TimeZone)) != "Open until 30 June 2023, 23:59 KST (Asia/Seoul time)." {
		t.Fatalf("queue: %+v %v", q, err)
	}
}
