package account_test

import (
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"prizeportal/internal/account"
	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/fault"
	"prizeportal/internal/blocks/field"
	"prizeportal/internal/i18n"
)

// TestServiceRefusalsSayWhy: the administration's refusals carry the message of the action
// refused, on a real database, while errors.Is still finds the rule.
func TestServiceRefusalsSayWhy(t *testing.T) {
	t.Parallel()
	f, admin := newServiceFixtureAsRoot(t)
	ctx := f.ctx
	id := f.user(t, "rita", "rita@example.org", "Rita", "")
	message := func(err error, rule error, want string) {
		t.Helper()
		fe, ok := fault.As(err)
		if !errors.Is(err, rule) || !ok || fe.Message != want {
			t.Errorf("got %v, want %v with %q", err, rule, want)
		}
	}
	message(f.svc.GrantRole(ctx, admin, id, "janitor", f.edition), account.ErrRoleUnknown, "Choose a role.")
	message(f.svc.GrantRole(ctx, admin, id, authz.RoleEvaluator, 0), account.ErrUnknownEdition, "Choose the edition the role is for.")
	message(f.svc.RevokeRole(ctx, admin, id, authz.RoleEvaluator, f.edition, strings.Repeat("x", 501)), account.ErrReasonTooLong, "Use at most 500 characters.")
	message(f.svc.RevokeRole(ctx, admin, f.admin, authz.RoleAdmin, 0, "leaving"), account.ErrSelf, "You cannot revoke your own administrator role. Ask another administrator.")
	message(f.svc.Deactivate(ctx, admin, f.admin), account.ErrSelf, "You cannot deactivate your own account.")
	message(f.svc.ResetTwoFactor(ctx, admin, f.admin), account.ErrSelf, "You cannot remove your own two-factor sign-in here; another administrator can.")
	other := authz.Actor{UserID: id}
	message(f.svc.Deactivate(ctx, other, f.admin), account.ErrLastAdmin,
		"This is the last administrator who can sign in, so the account stays active. Make someone else an administrator first.")
	if n := f.count(t, `SELECT count(*) FROM role_grants WHERE user_id = $1`, id); n != 0 {
		t.Fatalf("a refused grant was written: %d grants", n)
	}
}

// TestUserPageLoadsOnce: the page of an account holds its history, the editions to grant in and
// whether it is the viewer's own; the viewer cannot revoke their own administrator role.
func TestUserPageLoadsOnce(t *testing.T) {
	t.Parallel()
	f := newServiceFixture(t)
	admin := authz.Actor{UserID: f.admin}
	id := f.user(t, "ola", "ola@example.org", "", "")
	if err := f.svc.GrantRole(f.ctx, admin, id, authz.RoleCouncil, f.edition); err != nil {
		t.Fatal(err)
	}
	p, err := account.LoadUserPage(f.ctx, f.pool, id, f.admin)
	if err != nil {
		t.Fatal(err)
	}
	if p.Self || len(p.Editions) == 0 || p.DisplayName() != "ola" || p.StatusText() != "Active" {
		t.Fatalf("page %+v", p)
	}
	g, err := p.Held(string(authz.RoleCouncil), f.edition)
	if err != nil || !p.CanRevoke(g) || !strings.HasPrefix(i18n.English(g.Label()), "Prize Council member, ") {
		t.Fatalf("held %+v %v, label %q", g, err, g.Label())
	}
	if _, err := p.Held(string(authz.RoleEvaluator), f.edition); !errors.Is(err, account.ErrRoleNotHeld) {
		t.Fatalf("not held: %v", err)
	}
	own, err := account.LoadUserPage(f.ctx, f.pool, f.admin, f.admin)
	if err != nil {
		t.Fatal(err)
	}
	g, err = own.Held(string(authz.RoleAdmin), 0)
	if err != nil || !own.Self || own.CanRevoke(g) || i18n.English(g.Label()) != "Administrator, All editions" {
		t.Fatalf("own page: %+v %v %q", g, err, g.Label())
	}
	c, err := account.LoadInviteChoices(f.ctx, f.pool)
	if err != nil || c.Current == 0 || len(c.Editions) == 0 {
		t.Fatalf("invite choices %+v %v", c, err)
	}
}

func TestAccountWords(t *testing.T) {
	at := time.Date(2023, 5, 10, 3, 0, 0, 0, time.UTC)
	for _, c := range []struct{ got, want string }{
		{account.StatusText(nil, nil, false), "Active"},
		{account.StatusText(nil, nil, true), "Invited; invitation not accepted yet"},
		{account.StatusText(&at, nil, true), "Deactivated on 10 May 2023, 03:00 UTC"},
		{account.StatusText(&at, &at, false), "Erased on 10 May 2023, 03:00 UTC"},
		{account.VerifiedNote(nil), " (not confirmed)"},
		{account.VerifiedNote(&at), " (confirmed 10 May 2023, 03:00 UTC)"},
		{account.ByName(0, "", "by the system"), "by the system"},
		{account.ByName(7, "", ""), "by account 7"},
		{account.ByName(7, "Root", ""), "by Root"},
		{account.PersonalRecord{ObjectType: "user", ObjectID: "7"}.About(7), "your account"},
		{account.PersonalRecord{ObjectType: "user", ObjectID: "8"}.About(7), "another account"},
		{account.PersonalRecord{ObjectType: "edition", ObjectID: "2"}.About(7), "edition 2"},
		{account.NewUserFilter(" ana ", "evaluator", "3", "invited", 2).Query, "ana"},
		{string(account.NewUserFilter("", "janitor", "x", "gone", 1).Role), ""},
	} {
		if got := i18n.English(c.got); got != c.want {
			t.Errorf("got %q, want %q", got, c.want)
		}
	}
}

// TestEmptySignInCodeIsRefusedUncounted: an empty code is refused with what to enter, and is
// not a wrong code (no failed attempt recorded).
func TestEmptySignInCodeIsRefusedUncounted(t *testing.T) {
	t.Parallel()
	f := newServiceFixture(t)
	id := newUser(t, f.pool, "eric")
	for recovery, want := range map[bool]string{false: "Enter the 6-digit code from your authenticator app", true: "Enter one of your recovery codes"} {
		_, err := f.svc.VerifySignIn(f.ctx, id, "  ", recovery)
		if rc, ok := errors.AsType[*account.RefusedCodeError](err); !ok || rc.Message != want || rc.Wait != 0 {
			t.Errorf("recovery %v: %v", recovery, err)
		}
	}
	if n := f.count(t, `SELECT count(*) FROM audit_log WHERE object_id = $1`, strconv.FormatInt(id, 10)); n != 0 {
		t.Errorf("an empty code was recorded: %d entries", n)
	}
}

// TestMissingLoginIsAFieldError: signing in or asking for a reset without a login (or password)
// is refused field by field, before any attempt is counted.
func TestMissingLoginIsAFieldError(t *testing.T) {
	t.Parallel()
	f := newServiceFixture(t)
	before := f.count(t, `SELECT count(*) FROM audit_log`)
	_, _, err := f.svc.SignIn(f.ctx, " ", "")
	if fe, ok := errors.AsType[field.Errors](err); !ok || fe.Get("login") == "" || fe.Get("password") == "" {
		t.Fatalf("sign-in without login: %v", err)
	}
	if fe, ok := errors.AsType[field.Errors](f.svc.RequestReset(f.ctx, "")); !ok || fe.Get("login") != "Enter your login ID or email." {
		t.Fatalf("reset without login: %v", fe)
	}
	if n := f.count(t, `SELECT count(*) FROM audit_log`) - before; n != 0 {
		t.Fatalf("%d attempts recorded", n)
	}
}
