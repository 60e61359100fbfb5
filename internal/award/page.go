package award

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/fault"
	"prizeportal/internal/blocks/field"
	"prizeportal/internal/blocks/timefmt"
	"prizeportal/internal/db"
	"prizeportal/internal/deputy"
	"prizeportal/internal/edition"
	"prizeportal/internal/results"
)

// LoadFirst reads award id for user, the account of its entry (Mine filters by owner in SQL),
// with its edition: only a first place, whose winner answers for the ceremony, and only from
// the winners' announcement on (DOMAIN.md "Round 3"); db.ErrNotFound otherwise.
func LoadFirst(ctx context.Context, q db.DBTX, user, id int64, now time.Time) (*Award, *edition.Edition, error) {
	a, err := Mine(ctx, q, user, id)
	return firstAnnounced(ctx, q, a, err, now)
}

// LoadCandidateFirst opens a winning candidate's private link token at now
// (results.OpenCandidateLink: results.ErrLinkGone when unknown or expired) and reads its award
// with its edition, as LoadFirst does for the account: only a first place, from the winners'
// announcement on; db.ErrNotFound otherwise. The award is read whatever its status, so the
// candidate sees it passed on.
func LoadCandidateFirst(ctx context.Context, q db.DBTX, token string, now time.Time) (*results.Candidate, *Award, *edition.Edition, error) {
	c, err := results.OpenCandidateLink(ctx, q, token, now)
	if err != nil {
		return nil, nil, nil, err
	}
	a, err := Get(ctx, q, c.AwardID)
	a, ed, err := firstAnnounced(ctx, q, a, err, now)
	if err != nil {
		return nil, nil, nil, err
	}
	return c, a, ed, nil
}

// firstAnnounced returns award a (read with err) with its edition when it is a first place and
// the winners are announced at now: db.ErrNotFound otherwise.
func firstAnnounced(ctx context.Context, q db.DBTX, a *Award, err error, now time.Time) (*Award, *edition.Edition, error) {
	a, ed, err := edition.Of(ctx, q, a, err, func(a *Award) int64 { return a.EditionID })
	if err != nil {
		return nil, nil, err
	}
	if !a.First() || now.Before(ed.Schedule.WinnersAnnounced) {
		return nil, nil, db.ErrNotFound
	}
	return a, ed, nil
}

// Due lists user's first-place awards in ed still waiting for an attendance answer, from the
// winners' announcement until ed's attendance deadline (DOMAIN.md "Round 3"); none outside.
func Due(ctx context.Context, q db.DBTX, user int64, ed *edition.Edition, now time.Time) ([]Award, error) {
	if now.Before(ed.Schedule.WinnersAnnounced) || !now.Before(ed.AttendanceDeadline()) {
		return nil, nil
	}
	list, err := AwaitingAnswer(ctx, q, user)
	return slices.DeleteFunc(list, func(a Award) bool { return a.EditionID != ed.ID }), err
}

// Answerable says whether the winner may still answer for the ceremony at now (DOMAIN.md
// "Round 3": a first-place winner who cannot attend passes the prize on): "" when they may,
// else why not. A passed-on award, a final "cannot attend", a change waiting for the chair and
// ed's attendance deadline each close the answer.
func (a *Award) Answerable(ed *edition.Edition, now time.Time) string {
	switch {
	case !a.Live():
		return "This award passed to another entry: " + a.StatusReason
	case a.Attendance != nil && !a.Attendance.CanAttend:
		return "The answer given is that you cannot attend the ceremony: the prize passes to the next-ranked entry that can attend once the chair confirms."
	case a.Pending:
		return "A change of this award waits for the chair of the Prize Council: the answer can no longer change."
	case !now.Before(ed.AttendanceDeadline()):
		return "The deadline to confirm attendance passed on " + timefmt.Instant(ed.AttendanceDeadline().Add(-1), ed.TimeZone) +
			": this page is read-only. Write to the secretariat (" + ed.ContactEmail + ") about any change."
	}
	return ""
}

// AnswerText is the winner's answer in loc, as they read it; editable says they may still give
// one ("" then without an answer). candidate says the reader is the nomination's candidate
// (through their private link), not the entry's account: an answer the other gave names who
// gave it.
func (a *Award) AnswerText(loc *time.Location, editable, candidate bool) string {
	at := a.Attendance
	who := "You"
	switch {
	case at == nil || at.ByCandidate == candidate:
	case at.ByCandidate:
		who = at.By + " (the candidate)"
	default:
		who = at.By + " (the nominator)"
	}
	switch {
	case at != nil && at.CanAttend:
		return who + " confirmed on " + timefmt.Instant(at.AnsweredAt, loc) + " that " + at.RepresentativeName + " (" + at.RepresentativeTitle + ") attends the ceremony."
	case at != nil:
		return who + " said on " + timefmt.Instant(at.AnsweredAt, loc) + " that you cannot attend the ceremony."
	case editable:
		return ""
	}
	return "No answer was given."
}

// StatusText says whether the award stands, and if not, when and why it passed on, in loc.
func (a *Award) StatusText(loc *time.Location) string {
	switch a.Status {
	case StatusDeclined:
		return "Declined on " + timefmt.Instant(*a.StatusChangedAt, loc) + ": " + a.StatusReason
	case StatusInvalidated:
		return "Invalidated on " + timefmt.Instant(*a.StatusChangedAt, loc) + ": " + a.StatusReason
	case StatusMoved:
		return "Moved on " + timefmt.Instant(*a.StatusChangedAt, loc) + ": " + a.StatusReason
	}
	if a.Pending {
		return "Winner; a change waits for the chair"
	}
	return "Winner"
}

// AttendanceText is the attendance of the award as the staff read it at now: required of a
// first place only (DOMAIN.md "Round 3"), answered or not by ed's deadline, and by the candidate
// of a nomination when they gave the answer.
func (a *Award) AttendanceText(ed *edition.Edition, now time.Time) string {
	if !a.First() {
		return "Encouraged, not required"
	}
	by := ""
	if at := a.Attendance; at != nil && at.ByCandidate {
		by = " (answered by the candidate, " + at.By + ")"
	}
	switch at := a.Attendance; {
	case at != nil && at.CanAttend:
		return "Attends: " + at.RepresentativeName + ", " + at.RepresentativeTitle + by
	case at != nil && by != "":
		return "Cannot attend" + by[:len(by)-1] + ", " + timefmt.Instant(at.AnsweredAt, ed.TimeZone) + ")"
	case at != nil:
		return "Cannot attend (answered " + timefmt.Instant(at.AnsweredAt, ed.TimeZone) + ")"
	case now.Before(ed.AttendanceDeadline()):
		return "Not answered yet"
	}
	return "Not answered by the deadline"
}

// Text says what the proposal does: the place, why its award goes, and to whom it went.
func (p *Proposal) Text() string {
	why := p.FromTitle + " cannot attend the ceremony."
	if p.Reason == ReasonInvalidated {
		why = p.FromTitle + "'s award is invalidated: " + p.Detail
	}
	text := edition.PlaceLabel(p.Place) + " (" + p.PrizeName + "): " + why
	switch {
	case p.Open():
	case p.To == 0:
		text += " No candidate was left to receive the place."
	default:
		text += " The place went to " + p.ToTitle + "."
	}
	return text
}

// Lines say the change's moves, one sentence each.
func (ch *Change) Lines() []string {
	var out []string
	for _, m := range ch.Moves {
		line := m.Title + " receives the " + edition.PlaceLabel(m.ToPlace) + " (" + m.ToPrize + ")"
		if m.FromAward != 0 {
			line = m.Title + " moves up from the " + edition.PlaceLabel(m.FromPlace) + " (" + m.FromPrize + ") to the " + edition.PlaceLabel(m.ToPlace) + " (" + m.ToPrize + ")"
		}
		out = append(out, line+".")
	}
	return out
}

// After lists the awards of cat as they will stand once the chair confirms the change, by
// place (DOMAIN.md "Round 3": the places go again down the final order): the moves, the
// standing awards that neither go nor move, and a line for the places no candidate is left
// to fill. list is the edition's awards.
func (ch *Change) After(list []Award, cat *edition.Category) []string {
	type line struct {
		place int
		text  string
	}
	going := map[int64]bool{}
	for _, p := range ch.Proposals {
		going[p.AwardID] = true
	}
	var after []line
	for _, m := range ch.Moves {
		going[m.FromAward] = true
		after = append(after, line{m.ToPlace, edition.PlaceLabel(m.ToPlace) + " (" + m.ToPrize + "): " + m.Title})
	}
	for _, a := range list {
		if a.CategoryID == cat.ID && a.Live() && !going[a.ID] {
			after = append(after, line{a.Place, edition.PlaceLabel(a.Place) + " (" + a.PrizeName + "): " + a.Title})
		}
	}
	slices.SortStableFunc(after, func(a, b line) int { return a.place - b.place })
	places := 0
	for _, p := range cat.Prizes {
		places += p.Count
	}
	var out []string
	for _, a := range after {
		out = append(out, a.text)
	}
	if n := places - len(after); n > 0 {
		out = append(out, fmt.Sprintf("%d place(s) stay empty: no candidate of the final order is left.", n))
	}
	return out
}

// allowedIn says whether user may act in edition (a role check made in SQL).
type allowedIn func(ctx context.Context, q db.DBTX, edition, user int64) (bool, error)

// allowedSomewhere is nil when actor holds one of roles in an edition where allowed says yes,
// refused otherwise: the award routes are theirs alone (403 for everyone else), before the
// object itself is loaded and checked with allowed again.
func allowedSomewhere(ctx context.Context, q db.DBTX, actor authz.Actor, allowed allowedIn, refused error, roles ...authz.Role) error {
	for _, g := range actor.Grants {
		if !slices.Contains(roles, g.Role) {
			continue
		}
		if ok, err := allowed(ctx, q, g.EditionID, actor.UserID); err != nil || ok {
			return err
		}
	}
	return refused
}

// allowedHere is nil when allowed says actor may act in edition, refused otherwise.
func allowedHere(ctx context.Context, q db.DBTX, actor authz.Actor, allowed allowedIn, refused error, edition int64) error {
	ok, err := allowed(ctx, q, edition, actor.UserID)
	if err == nil && !ok {
		err = refused
	}
	return err
}

// ChairOf is nil when actor decides as chair of the Prize Council of edition for one of its
// categories (the chair, or the deputy chair where the chair is conflicted: internal/deputy),
// ErrNotChair otherwise; with edition 0, of any edition where they hold the council role
// (DOMAIN.md "Round 3": the chair confirms the changes of the awards). ConfirmChange checks
// the category.
func ChairOf(ctx context.Context, q db.DBTX, actor authz.Actor, edition int64) error {
	if edition == 0 {
		return allowedSomewhere(ctx, q, actor, chairs, ErrNotChair, authz.RoleCouncil)
	}
	return allowedHere(ctx, q, actor, chairs, ErrNotChair, edition)
}

// chairs reports whether user decides as chair for a category of edition.
func chairs(ctx context.Context, q db.DBTX, edition, user int64) (bool, error) {
	ids, err := deputy.Decided(ctx, q, edition, authz.PostChair, user)
	return len(ids) > 0, err
}

// InvalidateAward checks and records actor's invalidation of award id with reason (DOMAIN.md
// "Round 3": "the committee or council may invalidate a prize (qualification not met, or
// disgrace)"). The actor must be the chair of the council or a committee head in some edition
// (ErrNotAllowed before the award is read) and in the award's edition (ErrNotAllowed again); the
// reason is required, at most MaxReason characters (field.Errors on "reason"); then Invalidate. The award
// comes back with every error but the first refusal and db.ErrNotFound.
func (s *Service) InvalidateAward(ctx context.Context, actor authz.Actor, id int64, reason string) (*Award, error) {
	if err := allowedSomewhere(ctx, s.Pool, actor, MayInvalidate, ErrNotAllowed, authz.RoleCouncil, authz.RoleCommitteeHead); err != nil {
		return nil, err
	}
	a, err := Get(ctx, s.Pool, id)
	if err != nil {
		return nil, err
	}
	if err := allowedHere(ctx, s.Pool, actor, MayInvalidate, ErrNotAllowed, a.EditionID); err != nil {
		return a, err
	}
	var errs field.Errors
	switch reason = strings.TrimSpace(reason); {
	case reason == "":
		errs.Add("reason", "Give the reason to invalidate "+a.Title+".")
	case utf8.RuneCountInString(reason) > MaxReason:
		errs.Add("reason", fmt.Sprintf("Keep the reason to %d characters.", MaxReason))
	}
	if errs.Any() {
		return a, errs
	}
	return a, fault.Reword(s.Invalidate(ctx, actor, a.ID, reason), invalidateChanged, ErrNotLive, ErrPending)
}
