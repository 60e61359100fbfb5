package results

import (
	"strconv"
	"strings"

	"prizeportal/internal/blocks/timefmt"
	"prizeportal/internal/edition"
	"prizeportal/internal/notify"
	"prizeportal/internal/notify/emails"
)

// Path is the address of ed's public results page.
func Path(ed *edition.Edition) string { return "/editions/" + ed.Slug + "/results" }

// VideoPath is the address of an award's ceremony video page.
func VideoPath(awardID int64) string { return "/awards/" + strconv.FormatInt(awardID, 10) + "/video" }

// entryWhat names a recipient's entry in an email: "your application “Title”" or "your
// nomination of Name".
func entryWhat(rc Recipient) string {
	if rc.Kind == "nomination" {
		return "your nomination of " + rc.Title
	}
	if rc.Title != "" {
		return "your application “" + rc.Title + "”"
	}
	return "your application"
}

// OutcomeEmail tells a confirmed semi-finalist of cat whether it is among the winners
// (DOMAIN.md "Round 3": winners are announced on the website).
func OutcomeEmail(site emails.Site, ed *edition.Edition, cat *edition.Category, rc Recipient) notify.Message {
	what := entryWhat(rc)
	v := emails.ActionEmail{Meta: site.Meta(ed), Greeting: "Dear " + rc.Name + ",", ActionLabel: "See the winners",
		ActionURL: site.URL(Path(ed))}
	if rc.Winner() {
		v.Title = "You are a winner"
		v.Paragraphs = []string{
			"We are delighted to tell you that the Prize Council has awarded " + what + " the " + rc.Prize +
				" (" + strings.ToLower(edition.PlaceLabel(rc.Place)) + ") in the " + cat.Name + " category.",
			"The prize ceremony takes place " + timefmt.Window(ed.Schedule.Ceremony.Start, ed.Schedule.Ceremony.End, ed.TimeZone) + ". We will write to you about it separately.",
		}
		return emails.ActionMessage("results-winner", rc.Email, rc.Name, ed.Name+": you won the "+rc.Prize, rc.UserID, v)
	}
	v.Title = "The winners are announced"
	v.Paragraphs = []string{
		"The Prize Council has chosen the winners of the " + cat.Name + " category. We are sorry to tell you that " + what + " is not among the winners.",
		"Being a semi-finalist is a distinction in itself: thank you for taking part in the prize. If you have questions, write to " + ed.ContactEmail + ".",
	}
	return emails.ActionMessage("results-outcome", rc.Email, rc.Name, ed.Name+": the winners are announced", rc.UserID, v)
}

// VideoEmail asks a winner of cat for their ceremony video (stage StageRequest) or reminds them
// of it before VideoDeadline (DOMAIN.md "Round 3": winners are asked to submit a video of their
// project for the ceremony).
func VideoEmail(site emails.Site, ed *edition.Edition, cat *edition.Category, rc Recipient, stage string) notify.Message {
	deadline := timefmt.End(VideoDeadline(ed), ed.TimeZone)
	v := emails.ActionEmail{Meta: site.Meta(ed), Greeting: "Dear " + rc.Name + ",", ActionLabel: "Give the link to your video",
		ActionURL: site.URL(VideoPath(rc.AwardID)),
		Note:      "Sign in with your account to give the link. Upload the video to a video or file-sharing service and give us its link; we do not accept video files by email."}
	if stage == StageRequest {
		v.Title = "Your video for the prize ceremony"
		v.Paragraphs = []string{
			"Congratulations on the " + rc.Prize + " in the " + cat.Name + " category for " + entryWhat(rc) + ".",
			"The ceremony (" + timefmt.Window(ed.Schedule.Ceremony.Start, ed.Schedule.Ceremony.End, ed.TimeZone) + ") shows a short video of each winner. Please give us the link to yours by " + deadline + ".",
		}
		return emails.ActionMessage("video-request", rc.Email, rc.Name, ed.Name+": your video for the ceremony, by "+deadline, rc.UserID, v)
	}
	when := "in three days"
	if stage == Stage1Day {
		when = "within a day"
	}
	v.Title = "Reminder: your video for the prize ceremony"
	v.Paragraphs = []string{
		"The deadline for your ceremony video ends " + when + ", on " + deadline + ", and we have no link to it yet.",
		"Please give us the link to your video for the " + rc.Prize + " (" + cat.Name + ").",
	}
	return emails.ActionMessage("video-reminder", rc.Email, rc.Name, "Reminder: your ceremony video by "+deadline, rc.UserID, v)
}
