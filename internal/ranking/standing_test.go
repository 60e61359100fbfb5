package ranking_test

import (
	"context"
	"testing"
	"time"

	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/usecase"
	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/notify"
	"prizeportal/internal/notify/emails"
	"prizeportal/internal/ranking"
	rt "prizeportal/internal/ranking/rankingtest"
)

// TestStandingRules: a tie at the cut is pending until the head chose as many entries as there
// are seats; until then the head may decide it and may not confirm; the organisers may add any
// entry not on the list while it is not confirmed.
func TestStandingRules(t *testing.T) {
	t.Parallel()
	c := ranking.Category{ID: 1, SemiFinalists: 1, Entries: []ranking.Entry{{ApplicationID: 1, Title: "A"}, {ApplicationID: 2, Title: "B"}, {ApplicationID: 3, Title: "C"}},
		Tie: &ranking.Tie{Rank: 2, Seats: 1, Entries: []int64{2, 3}}}
	b := ranking.Board{Result: ranking.Result{Categories: []ranking.Category{c}},
		Lists: map[int64]*ranking.List{1: {CategoryID: 1, Entries: []ranking.SemiFinalist{{ApplicationID: 1, Source: ranking.SourceRanking}}}}}
	s := b.Standings()[0]
	if !s.Proposed() || !s.TiePending() || !s.CanDecide(true) || s.CanDecide(false) || s.CanConfirm(true) || !s.CanAdd() {
		t.Fatalf("a pending tie: proposed %v pending %v decide %v confirm %v add %v", s.Proposed(), s.TiePending(), s.CanDecide(true), s.CanConfirm(true), s.CanAdd())
	}
	if a := s.Addable(); len(a) != 2 || a[0].ApplicationID != 2 || s.List.Source(1) != ranking.SourceRanking || s.List.Source(2) != "" {
		t.Fatalf("addable %+v, sources %q %q", a, s.List.Source(1), s.List.Source(2))
	}
	if s.Title(3) != "C" || s.Title(9) != "Entry 9" {
		t.Fatalf("titles %q %q", s.Title(3), s.Title(9))
	}
	s.List.Entries = append(s.List.Entries, ranking.SemiFinalist{ApplicationID: 3, Source: ranking.SourceTie})
	if s.TiePending() || s.CanDecide(true) || !s.CanConfirm(true) || s.CanConfirm(false) {
		t.Fatal("a decided tie is still pending")
	}
	if empty := (ranking.Board{Result: b.Result}).Standings()[0]; empty.Proposed() || empty.List == nil || len(empty.Addable()) != 3 {
		t.Fatalf("no list: %+v", empty.List)
	}
}

// TestAnnounced: the public page shows nothing before the announcement instant, then the
// confirmed lists in alphabetical order.
func TestAnnounced(t *testing.T) {
	t.Parallel()
	pool, ed, tech, ev := setupWithEvaluator(t)
	ctx := context.Background()
	head := authz.Actor{UserID: rt.Evaluator(t, pool, ed.ID, "head", "committee_head"),
		Grants: []authz.Grant{{Role: authz.RoleCommitteeHead, EditionID: ed.ID}}}
	for i, title := range []string{"Zeta", "Alpha", "Mu"} {
		id := rt.Entry(t, pool, ed.ID, "tech-innovacity", "t"+string(rune('1'+i)), title)
		rt.Sheet(t, pool, id, ev, rt.All(5-i), true)
	}
	clock := now
	s := &ranking.Service{Deps: usecase.New(pool, notify.NewOutbox(pool), emails.Site{BaseURL: "https://prize.example"}, func() time.Time { return clock })}
	if err := s.SetMethod(ctx, head, ed, ranking.Mean); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(ctx, head, ed, "Every sheet is in."); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Propose(ctx, head, ed); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Confirm(ctx, head, ed, tech); err != nil {
		t.Fatal(err)
	}
	a, err := s.Announced(ctx, ed.Slug)
	if err != nil || a.Announced || a.Lists != nil || a.Edition.ID != ed.ID {
		t.Fatalf("before the announcement: %+v, %v", a, err)
	}
	clock = ranking.Announcement(ed)
	a, err = s.Announced(ctx, ed.Slug)
	if err != nil || !a.Announced || a.Lists[tech.ID] == nil {
		t.Fatalf("after the announcement: %+v, %v", a, err)
	}
	var titles []string
	for _, e := range a.Lists[tech.ID].Entries {
		titles = append(titles, e.Title)
	}
	for i := 1; i < len(titles); i++ {
		if titles[i-1] > titles[i] {
			t.Fatalf("not in alphabetical order: %v", titles)
		}
	}
	if len(titles) == 0 {
		t.Fatal("an empty confirmed list")
	}

	// An edition that does not publish its semi-finalists: the page says so and lists nothing,
	// and the public query itself reads the setting.
	dbtest.Exec(t, pool, `UPDATE editions SET semi_finalists_public = false WHERE id = $1`, ed.ID)
	a, err = s.Announced(ctx, ed.Slug)
	if err != nil || !a.Unpublished || a.Announced || a.Lists != nil {
		t.Fatalf("unpublished: %+v, %v", a, err)
	}
	if lists, err := ranking.PublicLists(ctx, pool, ed.ID); err != nil || len(lists) != 0 {
		t.Fatalf("PublicLists of an unpublished edition = %v, %v", lists, err)
	}
	if lists, err := ranking.Lists(ctx, pool, ed.ID, true); err != nil || lists[tech.ID] == nil {
		t.Fatalf("the council's lists are gone with the public page: %v, %v", lists, err)
	}
}

// TestOutcomeEmailsOfAnUnpublishedList: when the edition does not publish its semi-finalists,
// the outcome emails link to the edition's page, not to a list that is not there.
func TestOutcomeEmailsOfAnUnpublishedList(t *testing.T) {
	t.Parallel()
	pool, seoul, tech, ev := setupWithEvaluator(t)
	ctx := context.Background()
	head := authz.Actor{UserID: rt.Evaluator(t, pool, seoul.ID, "head", "committee_head"),
		Grants: []authz.Grant{{Role: authz.RoleCommitteeHead, EditionID: seoul.ID}}}
	rt.Sheet(t, pool, rt.Entry(t, pool, seoul.ID, "tech-innovacity", "t1", "Alpha"), ev, rt.All(4), true)
	s := &ranking.Service{Deps: usecase.New(pool, notify.NewOutbox(pool), emails.Site{BaseURL: "https://prize.example"}, func() time.Time { return now })}
	ed := *seoul
	ed.Publication.SemiFinalistsList = false
	if err := s.SetMethod(ctx, head, &ed, ranking.Mean); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(ctx, head, &ed, "Every sheet is in."); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Propose(ctx, head, &ed); err != nil {
		t.Fatal(err)
	}
	if n, _, err := s.Confirm(ctx, head, &ed, tech); err != nil || n != 1 {
		t.Fatalf("confirm: %d emails, %v", n, err)
	}
	n := dbtest.Count(t, pool, `SELECT count(*) FROM email_outbox WHERE kind = 'semi-finalist'
		AND text_body LIKE '%https://prize.example/editions/' || $1 || '%' AND text_body NOT LIKE '%/semi-finalists%'`, seoul.Slug)
	if n != 1 {
		t.Fatalf("%d emails link to the edition without the list, want 1", n)
	}
}
