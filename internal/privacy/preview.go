package privacy

import (
	"context"

	"prizeportal/internal/account"
)

// AccountPreview is what the confirmation of erasing an account shows: the account, why it
// cannot be erased ("" when it can), and what erasing would do.
type AccountPreview struct {
	Profile account.Profile
	Refusal string
	Plan    Plan
}

// PreviewAccount loads the confirmation of erasing userID by the administrator actorID (see
// account.CanErase for who cannot be erased, and Preview).
func (s *Service) PreviewAccount(ctx context.Context, userID, actorID int64) (AccountPreview, error) {
	var (
		p   AccountPreview
		err error
	)
	if p.Profile, err = account.LoadProfile(ctx, s.Pool, userID); err != nil {
		return p, err
	}
	if p.Refusal, err = account.CanErase(ctx, s.Pool, userID, actorID); err != nil {
		return p, err
	}
	if p.Plan, err = s.Preview(ctx, userID); err != nil {
		return p, err
	}
	return p, nil
}
