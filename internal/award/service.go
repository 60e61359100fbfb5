package award

import (
	"context"
	"strconv"

	"github.com/jackc/pgx/v5"

	"prizeportal/internal/audit"
	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/fault"
	"prizeportal/internal/blocks/usecase"
	"prizeportal/internal/db"
	"prizeportal/internal/deputy"
	"prizeportal/internal/edition"
	"prizeportal/internal/results"
)

// Service holds the use cases of the awards after the vote (DOMAIN.md "Round 3": the committee
// or council may invalidate a prize; a first-place winner who cannot attend the ceremony passes
// the prize to the next-ranked entry that can): the winner's attendance answer, an invalidation
// and the chair's confirmation of the recomputed result. Each method opens its transaction,
// checks the rule it documents, writes the audit entry and queues the emails.
type Service struct {
	usecase.Deps
}

// Attend records the answer of actor, the account of award id's first-place entry, until ed's
// attendance deadline (ErrDeadline): it attends with its highest-level representative, or it
// cannot, which is final and proposes the succession to the chair (DOMAIN.md "Round 3": "if one
// cannot, the prize goes to the candidate with the next highest score who can attend").
// Refused with ErrNotLive, ErrPending or ErrAnswered when the award changed meanwhile. It
// returns the succession proposal opened, 0 for none.
func (s *Service) Attend(ctx context.Context, actor authz.Actor, ed *edition.Edition, id int64, in Answer) (int64, error) {
	return s.attend(ctx, results.By{UserID: actor.UserID}, ed, id, in)
}

// AttendAsCandidate records the answer of c, the candidate of a winning Leadership nomination,
// who has no account and answers through their private link (results.OpenCandidateLink) for
// award c.AwardID of ed: the same rules and refusals as the account's (Attend), audited in the
// candidate's name. The candidate is the participant (DOMAIN.md "Leadership nominations"): they
// or their nominator answer, and either sees the answer and who gave it.
func (s *Service) AttendAsCandidate(ctx context.Context, c *results.Candidate, ed *edition.Edition, in Answer) (int64, error) {
	return s.attend(ctx, results.By{Candidate: c}, ed, c.AwardID, in)
}

func (s *Service) attend(ctx context.Context, by results.By, ed *edition.Edition, id int64, in Answer) (int64, error) {
	var proposal int64
	err := db.InTx(ctx, s.Pool, func(tx pgx.Tx) error {
		var err error
		proposal, err = Respond(ctx, tx, by, id, in, ed.AttendanceDeadline(), s.Now())
		if err != nil {
			return err
		}
		details := map[string]any{"can_attend": in.CanAttend, "representative_name": in.RepresentativeName,
			"representative_title": in.RepresentativeTitle}
		if proposal != 0 {
			details["proposal"] = proposal
		}
		return audit.Record(ctx, tx, by.Entry("award.attendance", "award", strconv.FormatInt(id, 10), details))
	})
	return proposal, fault.Reword(err, attendanceChanged, ErrNotLive, ErrPending, ErrAnswered)
}

// The refusals shown when an award changed meanwhile (DOMAIN.md "Round 3"), one per use case.
const (
	attendanceChanged = "This award changed meanwhile: your answer can no longer change. Nothing was saved."
	invalidateChanged = "This award changed meanwhile (it no longer stands, or a change of it waits for the chair): nothing was saved."
)

// Invalidate records the invalidation of award id with its reason by actor, the chair of the
// council or a committee head of the award's edition (ErrNotAllowed otherwise, checked in
// SQL): DOMAIN.md "Round 3", "the committee or council may invalidate a prize (qualification not
// met, or disgrace)". Refused with ErrNotLive or ErrPending when the award changed meanwhile.
// The chair then confirms the succession (ConfirmChange).
func (s *Service) Invalidate(ctx context.Context, actor authz.Actor, id int64, reason string) error {
	return db.InTx(ctx, s.Pool, func(tx pgx.Tx) error {
		proposal, err := Invalidate(ctx, tx, actor.UserID, id, reason, s.Now())
		if err != nil {
			return err
		}
		a, err := Get(ctx, tx, id)
		if err != nil {
			return err
		}
		details := map[string]any{"reason": reason, "proposal": proposal}
		for _, post := range []string{authz.PostChair, authz.PostHead} {
			if err := deputy.Record(ctx, tx, a.EditionID, a.CategoryID, post, actor, details); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, audit.Entry{ActorID: actor.UserID, Action: "award.invalidate", ObjectType: "award",
			ObjectID: strconv.FormatInt(id, 10), Details: details})
	})
}

// ConfirmChange applies the recomputed result of cat in ed that actor, the chair of the council
// (ErrNotChair), saw as version: every entry that receives a new place is emailed, and a new
// first place is asked to confirm attendance (DOMAIN.md "Round 3"): its account and, for a
// nomination, its candidate, with a private link to answer without an account. changed reports that the
// result differs from version (another change was proposed meanwhile): nothing is applied then.
// Refused with ErrDone or ErrNotLive when the change was already applied.
func (s *Service) ConfirmChange(ctx context.Context, actor authz.Actor, ed *edition.Edition, cat *edition.Category, version string) (changed bool, err error) {
	err = db.InTx(ctx, s.Pool, func(tx pgx.Tx) error {
		var ch *Change
		var err error
		ch, changed, err = ConfirmChange(ctx, tx, cat, actor.UserID, version, s.Now())
		if err != nil || changed {
			return err
		}
		var proposals, moves []map[string]any
		for _, p := range ch.Proposals {
			proposals = append(proposals, map[string]any{"proposal": p.ID, "award": p.AwardID, "reason": p.Reason, "from": p.From, "to": p.To, "place": p.Place})
		}
		for _, m := range ch.Moves {
			moves = append(moves, map[string]any{"application_id": m.ApplicationID, "from_award": m.FromAward, "from_place": m.FromPlace,
				"to_place": m.ToPlace, "new_award": m.NewAward})
		}
		details := map[string]any{"proposals": proposals, "moves": moves}
		if err := deputy.Record(ctx, tx, ed.ID, cat.ID, authz.PostChair, actor, details); err != nil {
			return err
		}
		err = audit.Record(ctx, tx, audit.Entry{ActorID: actor.UserID, Action: "award.succession", ObjectType: "category",
			ObjectID: strconv.FormatInt(cat.ID, 10), Details: details})
		if err != nil {
			return err
		}
		for _, m := range ch.Moves {
			to, err := Addressees(ctx, tx, m.ApplicationID)
			if err != nil {
				return err
			}
			for _, a := range to {
				private := ""
				if a.Candidate {
					if private, err = results.NewCandidateLink(ctx, tx, ed, m.NewAward, s.Now()); err != nil {
						return err
					}
				}
				if _, err := s.Outbox.Queue(ctx, tx, SuccessorEmail(s.Site, ed, cat, a.User, private, m, s.Now())); err != nil {
					return err
				}
			}
		}
		return nil
	})
	return changed, err
}
