package account_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"prizeportal/internal/account"
	"prizeportal/internal/audit"
	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/field"
	"prizeportal/internal/db"
	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/edition"
)

var adminNow = time.Date(2023, 5, 10, 3, 0, 0, 0, time.UTC)

// adminFixture is a database with the 2023 edition and one admin.
type adminFixture struct {
	pool    *pgxpool.Pool
	edition int64
	admin   int64
	by      account.By
}

func newAdminFixture(t *testing.T) adminFixture {
	t.Helper()
	ctx := context.Background()
	pool := dbtest.New(t)
	def, err := edition.ParseBuiltin("seoul-2023")
	if err != nil {
		t.Fatal(err)
	}
	res, err := edition.Import(ctx, pool, def)
	if err != nil {
		t.Fatal(err)
	}
	a, err := account.CreateAdmin(ctx, pool, "root@example.org", account.TestHashParams)
	if err != nil {
		t.Fatal(err)
	}
	return adminFixture{pool: pool, edition: res.EditionID, admin: a.UserID, by: account.By{UserID: a.UserID, Label: "root@example.org", IP: "192.0.2.1"}}
}

// user inserts an active account directly.
func (f adminFixture) user(t *testing.T, login, email, name, org string) int64 {
	t.Helper()
	var id int64
	err := f.pool.QueryRow(context.Background(), `
		INSERT INTO users (login_id, email, name, organisation, password_hash) VALUES ($1, $2, $3, $4, 'x') RETURNING id`,
		login, email, name, org).Scan(&id)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func (f adminFixture) tx(t *testing.T, fn func(tx pgx.Tx) error) error {
	t.Helper()
	return db.InTx(context.Background(), f.pool, fn)
}

func TestGrantAndRevokeKeepHistory(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newAdminFixture(t)
	u := f.user(t, "eva", "eva@example.org", "Eva Evaluator", "Uni")
	grant := func(role authz.Role, ed int64, at time.Time) error {
		return f.tx(t, func(tx pgx.Tx) error { return account.GrantRole(ctx, tx, u, role, ed, f.by, at) })
	}
	revoke := func(role authz.Role, ed int64, by account.By, reason string, at time.Time) error {
		return f.tx(t, func(tx pgx.Tx) error { return account.RevokeRole(ctx, tx, u, role, ed, by, reason, at) })
	}
	if err := grant(authz.RoleCouncil, f.edition, adminNow); err != nil {
		t.Fatal(err)
	}
	if err := grant(authz.RoleCouncil, f.edition, adminNow); !errors.Is(err, account.ErrRoleHeld) {
		t.Fatalf("second grant: %v, want ErrRoleHeld", err)
	}
	if err := grant(authz.RoleSecretariat, 0, adminNow); !errors.Is(err, account.ErrEditionRequired) {
		t.Fatalf("per-edition role without edition: %v", err)
	}
	// The committee head is one of the evaluators, and an edition has one head.
	if err := grant(authz.RoleCommitteeHead, f.edition, adminNow); err != nil {
		t.Fatal(err)
	}
	other := f.user(t, "ola", "ola@example.org", "Ola Other", "")
	err := f.tx(t, func(tx pgx.Tx) error {
		return account.GrantRole(ctx, tx, other, authz.RoleCommitteeHead, f.edition, f.by, adminNow)
	})
	if !errors.Is(err, account.ErrHeadTaken) {
		t.Fatalf("second head: %v, want ErrHeadTaken", err)
	}
	actor, _, err := account.LoadActor(ctx, f.pool, u)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []authz.Role{authz.RoleCouncil, authz.RoleEvaluator, authz.RoleCommitteeHead} {
		if !actor.Has(r, f.edition) {
			t.Errorf("actor lacks %s: %+v", r, actor.Grants)
		}
	}

	if err := revoke(authz.RoleEvaluator, f.edition, f.by, " ", adminNow); !errors.Is(err, account.ErrReasonRequired) {
		t.Fatalf("revoke without reason: %v", err)
	}
	later := adminNow.Add(48 * time.Hour)
	if err := revoke(authz.RoleEvaluator, f.edition, f.by, "Conflict of interest with an applicant", later); err != nil {
		t.Fatal(err)
	}
	if err := revoke(authz.RoleEvaluator, f.edition, f.by, "again", later); !errors.Is(err, account.ErrRoleNotHeld) || !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("revoking a role not held: %v", err)
	}
	actor, _, _ = account.LoadActor(ctx, f.pool, u)
	if actor.HasAny(authz.RoleEvaluator) || actor.HasAny(authz.RoleCommitteeHead) || !actor.Has(authz.RoleCouncil, f.edition) {
		t.Fatalf("after revoking evaluator: %+v", actor.Grants)
	}
	hist, err := account.RoleHistory(ctx, f.pool, u)
	if err != nil {
		t.Fatal(err)
	}
	if len(hist) != 3 {
		t.Fatalf("history has %d entries: %+v", len(hist), hist)
	}
	if !hist[0].Active() || hist[0].Role != authz.RoleCouncil || hist[0].EditionName != "Seoul Smart City Prize 2023" || hist[0].GrantedByName != "Administrator" {
		t.Errorf("first (active) entry %+v", hist[0])
	}
	for _, h := range hist[1:] {
		if h.Active() || !h.RevokedAt.Equal(later) || h.Reason != "Conflict of interest with an applicant" || h.RevokedByID != f.admin || !h.GrantedAt.Equal(adminNow) {
			t.Errorf("ended entry %+v", h)
		}
	}
	// The role may be granted again; the history keeps the ended grant.
	if err := grant(authz.RoleEvaluator, f.edition, later.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if hist, _ = account.RoleHistory(ctx, f.pool, u); len(hist) != 4 {
		t.Fatalf("history after re-grant: %d entries", len(hist))
	}
	var grants, revokes int
	f.pool.QueryRow(ctx, `SELECT count(*) FILTER (WHERE action = 'role.grant'), count(*) FILTER (WHERE action = 'role.revoke')
		FROM audit_log WHERE object_type = 'user' AND object_id = $1 AND actor_id = $2 AND ip = '192.0.2.1'`,
		fmt.Sprint(u), f.admin).Scan(&grants, &revokes)
	if grants != 4 || revokes != 2 {
		t.Fatalf("audit: %d grants, %d revokes; want 4 and 2", grants, revokes)
	}
}

func TestAdminRoleCannotBeLost(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newAdminFixture(t)
	second := f.user(t, "second", "second@example.org", "Second Admin", "")
	revokeAdmin := func(target int64, by account.By) error {
		return f.tx(t, func(tx pgx.Tx) error {
			return account.RevokeRole(ctx, tx, target, authz.RoleAdmin, 0, by, "leaving", adminNow)
		})
	}
	if err := revokeAdmin(f.admin, f.by); !errors.Is(err, account.ErrSelf) {
		t.Fatalf("own admin role: %v", err)
	}
	secondBy := account.By{UserID: second, Label: "second"}
	if err := revokeAdmin(f.admin, secondBy); !errors.Is(err, account.ErrLastAdmin) {
		t.Fatalf("last admin: %v", err)
	}
	if err := f.tx(t, func(tx pgx.Tx) error {
		return account.GrantRole(ctx, tx, second, authz.RoleAdmin, f.edition, f.by, adminNow)
	}); err != nil {
		t.Fatal(err)
	}
	if n, _ := account.AdminCount(ctx, f.pool); n != 2 {
		t.Fatalf("admins = %d", n)
	}
	if err := f.tx(t, func(tx pgx.Tx) error { return account.Deactivate(ctx, tx, second, f.by, adminNow) }); err != nil {
		t.Fatal(err)
	}
	// The other admin is deactivated, so root is the last one who can sign in.
	if err := revokeAdmin(f.admin, secondBy); !errors.Is(err, account.ErrLastAdmin) {
		t.Fatalf("last active admin: %v", err)
	}
	if err := f.tx(t, func(tx pgx.Tx) error { return account.Reactivate(ctx, tx, second, f.by, adminNow) }); err != nil {
		t.Fatal(err)
	}
	if err := revokeAdmin(f.admin, secondBy); err != nil {
		t.Fatal(err)
	}
	if n, _ := account.AdminCount(ctx, f.pool); n != 1 {
		t.Fatalf("admins after revoke = %d", n)
	}
}

func TestInviteCreatesAccountAndAcceptanceSetsPassword(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newAdminFixture(t)
	inv := account.Invitation{Email: " Sec@Example.org ", Name: "Sam Secretary", Roles: []authz.Role{authz.RoleSecretariat, authz.RoleCouncil}, EditionID: f.edition}
	var res account.InviteResult
	err := f.tx(t, func(tx pgx.Tx) (err error) {
		res, err = account.Invite(ctx, tx, inv, f.by, adminNow)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Created || res.Token == "" || len(res.Granted) != 2 || res.Email != "Sec@Example.org" {
		t.Fatalf("result %+v", res)
	}
	if _, _, err := account.Authenticate(ctx, f.pool, "sec@example.org", ""); !errors.Is(err, account.ErrBadCredentials) {
		t.Fatalf("an invited account has no usable password: %v", err)
	}
	p, err := account.LoadProfile(ctx, f.pool, res.UserID)
	if err != nil || !p.InvitationPending || p.LoginID != "Sec@Example.org" || p.EmailVerifiedAt != nil {
		t.Fatalf("profile %+v %v", p, err)
	}
	invitee, err := account.InviteeByToken(ctx, f.pool, res.Token, adminNow)
	if err != nil || invitee.Name != "Sam Secretary" || invitee.Email != "Sec@Example.org" || invitee.UserID != res.UserID {
		t.Fatalf("invitee %+v %v", invitee, err)
	}

	accept := func(a account.Acceptance, at time.Time) (int64, int, error) {
		var id int64
		var epoch int
		err := f.tx(t, func(tx pgx.Tx) (err error) {
			id, epoch, err = account.AcceptInvite(ctx, tx, res.Token, a, account.TestHashParams, "198.51.100.7", at)
			return err
		})
		return id, epoch, err
	}
	var fe field.Errors
	if _, _, err := accept(account.Acceptance{Name: "", Password: "short", Repeat: "short"}, adminNow); !errors.As(err, &fe) || fe.Get("name") == "" || fe.Get("password") == "" {
		t.Fatalf("bad acceptance: %v", err)
	}
	if _, _, err := accept(account.Acceptance{Name: "Sam", Password: "plum orchard lantern", Repeat: "plum orchard lanterm"}, adminNow); !errors.As(err, &fe) || fe.Get("repeat") == "" {
		t.Fatalf("mismatched repeat: %v", err)
	}
	// A failed attempt leaves the link usable.
	id, _, err := accept(account.Acceptance{Name: "Samantha Secretary", Password: "plum orchard lantern", Repeat: "plum orchard lantern"}, adminNow.Add(time.Hour))
	if err != nil || id != res.UserID {
		t.Fatalf("accept: %d %v", id, err)
	}
	u, _, err := account.Authenticate(ctx, f.pool, "sec@example.org", "plum orchard lantern")
	if err != nil || u.Name != "Samantha Secretary" || u.EmailVerifiedAt == nil {
		t.Fatalf("sign-in after acceptance: %+v %v", u, err)
	}
	if _, _, err := accept(account.Acceptance{Name: "X", Password: "plum orchard lantern", Repeat: "plum orchard lantern"}, adminNow.Add(2*time.Hour)); !errors.Is(err, account.ErrTokenInvalid) {
		t.Fatalf("second use: %v", err)
	}
	actor, _, _ := account.LoadActor(ctx, f.pool, res.UserID)
	if !actor.Has(authz.RoleSecretariat, f.edition) || !actor.Has(authz.RoleCouncil, f.edition) {
		t.Fatalf("roles %+v", actor.Grants)
	}

	// Inviting the active account again adds roles and sends no link.
	err = f.tx(t, func(tx pgx.Tx) (err error) {
		res, err = account.Invite(ctx, tx, account.Invitation{Email: "sec@example.org", Name: "Ignored", Roles: []authz.Role{authz.RoleCouncil, authz.RoleEvaluator}, EditionID: f.edition}, f.by, adminNow)
		return err
	})
	if err != nil || res.Created || res.Token != "" || len(res.Granted) != 1 || res.Granted[0] != authz.RoleEvaluator || res.Name != "Samantha Secretary" {
		t.Fatalf("second invitation %+v %v", res, err)
	}
	audits := dbtest.Count(t, f.pool, `SELECT count(*) FROM audit_log WHERE action IN ('account.invite', 'account.invite_accept') AND object_id = $1`, fmt.Sprint(res.UserID))
	if audits != 3 {
		t.Fatalf("invite audit entries = %d", audits)
	}
}

func TestInviteLinkExpiresAndIsReplaced(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newAdminFixture(t)
	invite := func(at time.Time) account.InviteResult {
		var res account.InviteResult
		err := f.tx(t, func(tx pgx.Tx) (err error) {
			res, err = account.Invite(ctx, tx, account.Invitation{Email: "late@example.org", Name: "Lee Late", Roles: []authz.Role{authz.RoleAdmin}}, f.by, at)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	first := invite(adminNow)
	if _, err := account.InviteeByToken(ctx, f.pool, first.Token, adminNow.Add(account.InviteTTL+time.Second)); !errors.Is(err, account.ErrTokenInvalid) {
		t.Fatalf("expired link: %v", err)
	}
	second := invite(adminNow.Add(8 * 24 * time.Hour))
	if second.Created || second.Token == "" || second.Token == first.Token || len(second.Granted) != 0 {
		t.Fatalf("re-invitation of a pending account %+v", second)
	}
	if _, err := account.InviteeByToken(ctx, f.pool, first.Token, adminNow); !errors.Is(err, account.ErrTokenInvalid) {
		t.Fatalf("the old link must stop working: %v", err)
	}
}

func TestInviteValidation(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newAdminFixture(t)
	gone := f.user(t, "gone", "gone@example.org", "Gone", "")
	if err := f.tx(t, func(tx pgx.Tx) error { return account.Deactivate(ctx, tx, gone, f.by, adminNow) }); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		inv    account.Invitation
		fields []string
	}{
		{account.Invitation{}, []string{"email", "name", "roles"}},
		{account.Invitation{Email: "x@example.org", Name: "X", Roles: []authz.Role{authz.RoleEvaluator}}, []string{"edition"}},
		{account.Invitation{Email: "x@example.org", Name: "X", Roles: []authz.Role{authz.RoleApplicant}, EditionID: f.edition}, []string{"roles"}},
		{account.Invitation{Email: "GONE@example.org", Name: "X", Roles: []authz.Role{authz.RoleAdmin}}, []string{"email"}},
		{account.Invitation{Email: "x@example.org", Name: "X\r\nBcc: y@example.org", Roles: []authz.Role{authz.RoleAdmin}}, []string{"name"}},
	} {
		err := f.tx(t, func(tx pgx.Tx) error {
			_, err := account.Invite(ctx, tx, tc.inv, f.by, adminNow)
			return err
		})
		var fe field.Errors
		if !errors.As(err, &fe) {
			t.Errorf("%+v: %v, want field errors", tc.inv, err)
			continue
		}
		for _, name := range tc.fields {
			if fe.Get(name) == "" {
				t.Errorf("%+v: no error for %s in %v", tc.inv, name, fe)
			}
		}
	}
}

func TestListUsersSearchFiltersAndPages(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newAdminFixture(t)
	dbtest.Exec(t, f.pool, `
		INSERT INTO users (login_id, email, name, organisation, password_hash)
		SELECT 'city' || i, 'city' || i || '@example.org', 'City Officer ' || lpad(i::text, 3, '0'), 'Town Hall', 'x'
		FROM generate_series(1, 120) i`)
	pct := f.user(t, "pct", "pct@example.org", "Per Cent", "100% Solar_Co")
	eva := f.user(t, "eva", "eva@example.org", "Eva", "Uni")
	if err := f.tx(t, func(tx pgx.Tx) error {
		return account.GrantRole(ctx, tx, eva, authz.RoleEvaluator, f.edition, f.by, adminNow)
	}); err != nil {
		t.Fatal(err)
	}
	if err := f.tx(t, func(tx pgx.Tx) error { return account.Deactivate(ctx, tx, pct, f.by, adminNow) }); err != nil {
		t.Fatal(err)
	}
	list := func(filter account.UserFilter) account.UserList {
		t.Helper()
		l, err := account.ListUsers(ctx, f.pool, filter)
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	all := list(account.UserFilter{})
	if all.Total != 123 || all.Pages != 3 || len(all.Users) != 50 {
		t.Fatalf("all: total %d pages %d rows %d", all.Total, all.Pages, len(all.Users))
	}
	p3 := list(account.UserFilter{Query: "town hall", Page: 3})
	if p3.Total != 120 || len(p3.Users) != 20 || p3.Users[19].Name != "City Officer 120" || p3.Users[0].Name != "City Officer 101" {
		t.Fatalf("page 3: total %d rows %d", p3.Total, len(p3.Users))
	}
	// Wildcards in the search are literal characters.
	if l := list(account.UserFilter{Query: "100%"}); l.Total != 1 || l.Users[0].ID != pct {
		t.Fatalf("search 100%%: %+v", l)
	}
	if l := list(account.UserFilter{Query: "_"}); l.Total != 1 {
		t.Fatalf("search _: %d", l.Total)
	}
	if l := list(account.UserFilter{Query: "CITY7@"}); l.Total != 1 {
		t.Fatalf("search by email: %d", l.Total)
	}
	ev := list(account.UserFilter{Role: authz.RoleEvaluator, EditionID: f.edition})
	if ev.Total != 1 || ev.Users[0].ID != eva || len(ev.Users[0].Roles) != 1 || ev.Users[0].Roles[0].EditionName != "Seoul Smart City Prize 2023" {
		t.Fatalf("evaluators: %+v", ev)
	}
	if l := list(account.UserFilter{Role: authz.RoleAdmin}); l.Total != 1 || l.Users[0].ID != f.admin {
		t.Fatalf("admins: %+v", l)
	}
	if l := list(account.UserFilter{Status: account.StatusDeactivated}); l.Total != 1 || l.Users[0].ID != pct {
		t.Fatalf("deactivated: %+v", l)
	}
	if l := list(account.UserFilter{Status: account.StatusActive}); l.Total != 122 {
		t.Fatalf("active: %d", l.Total)
	}
	if l := list(account.UserFilter{Page: 9}); len(l.Users) != 0 || l.Total != 123 {
		t.Fatalf("page past the end: %+v", l)
	}
}

func TestDeactivateEndsSessions(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newAdminFixture(t)
	u := f.user(t, "dee", "dee@example.org", "Dee", "")
	_, before, _ := account.LoadActor(ctx, f.pool, u)
	if err := f.tx(t, func(tx pgx.Tx) error { return account.Deactivate(ctx, tx, f.admin, f.by, adminNow) }); !errors.Is(err, account.ErrSelf) {
		t.Fatalf("self-deactivation: %v", err)
	}
	if err := f.tx(t, func(tx pgx.Tx) error { return account.Deactivate(ctx, tx, u, f.by, adminNow) }); err != nil {
		t.Fatal(err)
	}
	if _, _, err := account.LoadActor(ctx, f.pool, u); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("deactivated actor: %v", err)
	}
	if err := f.tx(t, func(tx pgx.Tx) error { return account.Reactivate(ctx, tx, u, f.by, adminNow) }); err != nil {
		t.Fatal(err)
	}
	_, after, err := account.LoadActor(ctx, f.pool, u)
	if err != nil || after <= before {
		t.Fatalf("epoch %d -> %d (%v): sessions from before the deactivation must stay ended", before, after, err)
	}
	n := dbtest.Count(t, f.pool, `SELECT count(*) FROM audit_log WHERE action IN ('account.deactivate', 'account.reactivate') AND object_id = $1`, fmt.Sprint(u))
	if n != 2 {
		t.Fatalf("audit entries = %d", n)
	}
}

func TestExportHoldsOnlyTheUsersData(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newAdminFixture(t)
	me := f.user(t, "mina", "mina@example.org", "Mina Mine", "My Org")
	other := f.user(t, "otto", "otto@example.org", "Otto Other", "Their Org")
	err := f.tx(t, func(tx pgx.Tx) error {
		if err := account.GrantRole(ctx, tx, me, authz.RoleEvaluator, f.edition, f.by, adminNow); err != nil {
			return err
		}
		if err := account.RevokeRole(ctx, tx, me, authz.RoleEvaluator, f.edition, f.by, "Moved to the council", adminNow); err != nil {
			return err
		}
		if err := account.GrantRole(ctx, tx, other, authz.RoleCouncil, f.edition, f.by, adminNow); err != nil {
			return err
		}
		// Mina acts on Otto's account; Otto signs in.
		if err := audit.Record(ctx, tx, audit.Entry{ActorID: me, ActorLabel: "mina", Action: "test.touch", ObjectType: "user", ObjectID: fmt.Sprint(other), IP: "203.0.113.5", Details: map[string]any{"about": "otto@example.org"}}); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, audit.Entry{ActorID: other, ActorLabel: "otto", Action: "account.signin", ObjectType: "user", ObjectID: fmt.Sprint(other), IP: "203.0.113.9"}); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO email_outbox (to_address, subject, html_body, text_body, kind, user_id) VALUES
			('mina@example.org', 'Welcome Mina', '', '', 'welcome', $1), ('otto@example.org', 'Welcome Otto', '', '', 'welcome', $2)`, me, other)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	data, err := account.ExportPersonalData(ctx, f.pool, me, adminNow)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(data)
	js := string(b)
	for _, want := range []string{"mina@example.org", "Mina Mine", "My Org", "Moved to the council", "Welcome Mina", "203.0.113.5", "test.touch", `"evaluator"`} {
		if !strings.Contains(js, want) {
			t.Errorf("export lacks %q", want)
		}
	}
	for _, leak := range []string{"otto", "Otto", "Their Org", "203.0.113.9", "root@example.org", "192.0.2.1", "Administrator", fmt.Sprintf(`"object_id":"%d"`, other)} {
		if strings.Contains(js, leak) {
			t.Errorf("export of Mina holds %q of someone else: %s", leak, js)
		}
	}
	if len(data.Roles) != 1 || data.Roles[0].RevokedAt == nil || len(data.Emails) != 1 {
		t.Errorf("roles %+v emails %+v", data.Roles, data.Emails)
	}
}

func TestEraseAnonymises(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newAdminFixture(t)
	u := f.user(t, "erin", "erin@example.org", "Erin Erased", "Erin's Org")
	err := f.tx(t, func(tx pgx.Tx) error {
		if err := account.GrantRole(ctx, tx, u, authz.RoleCouncil, f.edition, f.by, adminNow); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, audit.Entry{ActorID: u, ActorLabel: "erin", Action: "account.signin", ObjectType: "user", ObjectID: fmt.Sprint(u), IP: "203.0.113.5", Details: map[string]any{"how": "password"}}); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, audit.Entry{ActorLabel: "erin@example.org", Action: "account.signin_failed", IP: "203.0.113.6", Details: map[string]any{"login": "erin@example.org"}}); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO email_outbox (to_address, to_name, subject, html_body, text_body, user_id, sent_at) VALUES
			('erin@example.org', 'Erin Erased', 'Welcome', '<p>Dear Erin</p>', 'Dear Erin', $1, now()),
			('erin@example.org', 'Erin Erased', 'Reminder', '<p>Dear Erin</p>', 'Dear Erin', $1, NULL)`, u)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if msg, err := account.CanErase(ctx, f.pool, f.admin, f.admin); err != nil || msg == "" {
		t.Fatalf("erasing oneself: %q %v", msg, err)
	}
	second := f.user(t, "second", "second@example.org", "Second", "")
	if msg, _ := account.CanErase(ctx, f.pool, f.admin, second); msg == "" {
		t.Fatal("the last admin must not be erasable")
	}
	err = f.tx(t, func(tx pgx.Tx) error { return account.Erase(ctx, tx, f.admin, account.By{UserID: second}, adminNow) })
	if !errors.Is(err, account.ErrCannotErase) {
		t.Fatalf("erase last admin: %v", err)
	}
	if msg, err := account.CanErase(ctx, f.pool, u, f.admin); err != nil || msg != "" {
		t.Fatalf("CanErase: %q %v", msg, err)
	}
	if err := f.tx(t, func(tx pgx.Tx) error { return account.Erase(ctx, tx, u, f.by, adminNow) }); err != nil {
		t.Fatal(err)
	}
	var row string
	f.pool.QueryRow(ctx, `SELECT concat_ws('|', login_id, email, name, organisation, phone, city, country, deactivated_at IS NOT NULL, erased_at IS NOT NULL) FROM users WHERE id = $1`, u).Scan(&row)
	if want := fmt.Sprintf("erased-%d|erased-%d@erased.invalid|Erased user|||||t|t", u, u); row != want {
		t.Fatalf("erased user row %q, want %q", row, want)
	}
	if _, _, err := account.LoadActor(ctx, f.pool, u); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("erased user can still act: %v", err)
	}
	if hist, _ := account.RoleHistory(ctx, f.pool, u); len(hist) != 1 || hist[0].Active() {
		t.Fatalf("roles after erasure: %+v", hist)
	}
	leaks := dbtest.Count(t, f.pool, `SELECT count(*) FROM audit_log WHERE (actor_label || ip || details::text) ~* '(erin|203\.0\.113\.[56])'`)
	if leaks != 0 {
		t.Fatalf("%d audit entries still hold Erin's data", leaks)
	}
	kept := dbtest.Count(t, f.pool, `SELECT count(*) FROM audit_log WHERE action IN ('account.signin', 'account.signin_failed', 'role.grant', 'account.erase')`)
	if kept != 4 {
		t.Fatalf("audit entries kept = %d, want 4 (action and time stay)", kept)
	}
	var mails string
	f.pool.QueryRow(ctx, `SELECT string_agg(concat_ws('|', to_address, to_name, subject, html_body, text_body), ';') FROM email_outbox`).Scan(&mails)
	// The subject may name the person too ("Receipt for <project>"): it goes with the bodies.
	if mails != fmt.Sprintf("erased-%d@erased.invalid||(erased)||", u) {
		t.Fatalf("outbox after erasure %q", mails)
	}
	if err := f.tx(t, func(tx pgx.Tx) error { return account.Reactivate(ctx, tx, u, f.by, adminNow) }); !errors.Is(err, account.ErrErased) {
		t.Fatalf("reactivating an erased account: %v", err)
	}
}

func TestAuditSearch(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newAdminFixture(t)
	u := f.user(t, "ann", "ann@example.org", "Ann Auditor", "")
	dbtest.Exec(t, f.pool, `
		INSERT INTO audit_log (at, actor_id, actor_label, action, object_type, object_id, ip)
		SELECT timestamptz '2023-05-01 00:00Z' + i * interval '1 hour', $1, 'ann', 'test.tick', 'thing', i::text, '203.0.113.1'
		FROM generate_series(0, 59) i`, u)
	search := func(flt audit.Filter) audit.Page {
		t.Helper()
		p, err := audit.Search(ctx, f.pool, flt)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	if p := search(audit.Filter{Action: "test."}); p.Total != 60 || p.Pages != 2 || len(p.Rows) != 50 || p.Rows[0].ObjectID != "59" || p.Rows[0].ActorName != "Ann Auditor" {
		t.Fatalf("by action prefix: total %d pages %d first %+v", p.Total, p.Pages, p.Rows[0])
	}
	if p := search(audit.Filter{Action: "test.", Page: 2}); len(p.Rows) != 10 || p.Rows[9].ObjectID != "0" {
		t.Fatalf("page 2: %d rows", len(p.Rows))
	}
	if p := search(audit.Filter{Action: "test%"}); p.Total != 0 {
		t.Fatalf("a %% in the action prefix is literal: %d", p.Total)
	}
	if p := search(audit.Filter{Actor: "ANN@example"}); p.Total != 60 {
		t.Fatalf("by actor email: %d", p.Total)
	}
	if p := search(audit.Filter{Actor: "SYSTEM", ObjectType: "user"}); p.Total != 1 || p.Rows[0].Action != "account.admin_create" {
		t.Fatalf("by actor label: %+v", p)
	}
	if p := search(audit.Filter{ObjectType: "thing", ObjectID: "7"}); p.Total != 1 {
		t.Fatalf("by object: %d", p.Total)
	}
	from := time.Date(2023, 5, 2, 0, 0, 0, 0, time.UTC)
	if p := search(audit.Filter{Action: "test.", From: from, To: from.AddDate(0, 0, 1)}); p.Total != 24 {
		t.Fatalf("by day: %d", p.Total)
	}
}
