package results

import (
	"context"
	"time"

	"prizeportal/internal/db"
	"prizeportal/internal/edition"
	"prizeportal/internal/i18n"
)

// LoadOwn reads current award id of userID's (OwnAward, filtered in SQL) with its edition. Before
// the announcement the award is not revealed (DOMAIN.md "Round 3": winners are announced on the
// website): db.ErrNotFound then, as for anyone else's award.
func LoadOwn(ctx context.Context, q db.DBTX, userID, id int64, now time.Time) (*Award, *edition.Edition, error) {
	a, err := OwnAward(ctx, q, userID, id)
	return announced(ctx, q, a, err, now)
}

// announced returns award a (read with err) with its edition once its winners are announced at
// now: db.ErrNotFound before.
func announced(ctx context.Context, q db.DBTX, a *Award, err error, now time.Time) (*Award, *edition.Edition, error) {
	a, ed, err := edition.Of(ctx, q, a, err, func(a *Award) int64 { return a.EditionID })
	if err != nil {
		return nil, nil, err
	}
	if !Announced(ed, now) {
		return nil, nil, db.ErrNotFound
	}
	return a, ed, nil
}

// LoadCandidate opens a winning candidate's private link token at now (OpenCandidateLink) and
// reads its current award with its edition, from the announcement on (as LoadOwn):
// ErrLinkGone or db.ErrNotFound otherwise.
func LoadCandidate(ctx context.Context, q db.DBTX, token string, now time.Time) (*Candidate, *Award, *edition.Edition, error) {
	c, err := OpenCandidateLink(ctx, q, token, now)
	if err != nil {
		return nil, nil, nil, err
	}
	a, err := CandidateAward(ctx, q, c.AwardID)
	a, ed, err := announced(ctx, q, a, err, now)
	if err != nil {
		return nil, nil, nil, err
	}
	return c, a, ed, nil
}

// What names what the award went to, as its winner reads it: "your project “T”" or "your
// nomination of T".
func (a *Award) What() string {
	if a.Kind == "nomination" {
		return "your nomination of " + a.Title
	}
	return "your project “" + a.Title + "”"
}

// TitleLabel is what a winner's title names on the public results: the project, or the
// candidate of a nomination.
func (w Winner) TitleLabel() string {
	if w.Kind == "nomination" {
		return i18n.M("Candidate")
	}
	return i18n.M("Project")
}

// GivenBy names who gave video v for a reader who is the nomination's candidate (candidate) or
// the entry's account: "" when the reader gave it, else the other's name and role.
func (v *Video) GivenBy(candidate bool) string {
	switch {
	case v.ByCandidate == candidate:
		return ""
	case v.ByCandidate:
		return v.By + " (the candidate)"
	}
	return v.By + " (the nominator)"
}
