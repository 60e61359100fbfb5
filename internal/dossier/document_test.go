package dossier_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/pdfdoc"
	"prizeportal/internal/db"
	"prizeportal/internal/dossier"
	"prizeportal/internal/i18n"
)

// TestDossierDocument: the dossier loads once for its reader (db.ErrNotFound for anyone else)
// and its document gives the scores, the comparison of the semi-finalists, the comments without
// the evaluators' names and the application.
func TestDossierDocument(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()
	confirm(t, f.pool, f.ed, "tech-innovacity", f.head)
	if _, err := dossier.Load(ctx, f.pool, f.ev1, f.a); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("an evaluator loading: %v, want ErrNotFound", err)
	}
	d, err := dossier.Load(ctx, f.pool, f.council, f.a)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Peers) != 2 || d.Category.Key != "tech-innovacity" || len(d.Scores[f.a]) == 0 {
		t.Fatalf("dossier: peers %d, category %s, scores %v", len(d.Peers), d.Category.Key, d.Scores[f.a])
	}
	head, rows := d.Comparison()
	if len(head) != len(d.Category.Criteria)+2 || len(rows) != 2 || !rows[0].Current || rows[1].Current { // the criteria and the overall score
		t.Errorf("comparison: %v %+v", head, rows)
	}
	now := time.Date(2023, 7, 1, 0, 0, 0, 0, time.UTC)
	doc, err := dossier.DocumentOf(ctx, f.pool, authz.Actor{UserID: f.council}, f.a, now)
	if err != nil {
		t.Fatal(err)
	}
	if doc.Title != "Alpha" || len(doc.Sections) < 3 || doc.Sections[0].Heading != "The committee's scores" || doc.Sections[1].Heading != "The committee's comments" {
		t.Fatalf("document: %q %d sections", doc.Title, len(doc.Sections))
	}
	var text []string
	for _, b := range doc.Sections[1].Blocks {
		if l, ok := b.(pdfdoc.List); ok {
			text = append(text, l.Items...)
		}
	}
	if got := strings.Join(text, "|"); !strings.Contains(got, "Clear rules, evaluator one.") || strings.Contains(got, "Draft") {
		t.Errorf("comments: %s", got)
	}
	if !strings.HasPrefix(doc.Sections[len(doc.Sections)-1].Heading, "Application: ") {
		t.Errorf("the application is not in the dossier: %q", doc.Sections[len(doc.Sections)-1].Heading)
	}
}

// TestPlaceInTheReadersLanguage: where an entry is from reads "City, Country" in English and from
// the country down in Korean, wherever a page shows it (results, repository, ballots, ranking).
func TestPlaceInTheReadersLanguage(t *testing.T) {
	for _, c := range []struct{ city, code, en, ko string }{
		{"Seoul", "KR", "Seoul, Korea (South)", "대한민국 Seoul"},
		{"", "BR", "Brazil", "브라질"},
		{"Atlantis", "", "Atlantis", "Atlantis"},
		{"", "", "", ""},
	} {
		p := dossier.PlaceText(c.city, c.code)
		if got := i18n.English(p); got != c.en {
			t.Errorf("%s/%s in English: %q, want %q", c.city, c.code, got, c.en)
		}
		if got := i18n.For("ko").T(p); got != c.ko {
			t.Errorf("%s/%s in Korean: %q, want %q", c.city, c.code, got, c.ko)
		}
	}
}
