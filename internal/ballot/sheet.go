package ballot

import (
	"context"
	"errors"
	"strconv"
	"time"

	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/fault"
	"prizeportal/internal/db"
	"prizeportal/internal/deputy"
	"prizeportal/internal/edition"
	"prizeportal/internal/i18n"
)

// ErrTieChanged refuses the chair's decision when the tie changed between the page and the
// post (Decide answered ErrNoTie or ErrCandidates).
var ErrTieChanged = fault.New(fault.Conflict, "The tie changed meanwhile: check the protocol and decide again.")

// Text says how far the vote has come: the ballots cast, the council and its quorum, and the
// close (DOMAIN.md "Round 3": who has voted is shown, never how).
func (s Status) Text() string {
	if s.Closed {
		return i18n.Msg("{{.Cast}} of {{.Council}} members have voted; the quorum is {{.Quorum}}. The vote is closed.",
			"Cast", s.Cast, "Council", s.Council, "Quorum", s.Quorum)
	}
	return i18n.Msg("{{.Cast}} of {{.Council}} members have voted; the quorum is {{.Quorum}}.", "Cast", s.Cast, "Council", s.Council, "Quorum", s.Quorum)
}

// WindowText says when ballots of ed may change at now (DOMAIN.md "Schedule" and "Round 3"):
// before the voting window the page is read-only, within it a ballot changes until the chair
// closes the vote, after it or after the close nothing changes.
func WindowText(ed *edition.Edition, closed bool, now time.Time) string {
	w, loc := ed.Schedule.Voting, ed.TimeZone
	last := i18n.Instant(w.End.Add(-1), loc)
	switch {
	case closed:
		return i18n.M("The vote is closed: ballots can no longer change.")
	case now.Before(w.Start):
		return i18n.Msg("Voting opens on {{.Start}} and closes on {{.End}}. Until then this page is read-only.",
			"Start", i18n.Instant(w.Start, loc), "End", last)
	case !VotingOpen(ed, now):
		return i18n.Msg("The voting window ended on {{.End}}: ballots can no longer change.", "End", last)
	}
	return i18n.Msg("Voting is open until {{.End}}. You may change your ballot until the chair closes the vote.", "End", last)
}

// MayClose reports whether the chair may close a vote in state st of ed at now: from the start
// of the voting window, once (DOMAIN.md "Round 3"; Service.Close also wants the quorum).
func MayClose(ed *edition.Edition, st Status, now time.Time) bool {
	return !st.Closed && votingRound(ed, now).Phase != edition.PhaseUpcoming
}

// SavedText says when the ballot was cast and last changed, in loc; empty without a ballot.
func (b *Ballot) SavedText(loc *time.Location) string {
	if b == nil {
		return ""
	}
	if b.UpdatedAt.After(b.CastAt) {
		return i18n.Msg("You cast your ballot on {{.Cast}}; last changed on {{.Changed}}.",
			"Cast", i18n.Instant(b.CastAt, loc), "Changed", i18n.Instant(b.UpdatedAt, loc))
	}
	return i18n.Msg("You cast your ballot on {{.Cast}}.", "Cast", i18n.Instant(b.CastAt, loc))
}

// Text is the line as its member reads it: the rank, or the abstention with its conflict.
func (l Line) Text() string {
	if l.Abstained() {
		return i18n.Msg("Abstained ({{.Conflict}})", "Conflict", l.Conflict)
	}
	return strconv.Itoa(l.Rank)
}

// Vote checks and records actor's ballot in cat of ed from choice, what the member chose for
// each confirmed semi-finalist (CheckBallot: a rank, or an abstention stating the conflict;
// DOMAIN.md "Round 3" and "People and roles"). Outside the voting window it answers ErrNotOpen
// before anything else; without candidates db.ErrNotFound; refused choices come back as
// problems with nothing saved; otherwise Cast records the ballot and reports whether it is the
// member's first.
func (s *Service) Vote(ctx context.Context, actor authz.Actor, ed *edition.Edition, cat *edition.Category, choice func(id int64) Choice) (bool, []Problem, error) {
	if !VotingOpen(ed, s.Now()) {
		return false, nil, voteRefused(ErrNotOpen)
	}
	cands, err := Candidates(ctx, s.Pool, ed.ID, cat.ID)
	if err != nil {
		return false, nil, err
	}
	if len(cands) == 0 {
		return false, nil, db.ErrNotFound
	}
	conflicts, err := Conflicts(ctx, s.Pool, actor.UserID, cands)
	if err != nil {
		return false, nil, err
	}
	choices := map[int64]Choice{}
	for _, c := range cands {
		choices[c.ApplicationID] = choice(c.ApplicationID)
	}
	lines, problems := CheckBallot(cands, conflicts, choices)
	if len(problems) > 0 {
		return false, problems, nil
	}
	created, err := s.Cast(ctx, actor, ed, cat, lines)
	return created, nil, voteRefused(err)
}

// voteRefused words Vote's refusals as the ballot page shows them.
func voteRefused(err error) error {
	err = fault.Reword(err, "Ballots can be cast only within the voting window: nothing was saved.", ErrNotOpen)
	err = fault.Reword(err, "The vote is closed: your ballot can no longer change.", ErrClosed)
	return fault.Reword(err, "The semi-finalists changed while you voted: check your ballot and save it again.", ErrCandidates)
}

// DecideTies checks and records the chair's decision on the ties of cat's closed vote
// (DOMAIN.md "Round 3"; the tie-break chain ends with the chair's decision): position gives
// the position typed for each tied entry (CheckDecision), reason is recorded in the protocol.
// A vote not closed is ErrNotClosed; one with no tie waiting ErrNoTie; refused positions or
// reason come back as problems with nothing saved; a tie that changed meanwhile is
// ErrTieChanged; then Decide's refusals (ErrConfirmed).
func (s *Service) DecideTies(ctx context.Context, actor authz.Actor, ed *edition.Edition, cat *edition.Category, position func(id int64) string, reason string) ([]Problem, error) {
	res, err := ResultOf(ctx, s.Pool, cat.ID)
	switch {
	case err != nil:
		return nil, err
	case res == nil:
		return nil, ErrNotClosed
	case res.Resolved():
		return nil, ErrNoTie
	}
	tied := res.Tied()
	positions := map[int64]string{}
	for _, id := range tied {
		positions[id] = position(id)
	}
	order, reason, problems := CheckDecision(tied, positions, reason)
	if len(problems) > 0 {
		return problems, nil
	}
	err = s.Decide(ctx, actor, ed, cat, order, reason)
	if errors.Is(err, ErrNoTie) || errors.Is(err, ErrCandidates) {
		return nil, ErrTieChanged
	}
	return nil, fault.Reword(err, "The winners are confirmed: the order can no longer change.", ErrConfirmed)
}

// Proposed are the winners the chair would confirm from p's final order (Winners), before any
// is confirmed and once no tie waits; nil otherwise.
func (p *Protocol) Proposed(cat *edition.Category) []Award {
	if len(p.Awards) > 0 || !p.Result.Resolved() {
		return nil
	}
	return Winners(cat, p.Result.Order)
}

// SeatIn says whether user sits on editionID's Prize Council and, for a member and a category
// (categoryID not 0), who decides for it as chair (deputy.SeatOf: the chair, or the deputy chair
// where the chair is conflicted with one of its entries), both read in SQL (DOMAIN.md "People
// and roles").
func SeatIn(ctx context.Context, q db.DBTX, editionID, categoryID, user int64) (member bool, chair authz.Seat, err error) {
	if member, err = IsMember(ctx, q, editionID, user); err != nil || !member || categoryID == 0 {
		return member, authz.Seat{Post: authz.PostChair}, err
	}
	chair, err = deputy.SeatOf(ctx, q, editionID, categoryID, authz.PostChair)
	return member, chair, err
}
