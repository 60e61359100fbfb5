package nomination_test

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"prizeportal/internal/db"
	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/edition"
	"prizeportal/internal/files"
	"prizeportal/internal/nomination"
)

// ltInvite invites a recommender for owner's nomination id at when.
func ltInvite(t *testing.T, pool *pgxpool.Pool, owner, id int64, inv nomination.Invitation, when time.Time) (int64, int64, error) {
	t.Helper()
	var newID, old int64
	err := db.InTx(context.Background(), pool, func(tx pgx.Tx) error {
		var err error
		newID, old, err = nomination.Invite(context.Background(), tx, owner, id, inv, when)
		return err
	})
	return newID, old, err
}

var ltRecommender = nomination.Invitation{Name: "Park Won-soon", Email: "park@wego.example", Organisation: "WeGO"}

func TestLetterInviteReplaceReceive(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool, ed, cat := setup(t)
	owner, id := nominated(t, pool, ed, cat, "lt-owner", "lee")
	first, old, err := ltInvite(t, pool, owner, id, ltRecommender, now)
	if err != nil || old != 0 {
		t.Fatalf("invite: %d %d %v", first, old, err)
	}
	if _, _, err := ltInvite(t, pool, owner+999, id, ltRecommender, now); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("another nominator's invite: %v", err)
	}
	if err := nomination.MarkOpened(ctx, pool, first, now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	n, err := nomination.Get(ctx, pool, owner, id)
	if err != nil || n.Letter == nil || n.Letter.ID != first || n.Letter.Status != nomination.LetterOpened {
		t.Fatalf("after opening: %+v %v", n.Letter, err)
	}

	second, old, err := ltInvite(t, pool, owner, id, nomination.Invitation{Name: "Oh Se-hoon", Email: "oh@un.example", Organisation: "UN-Habitat"}, now.Add(2*time.Hour))
	if err != nil || old != first || second == first {
		t.Fatalf("replace: %d %d %v", second, old, err)
	}
	l, err := nomination.LetterByID(ctx, pool, first)
	if err != nil || l.Status != nomination.LetterReplaced {
		t.Fatalf("replaced letter: %+v %v", l, err)
	}
	if err := nomination.Receive(ctx, pool, first, nomination.Submission{Name: "x", Text: "late"}, now); !errors.Is(err, db.ErrConflict) {
		t.Fatalf("receiving a replaced letter: %v", err)
	}
	sub := nomination.Submission{Name: "Oh Se-hoon", Title: "Director", Organisation: "UN-Habitat", Category: "civil-society-head", Text: "A fine leader."}
	if err := nomination.Receive(ctx, pool, second, sub, now.Add(3*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := nomination.Receive(ctx, pool, second, sub, now.Add(4*time.Hour)); !errors.Is(err, db.ErrConflict) {
		t.Fatalf("receiving twice: %v", err)
	}
	n, err = nomination.Get(ctx, pool, owner, id)
	if err != nil || n.Letter == nil || n.Letter.ID != second || !n.LetterOK() || n.Letter.Text != "A fine leader." || n.Letter.OpenedAt == nil {
		t.Fatalf("received: %+v %v", n.Letter, err)
	}
}

// TestLetterHeadOfOrganisation: a candidate who heads an organisation needs a recommender from
// another one (guidelines §6), checked on the invitation unless the secretariat accepted an
// exception; a received letter declaring the same organisation does not count.
func TestLetterHeadOfOrganisation(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool, ed, cat := setup(t)
	owner := nominator(t, pool, ed, cat, "lt-head")
	d := thirdParty("mayor")
	d.CandidateIsHead = true
	id, err := create(t, pool, owner, ed, cat, d)
	if err != nil {
		t.Fatal(err)
	}
	n, err := nomination.Get(ctx, pool, owner, id)
	if err != nil {
		t.Fatal(err)
	}
	same := nomination.Invitation{Name: "Deputy", Email: "deputy@seoul.example", Organisation: "the Seoul Metropolitan Government."}
	if errs := same.Validate(&n); !strings.Contains(errs.Get("organisation"), "different organisation") {
		t.Fatalf("validate: %v", errs)
	}
	if _, _, err := ltInvite(t, pool, owner, id, same, now); !errors.Is(err, nomination.ErrHeadSameOrganisation) {
		t.Fatalf("invite: %v", err)
	}
	// A recommender from elsewhere who then declares the candidate's organisation: stored, does
	// not count.
	lid, _, err := ltInvite(t, pool, owner, id, ltRecommender, now)
	if err != nil {
		t.Fatal(err)
	}
	if err := nomination.Receive(ctx, pool, lid, nomination.Submission{Name: "Park", Title: "Mayor", Organisation: "Seoul Metropolitan Government",
		Category: "city-head", Text: "Yes."}, now); err != nil {
		t.Fatal(err)
	}
	if n, _ = nomination.Get(ctx, pool, owner, id); n.LetterOK() || !n.LetterConflict() {
		t.Fatalf("a same-organisation letter counts: %+v", n.Letter)
	}
	staff := nominator(t, pool, ed, cat, "lt-staff")
	dbtest.Exec(t, pool, `INSERT INTO role_grants (user_id, role, edition_id) VALUES ($1, 'secretariat', $2)`, staff, ed.ID)
	if err := nomination.SetOverride(ctx, pool, staff, id, "Different agency of the same city.", now); err != nil {
		t.Fatal(err)
	}
	if n, _ = nomination.Get(ctx, pool, owner, id); !n.LetterOK() {
		t.Fatal("the exception does not make the letter count")
	}
	if _, _, err := ltInvite(t, pool, owner, id, same, now); err != nil {
		t.Fatalf("invite with the exception: %v", err)
	}
}

func TestLetterValidation(t *testing.T) {
	t.Parallel()
	_, _, cat := setup(t)
	rules := cat.Nominations
	n := &nomination.Nomination{Details: nomination.Details{CandidateEmail: "cand@city.example", CandidateOrganisation: "Seoul"}}
	for _, tc := range []struct {
		inv   nomination.Invitation
		field string
	}{
		{nomination.Invitation{Email: "a@b.example", Organisation: "X"}, "name"},
		{nomination.Invitation{Name: "A", Email: "not an address", Organisation: "X"}, "email"},
		{nomination.Invitation{Name: "A", Email: "CAND@city.example", Organisation: "X"}, "email"},
		{nomination.Invitation{Name: "A", Email: "a@b.example"}, "organisation"},
	} {
		if errs := tc.inv.Validate(n); errs.Get(tc.field) == "" {
			t.Errorf("%+v: no error on %s: %v", tc.inv, tc.field, errs)
		}
	}
	if errs := ltRecommender.Validate(n); errs.Any() {
		t.Errorf("valid invitation refused: %v", errs)
	}

	ok := nomination.Submission{Name: "A", Title: "Mayor", Organisation: "Busan", Category: "city-head", Text: "Good."}
	if errs := ok.Validate(rules, false); errs.Any() {
		t.Errorf("valid letter refused: %v", errs)
	}
	long := ok
	long.Text = strings.Repeat("word ", nomination.MaxLetterWords+1)
	notHead := ok
	notHead.Category = "smart-city-professional"
	empty := ok
	empty.Text = ""
	for name, tc := range map[string]struct {
		s       nomination.Submission
		hasFile bool
		field   string
	}{
		"too long":       {long, false, "letter_text"},
		"not a head":     {notHead, false, "category"},
		"neither":        {empty, false, "letter_text"},
		"both":           {ok, true, "letter_file"},
		"no title":       {nomination.Submission{Name: "A", Organisation: "B", Category: "city-head", Text: "x"}, false, "title"},
		"unknown choice": {nomination.Submission{Name: "A", Title: "T", Organisation: "B", Category: "nope", Text: "x"}, false, "category"},
	} {
		if errs := tc.s.Validate(rules, tc.hasFile); errs.Get(tc.field) == "" {
			t.Errorf("%s: no error on %s: %v", name, tc.field, errs)
		}
	}
	exact := ok
	exact.Text = strings.Repeat("word ", nomination.MaxLetterWords)
	if errs := exact.Validate(rules, false); errs.Any() {
		t.Errorf("a letter of exactly %d words refused: %v", nomination.MaxLetterWords, errs)
	}
	if errs := empty.Validate(rules, true); errs.Any() {
		t.Errorf("a PDF letter refused: %v", errs)
	}
}

// TestDueReminders: a reminder a week and a day before the letter deadline, each at most once,
// only to recommenders invited before the stage and still owing the letter.
func TestDueReminders(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool, ed, cat := setup(t)
	deadline := cat.Nominations.LetterDeadline
	owner := nominator(t, pool, ed, cat, "lt-rem")
	early, _ := create(t, pool, owner, ed, cat, thirdParty("early"))
	late, _ := create(t, pool, owner, ed, cat, thirdParty("late"))
	done, _ := create(t, pool, owner, ed, cat, thirdParty("done"))
	gone, _ := create(t, pool, owner, ed, cat, thirdParty("gone"))
	earlyL, _, err := ltInvite(t, pool, owner, early, ltRecommender, now)
	if err != nil {
		t.Fatal(err)
	}
	doneL, _, _ := ltInvite(t, pool, owner, done, ltRecommender, now)
	if err := nomination.Receive(ctx, pool, doneL, nomination.Submission{Name: "P", Title: "M", Organisation: "O", Category: "city-head", Text: "t"}, now); err != nil {
		t.Fatal(err)
	}
	if _, _, err := ltInvite(t, pool, owner, gone, ltRecommender, now); err != nil {
		t.Fatal(err)
	}
	dbtest.Exec(t, pool, `UPDATE applications SET status = 'withdrawn' WHERE id = $1`, gone)
	lateL, _, _ := ltInvite(t, pool, owner, late, ltRecommender, deadline.Add(-3*24*time.Hour))

	due := func(at time.Time) map[int64]int {
		t.Helper()
		ds, err := nomination.DueReminders(ctx, pool, at)
		if err != nil {
			t.Fatal(err)
		}
		out := map[int64]int{}
		for _, d := range ds {
			out[d.LetterID] = d.Stage
			if !d.Deadline.Equal(deadline) || d.InvitedEmail != ltRecommender.Email || d.NominatorName != "lt-rem" || d.CandidateName == "" {
				t.Errorf("reminder: %+v", d)
			}
		}
		return out
	}
	mark := func(id int64, stage int, at time.Time, want bool) {
		t.Helper()
		ok, err := nomination.MarkReminded(ctx, pool, id, stage, at)
		if err != nil || ok != want {
			t.Fatalf("mark %d stage %d: %v %v; want %v", id, stage, ok, err, want)
		}
	}
	if got := due(deadline.Add(-8 * 24 * time.Hour)); len(got) != 0 {
		t.Fatalf("8 days before: %v", got)
	}
	week := deadline.Add(-7*24*time.Hour + time.Hour)
	if got := due(week); len(got) != 1 || got[earlyL] != 1 {
		t.Fatalf("a week before: %v", got)
	}
	mark(earlyL, 1, week, true)
	mark(earlyL, 1, week, false) // a second run does not send it again
	if got := due(week.Add(time.Hour)); len(got) != 0 {
		t.Fatalf("after the week reminder: %v", got)
	}
	if got := due(deadline.Add(-2 * 24 * time.Hour)); len(got) != 0 {
		t.Fatalf("2 days before (the late invitation missed the week stage): %v", got)
	}
	day := deadline.Add(-23 * time.Hour)
	if got := due(day); len(got) != 2 || got[earlyL] != 2 || got[lateL] != 2 {
		t.Fatalf("a day before: %v", got)
	}
	mark(earlyL, 2, day, true)
	mark(lateL, 2, day, true)
	if got := due(day.Add(time.Hour)); len(got) != 0 {
		t.Fatalf("after the day reminders: %v", got)
	}
	if got := due(deadline.Add(time.Hour)); len(got) != 0 {
		t.Fatalf("after the deadline: %v", got)
	}
}

func TestReadLetter(t *testing.T) {
	t.Parallel()
	target := &nomination.LetterTarget{Place: nomination.Place{Category: &edition.Category{Nominations: &edition.Nominations{}}}}
	res := &files.Result{Values: url.Values{"name": {"  Kim Min-jun  "}, "title": {"Mayor"}}}
	typed, sub, upload, errs := target.ReadLetter(res)
	if typed.Name != "  Kim Min-jun  " || sub.Name != "Kim Min-jun" || upload != nil {
		t.Fatalf("typed %q, sent %q, upload %v", typed.Name, sub.Name, upload)
	}
	if errs.Get("letter_text") == "" || errs.Get("organisation") == "" || errs.Get("name") != "" {
		t.Fatalf("problems: %v", errs)
	}
}
