package views

import (
	"time"

	"prizeportal/internal/clarify"
	"prizeportal/internal/i18n"
	"prizeportal/internal/nomination"
	"prizeportal/web/pages"
)

// LetterTimes are the moments of letter l so far, in loc: invited (followed by after), opened,
// received.
func LetterTimes(l *nomination.Letter, loc *time.Location, after ...pages.Fact) []pages.Fact {
	out := append([]pages.Fact{{Label: i18n.M("Invited"), Value: i18n.Instant(l.InvitedAt, loc)}}, after...)
	if l.OpenedAt != nil {
		out = append(out, pages.Fact{Label: i18n.M("Opened"), Value: i18n.Instant(*l.OpenedAt, loc)})
	}
	if l.ReceivedAt != nil {
		out = append(out, pages.Fact{Label: i18n.M("Received"), Value: i18n.Instant(*l.ReceivedAt, loc)})
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
		candidate = i18n.Msg("{{.Candidate}} (heads an organisation)", "Candidate", candidate)
	}
	v.Facts = []pages.Fact{
		{Label: i18n.M("Candidate"), Value: candidate},
		{Label: i18n.M("Nominator"), Value: nomination.NominatorLabel(&n)},
		{Label: i18n.M("Invited recommender"), Value: l.InvitedName + " (" + l.InvitedEmail + "), " + l.InvitedOrganisation},
		{Label: i18n.M("Status"), Value: l.Status.Label()},
	}
	v.Facts = append(v.Facts, LetterTimes(l, loc, pages.Fact{Label: i18n.M("Letters due by"), Value: i18n.End(rules.LetterDeadline, loc)})...)
	if n.Override != "" {
		v.Facts = append(v.Facts, pages.Fact{Label: i18n.M("Same-organisation exception"), Value: n.Override})
	}
	if n.LetterConflict() {
		v.Warning = i18n.M("The candidate heads an organisation and the recommender declared the same organisation, so this letter does not count (guidelines §6) unless the secretariat accepts an exception.")
	}
	if l.Status == nomination.LetterReceived {
		category := l.RecommenderCategory
		if c, ok := rules.Category(category); ok {
			category = c.Name
		}
		v.Declared = []pages.Fact{
			{Label: i18n.M("Name"), Value: l.RecommenderName},
			{Label: i18n.M("Title"), Value: l.RecommenderTitle},
			{Label: i18n.M("Organisation"), Value: l.RecommenderOrganisation},
			{Label: i18n.M("Category"), Value: category},
		}
		v.Paragraphs = clarify.Paragraphs(l.Text)
		if p.File != nil {
			v.FileHref, v.FileName = base+"/letter/file", p.File.Name
		}
	}
	return v
}
