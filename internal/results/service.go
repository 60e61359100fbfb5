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
		requested := map[int64]bool{} // the video request of each award, claimed once for its addressees
		for _, rc := range rcs {
			if rc.CoNominator { // a copy of the outcome, nothing to act on
				if _, err := s.Outbox.Queue(ctx, tx, OutcomeEmail(s.Site, ed, cat, rc)); err != nil {
					return err
				}
				n++
				continue
			}
			if !rc.Candidate {
				semis++
			}
			base := ""
			if rc.Winner() && rc.Candidate {
				if base, err = NewCandidateLink(ctx, tx, ed, rc.AwardID, now); err != nil {
					return err
				}
				rc.Private = base + "/video"
				if rc.Place == 1 {
					rc.Private = base + "/attendance"
				}
			}
			if _, err := s.Outbox.Queue(ctx, tx, OutcomeEmail(s.Site, ed, cat, rc)); err != nil {
				return err
			}
			n++
			if !rc.Winner() {
				continue
			}
			if !rc.Candidate {
				winners = append(winners, rc.ApplicationID)
			}
			if !now.Before(deadline) {
				continue
			}
			send, seen := requested[rc.AwardID]
			if !seen {
				if send, err = ClaimVideoEmail(ctx, tx, rc.AwardID, StageRequest, now); err != nil {
					return err
				}
				requested[rc.AwardID] = send
			}
			if send {
				if rc.Candidate {
					rc.Private = base + "/video"
				}
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
// (VideoEmailAction), to the entry's account and, for a nomination, to its candidate with a new
// private link (the candidate gives the video too). Nothing is sent before the announcement.
func (s *Service) SendVideoEmails(ctx context.Context, ed *edition.Edition) error {
	now := s.Now()
	if !Announced(ed, now) {
		return nil
	}
	due, err := DueVideoEmails(ctx, s.Pool, ed.ID, VideoDeadline(ed), now)
	if err != nil {
		return err
	}
	return usecase.EachInTx(ctx, s.Pool, groupDue(due), func(tx pgx.Tx, group []VideoDue) error {
		d := group[0]
		cat := categoryOf(ed, d.CategoryID)
		if cat == nil {
			return nil
		}
		ok, err := ClaimVideoEmail(ctx, tx, d.AwardID, d.Stage, now)
		if err != nil || !ok {
			return err
		}
		if err := audit.Record(ctx, tx, audit.Entry{ActorLabel: "system", Action: VideoEmailAction, ObjectType: "award",
			ObjectID: strconv.FormatInt(d.AwardID, 10), Details: map[string]any{"edition": ed.ID, "stage": d.Stage, "emails": len(group)}}); err != nil {
			return err
		}
		for _, d := range group {
			if d.Candidate {
				base, err := NewCandidateLink(ctx, tx, ed, d.AwardID, now)
				if err != nil {
					return err
				}
				d.Private = base + "/video"
			}
			if _, err := s.Outbox.Queue(ctx, tx, VideoEmail(s.Site, ed, cat, d.Recipient, d.Stage)); err != nil {
				return err
			}
		}
		return nil
	})
}

// groupDue groups the due video emails by award and stage (DueVideoEmails lists them so, one per
// addressee): each group is claimed once and sent to all its addressees.
func groupDue(due []VideoDue) [][]VideoDue {
	var out [][]VideoDue
	for _, d := range due {
		if k := len(out); k > 0 && out[k-1][0].AwardID == d.AwardID && out[k-1][0].Stage == d.Stage {
			out[k-1] = append(out[k-1], d)
			continue
		}
		out = append(out, []VideoDue{d})
	}
	return out
}

// SaveVideo records the link to the ceremony video of award a of ed given by actor, its
// winner's account (SaveVideo filters by owner in SQL): before VideoDeadline only
// (ErrVideoClosed), a checked http or https link (CheckVideoURL), audited (VideoAction).
func (s *Service) SaveVideo(ctx context.Context, actor authz.Actor, ed *edition.Edition, a *Award, link string) error {
	return s.saveVideo(ctx, By{UserID: actor.UserID}, ed, a, link)
}

// SaveCandidateVideo records the link to the ceremony video of award a of ed given by c, the
// winning nomination's candidate, through their private link (OpenCandidateLink): the same
// rules as the account's (SaveVideo), audited in the candidate's name. Whoever gives the link
// last replaces the other's; each sees who gave it.
func (s *Service) SaveCandidateVideo(ctx context.Context, c *Candidate, ed *edition.Edition, a *Award, link string) error {
	return s.saveVideo(ctx, By{Candidate: c}, ed, a, link)
}

func (s *Service) saveVideo(ctx context.Context, by By, ed *edition.Edition, a *Award, link string) error {
	now := s.Now()
	if !now.Before(VideoDeadline(ed)) {
		return ErrVideoClosed
	}
	return db.InTx(ctx, s.Pool, func(tx pgx.Tx) error {
		if err := SaveVideo(ctx, tx, a.ID, by, link, now); err != nil {
			return err
		}
		return audit.Record(ctx, tx, by.Entry(VideoAction, "award", strconv.FormatInt(a.ID, 10), map[string]any{"url": link, "replaced": a.Video != nil}))
	})
}
