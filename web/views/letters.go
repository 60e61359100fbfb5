package views

import (
	"time"

	"prizeportal/internal/blocks/timefmt"
	"prizeportal/internal/clarify"
	"prizeportal/internal/nomination"
	"prizeportal/web/pages"
)

// LetterTimes are the moments of letter l so far, in loc: invited (followed by after), opened,
// received.
func LetterTimes(l *nomination.Letter, loc *time.Location, after ...pages.Fact) []pages.Fact {
	out := append([]pages.Fact{{Label: "Invited", Value: timefmt.Instant(l.InvitedAt, loc)}}, after...)
	if l.OpenedAt != nil {
		out = append(out, pages.Fact{Label: "Opened", Value: timefmt.Instant(*l.OpenedAt, loc)})
	}
	if l.ReceivedAt != nil {
		out = append(out, pages.Fact{Label: "Received", Value: timefmt.Instant(*l.ReceivedAt, loc)})
	}
	return out
}

// SecretariatLetter is the secretariat's page of p's letter, with its PDF file if any,
// without its Page. No I/O.
func SecretariatLetter(p nomination.LetterPage) pages.SecretariatLetterView {
	n, rules, loc := p.Nomination, p.Rules(), p.Edition.TimeZone
	base := StaffNominationHref(n.ApplicationID)
	v := pages.SecretariatLetterView{Candidate: n.CandidateName,
		Back: base, None: n.Letter == nil}
	l := n.Letter
	if l == nil {
		return v
	}
	candidate := n.CandidateName + ", " + n.CandidatePosition + ", " + n.CandidateOrganisation
	if n.CandidateIsHead {
		candidate += " (heads an organisation)"
	}
	v.Facts = []pages.Fact{
		{Label: "Candidate", Value: candidate},
		{Label: "Nominator", Value: nomination.NominatorLabel(&n)},
		{Label: "Invited recommender", Value: l.InvitedName + " (" + l.InvitedEmail + "), " + l.InvitedOrganisation},
		{Label: "Status", Value: l.Status.Label()},
	}
	v.Facts = append(v.Facts, LetterTimes(l, loc, pages.Fact{Label: "Letters due by", Value: timefmt.End(rules.LetterDeadline, loc)})...)
	if n.Override != "" {
		v.Facts = append(v.Facts, pages.Fact{Label: "Same-organisation exception", Value: n.Override})
	}
	if n.LetterConflict() {
		v.Warning = "The candidate heads an organisation and the recommender declared the same organisation, so this letter does not count (guidelines §6) unless the secretariat accepts an exception."
	}
	if l.Status == nomination.LetterReceived {
		category := l.RecommenderCategory
		if c, ok := rules.Category(category); ok {
			category = c.Name
		}
		v.Declared = []pages.Fact{
			{Label: "Name", Value: l.RecommenderName},
			{Label: "Title", Value: l.RecommenderTitle},
			{Label: "Organisation", Value: l.RecommenderOrganisation},
			{Label: "Category", Value: category},
		}
		v.Paragraphs = clarify.Paragraphs(l.Text)
		if p.File != nil {
			v.FileHref, v.FileName = base+"/letter/file", p.File.Name
		}
	}
	return v
}
