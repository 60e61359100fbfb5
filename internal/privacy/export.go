package privacy

import (
	"context"
	"time"

	"prizeportal/internal/account"
	"prizeportal/internal/application"
	"prizeportal/internal/ballot"
	"prizeportal/internal/clarify"
	"prizeportal/internal/scoring"
)

// Export is everything the portal holds about one user: the account's data (internal/account)
// and what the user wrote in the rounds, from each domain's store.
type Export struct {
	account.PersonalData
	Entries        []application.PersonalEntry     `json:"entries"`
	Clarifications []clarify.PersonalClarification `json:"clarifications"`
	ScoreSheets    []scoring.PersonalSheet         `json:"score_sheets"`
	Ballots        []ballot.PersonalBallot         `json:"ballots"`
}

// Export collects the personal data of userID, for the user alone to see and download (every
// signed-in user may see what the portal holds about them). Lists are empty, never nil, so the
// download holds [] rather than null.
func (s *Service) Export(ctx context.Context, userID int64, now time.Time) (Export, error) {
	var (
		d   Export
		err error
	)
	if d.PersonalData, err = account.ExportPersonalData(ctx, s.Pool, userID, now); err != nil {
		return d, err
	}
	if d.Entries, err = application.Personal(ctx, s.Pool, userID); err != nil {
		return d, err
	}
	if d.Clarifications, err = clarify.Personal(ctx, s.Pool, userID); err != nil {
		return d, err
	}
	if d.ScoreSheets, err = scoring.Personal(ctx, s.Pool, userID); err != nil {
		return d, err
	}
	if d.Ballots, err = ballot.Personal(ctx, s.Pool, userID); err != nil {
		return d, err
	}
	d.Entries, d.Clarifications, d.ScoreSheets, d.Ballots = orEmpty(d.Entries), orEmpty(d.Clarifications), orEmpty(d.ScoreSheets), orEmpty(d.Ballots)
	return d, nil
}

// orEmpty is list, or an empty list for nil (a JSON [] rather than null).
func orEmpty[T any](list []T) []T {
	if list == nil {
		return []T{}
	}
	return list
}
