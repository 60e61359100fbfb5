package authz

import (
	"prizeportal/internal/blocks/fault"
	"prizeportal/internal/i18n"
)

// The posts that decide per category and have a deputy (DOMAIN.md "People and roles": no one
// judges an entry they are tied to): the committee head proposes and confirms a category's
// semi-finalists, the council chair closes its vote, decides its ties and confirms its winners.
const (
	PostHead  = "committee_head"
	PostChair = "chair"
)

// PostLabel names post for people: "head of the Evaluation Committee" or "chair of the Prize Council".
func PostLabel(post string) string { return i18n.English(postText(post)) }

// postText is PostLabel marked for translation (i18n.M), a value of the refusals.
func postText(post string) string {
	if post == PostChair {
		return i18n.M("chair of the Prize Council")
	}
	return i18n.M("head of the Evaluation Committee")
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
func (s Seat) Refusal(actor Actor) string { return i18n.English(s.RefusalText(actor)) }

// RefusalText is Refusal carried for the reader's language (i18n.Msg): what the pages show.
func (s Seat) RefusalText(actor Actor) string {
	post := postText(s.Post)
	switch {
	case s.Decides(actor):
		return ""
	case actor.UserID == s.HolderID && s.Deputised():
		return i18n.Msg("You have a conflict of interest with an entry of the {{.Category}} category: {{.Deputy}}, deputy {{.Post}}, decides for it in your place.",
			"Category", s.Category, "Deputy", s.DeputyName, "Post", post)
	case actor.UserID == s.HolderID && s.DeputyID == 0:
		return i18n.Msg("You have a conflict of interest with an entry of the {{.Category}} category: a deputy {{.Post}} must be named on the jury page to decide for it.",
			"Category", s.Category, "Post", post)
	case actor.UserID == s.HolderID || (actor.UserID == s.DeputyID && s.HolderConflicted):
		return i18n.Msg("Both the {{.Post}} and the deputy have a conflict of interest with an entry of the {{.Category}} category: another deputy must be named on the jury page to decide for it.",
			"Category", s.Category, "Post", post)
	case actor.UserID == s.DeputyID:
		return i18n.Msg("The {{.Post}} decides for the {{.Category}} category: the deputy decides only where the {{.Post}} has a conflict of interest with an entry of the category.",
			"Category", s.Category, "Post", post)
	}
	return i18n.Msg("Only the {{.Post}} decides for the {{.Category}} category.", "Category", s.Category, "Post", post)
}

// MayDecide is nil when actor decides for the category, else authz.ErrForbidden with Refusal.
func (s Seat) MayDecide(actor Actor) error {
	if msg := s.Refusal(actor); msg != "" { // in English; the pages show RefusalText
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
