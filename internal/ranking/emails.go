package ranking

import (
	"strings"

	"prizeportal/internal/edition"
	"prizeportal/internal/i18n"
	"prizeportal/internal/notify"
	"prizeportal/internal/notify/emails"
	"prizeportal/internal/notify/wording"
)

// PublicPath is the public page of edition ed's semi-finalists.
func PublicPath(ed *edition.Edition) string { return "/editions/" + ed.Slug + "/semi-finalists" }

// outcomeEmail tells the applicant (a nomination's nominator) of a round 2 entry of category cat
// whether it is a semi-finalist; queued on confirmation for the announcement.
func (s *Service) outcomeEmail(ed *edition.Edition, cat *edition.Category, rc Recipient) notify.Message {
	// the entry as the reader's language names it (the paragraphs below: its English)
	entry := i18n.M("your application")
	if rc.Title != "" {
		entry = i18n.Msg("your application “{{.Title}}”", "Title", rc.Title)
	}
	if rc.Kind == "nomination" {
		entry = i18n.Msg("your nomination ({{.Candidate}})", "Candidate", strings.TrimPrefix(rc.Title, "Nomination of "))
	}
	what := i18n.English(entry)
	v := emails.ActionEmail{Meta: s.Site.Meta(ed), Greeting: "Dear " + rc.Name + ",", ActionLabel: "See the semi-finalists",
		ActionURL: s.Site.URL(PublicPath(ed))}
	if !ed.Publication.SemiFinalistsList { // the edition does not publish the lists: no link to them
		v.ActionLabel, v.ActionURL = "About the prize", s.Site.URL("/editions/"+ed.Slug)
	}
	values := wording.Values{wording.ApplicantName: rc.Name, wording.EditionName: ed.Name, wording.Entry: entry,
		wording.Category: cat.Name, wording.Link: v.ActionURL}
	var m notify.Message
	if rc.SemiFinalist {
		values[wording.VotingWindow] = i18n.Window(ed.Schedule.Voting.Start, ed.Schedule.Voting.End, ed.TimeZone)
		values[wording.AnnouncedOn] = i18n.Instant(ed.Schedule.WinnersAnnounced, ed.TimeZone)
		v.Title = "You are a semi-finalist"
		v.Paragraphs = []string{
			"We are pleased to tell you that the Evaluation Committee has selected " + what + " as a semi-finalist in the " + cat.Name + " category.",
			"The Prize Council now reviews the semi-finalists " + i18n.English(values[wording.VotingWindow]) +
				"; the winners are announced on " + i18n.English(values[wording.AnnouncedOn]) + ".",
		}
		m = emails.ActionMessage("semi-finalist", rc.Email, rc.Name, ed.Name+": you are a semi-finalist", rc.UserID, v)
	} else {
		values[wording.ContactEmail] = ed.ContactEmail
		v.Title = "The semi-finalists are announced"
		v.Paragraphs = []string{
			"The Evaluation Committee has scored every eligible entry of the " + cat.Name + " category. We are sorry to tell you that " + what + " is not among the semi-finalists.",
			"Thank you for taking part in the prize. If you have questions, write to " + ed.ContactEmail + ".",
		}
		m = emails.ActionMessage("not-semi-finalist", rc.Email, rc.Name, ed.Name+": the semi-finalists are announced", rc.UserID, v)
	}
	m.Wording = s.Site.Wording(ed, m.Kind, values)
	return m
}
