package results

import (
	"context"
	"fmt"
	"time"

	"prizeportal/internal/db"
	"prizeportal/internal/edition"
	"prizeportal/internal/mention"
)

// Public is what the public results page of an edition shows: before WinnersAnnounced only when
// the winners will be announced (Announced false, no winners); from then on the current winners
// and the Special Mentions (DOMAIN.md "Round 3": "Winners are announced on the website").
type Public struct {
	Edition   *edition.Edition
	Announced bool
	Winners   []Winner
	Mentions  []mention.Public
	// Submitted counts the submitted entries per category id, once announced: a category
	// without any says so instead of promising its winners.
	Submitted map[int64]int
}

// LoadPublic reads the public results of the edition with slug at now.
func LoadPublic(ctx context.Context, q db.DBTX, slug string, now time.Time) (*Public, error) {
	ed, err := edition.BySlug(ctx, q, slug)
	if err != nil {
		return nil, err
	}
	if ed.Draft() { // a draft has no public page
		return nil, fmt.Errorf("results: %s is a draft: %w", slug, db.ErrNotFound)
	}
	p := &Public{Edition: ed, Announced: Announced(ed, now)}
	if !p.Announced {
		return p, nil
	}
	if p.Winners, err = Winners(ctx, q, ed.ID); err != nil {
		return nil, err
	}
	if p.Mentions, err = mention.ListMentions(ctx, q, ed.ID); err != nil {
		return nil, err
	}
	if p.Submitted, err = edition.SubmittedPerCategory(ctx, q, ed.ID); err != nil {
		return nil, err
	}
	return p, nil
}
