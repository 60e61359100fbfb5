package invitation_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"prizeportal/internal/account"
	"prizeportal/internal/audit"
	"prizeportal/internal/authz"
	"prizeportal/internal/db"
	"prizeportal/internal/edition/editiontest"
	"prizeportal/internal/invitation"
	"prizeportal/internal/notify"
	"prizeportal/internal/notify/emails"
)

// TestInviteAnExistingAccount: the 2024 secretariat invites the address of a 2023 entrant; the
// invitation asks them to sign in and start their entry, and starting it accepts the invitation.
// A staff account, or an account that entered the edition already, is still refused.
func TestInviteAnExistingAccount(t *testing.T) {
	t.Parallel()
	pool, ed, _ := setup(t)
	ctx := audit.WithIP(context.Background(), "192.0.2.7")
	next := editiontest.ImportNextYear(t, pool, "seoul-2023")
	at := time.Date(2024, 4, 2, 3, 0, 0, 0, time.UTC)
	svc := service(pool, &at)
	sec := authz.Actor{UserID: user(t, pool, next, "sec24", "secretariat"), Grants: []authz.Grant{{Role: authz.RoleSecretariat, EditionID: next.ID}}}
	var kim int64
	if err := pool.QueryRow(ctx, `
		INSERT INTO users (login_id, email, name, password_hash, entity_type, organisation, phone, city, country, edition_id, category_id, terms_version)
		SELECT 'kim', 'kim@busan.example', 'Min-jun Kim', 'x', 'city', 'Busan', '+82 51 120 0000', 'Busan', 'KR', $1, c.id, '2023-1'
		FROM categories c WHERE c.edition_id = $1 AND c.key = 'tech-innovacity' RETURNING id`, ed.ID).Scan(&kim); err != nil {
		t.Fatal(err)
	}

	if _, err := svc.Send(ctx, sec, next, input("sec24@example.org", "city", "tech-innovacity")); !errors.Is(err, invitation.ErrHasAccount) {
		t.Fatalf("a staff account invited: %v", err)
	}
	if _, err := svc.Send(ctx, sec, next, input("kim@busan.example", "city", "human-centricity")); err != nil {
		t.Fatalf("invite an existing entrant: %v", err)
	}
	texts := invitationEmails(t, pool, "kim@busan.example")
	if len(texts) != 1 || !strings.Contains(texts[0], "/entries/new?invitation=") || !strings.Contains(texts[0], "sign in") {
		t.Fatalf("invitation emails: %q", texts)
	}
	token := tokenOf(t, texts[0])
	if _, err := svc.ForRegistration(ctx, token, next.ID); err != nil {
		t.Fatalf("open the link: %v", err)
	}

	accounts := account.NewService(pool, notify.NewOutbox(pool), emails.Site{BaseURL: "https://portal.example"},
		func() time.Time { return at }, account.TestHashParams, nil)
	in := account.EntryInput{CategoryKey: "human-centricity", Name: "Min-jun Kim", Organisation: "Busan", Phone: "+82 51 120 0000",
		City: "Busan", Country: "KR", AcceptTerms: true,
		Then: func(ctx context.Context, tx pgx.Tx, userID int64) error {
			return svc.AcceptInTx(ctx, tx, token, next.ID, userID)
		}}
	if _, err := accounts.StartEntry(ctx, authz.Actor{UserID: kim}, next, in); err != nil {
		t.Fatal(err)
	}
	list, err := invitation.ListForSecretariat(ctx, pool, sec.UserID, next.ID, 1)
	if err != nil || list.Total != 1 || list.Rows[0].AcceptedBy == nil || *list.Rows[0].AcceptedBy != kim {
		t.Fatalf("accepted: %+v %v", list, err)
	}
	if _, err := accounts.StartEntry(ctx, authz.Actor{UserID: kim}, next, in); !errors.Is(err, db.ErrConflict) {
		t.Fatalf("a second entry: %v", err)
	}
	// Entered now: a second invitation to the edition is refused.
	if _, err := svc.Send(ctx, sec, next, input("kim@busan.example", "city", "tech-innovacity")); !errors.Is(err, invitation.ErrHasAccount) {
		t.Fatalf("invite an account that entered: %v", err)
	}
}
