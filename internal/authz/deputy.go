package authz

import "prizeportal/internal/blocks/fault"

// The posts that decide per category and have a deputy (DOMAIN.md "People and roles": no one
// judges an entry they are tied to): the committee head proposes and confirms a category's
// semi-finalists, the council chair closes its vote, decides its ties and confirms its winners.
const (
	PostHead  = "committee_head"
	PostChair = "chair"
)

// PostLabel names post for people: "head of the Evaluation Committee" or "chair of the Prize Council".
func PostLabel(post string) string {
	if post == PostChair {
		return "chair of the Prize Council"
	}
	return "head of the Evaluation Committee"
}

// Seat says who decides for one category of an edition in post: the holder of the post unless
// they are conflicted with an entry of the category; then the deputy the edition names, unless
// there is none or they are conflicted too, and then nobody until a deputy is named. It is
// loaded by one SQL query (view category_deciders, internal/deputy), which the writes repeat as
// their filter.
type Seat struct {
	Post             string
	Category         string // the category's name
	HolderID         int64
	HolderName       string
	HolderConflicted bool
	DeputyID         int64 // 0: no deputy named
	DeputyName       string
	DeputyConflicted bool
}

// Decider is who decides for the category (0: nobody may).
func (s Seat) Decider() int64 {
	switch {
	case !s.HolderConflicted:
		return s.HolderID
	case s.DeputyID != 0 && !s.DeputyConflicted:
		return s.DeputyID
	}
	return 0
}

// Deputised reports whether the deputy decides for the category in the holder's place.
func (s Seat) Deputised() bool { return s.DeputyID != 0 && s.Decider() == s.DeputyID }

// Decides reports whether actor decides for the category.
func (s Seat) Decides(actor Actor) bool { return actor.UserID != 0 && s.Decider() == actor.UserID }

// Refusal is why actor may not decide for the category, in words for them ("" when they may).
func (s Seat) Refusal(actor Actor) string {
	label := PostLabel(s.Post)
	switch {
	case s.Decides(actor):
		return ""
	case actor.UserID == s.HolderID && s.Deputised():
		return "You have a conflict of interest with an entry of the " + s.Category + " category: " + s.DeputyName +
			", deputy " + label + ", decides for it in your place."
	case actor.UserID == s.HolderID && s.DeputyID == 0:
		return "You have a conflict of interest with an entry of the " + s.Category + " category: a deputy " + label +
			" must be named on the jury page to decide for it."
	case actor.UserID == s.HolderID || (actor.UserID == s.DeputyID && s.HolderConflicted):
		return "Both the " + label + " and the deputy have a conflict of interest with an entry of the " + s.Category +
			" category: another deputy must be named on the jury page to decide for it."
	case actor.UserID == s.DeputyID:
		return "The " + label + " decides for the " + s.Category + " category: the deputy decides only where the " + label +
			" has a conflict of interest with an entry of the category."
	}
	return "Only the " + label + " decides for the " + s.Category + " category."
}

// MayDecide is nil when actor decides for the category, else authz.ErrForbidden with Refusal.
func (s Seat) MayDecide(actor Actor) error {
	if msg := s.Refusal(actor); msg != "" {
		return fault.Wrap(fault.Forbidden, msg, ErrForbidden)
	}
	return nil
}

// Note is what the record of the category's decisions says when decider, who made them, is the
// deputy: "Decided by D, deputy chair of the Prize Council, because the chair of the Prize
// Council, H, has a conflict of interest with an entry of this category." ("" otherwise).
func (s Seat) Note(decider int64) string {
	if decider == 0 || decider != s.DeputyID || decider == s.HolderID {
		return ""
	}
	label := PostLabel(s.Post)
	return "Decided by " + s.DeputyName + ", deputy " + label + ", because the " + label + ", " + s.HolderName +
		", has a conflict of interest with an entry of this category."
}
