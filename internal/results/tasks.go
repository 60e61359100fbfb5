package results

import (
	"context"
	"errors"
	"time"

	"prizeportal/internal/edition"
	"prizeportal/internal/notify"
)

// AnnouncementTask is the periodic task "results-announcement" (SendResults), every half hour,
// for the worker.
func (s *Service) AnnouncementTask() notify.Task {
	return notify.Task{Name: "results-announcement", Every: 30 * time.Minute, Run: s.SendResults}
}

// SendResults is the periodic task "results-announcement": for every edition whose winners are
// announced (now >= WinnersAnnounced), it announces the decided categories not announced yet
// (Announce) and then sends the video emails due (SendVideoEmails).
func (s *Service) SendResults(ctx context.Context) error {
	list, err := edition.Published(ctx, s.Pool)
	if err != nil {
		return err
	}
	var errs []error
	for _, sum := range list {
		ed, err := edition.ByID(ctx, s.Pool, sum.ID)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if !Announced(ed, s.Now()) {
			continue
		}
		errs = append(errs, s.Announce(ctx, ed), s.SendVideoEmails(ctx, ed))
	}
	return errors.Join(errs...)
}
