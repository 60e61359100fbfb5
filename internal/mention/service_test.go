package mention_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"prizeportal/internal/audit"
	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/field"
	"prizeportal/internal/blocks/usecase"
	"prizeportal/internal/db"
	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/mention"
	"prizeportal/internal/notify/emails"
)

// service is the mention service on pool at now.
func service(pool *pgxpool.Pool) *mention.Service {
	return &mention.Service{Deps: usecase.New(pool, nil, emails.Site{}, func() time.Time { return now })}
}

// TestServiceRecordChangeRemove records, changes and removes a special mention through the
// service without HTTP: only the edition's secretariat, within the award's count, each audited.
func TestServiceRecordChangeRemove(t *testing.T) {
	t.Parallel()
	ctx := audit.WithIP(context.Background(), "192.0.2.3")
	pool, ed, app, secrID, councilID := setup(t)
	secr := authz.Actor{UserID: secrID}
	council := authz.Actor{UserID: councilID}
	svc := service(pool)
	audits := func(action string) int {
		t.Helper()
		return dbtest.Count(t, pool, `SELECT count(*) FROM audit_log WHERE action = $1 AND actor_id = $2 AND ip = '192.0.2.3'`, action, secr.UserID)
	}

	in := mention.Input{Award: partnerAward, ApplicationID: app, Partner: "UN-Habitat", Citation: "For inclusive design."}
	if _, err := svc.Record(ctx, council, ed, in); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("council recording: %v, want ErrNotFound", err)
	}
	m, err := svc.Record(ctx, secr, ed, in)
	if err != nil || m.Recipient != "Org a" || audits("mention.create") != 1 {
		t.Fatalf("record: %+v, %v", m, err)
	}
	var errs field.Errors
	if _, err := svc.Record(ctx, secr, ed, mention.Input{Award: partnerAward, Name: "Lisbon", Partner: "UN-Habitat", Citation: "x"}); !errors.As(err, &errs) {
		t.Errorf("beyond the award's count: %v, want field errors", err)
	}
	after, err := svc.Change(ctx, secr, ed, m.ID, mention.Input{Award: partnerAward, ApplicationID: app, Partner: "UNDP", Citation: "Changed."})
	if err != nil || after.Partner != "UNDP" || audits("mention.update") != 1 {
		t.Fatalf("change: %+v, %v", after, err)
	}
	if err := svc.Remove(ctx, council, m.ID); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("council removing: %v, want ErrNotFound", err)
	}
	if err := svc.Remove(ctx, secr, m.ID); err != nil || audits("mention.delete") != 1 {
		t.Fatalf("remove: %v", err)
	}
	if list, err := mention.List(ctx, pool, secr.UserID, ed.ID); err != nil || len(list) != 0 {
		t.Errorf("after removal: %v, %v", list, err)
	}
}

// TestLoadRegister: the Special Mentions page's data load at once, for the secretariat only.
func TestLoadRegister(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool, ed, app, secrID, council := setup(t)
	secr := authz.Actor{UserID: secrID}
	svc := service(pool)
	if _, err := svc.Record(ctx, secr, ed, mention.Input{Award: partnerAward, ApplicationID: app, Partner: "UN-Habitat", Citation: "x"}); err != nil {
		t.Fatal(err)
	}
	reg, err := mention.LoadRegister(ctx, pool, secr.UserID, ed.ID)
	if err != nil || len(reg.Mentions) != 1 || len(reg.Applications) != 1 {
		t.Fatalf("secretariat: %+v, %v", reg, err)
	}
	if reg, err := mention.LoadRegister(ctx, pool, council, ed.ID); err != nil || len(reg.Mentions) != 0 || len(reg.Applications) != 0 {
		t.Errorf("council: %+v, %v", reg, err)
	}
}
