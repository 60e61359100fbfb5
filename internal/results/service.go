package results

import (
	"context"
	"errors"
	"strconv"

	"github.com/jackc/pgx/v5"

	"prizeportal/internal/audit"
	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/usecase"
	"prizeportal/internal/db"
	"prizeportal/internal/edition"
)

// ErrVideoClosed refuses a video link from VideoDeadline on.
var ErrVideoClosed = errors.New("results: the deadline for the ceremony video has passed")

// Service holds the use cases of the announcement (DOMAIN.md "Round 3": "Winners are announced
// on the website, and asked to submit a video of their project for the ceremony"): the outcome
// and video emails of the announcement task, and the winner's video link. Each method opens its
// transaction, checks the rule it documents, writes the audit entry and queues the emails.
type Service struct {
	usecase.Deps
}

func categoryOf(ed *edition.Edition, id int64) *edition.Category {
	for i := range ed.Categories {
		if ed.Categories[i].ID == id {
			return &ed.Categories[i]
		}
	}
	return nil
}

// Announce announces each decided category of ed whose results were not emailed yet, once ed's
// winners are announced (Announced): it emails the outcome to every confirmed semi-finalist and
// asks each winner for their ceremony video before VideoDeadline, in one transaction per
// category recorded in results_announcements (so each is sent once, however often it runs) and
// audited (AnnounceAction).
func (s *Service) Announce(ctx context.Context, ed *edition.Edition) error {
	now := s.Now()
	if !Announced(ed, now) {
		return nil
	}
	pending, err := Pending(ctx, s.Pool, ed.ID)
	if err != nil {
		return err
	}
	deadline := VideoDeadline(ed)
	return usecase.EachInTx(ctx, s.Pool, pending, func(tx pgx.Tx, catID int64) error {
		cat := categoryOf(ed, catID)
		if cat == nil {
			return nil
		}
		ok, err := Claim(ctx, tx, ed.ID, catID, now)
		if err != nil || !ok {
			return err
		}
		rcs, err := Recipients(ctx, tx, catID)
		if err != nil {
			return err
		}
		n, semis, winners := 0, 0, []int64{}
		for _, rc := range rcs {
			if !rc.Candidate {
				semis++
			}
			if _, err := s.Outbox.Queue(ctx, tx, OutcomeEmail(s.Site, ed, cat, rc)); err != nil {
				return err
			}
			n++
			if !rc.Winner() || rc.Candidate { // the video is asked of the account
				continue
			}
			winners = append(winners, rc.ApplicationID)
			if !now.Before(deadline) {
				continue
			}
			claimed, err := ClaimVideoEmail(ctx, tx, rc.AwardID, StageRequest, now)
			if err != nil {
				return err
			}
			if claimed {
				if _, err := s.Outbox.Queue(ctx, tx, VideoEmail(s.Site, ed, cat, rc, StageRequest)); err != nil {
					return err
				}
				n++
			}
		}
		if err := SetEmails(ctx, tx, catID, n); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{ActorLabel: "system", Action: AnnounceAction, ObjectType: "edition",
			ObjectID: strconv.FormatInt(ed.ID, 10), Details: map[string]any{"category": cat.Key, "winners": winners,
				"semi_finalists": semis, "emails": n, "video_deadline": deadline}})
	})
}

// SendVideoEmails sends the video emails of ed due now (DueVideoEmails): the request to a
// winner who has none (a successor) and the reminders three days and one day before
// VideoDeadline, each once, in its own transaction with its record and audit entry
// (VideoEmailAction). Nothing is sent before the announcement.
func (s *Service) SendVideoEmails(ctx context.Context, ed *edition.Edition) error {
	now := s.Now()
	if !Announced(ed, now) {
		return nil
	}
	due, err := DueVideoEmails(ctx, s.Pool, ed.ID, VideoDeadline(ed), now)
	if err != nil {
		return err
	}
	return usecase.EachInTx(ctx, s.Pool, due, func(tx pgx.Tx, d VideoDue) error {
		cat := categoryOf(ed, d.CategoryID)
		if cat == nil {
			return nil
		}
		ok, err := ClaimVideoEmail(ctx, tx, d.AwardID, d.Stage, now)
		if err != nil || !ok {
			return err
		}
		if err := audit.Record(ctx, tx, audit.Entry{ActorLabel: "system", Action: VideoEmailAction, ObjectType: "award",
			ObjectID: strconv.FormatInt(d.AwardID, 10), Details: map[string]any{"edition": ed.ID, "stage": d.Stage}}); err != nil {
			return err
		}
		_, err = s.Outbox.Queue(ctx, tx, VideoEmail(s.Site, ed, cat, d.Recipient, d.Stage))
		return err
	})
}

// SaveVideo records the link to the ceremony video of award a of ed given by actor, its
// winner's account (SaveVideo filters by owner in SQL): before VideoDeadline only
// (ErrVideoClosed), a checked http or https link (CheckVideoURL), audited (VideoAction).
func (s *Service) SaveVideo(ctx context.Context, actor authz.Actor, ed *edition.Edition, a *Award, link string) error {
	now := s.Now()
	if !now.Before(VideoDeadline(ed)) {
		return ErrVideoClosed
	}
	return db.InTx(ctx, s.Pool, func(tx pgx.Tx) error {
		if err := SaveVideo(ctx, tx, a.ID, actor.UserID, link, now); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{ActorID: actor.UserID, Action: VideoAction, ObjectType: "award",
			ObjectID: strconv.FormatInt(a.ID, 10), Details: map[string]any{"url": link, "replaced": a.Video != nil}})
	})
}
