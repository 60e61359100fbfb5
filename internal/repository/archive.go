package repository

import (
	"context"
	"time"

	"prizeportal/internal/db"
	"prizeportal/internal/edition"
	"prizeportal/internal/results"
)

// ArchiveEdition is an edition of the results archive with its current winners.
type ArchiveEdition struct {
	Edition *edition.Edition
	Winners []results.Winner
}

// Archive is the public results archive.
type Archive struct {
	// Editions are the editions whose winners are announced, newest first.
	Editions []ArchiveEdition
	// Published gives, for each winner whose case is public in the repository, the slug of its
	// address.
	Published map[int64]string
}

// LoadArchive reads the results archive at now: only the editions whose winners are announced
// (results.Announced), and links only to public cases (Visible).
func LoadArchive(ctx context.Context, q db.DBTX, now time.Time) (Archive, error) {
	list, err := edition.Published(ctx, q)
	if err != nil {
		return Archive{}, err
	}
	var a Archive
	var ids []int64
	for _, sum := range list {
		ed, err := edition.ByID(ctx, q, sum.ID)
		if err != nil {
			return Archive{}, err
		}
		if !results.Announced(ed, now) {
			continue
		}
		ws, err := results.Winners(ctx, q, ed.ID)
		if err != nil {
			return Archive{}, err
		}
		for _, w := range ws {
			ids = append(ids, w.ApplicationID)
		}
		a.Editions = append(a.Editions, ArchiveEdition{Edition: ed, Winners: ws})
	}
	if a.Published, err = Visible(ctx, q, ids, now); err != nil {
		return Archive{}, err
	}
	return a, nil
}
