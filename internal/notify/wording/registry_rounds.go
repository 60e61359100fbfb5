package wording

import (
	"strings"

	"prizeportal/internal/i18n"
)

// The placeholders of the emails of rounds 2 and 3 (semi-finalists, winners, videos, awards) and
// of the committee's and secretariat's reminders and notices.
const (
	Prize          Placeholder = "prize"
	Place          Placeholder = "place"
	VotingWindow   Placeholder = "voting_window"
	CeremonyWindow Placeholder = "ceremony_window"
	EndsIn         Placeholder = "ends_in"
	Sheets         Placeholder = "sheets"
	Entries        Placeholder = "entries"
	Have           Placeholder = "have"
	EntryNumber    Placeholder = "entry_number"
	AskedOn        Placeholder = "asked_on"
	AnsweredOn     Placeholder = "answered_on"
	Documents      Placeholder = "documents"
	Amended        Placeholder = "amended"
)

// The placeholders shared by several emails of the rounds.
var (
	paramContact        = Param{ContactEmail, i18n.M("the edition's contact address"), "secretariat@example.org"}
	paramSemiLink       = Param{Link, i18n.M("the public page of the semi-finalists"), "https://portal.example.org/editions/seoul-2026/semi-finalists"}
	paramWinnersLink    = Param{Link, i18n.M("the public page of the results"), "https://portal.example.org/editions/seoul-2026/results"}
	paramVideoLink      = Param{Link, i18n.M("the page to give the link to the video"), "https://portal.example.org/awards/4/video"}
	paramPrize          = Param{Prize, i18n.M("the prize's name"), "Grand Prize"}
	paramCeremonyWindow = Param{CeremonyWindow, i18n.M("when the prize ceremony takes place (its dates, in the edition's time zone)"), "28–30 October 2026"}
	paramVideoDeadline  = Param{Deadline, i18n.M("the last minute to give the link to the video, with the time zone"), "30 September 2026, 23:59 KST (Asia/Seoul time)"}
	paramEndsIn         = Param{EndsIn, i18n.M("\"in three days\" or \"within a day\""), "in three days"}
	paramScoringEnd     = Param{Deadline, i18n.M("the last minute to submit score sheets, with the time zone"), "31 July 2026, 23:59 KST (Asia/Seoul time)"}
	paramSheets         = Param{Sheets, i18n.M("the number of unfinished score sheets, counted: \"1 score sheet\", \"2 score sheets\""), "2 score sheets"}
	paramEntries        = Param{Entries, i18n.M("the number of entries without a submitted score sheet, counted: \"1 entry\", \"2 entries\""), "2 entries"}
	paramHave           = Param{Have, i18n.Msg("\"has\" for one entry, \"have\" for several (to agree with {{.Entries}})", "Entries", Param{Name: Entries}.Tag()), "have"}
	paramScoringLink    = Param{Link, i18n.M("the evaluator's list of entries"), "https://portal.example.org/scoring"}
	paramSemiEntry      = Param{Entry, i18n.M("\"your application\" with its title, or \"your nomination\" with the candidate's name in brackets"),
		"your application \u201cSmart Crosswalks for Safer Streets\u201d"}
	paramWinnerEntry = Param{Entry, i18n.M("\"your application\" with its title, or \"your nomination of\" and the candidate's name"),
		"your application \u201cSmart Crosswalks for Safer Streets\u201d"}
	paramPlace           = Param{Place, i18n.M("the place, in words"), "first place"}
	paramSuccessorEntry  = Param{Project, i18n.M("the entry's title"), "Smart Crosswalks for Safer Streets"}
	scoringReminderParam = []Param{paramName, paramEdition, paramSheets, paramEntries, paramHave, paramScoringEnd, paramScoringLink}
)

// Paragraphs shared by several emails' default wording (constants: each body is a catalog key).
const (
	successorIntro      = "The {{prize}} ({{place}}) of {{category}}, {{edition_name}}, passes to your entry {{project}}: an entry ranked before it cannot receive its prize. The Prize Council's chair confirmed the new result.\n\n"
	videoNote           = "Sign in with your account to give the link. Upload the video to a video or file-sharing service and give us its link; we do not accept video files by email."
	scoringReminderRest = " {{entries}} assigned to you {{have}} no submitted score sheet yet.\n\nPlease score them and submit your sheets by {{deadline}}.\n\nOpen your entries:\n{{link}}"
)

// roundEmails are the emails of rounds 2 and 3 and the reminders and notices of the committee
// and the secretariat, in the order of the rounds.
var roundEmails = []Email{
	{
		Key: "clarification-answer", Name: i18n.M("Clarification answered (to the secretariat)"),
		About:   i18n.M("Sent to the edition's contact address when an applicant answers a request for clarification; it says nothing of the answer's content."),
		Subject: i18n.M("Clarification answered: entry {{entry_number}} ({{edition_name}})"),
		Body: i18n.M("Dear secretariat,\n\n" +
			"The answer to the clarification asked on {{asked_on}} about entry {{entry_number}} ({{project}}) arrived on {{answered_on}}.\n\n" +
			"{{documents}}{{amended}}" +
			"Open the entry's clarifications:\n{{link}}"),
		Params: []Param{paramEdition,
			{EntryNumber, i18n.M("the entry's number"), "12"},
			{Project, i18n.M("the entry's title (\"Your entry\" when it has none)"), "Smart Crosswalks for Safer Streets"},
			{AskedOn, i18n.M("when the question was asked, with the time zone"), "1 June 2026, 10:00 KST"},
			{AnsweredOn, i18n.M("when the answer arrived, with the time zone"), "3 June 2026, 16:20 KST"},
			{Documents, i18n.M("when documents came with the answer: the sentence counting them, and a blank line; else nothing"),
				"It comes with 2 document(s).\n\n"},
			{Amended, i18n.M("when the applicant changed answers of the application: the sentence naming the new submission, and a blank line; else nothing"),
				"The applicant changed answers of the application: they are kept as submission 3.\n\n"},
			{Link, i18n.M("the entry's clarifications in the screening"), "https://portal.example.org/secretariat/screening/12/clarifications"}},
	},
	{
		Key: "scoring-reminder", Name: i18n.M("Scoring reminder (automatic)"),
		About:   i18n.M("Sent to each evaluator with unfinished score sheets three days and one day before the end of the scoring window."),
		Subject: i18n.M("Reminder: {{sheets}} to submit by {{deadline}}"),
		Body: i18n.M("Dear {{name}},\n\n" +
			"The scoring round of the {{edition_name}} ends {{ends_in}}." + scoringReminderRest),
		Params: append([]Param{paramEndsIn}, scoringReminderParam...),
	},
	{
		Key: "scoring-reminder-secretariat", Name: i18n.M("Scoring reminder (sent by the secretariat)"),
		About:   i18n.M("Sent to the evaluators with unfinished score sheets whom the secretariat or the committee head reminds from the scoring progress page."),
		Subject: i18n.M("Reminder: {{sheets}} to submit by {{deadline}}"),
		Body: i18n.M("Dear {{name}},\n\n" +
			"A reminder from the {{edition_name}}:" + scoringReminderRest),
		Params: scoringReminderParam,
	},
	{
		Key: "semi-finalist", Name: i18n.M("Round 2 outcome: semi-finalist"),
		About:   i18n.M("Sent when the semi-finalists are announced to each entry among them."),
		Subject: i18n.M("{{edition_name}}: you are a semi-finalist"),
		Body: i18n.M("Dear {{applicant_name}},\n\n" +
			"We are pleased to tell you that the Evaluation Committee has selected {{entry}} as a semi-finalist in the {{category}} category.\n\n" +
			"The Prize Council now reviews the semi-finalists {{voting_window}}; the winners are announced on {{announced_on}}.\n\n" +
			"See the semi-finalists:\n{{link}}"),
		Params: []Param{paramApplicant, paramEdition, paramSemiEntry, paramEntryCategory,
			{VotingWindow, i18n.M("when the Prize Council reviews the semi-finalists (its dates, in the edition's time zone)"), "1–30 September 2026"},
			{AnnouncedOn, i18n.M("when the winners are announced (in the edition's time zone)"), "10 October 2026"},
			paramSemiLink},
	},
	{
		Key: "not-semi-finalist", Name: i18n.M("Round 2 outcome: not a semi-finalist"),
		About:   i18n.M("Sent when the semi-finalists are announced to each other entry of round 2."),
		Subject: i18n.M("{{edition_name}}: the semi-finalists are announced"),
		Body: i18n.M("Dear {{applicant_name}},\n\n" +
			"The Evaluation Committee has scored every eligible entry of the {{category}} category. We are sorry to tell you that {{entry}} is not among the semi-finalists.\n\n" +
			"Thank you for taking part in the prize. If you have questions, write to {{contact_email}}.\n\n" +
			"See the semi-finalists:\n{{link}}"),
		Params: []Param{paramApplicant, paramEdition, paramSemiEntry, paramEntryCategory, paramContact, paramSemiLink},
	},
	{
		Key: "results-winner", Name: i18n.M("Round 3 outcome: winner"),
		About:   i18n.M("Sent when the winners are announced to each winning entry."),
		Subject: i18n.M("{{edition_name}}: you won the {{prize}}"),
		Body: i18n.M("Dear {{applicant_name}},\n\n" +
			"We are delighted to tell you that the Prize Council has awarded {{entry}} the {{prize}} ({{place}}) in the {{category}} category.\n\n" +
			"The prize ceremony takes place {{ceremony_window}}. We will write to you about it separately.\n\n" +
			"See the winners:\n{{link}}"),
		Params: []Param{paramApplicant, paramEdition, paramWinnerEntry, paramPrize, paramPlace, paramEntryCategory,
			paramCeremonyWindow, paramWinnersLink},
	},
	{
		Key: "results-outcome", Name: i18n.M("Round 3 outcome: not a winner"),
		About:   i18n.M("Sent when the winners are announced to each other semi-finalist."),
		Subject: i18n.M("{{edition_name}}: the winners are announced"),
		Body: i18n.M("Dear {{applicant_name}},\n\n" +
			"The Prize Council has chosen the winners of the {{category}} category. We are sorry to tell you that {{entry}} is not among the winners.\n\n" +
			"Being a semi-finalist is a distinction in itself: thank you for taking part in the prize. If you have questions, write to {{contact_email}}.\n\n" +
			"See the winners:\n{{link}}"),
		Params: []Param{paramApplicant, paramEdition, paramWinnerEntry, paramEntryCategory, paramContact, paramWinnersLink},
	},
	{
		Key: "video-request", Name: i18n.M("Ceremony video: request"),
		About:   i18n.M("Sent to each winner when the winners are announced, asking for the link to their video for the ceremony."),
		Subject: i18n.M("{{edition_name}}: your video for the ceremony, by {{deadline}}"),
		Body: i18n.M("Dear {{applicant_name}},\n\n" +
			"Congratulations on the {{prize}} in the {{category}} category for {{entry}}.\n\n" +
			"The ceremony ({{ceremony_window}}) shows a short video of each winner. Please give us the link to yours by {{deadline}}.\n\n" +
			"Give the link to your video:\n{{link}}\n\n" + videoNote),
		Params: []Param{paramApplicant, paramEdition, paramPrize, paramEntryCategory, paramWinnerEntry, paramCeremonyWindow,
			paramVideoDeadline, paramVideoLink},
	},
	{
		Key: "video-reminder", Name: i18n.M("Ceremony video: reminder"),
		About:   i18n.M("Sent to a winner who has not given the link to their video three days and one day before its deadline."),
		Subject: i18n.M("Reminder: your ceremony video by {{deadline}}"),
		Body: i18n.M("Dear {{applicant_name}},\n\n" +
			"The deadline for your ceremony video ends {{ends_in}}, on {{deadline}}, and we have no link to it yet.\n\n" +
			"Please give us the link to your video for the {{prize}} ({{category}}).\n\n" +
			"Give the link to your video:\n{{link}}\n\n" + videoNote),
		Params: []Param{paramApplicant, paramEndsIn, paramVideoDeadline, paramPrize, paramEntryCategory, paramVideoLink},
	},
	{
		Key: "award-successor-first", Name: i18n.M("A first prize passes to the next entry"),
		About:   i18n.M("Sent, once the winners are announced, to the entry that receives a first place an entry ranked before it cannot receive; it asks to confirm attendance."),
		Subject: i18n.M("You receive the {{prize}} of the {{edition_name}}"),
		Body: i18n.M("Dear {{applicant_name}},\n\n" + successorIntro +
			"First-place winners must attend the ceremony ({{ceremony_window}}) with the highest-level representative available. Please confirm your attendance, with your representative's name and title, by {{deadline}}.\n\n" +
			"Confirm attendance:\n{{link}}\n\n" +
			"If you cannot attend, say so on the same page: the prize then passes to the next-ranked entry that can attend."),
		Params: []Param{paramApplicant, paramEdition, paramPrize, paramPlace, paramEntryCategory, paramSuccessorEntry, paramCeremonyWindow,
			{Deadline, i18n.M("the last minute to confirm attendance, with the time zone"), "1 October 2026, 23:59 KST"},
			{Link, i18n.M("the page to confirm attendance"), "https://portal.example.org/awards/4/attendance"}},
	},
	{
		Key: "award-successor", Name: i18n.M("Another prize passes to the next entry"),
		About:   i18n.M("Sent, once the winners are announced, to the entry that receives a place other than the first that an entry ranked before it cannot receive."),
		Subject: i18n.M("You receive the {{prize}} of the {{edition_name}}"),
		Body: i18n.M("Dear {{applicant_name}},\n\n" + successorIntro +
			"Open your dashboard:\n{{link}}\n\n" +
			"Winners of this place are encouraged, not required, to attend the ceremony ({{ceremony_window}})."),
		Params: []Param{paramApplicant, paramEdition, paramPrize,
			{Place, i18n.M("the place, in words"), "second place"}, paramEntryCategory, paramSuccessorEntry, paramCeremonyWindow,
			{Link, i18n.M("the winner's dashboard"), "https://portal.example.org/dashboard"}},
	},
}

// The winner's emails to a Leadership nomination's candidate, who has no account: each links to
// their private page instead of a signed-in one (internal/results CandidatePath).
const (
	candidatePage = "Your private page for the ceremony, no account needed:\n{{link}}"
	candidateNote = "The link is personal: please do not forward it. The person who nominated you can also answer, signed in to the portal; each of you sees what the other gave."
)

var paramCandidateLink = Param{Link, i18n.M("the candidate's private page (it works without an account until the deadlines)"), "https://portal.example.org/winner/sample-token/attendance"}

// videoNoteCandidate is videoNote as the candidate reads it: candidateNote instead of signing in.
const videoNoteCandidate = candidateNote + " Upload the video to a video or file-sharing service and give us its link; we do not accept video files by email."

// candidateVariant is e as sent to a winning nomination's candidate: its key followed by
// "-candidate", the text from replaced by to in its body, and the link described as the
// candidate's private page. from and to are catalog keys, so that a language's default of the
// variant is its default of e with the same paragraph replaced (Email.Default).
func candidateVariant(e Email, from, to string) Email {
	e.Key += "-candidate"
	e.Name = i18n.Msg("{{.Email}} (to the candidate)", "Email", e.Name)
	e.About = i18n.Msg("{{.About}} This version goes to the candidate of a winning nomination, with their private link; the nominator receives the other.", "About", e.About)
	if !strings.Contains(e.Body, from) {
		panic("wording: " + e.Key + ": no " + from)
	}
	e.swap = &swap{base: e.Body, from: from, to: to}
	e.Body = strings.Replace(e.Body, from, to, 1)
	params := make([]Param, 0, len(e.Params))
	for _, p := range e.Params {
		if p.Name == Link {
			p = paramCandidateLink
		}
		params = append(params, p)
	}
	e.Params = params
	return e
}

// candidateEmails are the candidate's versions of the winner's emails.
func candidateEmails(list []Email) []Email {
	var out []Email
	for _, e := range list {
		switch e.Key {
		case "results-winner":
			out = append(out, candidateVariant(e, i18n.M("See the winners:\n{{link}}"), i18n.M(candidatePage+"\n\n"+candidateNote)))
		case "video-request", "video-reminder":
			out = append(out, candidateVariant(e, i18n.M(videoNote), i18n.M(videoNoteCandidate)))
		case "award-successor-first":
			out = append(out, candidateVariant(e, i18n.M("Confirm attendance:\n{{link}}"), i18n.M(candidatePage)))
		case "award-successor":
			out = append(out, candidateVariant(e, i18n.M("Open your dashboard:\n{{link}}"), i18n.M(candidatePage+"\n\n"+candidateNote)))
		}
	}
	return out
}

func init() { registry = append(append(registry, roundEmails...), candidateEmails(roundEmails)...) }
