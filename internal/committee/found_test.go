package committee_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/field"
	"prizeportal/internal/committee"
	"prizeportal/internal/conflict"
	"prizeportal/internal/db"
	"prizeportal/internal/i18n"
)

// conflicts is the conflict service as the portal wires it.
func (w *world) conflicts() *conflict.Service {
	return conflict.NewService(w.pool, func() time.Time { return now }, committee.EndConflicted)
}

// member sets the organisation and email of staff user id.
func (w *world) member(id int64, org, email string) {
	w.t.Helper()
	w.exec(`UPDATE users SET organisation = $2, email = $3 WHERE id = $1`, id, org, email)
}

// entryFrom is a round 2 entry of Tech-InnovaCity by an applicant of org with email.
func (w *world) entryFrom(org, email string) int64 {
	w.t.Helper()
	app := w.entry("tech-innovacity", org, "Incheon", "KR")
	w.exec(`UPDATE users SET email = $2 WHERE id = (SELECT user_id FROM applications WHERE id = $1)`, app, email)
	return app
}

func (w *world) conflictReasons(member, app int64) []string {
	w.t.Helper()
	_, reasons, err := committee.Conflicted(w.ctx, w.pool, member, app)
	if err != nil {
		w.t.Fatal(err)
	}
	for i, r := range reasons {
		reasons[i] = i18n.English(r) // the reasons are carried for their reader's language
	}
	return reasons
}

// An evaluator from "Seoul Digital Foundation" (sdf.seoul.kr) who declared nothing is in
// conflict with the foundation's entries, by organisation (normalised) and by email domain, but
// not through a public mail provider; the conflict bars the assignment until they explain it.
func TestFoundConflictsBarAssignmentUntilExplained(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	e := w.techEvaluators("kim", "park", "choi", "jung")
	kim, choi := e[0], e[2]
	w.member(kim, "Seoul Digital Foundation", "kim@sdf.seoul.kr")
	w.member(choi, "", "choi@gmail.com")
	byOrg := w.entryFrom("SEOUL  digital foundation.", "a@city.example")
	byDomain := w.entryFrom("Smart Seoul Lab", "b@lab.sdf.seoul.kr")
	public := w.entryFrom("Busan Office", "c@gmail.com")

	if got := w.conflictReasons(kim, byOrg); len(got) != 1 ||
		got[0] != "found by the portal: your organisation (Seoul Digital Foundation) is the applicant's organisation (SEOUL  digital foundation.)" {
		t.Errorf("organisation: %q", got)
	}
	if got := w.conflictReasons(kim, byDomain); len(got) != 1 ||
		got[0] != "found by the portal: your email domain (sdf.seoul.kr) is the applicant's email domain (b@lab.sdf.seoul.kr)" {
		t.Errorf("domain: %q", got)
	}
	if got := w.conflictReasons(choi, public); len(got) != 0 {
		t.Errorf("a public mail provider is no conflict: %q", got)
	}
	w.auto()
	if slices.Contains(w.active(byOrg), kim) || slices.Contains(w.active(byDomain), kim) {
		t.Fatalf("found conflicts assigned: %v %v", w.active(byOrg), w.active(byDomain))
	}
	if !slices.Contains(w.active(public), choi) {
		t.Errorf("choi not assigned to the gmail entry: %v", w.active(public))
	}

	// The evaluator sees what was found with the reasons, and answers.
	svc, actor := w.conflicts(), authz.Actor{UserID: kim, Grants: []authz.Grant{{Role: authz.RoleEvaluator, EditionID: w.ed.ID}}}
	found, err := conflict.FoundFor(w.ctx, w.pool, kim, w.ed.ID)
	if err != nil || len(found) != 2 || !found[0].Open() || len(found[0].Reasons) != 1 {
		t.Fatalf("FoundFor = %+v, %v", found, err)
	}
	_, err = svc.Review(w.ctx, actor, byOrg, conflict.Answer{Decision: conflict.Explained, Explanation: "  "})
	var errs field.Errors
	if !errors.As(err, &errs) || errs.Get("explanation") == "" {
		t.Fatalf("explained without a word: %v", err)
	}
	if _, err := svc.Review(w.ctx, actor, public, conflict.Answer{Decision: conflict.Confirmed}); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("answered what was not found: %v", err)
	}
	if _, err := svc.Review(w.ctx, actor, byOrg, conflict.Answer{Decision: conflict.Explained,
		Explanation: "I left the foundation in 2019."}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Review(w.ctx, actor, byDomain, conflict.Answer{Decision: conflict.Confirmed}); err != nil {
		t.Fatal(err)
	}
	if got := w.conflictReasons(kim, byOrg); len(got) != 0 {
		t.Errorf("explained, still barred: %q", got)
	}
	if got := w.conflictReasons(kim, byDomain); len(got) != 1 {
		t.Errorf("confirmed, not barred: %q", got)
	}
	if n := w.count(`SELECT count(*) FROM audit_log WHERE action = 'conflict.found.review' AND actor_id = $1`, kim); n != 2 {
		t.Errorf("audited %d answers", n)
	}
	// The secretariat sees the explanation.
	all, err := conflict.FoundInEdition(w.ctx, w.pool, w.staff, w.ed.ID)
	if err != nil || len(all) != 2 || all[0].Decision == "" || all[1].Decision == "" {
		t.Fatalf("FoundInEdition = %+v, %v", all, err)
	}
	if other, _ := conflict.FoundInEdition(w.ctx, w.pool, kim, w.ed.ID); len(other) != 0 {
		t.Errorf("an evaluator reads the secretariat's list: %+v", other)
	}
	// Once explained, the pair may be assigned by hand.
	if err := w.tx(func(tx pgx.Tx) error {
		_, err := committee.Assign(w.ctx, tx, w.head, byOrg, kim, "An expert in the field", now)
		return err
	}); err != nil {
		t.Errorf("assigning an explained pair: %v", err)
	}
}

// An account that holds an entry in the edition is never assigned to its competitors in that
// category (it is in the others).
func TestOwnEntryBarsCompetitors(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	e := w.techEvaluators("e1", "e2", "e3")
	w.exec(`INSERT INTO evaluator_categories (user_id, category_id) VALUES ($1, $2), ($3, $2), ($4, $2)`,
		e[0], w.cat("human-centricity"), e[1], e[2])
	w.exec(`UPDATE users SET edition_id = $2, category_id = $3 WHERE id = $1`, e[0], w.ed.ID, w.cat("tech-innovacity"))
	w.exec(`INSERT INTO applications (user_id, edition_id, category_id, status, submitted_at, submitted_version)
		VALUES ($1, $2, $3, 'submitted', $4, 1)`, e[0], w.ed.ID, w.cat("tech-innovacity"), now)
	rival := w.entry("tech-innovacity", "Rival", "Busan", "KR")
	other := w.entry("human-centricity", "Elsewhere", "Busan", "KR")
	w.auto()
	if slices.Contains(w.active(rival), e[0]) {
		t.Errorf("an applicant scores a competitor: %v", w.active(rival))
	}
	if !slices.Contains(w.active(other), e[0]) {
		t.Errorf("not assigned in another category: %v", w.active(other))
	}
	if got := w.conflictReasons(e[0], rival); len(got) != 1 || !strings.Contains(got[0], "entry of your own in Tech-InnovaCity") {
		t.Errorf("reason: %q", got)
	}
}

// A conflict declared after the assignment ends the assignment and refills the entry, as a
// recusal does; so does confirming a found conflict.
func TestLateDeclarationEndsAndRefills(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	e := w.techEvaluators("e1", "e2", "e3", "e4")
	app := w.entry("tech-innovacity", "Acme Mobility", "Busan", "KR")
	w.auto()
	if got := w.active(app); !slices.Equal(got, e[:3]) {
		t.Fatalf("first assignment: %v", got)
	}
	actor := authz.Actor{UserID: e[0], Grants: []authz.Grant{{Role: authz.RoleEvaluator, EditionID: w.ed.ID}}}
	if _, err := w.conflicts().Declare(w.ctx, actor, w.ed.ID, conflict.Input{Kind: conflict.KindOrganisation, Name: "ACME Mobility"}); err != nil {
		t.Fatal(err)
	}
	if got := w.active(app); !slices.Equal(got, e[1:]) {
		t.Fatalf("after the declaration: %v, want %v", got, e[1:])
	}
	if n := w.count(`SELECT count(*) FROM assignments WHERE evaluator_id = $1 AND end_kind = 'recused' AND end_reason LIKE 'A conflict of interest%'`, e[0]); n != 1 {
		t.Errorf("ended assignments: %d", n)
	}
	if n := w.count(`SELECT count(*) FROM audit_log WHERE action = 'committee.assignment.conflict'`); n != 1 {
		t.Errorf("audited: %d", n)
	}

	// A found conflict confirmed after the assignment does the same.
	w.member(e[1], "Acme Mobility", "e2@staff.example")
	actor = authz.Actor{UserID: e[1], Grants: []authz.Grant{{Role: authz.RoleEvaluator, EditionID: w.ed.ID}}}
	if _, err := w.conflicts().Review(w.ctx, actor, app, conflict.Answer{Decision: conflict.Confirmed}); err != nil {
		t.Fatal(err)
	}
	if got := w.active(app); !slices.Equal(got, []int64{e[2], e[3]}) {
		t.Errorf("after the confirmation: %v", got)
	}
}

// Council members declare conflicts too; a declared or found conflict makes them abstain on the
// entry (the ballot reads committee.Conflicted).
func TestCouncilDeclaresConflicts(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	council := w.staffUser("mayor", "council")
	app := w.entry("tech-innovacity", "Acme Mobility", "Busan", "KR")
	other := w.entry("tech-innovacity", "Seoul Digital Foundation", "Seoul", "KR")
	actor := authz.Actor{UserID: council, Grants: []authz.Grant{{Role: authz.RoleCouncil, EditionID: w.ed.ID}}}
	if _, err := w.conflicts().Declare(w.ctx, actor, w.ed.ID, conflict.Input{Kind: conflict.KindOrganisation, Name: "Acme Mobility"}); err != nil {
		t.Fatalf("a council member declares: %v", err)
	}
	if got := w.conflictReasons(council, app); len(got) != 1 {
		t.Errorf("declared: %q", got)
	}
	w.member(council, "Seoul Digital Foundation", "mayor@staff.example")
	if got := w.conflictReasons(council, other); len(got) != 1 {
		t.Errorf("found: %q", got)
	}
	// Someone with no jury post in the edition declares nothing.
	stranger := authz.Actor{UserID: w.staff, Grants: []authz.Grant{{Role: authz.RoleSecretariat, EditionID: w.ed.ID}}}
	if _, err := w.conflicts().Declare(w.ctx, stranger, w.ed.ID, conflict.Input{Kind: conflict.KindOrganisation, Name: "X"}); !errors.Is(err, authz.ErrForbidden) {
		t.Errorf("the secretariat declared: %v", err)
	}
}

// An evaluator tied to a registered organisation (here by email domain) is in conflict with the
// entries that match the same organisation (here by an alias).
func TestFoundThroughTheRegistry(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	if _, err := conflict.AddOrganisation(w.ctx, w.pool, w.staff, w.ed.ID, conflict.Input{Name: "WeGO",
		Aliases: "World Smart Sustainable Cities Organization", Domains: "wego-net.org"}, now); err != nil {
		t.Fatal(err)
	}
	e := w.techEvaluators("lee", "park")
	w.member(e[0], "", "lee@mail.wego-net.org")
	app := w.entryFrom("World Smart Sustainable Cities Organization", "a@city.example")
	want := "found by the portal: you and the applicant's organisation (World Smart Sustainable Cities Organization) are both tied to the registered organisation WeGO"
	if got := w.conflictReasons(e[0], app); len(got) != 1 || got[0] != want {
		t.Errorf("registry: %q", got)
	}
	if got := w.conflictReasons(e[1], app); len(got) != 0 {
		t.Errorf("an evaluator without ties: %q", got)
	}
}
