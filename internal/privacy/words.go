package privacy

import (
	"strconv"

	"prizeportal/internal/i18n"
)

// What the confirmation pages of an erasure say (DOMAIN.md, "Data and publication": what was
// published stays published; everything else about the person goes). The words are texts for
// i18n.T.

// Reason says why an erasure keeps part of the entry, and which part.
func (k KeptEntry) Reason() string {
	switch {
	case k.Won != "" && k.Repository:
		return i18n.Msg("it is in the published results ({{.Won}}): its title and summary stay, and the organisation, city and country of the account, which the results name; the applicant consented to its publication in the best-practice repository: the published answers stay (never those marked confidential, never files), with the country of a project's account.", "Won", k.Won)
	case k.Won != "":
		return i18n.Msg("it is in the published results ({{.Won}}): its title and summary stay, and the organisation, city and country of the account, which the results name.", "Won", k.Won)
	case k.Repository:
		return i18n.M("the applicant consented to its publication in the best-practice repository: the published answers stay (never those marked confidential, never files), with the country of a project's account.")
	}
	return "."
}

// Heading names the entry: its title, or "Untitled entry".
func (k KeptEntry) Heading() string {
	if k.Title == "" {
		return i18n.M("Untitled entry")
	}
	return k.Title
}

// Items says, a sentence each, what erasing the address does to what it holds.
func (p AddressPlan) Items() []string {
	var items []string
	add := func(n int, one, many string) {
		switch {
		case n == 1:
			items = append(items, one)
		case n > 1:
			items = append(items, i18n.Msg(many, "Count", strconv.Itoa(n)))
		}
	}
	add(p.Letters, i18n.M("1 letter of recommendation they were asked for or wrote: the recommender's name, address, organisation, title, text and file go;"),
		i18n.M("{{.Count}} letters of recommendation they were asked for or wrote: the recommender's name, address, organisation, title, text and file go;"))
	add(p.Endorsements, i18n.M("1 endorsement they signed: their name, city, country and address go (a confirmed endorsement still counts);"),
		i18n.M("{{.Count}} endorsements they signed: their name, city, country and address go (confirmed endorsements still count);"))
	add(p.Invitations, i18n.M("1 invitation sent to them: the address, name, organisation and message go;"),
		i18n.M("{{.Count}} invitations sent to them: the address, name, organisation and message go;"))
	add(p.Anonymised, i18n.M("1 nomination of which they are the candidate: it stays its nominator's, without anything about them;"),
		i18n.M("{{.Count}} nominations of which they are the candidate: they stay their nominators', without anything about them;"))
	add(p.Emails, i18n.M("1 email sent to them: the record that it was sent stays, without address, subject or content;"),
		i18n.M("{{.Count}} emails sent to them: the records that they were sent stay, without address, subject or content;"))
	return items
}
