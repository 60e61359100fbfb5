package invitation_test

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"prizeportal/internal/audit"
	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/fault"
	"prizeportal/internal/blocks/link"
	"prizeportal/internal/blocks/usecase"
	"prizeportal/internal/db"
	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/invitation"
	"prizeportal/internal/notify"
	"prizeportal/internal/notify/emails"
)

// service is the invitation service on pool at the time *at.
func service(pool *pgxpool.Pool, at *time.Time) *invitation.Service {
	return &invitation.Service{Deps: usecase.New(pool, notify.NewOutbox(pool), emails.Site{BaseURL: "https://portal.example"},
		func() time.Time { return *at })}

}

// invitationEmails are the texts of the invitations queued to addr, oldest first.
func invitationEmails(t *testing.T, pool *pgxpool.Pool, addr string) []string {
	t.Helper()
	rows, err := pool.Query(context.Background(), `SELECT text_body FROM email_outbox WHERE kind = 'entry-invitation' AND to_address = $1 ORDER BY id`, addr)
	if err != nil {
		t.Fatal(err)
	}
	texts, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	return texts
}

var invitationToken = regexp.MustCompile(`invitation=([A-Za-z0-9_-]+)`)

func tokenOf(t *testing.T, text string) string {
	t.Helper()
	m := invitationToken.FindStringSubmatch(text)
	if m == nil {
		t.Fatalf("no invitation link in %q", text)
	}
	return m[1]
}

func auditCount(t *testing.T, pool *pgxpool.Pool, action string) int {
	t.Helper()
	return dbtest.Count(t, pool, `SELECT count(*) FROM audit_log WHERE action = $1 AND ip = '192.0.2.7'`, action)
}

// TestServiceSendResendAccept: the secretariat invites an entity to a category open to its type,
// before the application deadline; resending replaces the link; registering through it records
// the account (DOMAIN.md "Registration": the secretariat may invite an eligible entity to apply).
func TestServiceSendResendAccept(t *testing.T) {
	t.Parallel()
	pool, ed, secID := setup(t)
	ctx := audit.WithIP(context.Background(), "192.0.2.7")
	at := now
	svc := service(pool, &at)
	sec := authz.Actor{UserID: secID, Grants: []authz.Grant{{Role: authz.RoleSecretariat, EditionID: ed.ID}}}
	evaluator := authz.Actor{UserID: user(t, pool, ed, "ev", "evaluator")}

	if _, err := svc.Send(ctx, evaluator, ed, input("kim@busan.example", "city", "tech-innovacity")); !errors.Is(err, authz.ErrForbidden) {
		t.Fatalf("an evaluator invites: %v", err)
	}
	var invalid *invitation.InvalidError
	if _, err := svc.Send(ctx, sec, ed, input("kim@busan.example", "individual", "tech-innovacity")); !errors.As(err, &invalid) || invalid.Fields.Get("category") == "" {
		t.Fatalf("a category closed to the entity type: %v", err)
	}
	cat, err := svc.Send(ctx, sec, ed, input(" kim@busan.example ", "city", "tech-innovacity"))
	if err != nil || cat.Key != "tech-innovacity" {
		t.Fatalf("send: %v", err)
	}
	if _, err := svc.Send(ctx, sec, ed, input("kim@busan.example", "city", "tech-innovacity")); !errors.Is(err, invitation.ErrAlreadyInvited) {
		t.Fatalf("a second invitation: %v", err)
	}
	texts := invitationEmails(t, pool, "kim@busan.example")
	if len(texts) != 1 || !strings.Contains(texts[0], "We read about your bus project.") {
		t.Fatalf("invitation emails: %q", texts)
	}
	first := tokenOf(t, texts[0])
	sum, list, err := svc.Overview(ctx, sec, ed.ID, 1)
	if err != nil || sum.Sent != 1 || list.Total != 1 {
		t.Fatalf("overview: %+v %+v %v", sum, list, err)
	}
	id := list.Rows[0].ID

	if _, err := svc.Resend(ctx, evaluator, id); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("an evaluator resends: %v", err)
	}
	inv, err := svc.Resend(ctx, sec, id)
	if err != nil || inv.ID != id {
		t.Fatalf("resend: %v", err)
	}
	texts = invitationEmails(t, pool, "kim@busan.example")
	if len(texts) != 2 || !strings.Contains(texts[1], "replaces an earlier invitation") {
		t.Fatalf("invitation emails after resending: %q", texts)
	}
	if _, err := svc.ForRegistration(ctx, first, ed.ID); !errors.Is(err, link.ErrUsed) {
		t.Fatalf("the replaced link: %v", err)
	}
	token := tokenOf(t, texts[1])
	if _, err := svc.ForRegistration(ctx, token, ed.ID+1); !errors.Is(err, link.ErrExpired) {
		t.Fatalf("the link in another edition: %v", err)
	}
	if v, err := svc.ForRegistration(ctx, token, ed.ID); err != nil || v.ID != id {
		t.Fatalf("the link for the registration: %+v %v", v, err)
	}
	if n := auditCount(t, pool, "invitation.send") + auditCount(t, pool, "invitation.resend"); n != 2 {
		t.Fatalf("audit entries: %d", n)
	}

	// Registering through the link records the account; a used link does not stop a
	// registration.
	kim := user(t, pool, ed, "kim", "")
	for range 2 {
		if err := db.InTx(ctx, pool, func(tx pgx.Tx) error { return svc.AcceptInTx(ctx, tx, token, ed.ID, kim) }); err != nil {
			t.Fatal(err)
		}
	}
	if v, _ := invitation.ForSecretariat(ctx, pool, secID, id); v.AcceptedBy == nil || *v.AcceptedBy != kim {
		t.Fatalf("accepted: %+v", v)
	}
	if n := auditCount(t, pool, "invitation.accept"); n != 1 {
		t.Fatalf("accept audit entries: %d", n)
	}
	if _, err := svc.Resend(ctx, sec, id); !errors.Is(err, invitation.ErrAccepted) {
		t.Fatalf("resend after acceptance: %v", err)
	}
	// The refusal names the invitee in its message for the secretariat (fault).
	if _, err := svc.Resend(ctx, sec, id); !strings.Contains(faultText(err), inv.Name+" has already registered through the invitation") {
		t.Fatalf("resend after acceptance says: %q", faultText(err))
	}

	at = ed.Schedule.ApplicationDeadline
	var closed *invitation.ClosedError
	if _, err := svc.Send(ctx, sec, ed, input("lee@busan.example", "city", "tech-innovacity")); !errors.As(err, &closed) || closed.Reason == "" {
		t.Fatalf("send after the deadline: %v", err)
	}
	if _, err := svc.Resend(ctx, sec, id); faultText(err) != svc.Closed(ed) || !errors.Is(err, invitation.ErrClosed) {
		t.Fatalf("resend after the deadline says %q: %v", faultText(err), err)
	}
	if svc.Closed(ed) == "" || invitation.Closed(ed, now) != "" {
		t.Fatal("Closed")
	}
}

// faultText is the message for the user of a domain error; "" for another.
func faultText(err error) string {
	if f, ok := fault.As(err); ok {
		return f.Message
	}
	return ""
}
