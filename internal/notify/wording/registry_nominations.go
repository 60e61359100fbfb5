package wording

import (
	"slices"

	"prizeportal/internal/i18n"
)

// The placeholders of the emails about nominations, letters, endorsements, invitations and an
// application's deadline.
const (
	CandidateName      Placeholder = "candidate_name"
	Candidate          Placeholder = "candidate"
	Nominator          Placeholder = "nominator"
	Decision           Placeholder = "decision"
	AnsweredAt         Placeholder = "answered_at"
	CandidateMessage   Placeholder = "candidate_message"
	Resent             Placeholder = "resent"
	Due                Placeholder = "due"
	HeadCategories     Placeholder = "head_categories"
	MaxFileSize        Placeholder = "max_file_size"
	Recommender        Placeholder = "recommender"
	ReceivedAt         Placeholder = "received_at"
	Expires            Placeholder = "expires"
	InvitedTo          Placeholder = "invited_to"
	SecretariatMessage Placeholder = "secretariat_message"
	NextStep           Placeholder = "next_step"
	RegistrationOpens  Placeholder = "registration_opens"
	Action             Placeholder = "action"
	Replaces           Placeholder = "replaces"
	Questions          Placeholder = "questions"
	Inviter            Placeholder = "inviter"
	Roles              Placeholder = "roles"
)

var (
	paramCandidateName   = Param{CandidateName, i18n.M("the candidate's name"), "Dr Lee Seo-yeon"}
	paramNominator       = Param{Nominator, i18n.M("the nominator's name (and organisation, when given)"), "Park Ji-ho (Seoul Urban Institute)"}
	paramPrizeCategory   = Param{Category, i18n.M("the category (the prize) of the nomination"), "Leadership"}
	paramNominationLink  = Param{Link, i18n.M("the nominator's page of the nomination"), "https://portal.example.org/nominations/42"}
	paramLetterDeadline  = Param{Deadline, i18n.M("the last day for letters, with the time zone"), "31 May 2026, 23:59 KST (Asia/Seoul time)"}
	paramReceivedAt      = Param{ReceivedAt, i18n.M("when the letter arrived, with the time zone"), "12 May 2026, 09:30 KST"}
	paramCandidateFull   = Param{Candidate, i18n.M("the candidate's name, position and organisation"), "Dr Lee Seo-yeon (Mayor, Suwon City)"}
	paramInviter         = Param{Inviter, i18n.M("who sent the invitation"), "Ahn Soo-min"}
	paramRoles           = Param{Roles, i18n.M("the roles, one a line, each starting with \"- \""), "- Evaluator (Seoul Smart City Prize 2026)"}
	paramDraftDeadline   = Param{Deadline, i18n.M("the application deadline, with the time zone"), "30 April 2026, 18:00 KST (Asia/Seoul time)"}
	paramApplicationLink = Param{Link, i18n.M("the application's page"), "https://portal.example.org/application"}
	paramLetterIntro     = []Param{paramName, paramEdition, paramCandidateName, paramNominator, paramPrizeCategory,
		{HeadCategories, i18n.M("the categories a recommender may belong to"), "Mayor or deputy mayor; Head of a city department"},
		{MaxFileSize, i18n.M("the largest PDF file a letter may be"), "10 MB"},
		{Link, i18n.M("the private link to write or upload the letter"), "https://portal.example.org/letters/sample-token"},
		paramLetterDeadline}
)

// letterBody is the body of a request for a letter of recommendation after its first paragraph.
const letterBody = "{{nominator}} has nominated {{candidate_name}} for the {{category}} prize of the {{edition_name}} and asks you to write a letter of recommendation.\n\n" +
	"A letter of recommendation must come from someone in one of these categories: {{head_categories}}.\n\n" +
	"Follow the link to write your letter in the form, or to upload it as a PDF file (at most {{max_file_size}}). You do not need an account. The nominator is told when your letter arrives, but never sees it.\n\n" +
	"Write or upload the letter:\n{{link}}\n\n" +
	"The link is personal: do not forward it. Letters are due by {{deadline}}. If you do not know the nominator or the candidate, you can ignore this email."

// nominationEmails are the emails of invitations to enter, nominations (consent, letters,
// endorsements), staff invitations and an applicant's deadline.
var nominationEmails = []Email{
	{
		Key: "entry-invitation", Name: i18n.M("Invitation to enter"),
		About:   i18n.M("Sent when the secretariat invites a person or an organisation to enter, with the link that registers them (or starts the entry of an existing account)."),
		Subject: i18n.M("An invitation to enter the {{edition_name}}"),
		Body: i18n.M("Dear {{name}},\n\n" +
			"The secretariat of the {{edition_name}} invites you to {{invited_to}}.\n\n" +
			"{{secretariat_message}}{{next_step}}\n\n" +
			"{{registration_opens}}{{action}}:\n{{link}}\n\n" +
			"{{replaces}}The link is personal and works once, until the application deadline, {{deadline}}.{{questions}}"),
		Params: []Param{paramName, paramEdition,
			{InvitedTo, i18n.M("what the invitation is for: apply for a category as an entity type, or nominate candidates"), "apply for the Tech-InnovaCity prize, as a city"},
			{SecretariatMessage, i18n.M("the secretariat's message, introduced and followed by a blank line; else nothing"), "A message from the secretariat: We hope to see your project.\n\n"},
			{NextStep, i18n.M("what the link does: create an account, or sign in and start the entry (for an address with an account)"),
				"Follow the link to create your account: the category is already chosen and your details are filled in. You can then prepare your entry, save it as a draft and submit it before the deadline."},
			{RegistrationOpens, i18n.M("before applications open: when registration opens, and a blank line; else nothing"), "Registration opens on 1 March 2026, 09:00 KST.\n\n"},
			{Action, i18n.M("the link's label: register for the category, or start the entry in it"), "Register for Tech-InnovaCity"},
			{Link, i18n.M("the private invitation link"), "https://portal.example.org/register?invitation=sample-token"},
			{Replaces, i18n.M("for a new copy: the sentence saying the earlier link no longer works, and a space; else nothing"), "This email replaces an earlier invitation: its link no longer works. "},
			paramDraftDeadline,
			{Questions, i18n.M("\" Questions:\" and the edition's contact address, or nothing"), " Questions: secretariat@example.org."}},
	},
	{
		Key: "nomination-consent", Name: i18n.M("Consent to a nomination"),
		About:   i18n.M("Sent to the candidate of a nomination, with the private link to consent or decline."),
		Subject: i18n.M("You have been nominated for the {{edition_name}}: your consent is needed"),
		Body: i18n.M("Dear {{name}},\n\n" +
			"{{nominator}} would like to nominate you for the {{category}} prize of the {{edition_name}}.\n\n" +
			"A nomination can go ahead only with your permission. Follow the link to see what is submitted in your name, then consent or decline. You do not need an account.\n\n" +
			"See the nomination and answer:\n{{link}}\n\n" +
			"The link is personal: do not forward it. It works until {{deadline}}. If you do not know the nominator, you can decline or ignore this email."),
		Params: []Param{paramName, paramEdition, paramNominator, paramPrizeCategory,
			{Link, i18n.M("the private link to consent or decline"), "https://portal.example.org/consent/sample-token"},
			{Deadline, i18n.M("the last day the link works (the letter deadline), with the time zone"), "31 May 2026, 23:59 KST (Asia/Seoul time)"}},
	},
	{
		Key: "nomination-consent-answer", Name: i18n.M("The candidate's answer"),
		About:   i18n.M("Sent to the nominator when the candidate consents to or declines the nomination."),
		Subject: i18n.M("{{candidate_name}} has {{decision}} the nomination"),
		Body: i18n.M("Dear {{name}},\n\n" +
			"{{candidate_name}} has {{decision}} your nomination on {{answered_at}}.\n\n" +
			"{{candidate_message}}Open the nomination:\n{{link}}"),
		Params: []Param{paramName, paramCandidateName,
			{Decision, i18n.M("\"consented to\" or \"declined\""), "consented to"},
			{AnsweredAt, i18n.M("when the candidate answered, with the time zone"), "3 May 2026, 11:20 KST"},
			{CandidateMessage, i18n.M("the candidate's message, introduced and followed by a blank line; else nothing"), "Their message: Thank you, I am honoured.\n\n"},
			paramNominationLink},
	},
	{
		Key: "recommendation-letter-invite", Name: i18n.M("Request for a letter of recommendation"),
		About:   i18n.M("Sent to a recommender the nominator names (and again when the nominator asks for a new copy), with the private link to the letter."),
		Subject: i18n.M("A letter of recommendation for {{candidate_name}} ({{edition_name}})"),
		Body:    i18n.M("Dear {{name}},\n\n{{resent}}" + letterBody),
		Params: append([]Param{{Resent, i18n.M("for a new copy: the sentence saying so, and a blank line; else nothing"),
			"This is a new copy of an earlier request, sent at the nominator's wish.\n\n"}}, paramLetterIntro...),
	},
	{
		Key: "recommendation-letter-reminder", Name: i18n.M("Reminder of a letter of recommendation"),
		About:   i18n.M("Sent to a recommender whose letter has not arrived, a week and a day before the letter deadline."),
		Subject: i18n.M("Reminder: A letter of recommendation for {{candidate_name}} ({{edition_name}})"),
		Body: i18n.M("Dear {{name}},\n\n" +
			"A reminder: letters of recommendation are due {{due}}, by {{deadline}}, and we have not received yours yet. Any earlier link still works too.\n\n" +
			letterBody),
		Params: append([]Param{{Due, i18n.M("\"in a week\" or \"tomorrow\""), "in a week"}}, paramLetterIntro...),
	},
	{
		Key: "recommendation-letter-received", Name: i18n.M("A letter of recommendation arrived"),
		About:   i18n.M("Sent to the nominator when a recommender's letter arrives (never the letter itself)."),
		Subject: i18n.M("The letter of recommendation for {{candidate_name}} has arrived"),
		Body: i18n.M("Dear {{name}},\n\n" +
			"{{recommender}} sent their letter of recommendation for {{candidate_name}} on {{received_at}}.\n\n" +
			"The letter goes to the secretariat and the evaluators; nominators do not see it.\n\n" +
			"Open the nomination:\n{{link}}"),
		Params: []Param{paramName, paramCandidateName,
			{Recommender, i18n.M("the recommender's name"), "Choi Hyun-woo"}, paramReceivedAt, paramNominationLink},
	},
	{
		Key: "recommendation-letter-confirmation", Name: i18n.M("Thanks for a letter of recommendation"),
		About:   i18n.M("Sent to the recommender when their letter arrives."),
		Subject: i18n.M("Your letter of recommendation for {{candidate_name}} was received"),
		Body: i18n.M("Dear {{name}},\n\n" +
			"We received your letter of recommendation for {{candidate_name}} for the {{edition_name}} on {{received_at}}.\n\n" +
			"The nominator is told that it arrived, but does not see it. There is nothing more to do.\n\n" +
			"About the prize:\n{{link}}"),
		Params: []Param{paramName, paramEdition, paramCandidateName, paramReceivedAt,
			{Link, i18n.M("the edition's public page"), "https://portal.example.org/editions/seoul-2026"}},
	},
	{
		Key: "endorsement-confirm", Name: i18n.M("Confirm an endorsement"),
		About:   i18n.M("Sent to whoever endorses a candidate, with the link that confirms the endorsement."),
		Subject: i18n.M("Confirm your endorsement of {{candidate_name}}"),
		Body: i18n.M("Dear {{name}},\n\n" +
			"You endorsed {{candidate}} for the {{category}} prize of the {{edition_name}}.\n\n" +
			"Your endorsement counts only once you confirm it with the button below.\n\n" +
			"Confirm my endorsement:\n{{link}}\n\n" +
			"The link works once, until {{expires}}. If you did not endorse anyone, ignore this email: nothing counts without your confirmation."),
		Params: []Param{paramName, paramEdition, paramCandidateName, paramCandidateFull, paramPrizeCategory,
			{Link, i18n.M("the private link that confirms the endorsement (it works once)"), "https://portal.example.org/endorse/confirm/sample-token"},
			{Expires, i18n.M("until when the link works, with the time zone"), "14 May 2026, 18:00 KST"}},
	},
	{
		Key: "endorsement-already", Name: i18n.M("Endorsed already"),
		About:   i18n.M("Sent when an email address that has already endorsed a candidate endorses them again."),
		Subject: i18n.M("You have already endorsed {{candidate_name}}"),
		Body: i18n.M("Dear {{name}},\n\n" +
			"Someone, probably you, endorsed {{candidate}} again with this email address.\n\n" +
			"Your earlier endorsement is confirmed and counts. Each email address counts once, so there is nothing more to do.\n\n" +
			"See the endorsement page:\n{{link}}\n\n" +
			"If you did not endorse anyone, ignore this email."),
		Params: []Param{paramName, paramCandidateName, paramCandidateFull,
			{Link, i18n.M("the candidate's public endorsement page"), "https://portal.example.org/endorse/sample-code"}},
	},
	{
		Key: "nomination-merged", Name: i18n.M("Nomination merged into another"),
		About:   i18n.M("Sent to a nominator when the secretariat merges their nomination into another nomination of the same candidate."),
		Subject: i18n.M("Your nomination of {{candidate_name}} was merged"),
		Params: []Param{paramName, paramEdition, paramCandidateName,
			{EntryNumber, i18n.M("the number of the nomination it was merged into"), "42"},
			{Link, i18n.M("the nominator's page of their merged nomination"), "https://portal.example.org/nominations/43"}},
		Body: i18n.M("Dear {{name}},\n\n{{candidate_name}} was nominated more than once for the {{edition_name}}. " +
			"The secretariat has merged your nomination into nomination {{entry_number}} of the same candidate, so that the candidate is one entry.\n\n" +
			"The letters of recommendation and the citizen endorsements of your nomination now count for that entry. " +
			"You are its co-nominator: you receive a copy of its outcome emails.\n\nSee your nomination:\n{{link}}"),
	},
	{
		Key: "invite", Name: i18n.M("Staff invitation"),
		About:   i18n.M("Sent to a new staff member invited to the edition (a jury member, a manager), with the link to set up the account."),
		Subject: i18n.M("You are invited to the {{edition_name}} portal"),
		Body: i18n.M("Dear {{name}},\n\n" +
			"{{inviter}} invited you to the {{edition_name}} portal with these roles:\n{{roles}}\n\n" +
			"Choose your name and a password to set up your account. Your login ID is this email address. Staff accounts sign in with a second step: you will then set up an authenticator app on your phone.\n\n" +
			"Set up my account:\n{{link}}\n\n" +
			"The link works once, until {{expires}}. If you did not expect this invitation, ignore this email."),
		Params: []Param{paramName, paramEdition, paramInviter, paramRoles,
			{Link, i18n.M("the private link to set up the account (it works once)"), "https://portal.example.org/invite/sample-token"},
			{Expires, i18n.M("until when the link works, with the time zone"), "20 March 2026, 09:00 UTC"}},
	},
	{
		Key: "roles-added", Name: i18n.M("New staff roles"),
		About:   i18n.M("Sent to a person with an account when roles of the edition are added to it."),
		Subject: i18n.M("New roles on your {{edition_name}} account"),
		Body: i18n.M("Dear {{name}},\n\n" +
			"{{inviter}} gave your account these roles:\n{{roles}}\n\n" +
			"Sign in as usual to use them:\n{{link}}"),
		Params: []Param{paramName, paramEdition, paramInviter, paramRoles,
			{Link, i18n.M("the sign-in page"), "https://portal.example.org/signin"}},
	},
	{
		Key: "application-extension", Name: i18n.M("Deadline extended"),
		About:   i18n.M("Sent to an applicant when the secretariat extends their application deadline, or changes the extension."),
		Subject: i18n.M("Your application deadline for the {{edition_name}} was extended"),
		Body: i18n.M("Dear {{name}},\n\n" +
			"The secretariat has extended the deadline of your application until {{deadline}}.\n\n" +
			"Until then you can change, submit and withdraw your application as before. After it, your application is locked.\n\n" +
			"Open your application:\n{{link}}"),
		Params: []Param{paramName, paramEdition,
			{Deadline, i18n.M("the applicant's new deadline, with the time zone"), "7 May 2026, 18:00 (Asia/Seoul time, KST)"},
			paramApplicationLink},
	},
	{
		Key: "application-extension-withdrawn", Name: i18n.M("Deadline extension withdrawn"),
		About:   i18n.M("Sent to an applicant when the secretariat withdraws the extension of their deadline."),
		Subject: i18n.M("Your application deadline for the {{edition_name}} is no longer extended"),
		Body: i18n.M("Dear {{name}},\n\n" +
			"The secretariat has withdrawn the extension of your application deadline. The deadline of the {{edition_name}} applies to you again: {{deadline}}.\n\n" +
			"Open your application:\n{{link}}"),
		Params: []Param{paramName, paramEdition,
			{Deadline, i18n.M("the edition's application deadline, with the time zone"), "30 April 2026, 18:00 (Asia/Seoul time, KST)"},
			paramApplicationLink},
	},
	{
		Key: "deadline-moved", Name: i18n.M("The application deadline moved"),
		About:   i18n.M("Sent to each applicant with a draft when the edition's managers move the application deadline."),
		Subject: i18n.M("The deadline of the {{edition_name}} has moved"),
		Body: i18n.M("Dear {{name}},\n\n" +
			"The deadline for applications to the {{edition_name}} has moved. Your application is still a draft: it reaches the committee only once you submit it.\n\n" +
			"The new deadline is {{deadline}}.\n\n" +
			"Open your application:\n{{link}}"),
		Params: []Param{paramName, paramEdition, paramDraftDeadline, paramApplicationLink},
	},
}

// init puts nominationEmails after the application's receipt: they are sent while entries come in.
func init() {
	at := slices.IndexFunc(registry, func(e Email) bool { return e.Key == "application-receipt" }) + 1
	registry = slices.Insert(registry, at, nominationEmails...)
}
