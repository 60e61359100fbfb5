package results

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"prizeportal/internal/audit"
	"prizeportal/internal/blocks/fault"
	"prizeportal/internal/blocks/link"
	"prizeportal/internal/db"
	"prizeportal/internal/edition"
)

// The candidate of a Leadership nomination is the participant (DOMAIN.md "Leadership
// nominations") and usually has no account: when the nomination wins, the candidate answers for
// the ceremony and gives the video through a private link (internal/blocks/link, purpose
// LinkCandidate, subject the award) sent in the winner's, video and succession emails. The
// nominator's account can still answer while signed in; each sees what the other gave.

// LinkCandidate is the purpose of a winning candidate's private link; its subject is the award.
const LinkCandidate = "award_candidate"

// ErrLinkGone refuses a candidate's link that is unknown, expired, or whose award is no longer a
// nomination's with a candidate to tell: the same page as any unknown address.
var ErrLinkGone = fault.Wrap(fault.NotFound, "This link is not valid, or it has expired. Check that you copied the whole address from the email; if it has expired, write to the secretariat.", db.ErrNotFound)

// CandidatePath is the address of the candidate's private page opened by token (its attendance
// page: CandidatePath + "/attendance", its video page: CandidatePath + "/video").
func CandidatePath(token string) string { return "/winner/" + token }

// CandidateLinkExpires is when a candidate's link of ed stops working: at the later of the
// attendance deadline and the video deadline, after which neither can be given.
func CandidateLinkExpires(ed *edition.Edition) time.Time {
	if a := ed.AttendanceDeadline(); a.After(VideoDeadline(ed)) {
		return a
	}
	return VideoDeadline(ed)
}

// NewCandidateLink stores a new private link to award awardID of ed for its candidate, valid
// until CandidateLinkExpires, and returns the address of the candidate's page (CandidatePath).
// Only the token's hash is stored; the caller puts the address in the candidate's email alone.
func NewCandidateLink(ctx context.Context, q db.DBTX, ed *edition.Edition, awardID int64, now time.Time) (string, error) {
	token, err := link.New(ctx, q, LinkCandidate, awardID, CandidateLinkExpires(ed), now)
	if err != nil {
		return "", err
	}
	return CandidatePath(token), nil
}

// By is who gives an answer or a video for a winner: the entry's account (UserID), or the
// nomination's candidate through their private link (Candidate, no account).
type By struct {
	UserID    int64
	Candidate *Candidate
}

// Candidate is a winning nomination's candidate as their private link opens them: the award and
// the candidate's name and address (entry_addressees).
type Candidate struct {
	AwardID int64
	Name    string
	Email   string
}

// Entry is the audit entry of what b did: the account as actor, or the candidate by name and
// address (no account).
func (b By) Entry(action, objectType, objectID string, details map[string]any) audit.Entry {
	e := audit.Entry{ActorID: b.UserID, Action: action, ObjectType: objectType, ObjectID: objectID, Details: details}
	if b.Candidate != nil {
		e.ActorLabel = "candidate " + b.Candidate.Name + " <" + b.Candidate.Email + ">"
	}
	return e
}

// Columns are the values of the columns that record who gave an answer (the account's id, or
// the candidate's name): exactly one is non-nil.
func (b By) Columns() (*int64, *string) {
	if b.Candidate != nil {
		return nil, &b.Candidate.Name
	}
	return &b.UserID, nil
}

// OpenCandidateLink returns the candidate that token opens at now: ErrLinkGone when the token is
// unknown or expired, or when its award's entry has no candidate to tell (entry_addressees).
func OpenCandidateLink(ctx context.Context, q db.DBTX, token string, now time.Time) (*Candidate, error) {
	id, err := link.Open(ctx, q, LinkCandidate, token, now)
	if err != nil {
		if errors.Is(err, link.ErrUnknown) || errors.Is(err, link.ErrExpired) || errors.Is(err, link.ErrUsed) {
			return nil, ErrLinkGone
		}
		return nil, err
	}
	c := Candidate{AwardID: id}
	err = q.QueryRow(ctx, `SELECT r.name, r.email FROM awards w
		JOIN entry_addressees r ON r.application_id = w.application_id AND r.candidate
		WHERE w.id = $1`, id).Scan(&c.Name, &c.Email)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, ErrLinkGone
	}
	if err != nil {
		return nil, fmt.Errorf("results: candidate link: %w", err)
	}
	return &c, nil
}
