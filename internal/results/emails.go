package results

import (
	"strconv"

	"prizeportal/internal/i18n"

	"prizeportal/internal/blocks/timefmt"
	"prizeportal/internal/edition"
	"prizeportal/internal/notify"
	"prizeportal/internal/notify/emails"
	"prizeportal/internal/notify/wording"
)

// Path is the address of ed's public results page.
func Path(ed *edition.Edition) string { return "/editions/" + ed.Slug + "/results" }

// VideoPath is the address of an award's ceremony video page.
func VideoPath(awardID int64) string { return "/awards/" + strconv.FormatInt(awardID, 10) + "/video" }

// The link line and note of the winner's emails to a nomination's candidate (the registry's
// "-candidate" versions), who has no account: their private page (CandidatePath).
const (
	CandidatePageLabel = "Your private page for the ceremony, no account needed"
	CandidateNote      = "The link is personal: please do not forward it. The person who nominated you can also answer, signed in to the portal; each of you sees what the other gave."
	videoNote          = "Upload the video to a video or file-sharing service and give us its link; we do not accept video files by email."
)

// toCandidate reports whether rc is a winning nomination's candidate with a private page.
func toCandidate(rc Recipient) bool { return rc.Candidate && rc.Private != "" }

// CandidateKey is the wording key of an email of key as sent to a nomination's candidate.
func CandidateKey(key string) string { return key + "-candidate" }

// entryWhat names a recipient's entry in an email: "your application “Title”" or "your
// nomination of Name", carried for the reader's language (i18n.English is the English).
func entryWhat(rc Recipient) string {
	if rc.Kind == "nomination" {
		return i18n.Msg("your nomination of {{.Candidate}}", "Candidate", rc.Title)
	}
	if rc.Title != "" {
		return i18n.Msg("your application “{{.Title}}”", "Title", rc.Title)
	}
	return i18n.M("your application")
}

// placesInSentence name the first ten places inside a sentence ("the Grand Prize (first place)").
var placesInSentence = [...]string{
	i18n.M("first place"), i18n.M("second place"), i18n.M("third place"), i18n.M("fourth place"), i18n.M("fifth place"),
	i18n.M("sixth place"), i18n.M("seventh place"), i18n.M("eighth place"), i18n.M("ninth place"), i18n.M("tenth place"),
}

// PlaceInSentence is edition.PlaceLabel in lower case, carried for the reader's language (an
// email's {{place}}).
func PlaceInSentence(place int) string {
	if place >= 1 && place <= len(placesInSentence) {
		return placesInSentence[place-1]
	}
	return i18n.Msg("place {{.Place}}", "Place", strconv.Itoa(place))
}

// OutcomeEmail tells a confirmed semi-finalist of cat whether it is among the winners
// (DOMAIN.md "Round 3": winners are announced on the website).
func OutcomeEmail(site emails.Site, ed *edition.Edition, cat *edition.Category, rc Recipient) notify.Message {
	entry := entryWhat(rc)
	what := i18n.English(entry)
	v := emails.ActionEmail{Meta: site.Meta(ed), Greeting: "Dear " + rc.Name + ",", ActionLabel: "See the winners",
		ActionURL: site.URL(Path(ed))}
	values := wording.Values{wording.ApplicantName: rc.Name, wording.EditionName: ed.Name, wording.Entry: entry,
		wording.Category: cat.Name, wording.Link: v.ActionURL}
	var m notify.Message
	if rc.Winner() {
		values[wording.Prize], values[wording.Place] = rc.Prize, PlaceInSentence(rc.Place)
		values[wording.CeremonyWindow] = i18n.Window(ed.Schedule.Ceremony.Start, ed.Schedule.Ceremony.End, ed.TimeZone)
		v.Title = "You are a winner"
		v.Paragraphs = []string{
			"We are delighted to tell you that the Prize Council has awarded " + what + " the " + rc.Prize +
				" (" + i18n.English(values[wording.Place]) + ") in the " + cat.Name + " category.",
			"The prize ceremony takes place " + i18n.English(values[wording.CeremonyWindow]) + ". We will write to you about it separately.",
		}
		if toCandidate(rc) {
			v.ActionLabel, v.ActionURL, v.Note = CandidatePageLabel, site.URL(rc.Private), CandidateNote
			values[wording.Link] = v.ActionURL
		}
		m = emails.ActionMessage("results-winner", rc.Email, rc.Name, ed.Name+": you won the "+rc.Prize, rc.UserID, v)
	} else {
		values[wording.ContactEmail] = ed.ContactEmail
		v.Title = "The winners are announced"
		v.Paragraphs = []string{
			"The Prize Council has chosen the winners of the " + cat.Name + " category. We are sorry to tell you that " + what + " is not among the winners.",
			"Being a semi-finalist is a distinction in itself: thank you for taking part in the prize. If you have questions, write to " + ed.ContactEmail + ".",
		}
		m = emails.ActionMessage("results-outcome", rc.Email, rc.Name, ed.Name+": the winners are announced", rc.UserID, v)
	}
	m.Wording = site.Wording(ed, wordingKey(m.Kind, rc), values)
	return m
}

// wordingKey is the registry key of an email of kind to rc.
func wordingKey(kind string, rc Recipient) string {
	if toCandidate(rc) {
		return CandidateKey(kind)
	}
	return kind
}

// VideoEmail asks a winner of cat for their ceremony video (stage StageRequest) or reminds them
// of it before VideoDeadline (DOMAIN.md "Round 3": winners are asked to submit a video of their
// project for the ceremony).
func VideoEmail(site emails.Site, ed *edition.Edition, cat *edition.Category, rc Recipient, stage string) notify.Message {
	deadline := timefmt.End(VideoDeadline(ed), ed.TimeZone)
	// the values as the reader's language shows them (the paragraphs below: their English)
	v := emails.ActionEmail{Meta: site.Meta(ed), Greeting: "Dear " + rc.Name + ",", ActionLabel: "Give the link to your video",
		ActionURL: site.URL(VideoPath(rc.AwardID)),
		Note:      "Sign in with your account to give the link. " + videoNote}
	if toCandidate(rc) {
		v.ActionURL, v.Note = site.URL(rc.Private), CandidateNote+" "+videoNote
	}
	values := wording.Values{wording.ApplicantName: rc.Name, wording.Prize: rc.Prize, wording.Category: cat.Name,
		wording.Deadline: i18n.End(VideoDeadline(ed), ed.TimeZone), wording.Link: v.ActionURL}
	var m notify.Message
	if stage == StageRequest {
		values[wording.EditionName], values[wording.Entry] = ed.Name, entryWhat(rc)
		values[wording.CeremonyWindow] = i18n.Window(ed.Schedule.Ceremony.Start, ed.Schedule.Ceremony.End, ed.TimeZone)
		v.Title = "Your video for the prize ceremony"
		v.Paragraphs = []string{
			"Congratulations on the " + rc.Prize + " in the " + cat.Name + " category for " + i18n.English(entryWhat(rc)) + ".",
			"The ceremony (" + i18n.English(values[wording.CeremonyWindow]) + ") shows a short video of each winner. Please give us the link to yours by " + deadline + ".",
		}
		m = emails.ActionMessage("video-request", rc.Email, rc.Name, ed.Name+": your video for the ceremony, by "+deadline, rc.UserID, v)
	} else {
		values[wording.EndsIn] = "in three days"
		if stage == Stage1Day {
			values[wording.EndsIn] = "within a day"
		}
		v.Title = "Reminder: your video for the prize ceremony"
		v.Paragraphs = []string{
			"The deadline for your ceremony video ends " + values[wording.EndsIn] + ", on " + deadline + ", and we have no link to it yet.",
			"Please give us the link to your video for the " + rc.Prize + " (" + cat.Name + ").",
		}
		m = emails.ActionMessage("video-reminder", rc.Email, rc.Name, "Reminder: your ceremony video by "+deadline, rc.UserID, v)
	}
	if stage != StageRequest {
		// the wait as the reader's language shows it (English: the text above)
		values[wording.EndsIn] = i18n.M("in three days")
		if stage == Stage1Day {
			values[wording.EndsIn] = i18n.M("within a day")
		}
	}
	m.Wording = site.Wording(ed, wordingKey(m.Kind, rc), values)
	return m
}
