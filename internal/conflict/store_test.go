package conflict_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"prizeportal/internal/blocks/field"
	"prizeportal/internal/conflict"
	"prizeportal/internal/db"
	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/edition"
	"prizeportal/internal/edition/editiontest"
	"prizeportal/internal/i18n"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

var now = time.Date(2023, 6, 5, 3, 0, 0, 0, time.UTC)

// world is a database with seoul-2023 and seoul-2024, a secretariat member and an evaluator of
// seoul-2023.
type world struct {
	t         *testing.T
	pool      *pgxpool.Pool
	ed, other *edition.Edition
	staff     int64
	evaluator int64
	n         int
}

func newWorld(t *testing.T) *world {
	t.Helper()
	w := &world{t: t, pool: dbtest.New(t)}
	eds := editiontest.Import(t, w.pool, "seoul-2023", "seoul-2024")
	w.ed, w.other = eds[0], eds[1]
	w.staff = w.user("sec", "Sec", "secretariat", w.ed.ID)
	w.evaluator = w.user("lee", "Dr Lee", "evaluator", w.ed.ID)
	return w
}

func (w *world) user(login, name, role string, editionID int64) int64 {
	w.t.Helper()
	var id int64
	if err := w.pool.QueryRow(context.Background(), `
		WITH u AS (INSERT INTO users (login_id, email, name, password_hash) VALUES ($1, $1 || '@staff.example', $2, 'x') RETURNING id)
		INSERT INTO role_grants (user_id, role, edition_id) SELECT id, $3, $4 FROM u RETURNING user_id`,
		login, name, role, editionID).Scan(&id); err != nil {
		w.t.Fatal(err)
	}
	return id
}

// applicant is a registrant and their project.
type applicant struct {
	name, email, org, city, country, lead string
	draft                                 bool
	edition                               *edition.Edition
}

// entry creates a Tech-InnovaCity project application of a (submitted unless a.draft).
func (w *world) entry(a applicant) int64 {
	w.t.Helper()
	w.n++
	ed := a.edition
	if ed == nil {
		ed = w.ed
	}
	cat, _ := ed.Category("tech-innovacity")
	status := "submitted"
	if a.draft {
		status = "draft"
	}
	var id int64
	if err := w.pool.QueryRow(context.Background(), `
		WITH u AS (INSERT INTO users (login_id, email, name, password_hash, organisation, city, country, entity_type, edition_id, category_id)
		           VALUES ('a' || $1::int, $2, $3, 'x', $4, $5, $6, 'city', $7, $8) RETURNING id)
		INSERT INTO applications (user_id, edition_id, category_id, status, answers, submitted_at)
		SELECT id, $7, $8, $9, jsonb_build_object('lead_organisation', jsonb_build_object('text', $10::text)),
		       CASE WHEN $9 = 'submitted' THEN $11::timestamptz END FROM u RETURNING id`,
		w.n, a.email, a.name, a.org, a.city, a.country, ed.ID, cat.ID, status, a.lead, now).Scan(&id); err != nil {
		w.t.Fatal(err)
	}
	return id
}

// nomination creates a submitted leadership nomination of a candidate by a nominator of org.
func (w *world) nomination(nominatorOrg, candidate, email, candidateOrg string) int64 {
	w.t.Helper()
	w.n++
	cat, _ := w.ed.Category("leadership")
	var id int64
	if err := w.pool.QueryRow(context.Background(), `
		WITH u AS (INSERT INTO users (login_id, email, name, password_hash, organisation, entity_type, edition_id, category_id)
		           VALUES ('n' || $1::int, 'n' || $1::int || '@nominators.example', 'Nominator ' || $1::int, 'x', $2, 'individual', $3, $4) RETURNING id),
		a AS (INSERT INTO applications (user_id, edition_id, category_id, kind, status, submitted_at)
		      SELECT id, $3, $4, 'nomination', 'submitted', $8 FROM u RETURNING id, user_id)
		INSERT INTO nominations (application_id, user_id, edition_id, self, candidate_name, candidate_email, candidate_organisation, created_at)
		SELECT id, user_id, $3, false, $5, $6, $7, $8 FROM a RETURNING application_id`,
		w.n, nominatorOrg, w.ed.ID, cat.ID, candidate, email, candidateOrg, now).Scan(&id); err != nil {
		w.t.Fatal(err)
	}
	return id
}

// flags returns the entry flags of kind, as "appID detail" sorted.
func (w *world) flags(kind string) map[int64][]string {
	w.t.Helper()
	rows, err := w.pool.Query(context.Background(), `SELECT application_id, detail FROM entry_flags WHERE kind = $1 ORDER BY application_id, detail`, kind)
	if err != nil {
		w.t.Fatal(err)
	}
	defer rows.Close()
	out := map[int64][]string{}
	for rows.Next() {
		var (
			id     int64
			detail string
		)
		if err := rows.Scan(&id, &detail); err != nil {
			w.t.Fatal(err)
		}
		out[id] = append(out[id], detail)
	}
	return out
}

func (w *world) flagEdition() {
	w.t.Helper()
	if err := conflict.FlagEdition(context.Background(), w.pool, w.ed.ID, now); err != nil {
		w.t.Fatal(err)
	}
}

func keys(m map[int64][]string) []int64 {
	var out []int64
	for k := range m {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

func TestRegistryMatching(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	byName := w.entry(applicant{name: "A", email: "a@seoul.example", org: "The WeGO.", city: "Seoul", country: "KR"})
	byAlias := w.entry(applicant{name: "B", email: "b@seoul.example", org: "Seoul", lead: "world smart-sustainable cities ORGANIZATION"})
	bySubdomain := w.entry(applicant{name: "C", email: "c@mail.WeGO-net.org", org: "Seoul Metropolitan Government"})
	byDomain := w.entry(applicant{name: "D", email: "d@wego-net.org"})
	notSuffix := w.entry(applicant{name: "E", email: "e@notwego-net.org", org: "WeGO Foundation"})
	notParent := w.entry(applicant{name: "F", email: "f@wego-net.org.example.com", org: "We Go Places"})
	byCandidateOrg := w.nomination("Seoul City Hall", "Park", "park@seoul.example", "WEGO")
	byCandidateDomain := w.nomination("", "Choi", "choi@wego-net.org", "")
	draft := w.entry(applicant{name: "G", email: "g@seoul.example", org: "WeGO", draft: true})
	otherEdition := w.entry(applicant{name: "H", email: "h@wego-net.org", org: "WeGO", edition: w.other})

	o, err := conflict.AddOrganisation(ctx, w.pool, w.staff, w.ed.ID, conflict.Input{Name: "WeGO",
		Aliases: "World Smart Sustainable Cities Organization", Domains: "wego-net.org", Country: "KR", Note: "Organiser"}, now)
	if err != nil {
		t.Fatal(err)
	}
	if o.AddedBy != "Sec" || !o.AddedAt.Equal(now) || o.Country != "KR" {
		t.Errorf("added %+v", o)
	}
	w.flagEdition()
	want := []int64{byName, byAlias, bySubdomain, byDomain, byCandidateOrg, byCandidateDomain}
	slices.Sort(want)
	got := w.flags(conflict.FlagRegistry)
	if !slices.Equal(keys(got), want) {
		t.Fatalf("flagged %v, want %v (not %d %d %d %d)", keys(got), want, notSuffix, notParent, draft, otherEdition)
	}
	for _, id := range want {
		if !slices.Equal(got[id], []string{"WeGO"}) {
			t.Errorf("entry %d flags %q, want the organisation's name", id, got[id])
		}
		if barred, err := conflict.Barred(ctx, w.pool, id); err != nil || !barred {
			t.Errorf("entry %d: Barred = %v, %v", id, barred, err)
		}
	}
	if barred, _ := conflict.Barred(ctx, w.pool, notSuffix); barred {
		t.Error("a different organisation and domain is barred")
	}
	for id, field := range map[int64]string{byName: "applicant_organisation", byAlias: "lead_organisation",
		bySubdomain: "applicant_email_domain", byCandidateOrg: "candidate_organisation", byCandidateDomain: "candidate_email_domain"} {
		ms, err := conflict.Matches(ctx, w.pool, id)
		if err != nil {
			t.Fatal(err)
		}
		if len(ms) != 1 || ms[0].Field != field || !ms[0].Registry() || ms[0].SourceID != o.ID {
			t.Errorf("entry %d matches %+v, want one on %s", id, ms, field)
		}
	}
	if os, _ := conflict.Organisations(ctx, w.pool, w.staff, w.ed.ID); len(os) != 1 || os[0].Flagged != len(want) {
		t.Errorf("registry %+v, want WeGO flagging %d entries", os, len(want))
	}

	// A change of the registry re-flags the edition: without the domain, only names match.
	if _, _, err := conflict.UpdateOrganisation(ctx, w.pool, w.staff, o.ID, conflict.Input{Name: "WeGO",
		Aliases: "World Smart Sustainable Cities Organization\nWe Go Places", Country: "KR"}, now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	w.flagEdition()
	want = []int64{byName, byAlias, notParent, byCandidateOrg}
	slices.Sort(want)
	if got := keys(w.flags(conflict.FlagRegistry)); !slices.Equal(got, want) {
		t.Fatalf("after the change flagged %v, want %v", got, want)
	}
	if _, err := conflict.DeleteOrganisation(ctx, w.pool, w.staff, o.ID); err != nil {
		t.Fatal(err)
	}
	w.flagEdition()
	if got := w.flags(conflict.FlagRegistry); len(got) != 0 {
		t.Fatalf("after removal flags remain: %v", got)
	}

	// FlagEntry flags one entry when it is submitted, not while it is a draft.
	if _, err := conflict.AddOrganisation(ctx, w.pool, w.staff, w.ed.ID, conflict.Input{Name: "wego"}, now); err != nil {
		t.Fatal(err)
	}
	if err := conflict.FlagEntry(ctx, w.pool, draft, now); err != nil {
		t.Fatal(err)
	}
	if len(w.flags(conflict.FlagRegistry)[draft]) != 0 {
		t.Error("a draft was flagged")
	}
	w.pool.Exec(ctx, `UPDATE applications SET status = 'submitted', submitted_at = $2 WHERE id = $1`, draft, now)
	if err := conflict.FlagEntry(ctx, w.pool, draft, now); err != nil {
		t.Fatal(err)
	}
	if got := w.flags(conflict.FlagRegistry); !slices.Equal(keys(got), []int64{draft}) {
		t.Errorf("FlagEntry flagged %v, want only %d", keys(got), draft)
	}
}

func TestRegistryRules(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	o, err := conflict.AddOrganisation(ctx, w.pool, w.staff, w.ed.ID, conflict.Input{Name: "Seoul Digital Foundation"}, now)
	if err != nil {
		t.Fatal(err)
	}
	var fe field.Errors
	_, err = conflict.AddOrganisation(ctx, w.pool, w.staff, w.ed.ID, conflict.Input{Name: "the seoul digital foundation"}, now)
	if !errors.As(err, &fe) || !strings.Contains(fe.Get("name"), "already in the registry") {
		t.Errorf("a second organisation of the same name: %v", err)
	}
	_, err = conflict.AddOrganisation(ctx, w.pool, w.staff, w.ed.ID, conflict.Input{Name: "", Domains: "x"}, now)
	if !errors.As(err, &fe) || fe.Get("name") == "" || fe.Get("domains") == "" {
		t.Errorf("bad input: %v", err)
	}
	// The same name in another edition is another registry; a member of another edition's
	// secretariat sees and changes nothing here.
	stranger := w.user("sec2", "Sec 2", "secretariat", w.other.ID)
	if _, err := conflict.AddOrganisation(ctx, w.pool, stranger, w.other.ID, conflict.Input{Name: "Seoul Digital Foundation"}, now); err != nil {
		t.Fatal(err)
	}
	if _, err := conflict.AddOrganisation(ctx, w.pool, stranger, w.ed.ID, conflict.Input{Name: "X"}, now); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("adding to an edition not served: %v", err)
	}
	if _, err := conflict.GetOrganisation(ctx, w.pool, stranger, o.ID); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("reading another edition's registry: %v", err)
	}
	if _, _, err := conflict.UpdateOrganisation(ctx, w.pool, stranger, o.ID, conflict.Input{Name: "Y"}, now); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("changing another edition's registry: %v", err)
	}
	if _, err := conflict.DeleteOrganisation(ctx, w.pool, stranger, o.ID); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("removing from another edition's registry: %v", err)
	}
	if list, _ := conflict.Organisations(ctx, w.pool, stranger, w.ed.ID); len(list) != 0 {
		t.Errorf("a stranger lists %d organisations", len(list))
	}
	// Renaming onto another organisation's name is refused.
	o2, err := conflict.AddOrganisation(ctx, w.pool, w.staff, w.ed.ID, conflict.Input{Name: "Busan Digital Foundation"}, now)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := conflict.UpdateOrganisation(ctx, w.pool, w.staff, o2.ID, conflict.Input{Name: "Seoul Digital Foundation!"}, now); !errors.As(err, &fe) {
		t.Errorf("rename onto another name: %v", err)
	}
	before, after, err := conflict.UpdateOrganisation(ctx, w.pool, w.staff, o2.ID, conflict.Input{Name: "Busan DF", Aliases: "Busan Digital Foundation"}, now.Add(time.Hour))
	if err != nil || before.Name != "Busan Digital Foundation" || after.Name != "Busan DF" || after.UpdatedBy != "Sec" || after.UpdatedAt == nil {
		t.Errorf("update: %+v -> %+v, %v", before, after, err)
	}
}

func TestDeclarations(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	inSeoul := w.entry(applicant{name: "A", email: "a@x.example", city: " SEOUL ", country: "KR"})
	seoulElsewhere := w.entry(applicant{name: "B", email: "b@x.example", city: "Seoul", country: "US"})
	byName := w.entry(applicant{name: "kim min-jun", email: "c@x.example", city: "Busan", country: "KR"})
	otherName := w.entry(applicant{name: "Kim Min-ji", email: "d@x.example", city: "Busan", country: "KR"})
	byCandidateEmail := w.nomination("", "Someone", "MJ@Example.org", "")
	byOrg := w.entry(applicant{name: "E", email: "e@bdf.kr", city: "Busan", country: "KR"})

	declare := func(evaluator int64, in conflict.Input) conflict.Declaration {
		t.Helper()
		d, err := conflict.Declare(ctx, w.pool, evaluator, w.ed.ID, in, now)
		if err != nil {
			t.Fatalf("declare %+v: %v", in, err)
		}
		return d
	}
	city := declare(w.evaluator, conflict.Input{Kind: conflict.KindCity, Name: "Seoul", Country: "KR", Note: "I live there"})
	declare(w.evaluator, conflict.Input{Kind: conflict.KindPerson, Name: "Kim Minjun", Email: "mj@example.org"})
	declare(w.evaluator, conflict.Input{Kind: conflict.KindOrganisation, Name: "Busan Digital Foundation", Domains: "bdf.kr"})
	other := w.user("park", "Prof Park", "committee_head", w.ed.ID)
	declare(other, conflict.Input{Kind: conflict.KindPerson, Name: "Kim Min-ji"})

	got, err := conflict.EvaluatorConflicts(ctx, w.pool, w.evaluator, w.ed.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := []int64{inSeoul, byName, byCandidateEmail, byOrg}
	slices.Sort(want)
	if !slices.Equal(keys(got), want) {
		t.Fatalf("conflicts of Dr Lee: %v, want %v (not %d, %d)", got, want, seoulElsewhere, otherName)
	}
	if r := got[inSeoul]; len(r) != 1 || !strings.Contains(i18n.English(r[0]), "declared city Seoul") || !strings.Contains(i18n.English(r[0]), "the applicant's city") {
		t.Errorf("reasons for the Seoul entry: %q", r)
	}
	if r := got[byCandidateEmail]; len(r) != 1 || !strings.Contains(i18n.English(r[0]), "the candidate's email address") {
		t.Errorf("reasons for the nomination: %q", r)
	}
	if ok, reasons, err := conflict.Conflicted(ctx, w.pool, w.evaluator, byOrg); err != nil || !ok || !strings.Contains(i18n.English(reasons[0]), "email domain") {
		t.Errorf("Conflicted(byOrg) = %v %q %v", ok, reasons, err)
	}
	if ok, _, _ := conflict.Conflicted(ctx, w.pool, w.evaluator, otherName); ok {
		t.Error("Dr Lee is conflicted with Kim Min-ji, whom only Prof Park declared")
	}
	if ok, _, _ := conflict.Conflicted(ctx, w.pool, other, otherName); !ok {
		t.Error("Prof Park's declared person does not match")
	}
	// Declarations of the evaluators flag the entries for the secretariat, not as barred.
	w.flagEdition()
	flags := w.flags(conflict.FlagEvaluator)
	if !slices.Equal(flags[inSeoul], []string{"Dr Lee: city Seoul (KR)"}) || !slices.Equal(flags[otherName], []string{"Prof Park: person Kim Min-ji"}) {
		t.Errorf("evaluator flags %v", flags)
	}
	if barred, _ := conflict.Barred(ctx, w.pool, inSeoul); barred {
		t.Error("an evaluator's declaration bars an entry")
	}
	if _, err := conflict.Withdraw(ctx, w.pool, other, city.ID); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("withdrawing another evaluator's declaration: %v", err)
	}
	if _, err := conflict.Withdraw(ctx, w.pool, w.evaluator, city.ID); err != nil {
		t.Fatal(err)
	}
	w.flagEdition()
	if f := w.flags(conflict.FlagEvaluator); len(f[inSeoul]) != 0 || len(f[byName]) != 1 {
		t.Errorf("after withdrawing the city: %v", f)
	}
	list, err := conflict.Declarations(ctx, w.pool, w.evaluator, w.ed.ID)
	if err != nil || len(list) != 2 || list[0].Kind != conflict.KindOrganisation || list[1].Email != "mj@example.org" {
		t.Errorf("declarations %+v, %v", list, err)
	}
	// Only evaluators and the committee head of the edition declare.
	if _, err := conflict.Declare(ctx, w.pool, w.staff, w.ed.ID, conflict.Input{Kind: conflict.KindPerson, Name: "X"}, now); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("a secretariat member declared: %v", err)
	}
	if _, err := conflict.Declare(ctx, w.pool, w.evaluator, w.other.ID, conflict.Input{Kind: conflict.KindPerson, Name: "X"}, now); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("declared in an edition not served: %v", err)
	}
	var fe field.Errors
	if _, err := conflict.Declare(ctx, w.pool, w.evaluator, w.ed.ID, conflict.Input{Kind: "planet", Name: "X"}, now); !errors.As(err, &fe) {
		t.Errorf("unknown kind: %v", err)
	}
}

// register creates an account registered for ed's Tech-InnovaCity category (the users trigger
// writes its edition_registrations row), with no entry yet, and returns its id.
func (w *world) register(login, email, org string, ed *edition.Edition) int64 {
	w.t.Helper()
	cat, _ := ed.Category("tech-innovacity")
	var id int64
	if err := w.pool.QueryRow(context.Background(), `
		INSERT INTO users (login_id, email, name, password_hash, organisation, entity_type, edition_id, category_id, terms_accepted_at)
		VALUES ($1, $2, initcap($1), 'x', $3, 'city', $4, $5, $6) RETURNING id`, login, email, org, ed.ID, cat.ID, now).Scan(&id); err != nil {
		w.t.Fatal(err)
	}
	return id
}

// TestRegistrantsMatchingTheRegistry: the secretariat is warned from registration on (DOMAIN.md
// "Registration"): a registrant whose organisation (normalised) or email domain (subdomains
// included) matches the registry is listed with the reasons before any entry exists; other
// registrants, another edition's and anyone but the edition's secretariat see none.
func TestRegistrantsMatchingTheRegistry(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	if _, err := conflict.AddOrganisation(ctx, w.pool, w.staff, w.ed.ID, conflict.Input{Name: "World Smart Sustainable Cities Organization",
		Aliases: "WeGO", Domains: "we-gov.org"}, now); err != nil {
		t.Fatal(err)
	}
	byOrg := w.register("ana", "ana@city.example", "The WeGO", w.ed)
	byDomain := w.register("bo", "bo@seoul.we-gov.org", "Seoul City", w.ed)
	w.register("cy", "cy@city.example", "Busan City", w.ed)
	w.register("di", "di@we-gov.org", "WeGO", w.other)

	got, err := conflict.RegistrantsIn(ctx, w.pool, w.staff, w.ed.ID)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, r := range got {
		lines = append(lines, fmt.Sprintf("%d %s %s: %s", r.UserID, r.Name, r.Category, i18n.English(conflict.Join(r.Reasons))))
	}
	want := []string{
		fmt.Sprintf("%d Ana Tech-InnovaCity: organisation (The WeGO) matches World Smart Sustainable Cities Organization", byOrg),
		fmt.Sprintf("%d Bo Tech-InnovaCity: email domain (bo@seoul.we-gov.org) matches World Smart Sustainable Cities Organization", byDomain),
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Fatalf("registrants:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
	reg, err := conflict.RegistryIn(ctx, w.pool, w.staff, w.ed.ID)
	if err != nil || len(reg.Registrants) != 2 {
		t.Fatalf("registry page: %d registrants, %v", len(reg.Registrants), err)
	}
	if got, err := conflict.RegistrantsIn(ctx, w.pool, w.evaluator, w.ed.ID); err != nil || len(got) != 0 {
		t.Fatalf("an evaluator sees %v, %v", got, err)
	}
}
