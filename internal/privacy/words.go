package privacy

import (
	"strconv"
	"strings"
)

// What the confirmation pages of an erasure say (DOMAIN.md, "Data and publication": what was
// published stays published; everything else about the person goes).

// Reason says why an erasure keeps part of the entry, and which part.
func (k KeptEntry) Reason() string {
	var why []string
	if k.Won != "" {
		why = append(why, "it is in the published results ("+k.Won+"): its title and summary stay, and the organisation, city and country of the account, which the results name")
	}
	if k.Repository {
		why = append(why, "the applicant consented to its publication in the best-practice repository: the published answers stay (never those marked confidential, never files), with the country of a project's account")
	}
	return strings.Join(why, "; ") + "."
}

// Heading names the entry: its title, or "Untitled entry".
func (k KeptEntry) Heading() string {
	if k.Title == "" {
		return "Untitled entry"
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
			items = append(items, strings.Replace(many, "N", strconv.Itoa(n), 1))
		}
	}
	add(p.Letters, "1 letter of recommendation they were asked for or wrote: the recommender's name, address, organisation, title, text and file go;",
		"N letters of recommendation they were asked for or wrote: the recommender's name, address, organisation, title, text and file go;")
	add(p.Endorsements, "1 endorsement they signed: their name, city, country and address go (a confirmed endorsement still counts);",
		"N endorsements they signed: their name, city, country and address go (confirmed endorsements still count);")
	add(p.Invitations, "1 invitation sent to them: the address, name, organisation and message go;",
		"N invitations sent to them: the address, name, organisation and message go;")
	add(p.Anonymised, "1 nomination of which they are the candidate: it stays its nominator's, without anything about them;",
		"N nominations of which they are the candidate: they stay their nominators', without anything about them;")
	add(p.Emails, "1 email sent to them: the record that it was sent stays, without address, subject or content;",
		"N emails sent to them: the records that they were sent stay, without address, subject or content;")
	return items
}
