package ranking

import (
	"strings"

	"prizeportal/internal/blocks/timefmt"
	"prizeportal/internal/edition"
	"prizeportal/internal/notify"
	"prizeportal/internal/notify/emails"
	"prizeportal/internal/notify/wording"
)

// PublicPath is the public page of edition ed's semi-finalists.
func PublicPath(ed *edition.Edition) string { return "/editions/" + ed.Slug + "/semi-finalists" }

// outcomeEmail tells the applicant (a nomination's nominator) of a round 2 entry of category cat
// whether it is a semi-finalist; queued on confirmation for the announcement.
func (s *Service) outcomeEmail(ed *edition.Edition, cat *edition.Category, rc Recipient) notify.Message {
	what := "your application"
	if rc.Title != "" {
		what = "your application “" + rc.Title + "”"
	}
	if rc.Kind == "nomination" {
		what = "your nomination (" + strings.TrimPrefix(rc.Title, "Nomination of ") + ")"
	}
	v := emails.ActionEmail{Meta: s.Site.Meta(ed), Greeting: "Dear " + rc.Name + ",", ActionLabel: "See the semi-finalists",
		ActionURL: s.Site.URL(PublicPath(ed))}
	values := wording.Values{wording.ApplicantName: rc.Name, wording.EditionName: ed.Name, wording.Entry: what,
		wording.Category: cat.Name, wording.Link: v.ActionURL}
	var m notify.Message
	if rc.SemiFinalist {
		values[wording.VotingWindow] = timefmt.Window(ed.Schedule.Voting.Start, ed.Schedule.Voting.End, ed.TimeZone)
		values[wording.AnnouncedOn] = timefmt.Instant(ed.Schedule.WinnersAnnounced, ed.TimeZone)
		v.Title = "You are a semi-finalist"
		v.Paragraphs = []string{
			"We are pleased to tell you that the Evaluation Committee has selected " + what + " as a semi-finalist in the " + cat.Name + " category.",
			"The Prize Council now reviews the semi-finalists " + values[wording.VotingWindow] +
				"; the winners are announced on " + values[wording.AnnouncedOn] + ".",
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
