package edition_test

import (
	"context"
	"errors"
	"testing"

	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/edition"
)

const publicationBlock = `publication:
  repository: all
  semi_finalists_list: true
`

func TestPublicationSettings(t *testing.T) {
	t.Parallel()
	src := string(builtin(t, "seoul-2023"))
	_, e := mustResolve(t, []byte(src))
	if e.Publication != edition.DefaultPublication() {
		t.Errorf("seoul-2023 publication = %+v", e.Publication)
	}
	// Left out: everything published, as before the settings existed.
	_, e = mustResolve(t, []byte(edit(t, src, publicationBlock, "")))
	if want := (edition.Publication{Repository: edition.RepositoryAll, SemiFinalistsList: true}); e.Publication != want {
		t.Errorf("defaults = %+v, want %+v", e.Publication, want)
	}
	_, e = mustResolve(t, []byte(edit(t, src, publicationBlock, "publication:\n  repository: finalists\n  semi_finalists_list: false\n")))
	if want := (edition.Publication{Repository: edition.RepositoryFinalists}); e.Publication != want {
		t.Errorf("set = %+v, want %+v", e.Publication, want)
	}
	_, e = mustResolve(t, []byte(edit(t, src, publicationBlock, "publication:\n  repository: none\n")))
	if want := (edition.Publication{Repository: edition.RepositoryNone, SemiFinalistsList: true}); e.Publication != want {
		t.Errorf("none = %+v, want %+v", e.Publication, want)
	}
	for _, tt := range []struct{ block, path string }{
		{"publication:\n  repository: winners\n", "publication.repository"},
		{"publication:\n  semi_finalists_list: maybe\n", "publication.semi_finalists_list"},
		{"publication:\n  semi_finalists: true\n", "publication.semi_finalists"},
		{"publication: everything\n", "publication"},
	} {
		_, err := edition.Parse([]byte(edit(t, src, publicationBlock, tt.block)))
		var ve *edition.ValidationError
		if !errors.As(err, &ve) || !ve.Has(tt.path) {
			t.Errorf("%q: error %v, want a problem at %s", tt.block, err, tt.path)
		}
	}
}

func TestPublicationSettingsStored(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	ctx := context.Background()
	src := edit(t, string(builtin(t, "seoul-2023")), publicationBlock, "publication:\n  repository: finalists\n  semi_finalists_list: false\n")
	res, err := edition.Import(ctx, pool, parse(t, []byte(src)))
	if err != nil {
		t.Fatal(err)
	}
	want := edition.Publication{Repository: edition.RepositoryFinalists}
	e, err := edition.ByID(ctx, pool, res.EditionID)
	if err != nil || e.Publication != want {
		t.Fatalf("ByID publication = %+v, %v; want %+v", e.Publication, err, want)
	}
	var scope string
	var public bool
	if err := pool.QueryRow(ctx, `SELECT repository_scope, semi_finalists_public FROM editions WHERE id = $1`, res.EditionID).Scan(&scope, &public); err != nil ||
		scope != "finalists" || public {
		t.Fatalf("columns = %q, %v, %v", scope, public, err)
	}
	// The file without the block stores the defaults again.
	if _, err := edition.Import(ctx, pool, parse(t, []byte(edit(t, src, "publication:\n  repository: finalists\n  semi_finalists_list: false\n", "")))); err != nil {
		t.Fatal(err)
	}
	if e, err := edition.ByID(ctx, pool, res.EditionID); err != nil || e.Publication != edition.DefaultPublication() {
		t.Fatalf("ByID after the block was removed = %+v, %v", e.Publication, err)
	}
}
