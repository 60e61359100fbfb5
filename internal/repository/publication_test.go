package repository_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"prizeportal/internal/db"
	"prizeportal/internal/repository"
)

// TestPublicationScope: the edition's publication.repository steers every public query: all the
// consented entries, only its winners and the semi-finalists of a confirmed list, or none; the
// secretariat still reads its cases.
func TestPublicationScope(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	win := w.entry(t, w.ed23, "tech-innovacity", "KR", answers("Winner", "Won.", nil))
	fin := w.entry(t, w.ed23, "tech-innovacity", "FR", answers("Finalist", "Almost.", nil))
	unconfirmed := w.entry(t, w.ed23, "human-centricity", "DE", answers("Proposed", "Not yet confirmed.", nil))
	plain := w.entry(t, w.ed23, "tech-innovacity", "BR", answers("Another", "Tried.", nil))
	for _, id := range []int64{win, fin, unconfirmed} {
		w.exec(t, `INSERT INTO semi_finalists (application_id, edition_id, category_id, source, rank, added_at)
			SELECT id, edition_id, category_id, 'ranking', 1, now() FROM applications WHERE id = $1`, id)
	}
	w.exec(t, `INSERT INTO semi_finalist_lists (edition_id, category_id, confirmed_by, confirmed_at)
		SELECT edition_id, category_id, $2, now() FROM applications WHERE id = $1`, win, w.staff)
	w.exec(t, `INSERT INTO awards (application_id, edition_id, category_id, place, prize_name, confirmed_by, confirmed_at)
		SELECT id, edition_id, category_id, 1, 'Grand Prize', $2, now() FROM applications WHERE id = $1`, win, w.staff)

	public := func(scope string, want ...int64) {
		t.Helper()
		w.exec(t, `UPDATE editions SET repository_scope = $2 WHERE id = $1`, w.ed23.ID, scope)
		res := w.search(t, repository.Filter{})
		if got := ids(res); fmt.Sprint(got) != fmt.Sprint(want) || res.Total != len(want) {
			t.Errorf("%s: search %v (total %d), want %v", scope, got, res.Total, want)
		}
		if res := w.search(t, repository.Filter{Page: 9}); res.Total != len(want) {
			t.Errorf("%s: count past the last page %d, want %d", scope, res.Total, len(want))
		}
		visible, err := repository.Visible(ctx, w.pool, []int64{win, fin, unconfirmed, plain}, after2023)
		if err != nil || len(visible) != len(want) {
			t.Errorf("%s: visible %v, %v", scope, visible, err)
		}
		opts, err := repository.LoadOptions(ctx, w.pool, after2023)
		if err != nil || len(opts.Countries) != len(want) {
			t.Errorf("%s: countries %v, %v", scope, opts.Countries, err)
		}
		if edition := repository.Label(opts.Editions, w.ed23.Slug); (edition != w.ed23.Slug) != (scope != "none") {
			t.Errorf("%s: the edition among the filter's choices: %v", scope, opts.Editions)
		}
		for _, id := range []int64{win, fin, unconfirmed, plain} {
			_, err := repository.Get(ctx, w.pool, id, after2023)
			shown := err == nil
			if err != nil && !errors.Is(err, db.ErrNotFound) {
				t.Fatal(err)
			}
			if shown != slices.Contains(want, id) {
				t.Errorf("%s: case %d shown %v", scope, id, shown)
			}
			if _, err := repository.ForSecretariat(ctx, w.pool, w.staff, id); err != nil {
				t.Errorf("%s: the secretariat cannot read case %d: %v", scope, id, err)
			}
		}
	}
	// winners, finalists, then the others by title
	public("all", win, fin, plain, unconfirmed)
	public("finalists", win, fin)
	public("none")
	public("all", win, fin, plain, unconfirmed)
}
