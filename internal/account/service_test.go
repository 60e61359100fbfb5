package account_test

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"prizeportal/internal/account"
	"prizeportal/internal/audit"
	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/field"
	"prizeportal/internal/db"
	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/edition"
	"prizeportal/internal/i18n"
	"prizeportal/internal/notify"
	"prizeportal/internal/notify/emails"
	"prizeportal/internal/notify/wording"
)

// serviceFixture is the admin fixture with the account service on its database, its clock
// movable, and requests coming from one address.
type serviceFixture struct {
	adminFixture
	svc *account.Service
	now *time.Time
	ctx context.Context
	ed  *edition.Edition
}

func newServiceFixture(t *testing.T) serviceFixture {
	t.Helper()
	f := serviceFixture{adminFixture: newAdminFixture(t), now: new(time.Time)}
	*f.now = adminNow
	f.svc = account.NewService(f.pool, notify.NewOutbox(f.pool), emails.Site{BaseURL: "https://portal.test/"},
		func() time.Time { return *f.now }, account.TestHashParams, testKeys)
	f.ctx = audit.WithIP(context.Background(), "203.0.113.9")
	var err error
	if f.ed, err = edition.ByID(f.ctx, f.pool, f.edition); err != nil {
		t.Fatal(err)
	}
	return f
}

// newServiceFixtureAsRoot is newServiceFixture with the actor of its administrator, Root.
func newServiceFixtureAsRoot(t *testing.T) (serviceFixture, authz.Actor) {
	t.Helper()
	f := newServiceFixture(t)
	return f, authz.Actor{UserID: f.admin, Name: "Root"}
}

// link returns the path of the link in the newest email of kind to addr ("" when none).
func (f serviceFixture) link(t *testing.T, addr, kind string) string {
	t.Helper()
	var text string
	err := f.pool.QueryRow(f.ctx, `SELECT text_body FROM email_outbox WHERE lower(to_address) = lower($1) AND kind = $2 ORDER BY id DESC LIMIT 1`, addr, kind).Scan(&text)
	if errors.Is(err, pgx.ErrNoRows) {
		return ""
	}
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`https://portal\.test(/\S+)`).FindStringSubmatch(text)
	if m == nil {
		t.Fatalf("no link in %s email:\n%s", kind, text)
	}
	return m[1]
}

// count counts rows of a query.
func (f serviceFixture) count(t *testing.T, sql string, args ...any) int {
	t.Helper()
	return dbtest.Count(t, f.pool, sql, args...)
}

func registration(login, email string) account.RegisterInput {
	return account.RegisterInput{
		Registration: account.Registration{EntityType: "city", LoginID: login, Password: "violet tram under seoul", Name: "Min-jun Kim",
			Organisation: "Seoul Metropolitan Government", Email: email, Phone: "+82 2 120 0000", City: "Seoul", Country: "KR", AcceptTerms: true},
		CategoryKey: "tech-innovacity",
	}
}

func TestServiceRegisterVerifyAndResend(t *testing.T) {
	t.Parallel()
	f := newServiceFixture(t)
	ctx := f.ctx

	// Registration is open only in the application period.
	*f.now = f.ed.Schedule.ApplicationDeadline
	if _, err := f.svc.Register(ctx, f.ed, registration("late-one", "late@seoul.example")); !errors.Is(err, account.ErrRegistrationClosed) {
		t.Fatalf("after the deadline: %v", err)
	}
	*f.now = adminNow

	// The edition decides which categories an entity type may enter.
	wrong := registration("min-jun", "min@seoul.example")
	wrong.CategoryKey = "leadership"
	var fe field.Errors
	if _, err := f.svc.Register(ctx, f.ed, wrong); !errors.As(err, &fe) || fe.Get("category") == "" {
		t.Fatalf("a city in Leadership: %v", err)
	}

	in := registration("min-jun", "min@seoul.example")
	var thenUser int64
	in.Then = func(ctx context.Context, tx pgx.Tx, userID int64) error { thenUser = userID; return nil }
	reg, err := f.svc.Register(ctx, f.ed, in)
	if err != nil || reg.Role != authz.RoleApplicant || reg.Email != "min@seoul.example" {
		t.Fatalf("register: %+v %v", reg, err)
	}
	u, err := account.ByLogin(ctx, f.pool, "min-jun")
	if err != nil || thenUser != u.ID || u.EmailVerifiedAt != nil {
		t.Fatalf("account %+v %v; Then ran for %d", u, err, thenUser)
	}
	if n := f.count(t, `SELECT count(*) FROM audit_log WHERE action = 'account.register' AND object_id = $1 AND ip = '203.0.113.9'`, fmt.Sprint(u.ID)); n != 1 {
		t.Fatalf("register audit entries = %d", n)
	}

	// The same address again makes no account; its owner is told.
	again := registration("someone-else", "MIN@seoul.example")
	if _, err := f.svc.Register(ctx, f.ed, again); err != nil {
		t.Fatalf("registering a taken address must answer as for a new one: %v", err)
	}
	if f.link(t, "min@seoul.example", "register-existing") == "" {
		t.Fatal("the owner of the address was not told")
	}
	if f.count(t, `SELECT count(*) FROM users WHERE lower(email) = 'min@seoul.example'`) != 1 {
		t.Fatal("a second account was made with the address")
	}

	// Resending while unconfirmed sends a new link; confirming works once.
	res, err := f.svc.ResendVerification(ctx, u.ID)
	if err != nil || res.AlreadyVerified || res.Wait != 0 || res.Email != "min@seoul.example" {
		t.Fatalf("resend: %+v %v", res, err)
	}
	path := f.link(t, "min@seoul.example", "verify-email")
	token := path[len("/verify/"):]
	if id, err := f.svc.VerifyEmail(ctx, token); err != nil || id != u.ID {
		t.Fatalf("verify: %d %v", id, err)
	}
	if _, err := f.svc.VerifyEmail(ctx, token); !errors.Is(err, account.ErrTokenInvalid) {
		t.Fatalf("second use: %v", err)
	}
	if res, err := f.svc.ResendVerification(ctx, u.ID); err != nil || !res.AlreadyVerified {
		t.Fatalf("resend after confirming: %+v %v", res, err)
	}
}

func TestServiceRegisterAttemptsAreLimitedPerAddress(t *testing.T) {
	t.Parallel()
	f := newServiceFixture(t)
	bad := registration("x", "not an address")
	var throttled *account.ThrottledError
	for i := 0; i < 100; i++ {
		_, err := f.svc.Register(f.ctx, f.ed, bad)
		if errors.As(err, &throttled) {
			break
		}
		if _, ok := errors.AsType[field.Errors](err); !ok {
			t.Fatalf("attempt %d: %v", i, err)
		}
	}
	if throttled == nil || throttled.Wait <= 0 {
		t.Fatal("registration attempts of one address are never refused")
	}
	if msg, wait := throttled.Refused(); wait != throttled.Wait || !strings.HasPrefix(i18n.English(msg), "Too many registration attempts came from your network. Please try again in ") {
		t.Fatalf("the refusal says %q", msg)
	}
	// Another address is not affected.
	other := audit.WithIP(context.Background(), "198.51.100.1")
	if _, err := f.svc.Register(other, f.ed, bad); errors.As(err, &throttled) {
		t.Fatal("another address was refused")
	}
}

func TestServiceResetAndChangePassword(t *testing.T) {
	t.Parallel()
	f := newServiceFixture(t)
	ctx := f.ctx
	id := f.user(t, "ana", "ana@example.org", "Ana Lima", "")

	// Unknown logins get the same outcome, and an audit entry.
	if err := f.svc.RequestReset(ctx, "nobody@example.org"); err != nil {
		t.Fatal(err)
	}
	if f.count(t, `SELECT count(*) FROM audit_log WHERE action = 'account.reset_requested_unknown'`) != 1 {
		t.Fatal("the unknown login was not audited")
	}
	if err := f.svc.RequestReset(ctx, "ANA"); err != nil {
		t.Fatal(err)
	}
	path := f.link(t, "ana@example.org", "reset-password")
	if path == "" {
		t.Fatal("no reset email")
	}
	token := path[len("/password/reset/"):]
	var fe field.Errors
	if err := f.svc.ResetPassword(ctx, token, "short"); !errors.As(err, &fe) || fe.Get("password") == "" {
		t.Fatalf("weak password: %v", err)
	}
	if err := f.svc.ResetPassword(ctx, token, "amber kite over lisbon"); err != nil {
		t.Fatalf("reset: %v", err)
	}
	if err := f.svc.ResetPassword(ctx, token, "amber kite over lisbon"); !errors.Is(err, account.ErrTokenInvalid) {
		t.Fatalf("second use: %v", err)
	}
	u, epoch, err := account.Authenticate(ctx, f.pool, "ana", "amber kite over lisbon")
	if err != nil || u.EmailVerifiedAt == nil {
		t.Fatalf("after reset: %+v %v", u, err)
	}

	// Changing needs the current password and a good new one; it raises the epoch.
	if _, err := f.svc.ChangePassword(ctx, id, "wrong one entirely", "short"); !errors.As(err, &fe) || fe.Get("current") == "" || fe.Get("password") == "" {
		t.Fatalf("wrong current, same new: %v", err)
	}
	next, err := f.svc.ChangePassword(ctx, id, "amber kite over lisbon", "quiet harbour in porto")
	if err != nil || next != epoch+1 {
		t.Fatalf("change: epoch %d (was %d) %v", next, epoch, err)
	}
	if f.count(t, `SELECT count(*) FROM audit_log WHERE action IN ('account.password_reset', 'account.password_changed') AND object_id = $1`, fmt.Sprint(id)) != 2 {
		t.Fatal("password changes not audited")
	}
	// Wrong current passwords are limited.
	var throttled *account.ThrottledError
	for i := 0; i < 50 && throttled == nil; i++ {
		_, err = f.svc.ChangePassword(ctx, id, "wrong one entirely", "another fine password")
		errors.As(err, &throttled)
	}
	if throttled == nil {
		t.Fatal("wrong current passwords are never refused")
	}
	if msg, _ := throttled.Refused(); !strings.HasPrefix(i18n.English(msg), "Too many wrong passwords. For your security, try again in ") {
		t.Fatalf("the refusal says %q", i18n.English(msg))
	} else if ko := i18n.For("ko").T(msg); !strings.HasPrefix(ko, "잘못된 비밀번호를 너무 많이 입력했습니다. 보안을 위해 ") || !strings.Contains(ko, "후에 다시 시도") {
		t.Fatalf("in Korean the refusal says %q", ko)
	}

	if err := f.svc.SignedOut(ctx, authz.Actor{UserID: id}); err != nil {
		t.Fatal(err)
	}
	if f.count(t, `SELECT count(*) FROM audit_log WHERE action = 'account.signout' AND actor_id = $1`, id) != 1 {
		t.Fatal("sign-out not audited")
	}
}

func TestServiceAdministration(t *testing.T) {
	t.Parallel()
	f, admin := newServiceFixtureAsRoot(t)
	ctx := f.ctx
	id := f.user(t, "eva", "eva@example.org", "Eva", "")

	if err := f.svc.GrantRole(ctx, admin, id, authz.RoleEvaluator, f.edition); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.GrantRole(ctx, admin, id, authz.RoleEvaluator, f.edition); !errors.Is(err, account.ErrRoleHeld) {
		t.Fatalf("granted twice: %v", err)
	}
	if err := f.svc.RevokeRole(ctx, admin, id, authz.RoleEvaluator, f.edition, "conflict of interest"); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.RevokeRole(ctx, admin, f.admin, authz.RoleAdmin, 0, "leaving"); !errors.Is(err, account.ErrSelf) && !errors.Is(err, account.ErrLastAdmin) {
		t.Fatalf("the last admin revoked themselves: %v", err)
	}
	if err := f.svc.Deactivate(ctx, admin, f.admin); !errors.Is(err, account.ErrSelf) {
		t.Fatalf("self-deactivation: %v", err)
	}
	if err := f.svc.Deactivate(ctx, admin, id); err != nil {
		t.Fatal(err)
	}
	if p, _ := account.LoadProfile(ctx, f.pool, id); p.DeactivatedAt == nil {
		t.Fatal("not deactivated")
	}
	if err := f.svc.Reactivate(ctx, admin, id); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.ResetTwoFactor(ctx, admin, f.admin); !errors.Is(err, account.ErrSelf) {
		t.Fatalf("own second factor reset: %v", err)
	}
	if err := f.svc.ResetTwoFactor(ctx, admin, id); err != nil {
		t.Fatal(err)
	}
	n := f.count(t, `SELECT count(*) FROM audit_log WHERE actor_id = $1 AND object_id = $2 AND ip = '203.0.113.9'`, f.admin, fmt.Sprint(id))
	if n < 5 {
		t.Fatalf("administration audit entries with the client's address = %d", n)
	}
	if err := f.svc.Deactivate(ctx, admin, 999999); err == nil || !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("unknown account: %v", err)
	}
}

func TestServiceInviteAndAccept(t *testing.T) {
	t.Parallel()
	f, admin := newServiceFixtureAsRoot(t)
	ctx := f.ctx
	var fe field.Errors
	if _, err := f.svc.Invite(ctx, admin, account.Invitation{Email: "nope", Name: "X", Roles: []authz.Role{authz.RoleCouncil}, EditionID: f.edition}); !errors.As(err, &fe) {
		t.Fatalf("bad address: %v", err)
	}
	res, err := f.svc.Invite(ctx, admin, account.Invitation{Email: "sec@example.org", Name: "Sam", Roles: []authz.Role{authz.RoleSecretariat}, EditionID: f.edition})
	if err != nil || !res.Created || res.Token == "" {
		t.Fatalf("invite: %+v %v", res, err)
	}
	var html string
	if err := f.pool.QueryRow(ctx, `SELECT html_body FROM email_outbox WHERE kind = 'invite' AND user_id = $1`, res.UserID).Scan(&html); err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`Root`).MatchString(html) || !regexp.MustCompile(regexp.QuoteMeta(f.ed.Name)).MatchString(html) {
		t.Fatalf("the invitation names neither the inviter nor the edition:\n%s", html)
	}
	if f.link(t, "sec@example.org", "invite") != "/invite/"+res.Token {
		t.Fatal("the invitation's link is not the token's")
	}
	// Only the administrator role: no edition, whatever the form said.
	res2, err := f.svc.Invite(ctx, admin, account.Invitation{Email: "ops@example.org", Name: "Ops", Roles: []authz.Role{authz.RoleAdmin}, EditionID: 424242})
	if err != nil || len(res2.Granted) != 1 {
		t.Fatalf("admin invitation: %+v %v", res2, err)
	}

	userID, _, err := f.svc.AcceptInvite(ctx, res.Token, account.Acceptance{Name: "Sam Secretary", Password: "plum orchard lantern", Repeat: "plum orchard lantern"})
	if err != nil || userID != res.UserID {
		t.Fatalf("accept: %d %v", userID, err)
	}
	if _, _, err := f.svc.AcceptInvite(ctx, res.Token, account.Acceptance{Name: "Sam", Password: "plum orchard lantern", Repeat: "plum orchard lantern"}); !errors.Is(err, account.ErrTokenInvalid) {
		t.Fatalf("second use: %v", err)
	}
}

func TestServiceSignInRecordsTheClientAddress(t *testing.T) {
	t.Parallel()
	f := newServiceFixture(t)
	id := f.user(t, "ines", "ines@example.org", "Ines", "")
	if _, err := account.SetPassword(f.ctx, f.pool, id, "cedar lamp by the river", account.TestHashParams, adminNow); err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.svc.SignIn(f.ctx, "ines", "wrong password here"); !errors.Is(err, account.ErrBadCredentials) {
		t.Fatalf("wrong password: %v", err)
	}
	u, _, err := f.svc.SignIn(f.ctx, "INES@example.org", "cedar lamp by the river")
	if err != nil || u.ID != id {
		t.Fatalf("sign-in: %+v %v", u, err)
	}
	if n := f.count(t, `SELECT count(*) FROM audit_log WHERE action IN ('account.signin', 'account.signin_failed') AND ip = '203.0.113.9'`); n != 2 {
		t.Fatalf("sign-in entries with the client's address = %d", n)
	}
}

// TestServiceInviteInEditionWording: an invitation to roles of an edition is sent in the wording
// its managers gave the staff invitation; an invitation to the administrator role alone (no
// edition) keeps the default.
func TestServiceInviteInEditionWording(t *testing.T) {
	t.Parallel()
	f, admin := newServiceFixtureAsRoot(t)
	ctx := f.ctx
	manager := authz.Actor{UserID: f.admin, Grants: []authz.Grant{{Role: authz.RoleAdmin}}}
	if _, err := (&wording.Service{Pool: f.pool, Now: time.Now}).Save(ctx, manager, f.edition, "invite", wording.Input{
		Subject: "Join the jury of the {{edition_name}}", Body: "Hello {{name}},\n\n{{roles}}\n\n{{link}}"}); err != nil {
		t.Fatal(err)
	}
	res, err := f.svc.Invite(ctx, admin, account.Invitation{Email: "eva@example.org", Name: "Eva", Roles: []authz.Role{authz.RoleEvaluator}, EditionID: f.edition})
	if err != nil {
		t.Fatal(err)
	}
	var subject, text string
	if err := f.pool.QueryRow(ctx, `SELECT subject, text_body FROM email_outbox WHERE kind = 'invite' AND user_id = $1`, res.UserID).Scan(&subject, &text); err != nil {
		t.Fatal(err)
	}
	if want := "Hello Eva,\n\n- Evaluator (" + f.ed.Name + ")\n\nhttps://portal.test/invite/" + res.Token + "\n\n-- "; subject != "Join the jury of the "+f.ed.Name || !strings.Contains(text, want) {
		t.Fatalf("subject %q, text %q", subject, text)
	}
	res, err = f.svc.Invite(ctx, admin, account.Invitation{Email: "ops@example.org", Name: "Ops", Roles: []authz.Role{authz.RoleAdmin}, EditionID: f.edition})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.pool.QueryRow(ctx, `SELECT subject FROM email_outbox WHERE kind = 'invite' AND user_id = $1`, res.UserID).Scan(&subject); err != nil || !strings.HasPrefix(subject, "You are invited to the ") {
		t.Fatalf("administrator invitation: %q %v", subject, err)
	}
}
