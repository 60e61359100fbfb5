package jury_test

import (
	"context"
	"errors"
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"prizeportal/internal/account"
	"prizeportal/internal/audit"
	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/field"
	"prizeportal/internal/blocks/keyring"
	"prizeportal/internal/blocks/usecase"
	"prizeportal/internal/db"
	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/edition"
	"prizeportal/internal/edition/editiontest"
	"prizeportal/internal/jury"
	"prizeportal/internal/notify"
	"prizeportal/internal/notify/emails"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

var now = time.Date(2023, 4, 2, 9, 0, 0, 0, time.UTC)

// world is seoul-2023 and seoul-2024 with a manager of 2023 and the jury service.
type world struct {
	t        *testing.T
	ctx      context.Context
	pool     *pgxpool.Pool
	ed, next *edition.Edition
	svc      *jury.Service
	manager  authz.Actor
}

func newWorld(t *testing.T) *world {
	t.Helper()
	t.Parallel()
	pool := dbtest.New(t)
	eds := editiontest.Import(t, pool, "seoul-2023", "seoul-2024")
	raw, err := keyring.ParseKeys(keyring.NewKey())
	if err != nil {
		t.Fatal(err)
	}
	keys, err := keyring.New(raw)
	if err != nil {
		t.Fatal(err)
	}
	clock := func() time.Time { return now }
	site := emails.Site{BaseURL: "https://portal.test/"}
	outbox := notify.NewOutbox(pool)
	w := &world{t: t, ctx: audit.WithIP(context.Background(), "203.0.113.4"), pool: pool, ed: eds[0], next: eds[1],
		svc: &jury.Service{Deps: usecase.New(pool, outbox, site, clock),
			Accounts: account.NewService(pool, outbox, site, clock, account.TestHashParams, keys)}}
	w.manager = w.staff("mia@example.org", "Mia Manager", authz.RoleManager, w.ed.ID)
	return w
}

// staff is a new active account holding role in editionID (0 for admin), as its actor.
func (w *world) staff(email, name string, role authz.Role, editionID int64) authz.Actor {
	w.t.Helper()
	id := w.user(email, name)
	var ed *int64
	if editionID != 0 {
		ed = &editionID
	}
	dbtest.Exec(w.t, w.pool, `INSERT INTO role_grants (user_id, role, edition_id) VALUES ($1, $2, $3)`, id, string(role), ed)
	return authz.Actor{UserID: id, Name: name, Grants: []authz.Grant{{Role: role, EditionID: editionID}}}
}

// user is a new active account (it has a password, no invitation pending).
func (w *world) user(email, name string) int64 {
	w.t.Helper()
	var id int64
	if err := w.pool.QueryRow(w.ctx, `INSERT INTO users (login_id, email, name, password_hash) VALUES ($1, $1, $2, 'x') RETURNING id`,
		email, name).Scan(&id); err != nil {
		w.t.Fatal(err)
	}
	return id
}

func (w *world) count(sql string, args ...any) int {
	w.t.Helper()
	return dbtest.Count(w.t, w.pool, sql, args...)
}

// token is the invitation token in the newest email of kind to addr ("" when none).
func (w *world) token(addr, kind string) string {
	w.t.Helper()
	var text string
	err := w.pool.QueryRow(w.ctx, `SELECT coalesce((SELECT text_body FROM email_outbox WHERE lower(to_address) = lower($1) AND kind = $2
		ORDER BY id DESC LIMIT 1), '')`, addr, kind).Scan(&text)
	if err != nil {
		w.t.Fatal(err)
	}
	if m := regexp.MustCompile(`https://portal\.test/invite/(\S+)`).FindStringSubmatch(text); m != nil {
		return m[1]
	}
	return ""
}

func (w *world) member(actor authz.Actor, ed *edition.Edition, userID int64) (jury.Member, bool) {
	w.t.Helper()
	list, err := w.svc.Members(w.ctx, actor, ed)
	if err != nil {
		w.t.Fatal(err)
	}
	i := slices.IndexFunc(list, func(m jury.Member) bool { return m.UserID == userID })
	if i < 0 {
		return jury.Member{}, false
	}
	return list[i], true
}

// TestAppointNewPerson: a manager appoints a new person as evaluator with their expertise; the
// person gets the invitation link, and the jury shows them invited until they set their
// password, then accepted; the appointment is audited.
func TestAppointNewPerson(t *testing.T) {
	w := newWorld(t)
	tech := w.ed.Categories[0].ID
	res, err := w.svc.Appoint(w.ctx, w.manager, w.ed, jury.Appointment{Name: "Eve Evaluator", Email: " eve@example.org ",
		Post: jury.Evaluator, CategoryIDs: []int64{tech}})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Created || res.Token == "" || !slices.Equal(res.Granted, []authz.Role{authz.RoleEvaluator}) {
		t.Fatalf("result %+v", res)
	}
	if tok := w.token("eve@example.org", "invite"); tok != res.Token {
		t.Fatalf("the invitation email links %q, want %q", tok, res.Token)
	}
	if n := w.count(`SELECT count(*) FROM role_grants WHERE user_id = $1 AND role = 'evaluator' AND edition_id = $2`, res.UserID, w.ed.ID); n != 1 {
		t.Fatalf("%d evaluator grants", n)
	}
	for _, action := range []string{"account.invite", "role.grant", "committee.expertise"} {
		if n := w.count(`SELECT count(*) FROM audit_log WHERE action = $1 AND actor_id = $2`, action, w.manager.UserID); n != 1 {
			t.Fatalf("%d %s audit entries by the manager", n, action)
		}
	}
	m, ok := w.member(w.manager, w.ed, res.UserID)
	if !ok || m.Accepted || m.TwoFactor || !slices.Equal(m.Posts, []jury.Post{jury.Evaluator}) || !slices.Equal(m.CategoryIDs, []int64{tech}) {
		t.Fatalf("jury member %+v (%v)", m, ok)
	}
	if _, _, err := w.svc.Accounts.AcceptInvite(w.ctx, res.Token, account.Acceptance{Name: "Eve Evaluator",
		Password: "violet kettle morning", Repeat: "violet kettle morning"}); err != nil {
		t.Fatal(err)
	}
	if m, _ := w.member(w.manager, w.ed, res.UserID); !m.Accepted || m.TwoFactor {
		t.Fatalf("after acceptance: %+v", m)
	}
	if _, ok := w.member(w.staff("root@example.org", "Root", authz.RoleAdmin, 0), w.next, res.UserID); ok {
		t.Fatal("an evaluator of 2023 is on the jury of 2024")
	}
}

// TestAppointExistingPerson: an existing account gets the role and an email saying so, no link;
// the committee head is also an evaluator and an edition has one; the chair sits on the council
// and replaces the one before.
func TestAppointExistingPerson(t *testing.T) {
	w := newWorld(t)
	hugo := w.user("hugo@example.org", "Hugo Head")
	res, err := w.svc.Appoint(w.ctx, w.manager, w.ed, jury.Appointment{Name: "Hugo H.", Email: "HUGO@example.org",
		Post: jury.CommitteeHead, CategoryIDs: []int64{w.ed.Categories[0].ID, w.ed.Categories[1].ID}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Created || res.Token != "" || res.UserID != hugo || res.Name != "Hugo Head" {
		t.Fatalf("result %+v", res)
	}
	if n := w.count(`SELECT count(*) FROM email_outbox WHERE to_address = 'hugo@example.org' AND kind = 'roles-added'`); n != 1 {
		t.Fatalf("%d roles-added emails", n)
	}
	if w.token("hugo@example.org", "invite") != "" {
		t.Fatal("an existing account got an invitation link")
	}
	if m, _ := w.member(w.manager, w.ed, hugo); !m.Accepted || !slices.Equal(m.Posts, []jury.Post{jury.Evaluator, jury.CommitteeHead}) || len(m.CategoryIDs) != 2 {
		t.Fatalf("the head %+v", m)
	}
	var errs field.Errors
	_, err = w.svc.Appoint(w.ctx, w.manager, w.ed, jury.Appointment{Name: "Second Head", Email: "second@example.org",
		Post: jury.CommitteeHead, CategoryIDs: []int64{w.ed.Categories[0].ID}})
	if !errors.As(err, &errs) || errs.Get("post") == "" {
		t.Fatalf("a second head: %v", err)
	}
	if n := w.count(`SELECT count(*) FROM users WHERE email = 'second@example.org'`); n != 0 {
		t.Fatal("the refused appointment left an account")
	}

	chairs := func() []int64 {
		var ids []int64
		if err := w.pool.QueryRow(w.ctx, `SELECT coalesce(array_agg(user_id), '{}') FROM council_chairs WHERE edition_id = $1`, w.ed.ID).Scan(&ids); err != nil {
			t.Fatal(err)
		}
		return ids
	}
	first, err := w.svc.Appoint(w.ctx, w.manager, w.ed, jury.Appointment{Name: "Carla Chair", Email: "carla@example.org", Post: jury.Chair})
	if err != nil {
		t.Fatal(err)
	}
	if got := chairs(); !slices.Equal(got, []int64{first.UserID}) {
		t.Fatalf("chairs %v", got)
	}
	if m, _ := w.member(w.manager, w.ed, first.UserID); !slices.Equal(m.Posts, []jury.Post{jury.Council, jury.Chair}) {
		t.Fatalf("the chair %+v", m)
	}
	second, err := w.svc.Appoint(w.ctx, w.manager, w.ed, jury.Appointment{Name: "Hugo Head", Email: "hugo@example.org", Post: jury.Chair})
	if err != nil {
		t.Fatal(err)
	}
	if got := chairs(); !slices.Equal(got, []int64{second.UserID}) {
		t.Fatalf("chairs after the second %v", got)
	}
	if n := w.count(`SELECT count(*) FROM audit_log WHERE action = 'council.chair' AND actor_id = $1`, w.manager.UserID); n != 2 {
		t.Fatalf("%d chair changes audited", n)
	}
}

// TestAppointRefused: a manager acts only in the editions they manage (checked by the service,
// and in SQL for an actor whose grants the database does not hold), only the jury's posts, and an
// evaluator needs categories of the edition; the secretariat and an evaluator appoint nobody.
// An administrator appoints in any edition.
func TestAppointRefused(t *testing.T) {
	w := newWorld(t)
	eve := jury.Appointment{Name: "Eve Evaluator", Email: "eve@example.org", Post: jury.Evaluator, CategoryIDs: []int64{w.next.Categories[0].ID}}
	if _, err := w.svc.Appoint(w.ctx, w.manager, w.next, eve); !errors.Is(err, authz.ErrForbidden) {
		t.Fatalf("a manager of 2023 appoints in 2024: %v", err)
	}
	forged := w.manager
	forged.Grants = append(forged.Grants, authz.Grant{Role: authz.RoleManager, EditionID: w.next.ID})
	if _, err := w.svc.Appoint(w.ctx, forged, w.next, eve); !errors.Is(err, authz.ErrForbidden) {
		t.Fatalf("the SQL filter let a manager of 2023 appoint in 2024: %v", err)
	}
	if _, err := w.svc.Members(w.ctx, forged, w.next); !errors.Is(err, authz.ErrForbidden) {
		t.Fatalf("the SQL filter let a manager of 2023 list 2024: %v", err)
	}
	sec := w.staff("sam@example.org", "Sam Secretariat", authz.RoleSecretariat, w.ed.ID)
	ev := w.staff("evan@example.org", "Evan Evaluator", authz.RoleEvaluator, w.ed.ID)
	for _, actor := range []authz.Actor{sec, ev} {
		eve.CategoryIDs = []int64{w.ed.Categories[0].ID}
		if _, err := w.svc.Appoint(w.ctx, actor, w.ed, eve); !errors.Is(err, authz.ErrForbidden) {
			t.Fatalf("%s appoints: %v", actor.Name, err)
		}
		if _, err := w.svc.Members(w.ctx, actor, w.ed); !errors.Is(err, authz.ErrForbidden) {
			t.Fatalf("%s lists the jury: %v", actor.Name, err)
		}
	}
	var errs field.Errors
	for _, role := range []authz.Role{authz.RoleAdmin, authz.RoleManager, authz.RoleSecretariat, authz.RoleApplicant, ""} {
		_, err := w.svc.Appoint(w.ctx, w.manager, w.ed, jury.Appointment{Name: "Rita Role", Email: "rita@example.org", Post: jury.Post(role)})
		if !errors.As(err, &errs) || errs.Get("post") == "" {
			t.Fatalf("a manager grants %q: %v", role, err)
		}
	}
	_, err := w.svc.Appoint(w.ctx, w.manager, w.ed, jury.Appointment{Name: "", Email: "not an address", Post: jury.Evaluator})
	if !errors.As(err, &errs) || errs.Get("name") == "" || errs.Get("email") == "" || errs.Get("categories") == "" {
		t.Fatalf("an empty form: %v", err)
	}
	eve.CategoryIDs = []int64{w.next.Categories[0].ID}
	if _, err := w.svc.Appoint(w.ctx, w.manager, w.ed, eve); !errors.As(err, &errs) || errs.Get("categories") == "" {
		t.Fatalf("a category of 2024: %v", err)
	}
	if n := w.count(`SELECT count(*) FROM users WHERE email IN ('rita@example.org', 'eve@example.org')`); n != 0 {
		t.Fatalf("refused appointments left %d accounts", n)
	}
	if n := w.count(`SELECT count(*) FROM role_grants WHERE role IN ('admin', 'manager', 'secretariat') AND granted_by = $1`, w.manager.UserID); n != 0 {
		t.Fatalf("the manager granted %d staff roles", n)
	}
	admin := w.staff("root@example.org", "Root", authz.RoleAdmin, 0)
	if _, err := w.svc.Appoint(w.ctx, admin, w.next, eve); err != nil {
		t.Fatalf("an administrator appoints in 2024: %v", err)
	}
}

// TestRevokeWithReason: a manager revokes a post with a reason, kept in the role history and the
// audit log; revoking the chair leaves the council seat, leaving the council ends the chair.
func TestRevokeWithReason(t *testing.T) {
	w := newWorld(t)
	res, err := w.svc.Appoint(w.ctx, w.manager, w.ed, jury.Appointment{Name: "Eve Evaluator", Email: "eve@example.org",
		Post: jury.Evaluator, CategoryIDs: []int64{w.ed.Categories[0].ID}})
	if err != nil {
		t.Fatal(err)
	}
	eve := res.UserID
	if err := w.svc.Revoke(w.ctx, w.manager, w.ed, eve, jury.Evaluator, "  "); !errors.Is(err, account.ErrReasonRequired) {
		t.Fatalf("without a reason: %v", err)
	}
	if err := w.svc.Revoke(w.ctx, w.manager, w.ed, w.manager.UserID, jury.Post(authz.RoleManager), "Leaving"); !errors.Is(err, account.ErrRoleUnknown) {
		t.Fatalf("revoking manager: %v", err)
	}
	other := w.staff("otto@example.org", "Otto Other", authz.RoleManager, w.next.ID)
	if err := w.svc.Revoke(w.ctx, other, w.ed, eve, jury.Evaluator, "Not ours"); !errors.Is(err, authz.ErrForbidden) {
		t.Fatalf("a manager of 2024 revokes in 2023: %v", err)
	}
	if err := w.svc.Revoke(w.ctx, w.manager, w.ed, eve, jury.Evaluator, "Conflict of interest with an applicant"); err != nil {
		t.Fatal(err)
	}
	if n := w.count(`SELECT count(*) FROM role_revocations WHERE user_id = $1 AND role = 'evaluator' AND reason = 'Conflict of interest with an applicant' AND revoked_by = $2`,
		eve, w.manager.UserID); n != 1 {
		t.Fatalf("%d revocations kept", n)
	}
	if n := w.count(`SELECT count(*) FROM audit_log WHERE action = 'role.revoke' AND actor_id = $1 AND details->>'reason' = 'Conflict of interest with an applicant'`, w.manager.UserID); n != 1 {
		t.Fatalf("%d revocations audited", n)
	}
	if _, ok := w.member(w.manager, w.ed, eve); ok {
		t.Fatal("the revoked evaluator is still on the jury")
	}
	if err := w.svc.Revoke(w.ctx, w.manager, w.ed, eve, jury.Evaluator, "Again"); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("revoking again: %v", err)
	}

	chair, err := w.svc.Appoint(w.ctx, w.manager, w.ed, jury.Appointment{Name: "Carla Chair", Email: "carla@example.org", Post: jury.Chair})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.svc.Revoke(w.ctx, w.manager, w.ed, chair.UserID, jury.Chair, "Asked to step down as chair"); err != nil {
		t.Fatal(err)
	}
	if m, _ := w.member(w.manager, w.ed, chair.UserID); !slices.Equal(m.Posts, []jury.Post{jury.Council}) {
		t.Fatalf("after the chair's revocation %+v", m)
	}
	if err := w.svc.Revoke(w.ctx, w.manager, w.ed, chair.UserID, jury.Chair, "Again"); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("revoking a chair not held: %v", err)
	}
	if _, err := w.svc.Appoint(w.ctx, w.manager, w.ed, jury.Appointment{Name: "Carla Chair", Email: "carla@example.org", Post: jury.Chair}); err != nil {
		t.Fatal(err)
	}
	if err := w.svc.Revoke(w.ctx, w.manager, w.ed, chair.UserID, jury.Council, "Leaves the council"); err != nil {
		t.Fatal(err)
	}
	if n := w.count(`SELECT count(*) FROM council_chairs WHERE edition_id = $1`, w.ed.ID); n != 0 {
		t.Fatal("the council kept a chair who left it")
	}
}

// TestResendInvitation: a member who has not accepted gets a new link (the old one stops
// working); once they have set their password there is nothing to resend; someone not on the
// jury is not found, and a manager of another edition is refused.
func TestResendInvitation(t *testing.T) {
	w := newWorld(t)
	first, err := w.svc.Appoint(w.ctx, w.manager, w.ed, jury.Appointment{Name: "Carla Council", Email: "carla@example.org", Post: jury.Council})
	if err != nil {
		t.Fatal(err)
	}
	other := w.staff("otto@example.org", "Otto Other", authz.RoleManager, w.next.ID)
	if _, err := w.svc.Resend(w.ctx, other, w.ed, first.UserID); !errors.Is(err, authz.ErrForbidden) {
		t.Fatalf("a manager of 2024 resends in 2023: %v", err)
	}
	again, err := w.svc.Resend(w.ctx, w.manager, w.ed, first.UserID)
	if err != nil {
		t.Fatal(err)
	}
	if again.Token == "" || again.Token == first.Token || w.token("carla@example.org", "invite") != again.Token {
		t.Fatalf("resent %+v", again)
	}
	if n := w.count(`SELECT count(*) FROM email_outbox WHERE to_address = 'carla@example.org' AND kind = 'invite'`); n != 2 {
		t.Fatalf("%d invitation emails", n)
	}
	if _, err := account.InviteeByToken(w.ctx, w.pool, first.Token, now); !errors.Is(err, account.ErrTokenInvalid) {
		t.Fatalf("the first link still works: %v", err)
	}
	if _, err := w.svc.Resend(w.ctx, w.manager, w.ed, w.manager.UserID); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("resending to someone not on the jury: %v", err)
	}
	if _, _, err := w.svc.Accounts.AcceptInvite(w.ctx, again.Token, account.Acceptance{Name: "Carla Council",
		Password: "violet kettle morning", Repeat: "violet kettle morning"}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.Resend(w.ctx, w.manager, w.ed, first.UserID); !errors.Is(err, jury.ErrAccepted) {
		t.Fatalf("resending after acceptance: %v", err)
	}
}

// TestAppointDeputies: a manager names a deputy head (an evaluator) and a deputy chair (a
// council member); the jury shows the posts, the head cannot be their own deputy, naming another
// deputy replaces the first, and revoking the post ends it; every step is audited.
func TestAppointDeputies(t *testing.T) {
	w := newWorld(t)
	tech := w.ed.Categories[0].ID
	head := w.staff("hana@example.org", "Hana Head", authz.RoleCommitteeHead, w.ed.ID)
	dbtest.Exec(t, w.pool, `INSERT INTO role_grants (user_id, role, edition_id) VALUES ($1, 'evaluator', $2)`, head.UserID, w.ed.ID)

	_, err := w.svc.Appoint(w.ctx, w.manager, w.ed, jury.Appointment{Name: "Hana Head", Email: "hana@example.org",
		Post: jury.DeputyHead, CategoryIDs: []int64{tech}})
	if fe, ok := errors.AsType[field.Errors](err); !ok || fe.Get("post") == "" {
		t.Fatalf("the head as their own deputy: %v", err)
	}
	res, err := w.svc.Appoint(w.ctx, w.manager, w.ed, jury.Appointment{Name: "Dora Deputy", Email: "dora@example.org",
		Post: jury.DeputyHead, CategoryIDs: []int64{tech}})
	if err != nil {
		t.Fatal(err)
	}
	if m, ok := w.member(w.manager, w.ed, res.UserID); !ok || !m.Holds(jury.DeputyHead) || !m.Holds(jury.Evaluator) {
		t.Fatalf("the deputy head on the jury: %+v", m)
	}
	chair, err := w.svc.Appoint(w.ctx, w.manager, w.ed, jury.Appointment{Name: "Cleo Council", Email: "cleo@example.org", Post: jury.DeputyChair})
	if err != nil {
		t.Fatal(err)
	}
	if m, _ := w.member(w.manager, w.ed, chair.UserID); !m.Holds(jury.DeputyChair) || !m.Holds(jury.Council) {
		t.Fatalf("the deputy chair on the jury: %+v", m)
	}
	other, err := w.svc.Appoint(w.ctx, w.manager, w.ed, jury.Appointment{Name: "Omar Other", Email: "omar@example.org",
		Post: jury.DeputyHead, CategoryIDs: []int64{tech}})
	if err != nil {
		t.Fatal(err)
	}
	if m, _ := w.member(w.manager, w.ed, res.UserID); m.Holds(jury.DeputyHead) {
		t.Fatal("the first deputy head is still deputy after another was named")
	}
	if err := w.svc.Revoke(w.ctx, w.manager, w.ed, other.UserID, jury.DeputyHead, "Leaves the committee."); err != nil {
		t.Fatal(err)
	}
	if n := w.count(`SELECT count(*) FROM edition_deputies WHERE edition_id = $1`, w.ed.ID); n != 1 {
		t.Fatalf("%d deputies left, want the deputy chair", n)
	}
	if err := w.svc.Revoke(w.ctx, w.manager, w.ed, other.UserID, jury.DeputyHead, "Again."); !errors.Is(err, account.ErrRoleNotHeld) {
		t.Fatalf("revoking a deputy post not held: %v", err)
	}
	if n := w.count(`SELECT count(*) FROM audit_log WHERE action = 'jury.deputy'`); n != 4 {
		t.Fatalf("%d deputy audit entries, want 4", n)
	}
}
