package ballot_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"prizeportal/internal/authz"
	"prizeportal/internal/ballot"
	"prizeportal/internal/blocks/usecase"
	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/notify/emails"
	"prizeportal/internal/ranking/rankingtest"
)

// TestDeputyChair: the chair (a) declared a conflict with entry y of Tech-InnovaCity. Closing
// that vote is refused to the chair, first saying a deputy must be named, then naming the
// deputy chair (b); the chair still closes Human-CentriCity, where the deputy is refused. The
// deputy closes and confirms Tech-InnovaCity, audited acting as deputy, and its protocol (page
// and PDF) says so; Human-CentriCity's says nothing of a deputy.
func TestDeputyChair(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	hc, _ := w.ed.Category("human-centricity")
	var hcCands []int64
	for i, login := range []string{"h1", "h2"} {
		id := rankingtest.Entry(t, w.pool, w.ed.ID, "human-centricity", login, strings.ToUpper(login))
		w.exec(`INSERT INTO semi_finalists (application_id, edition_id, category_id, source, rank, added_at) VALUES ($1, $2, $3, 'ranking', $4, now())`,
			id, w.ed.ID, hc.ID, i+1)
		hcCands = append(hcCands, id)
	}
	w.exec(`INSERT INTO semi_finalist_lists (edition_id, category_id, confirmed_by, confirmed_at) VALUES ($1, $2, $3, now())`, w.ed.ID, hc.ID, w.a)
	w.exec(`INSERT INTO conflict_declarations (edition_id, evaluator_id, kind, name, created_at) VALUES ($1, $2, 'organisation', 'Org y', now())`, w.ed.ID, w.a)
	svc := &ballot.Service{Deps: usecase.New(w.pool, nil, emails.Site{BaseURL: "https://prize.example"}, func() time.Time { return now })}
	chair, dep := authz.Actor{UserID: w.a}, authz.Actor{UserID: w.b}
	for _, m := range []int64{w.b, w.c} {
		if _, err := svc.Cast(w.ctx, authz.Actor{UserID: m}, w.ed, w.cat, w.ranks(1, 2, 3)); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Cast(w.ctx, authz.Actor{UserID: m}, w.ed, hc, []ballot.Line{{ApplicationID: hcCands[0], Rank: 1}, {ApplicationID: hcCands[1], Rank: 2}}); err != nil {
			t.Fatal(err)
		}
	}

	if err := svc.Close(w.ctx, chair, w.ed, w.cat); !errors.Is(err, authz.ErrForbidden) ||
		!strings.Contains(err.Error(), "a deputy chair of the Prize Council must be named on the jury page") {
		t.Fatalf("the conflicted chair closes without a deputy: %v", err)
	}
	w.exec(`INSERT INTO edition_deputies (edition_id, post, user_id, set_by, set_at) VALUES ($1, 'chair', $2, $2, now())`, w.ed.ID, w.b)
	if err := svc.Close(w.ctx, chair, w.ed, w.cat); !errors.Is(err, authz.ErrForbidden) ||
		!strings.Contains(err.Error(), "Evaluator cb, deputy chair of the Prize Council, decides for it in your place") {
		t.Fatalf("the conflicted chair closes: %v", err)
	}
	if err := svc.Close(w.ctx, dep, w.ed, hc); !errors.Is(err, authz.ErrForbidden) ||
		!strings.Contains(err.Error(), "the deputy decides only where the chair of the Prize Council has a conflict") {
		t.Fatalf("the deputy closes a category the chair decides: %v", err)
	}
	if err := svc.Close(w.ctx, chair, w.ed, hc); err != nil {
		t.Fatalf("the chair closes Human-CentriCity: %v", err)
	}
	if _, err := svc.ConfirmWinners(w.ctx, chair, w.ed, hc); err != nil {
		t.Fatal(err)
	}
	if err := svc.Close(w.ctx, authz.Actor{UserID: w.c}, w.ed, w.cat); !errors.Is(err, ballot.ErrNotChair) {
		t.Fatalf("a member closes: %v", err)
	}
	if err := svc.Close(w.ctx, dep, w.ed, w.cat); err != nil {
		t.Fatalf("the deputy closes Tech-InnovaCity: %v", err)
	}
	if _, err := svc.ConfirmWinners(w.ctx, chair, w.ed, w.cat); !errors.Is(err, authz.ErrForbidden) {
		t.Fatalf("the conflicted chair confirms: %v", err)
	}
	if _, err := svc.ConfirmWinners(w.ctx, dep, w.ed, w.cat); err != nil {
		t.Fatal(err)
	}
	for _, action := range []string{"vote.close", "vote.confirm"} {
		if n := dbtest.Count(t, w.pool, `SELECT count(*) FROM audit_log WHERE action = $1 AND actor_id = $2 AND details->>'acting_as' = 'deputy'`,
			action, w.b); n != 1 {
			t.Errorf("%s by the deputy audited %d times acting as deputy", action, n)
		}
	}

	p, err := ballot.LoadProtocol(w.ctx, w.pool, w.ed.ID, w.cat.ID)
	want := "Decided by Evaluator cb, deputy chair of the Prize Council, because the chair of the Prize Council, Evaluator ca, has a conflict of interest with an entry of this category."
	if err != nil || p.Deputy != want {
		t.Fatalf("the protocol says %q, %v", p.Deputy, err)
	}
	doc := p.Document(w.ed, w.cat, now)
	if last := doc.Meta[len(doc.Meta)-1]; last.Value != want {
		t.Fatalf("the PDF's facts end with %+v", last)
	}
	if p, err := ballot.LoadProtocol(w.ctx, w.pool, w.ed.ID, hc.ID); err != nil || p.Deputy != "" {
		t.Fatalf("Human-CentriCity's protocol says %q, %v", p.Deputy, err)
	}
}
