package repository_test

import (
	"context"
	"testing"

	"prizeportal/internal/repository"
)

// TestLoadArchive: the archive holds the editions whose winners are announced, with their
// winners, and links a winner to its case only while the case is public.
func TestLoadArchive(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	win := w.entry(t, w.ed23, "tech-innovacity", "KR", answers("Winner", "Won.", nil))
	w.exec(t, `INSERT INTO awards (application_id, edition_id, category_id, place, prize_name, confirmed_by, confirmed_at)
		SELECT id, edition_id, category_id, 1, 'Grand Prize', $2, now() FROM applications WHERE id = $1`, win, w.staff)
	a, err := repository.LoadArchive(ctx, w.pool, after2023)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Editions) != 1 || a.Editions[0].Edition.ID != w.ed23.ID {
		t.Fatalf("editions %+v", a.Editions)
	}
	if ws := a.Editions[0].Winners; len(ws) != 1 || ws[0].ApplicationID != win {
		t.Fatalf("winners %+v", ws)
	}
	if slug, ok := a.Published[win]; !ok || slug != "winner" {
		t.Fatalf("published %v", a.Published)
	}
	if err := repository.Hide(ctx, w.pool, w.staff, win, "Asked to be left out.", after2023); err != nil {
		t.Fatal(err)
	}
	if a, err = repository.LoadArchive(ctx, w.pool, after2023); err != nil || len(a.Editions) != 1 || len(a.Published) != 0 {
		t.Fatalf("after hiding: %+v %v", a, err)
	}
}
