package wording

import "prizeportal/internal/i18n"

// Param is a placeholder an email offers, with what it holds and a sample value for the preview.
type Param struct {
	Name        Placeholder
	Description string
	Sample      string
}

// Tag is the placeholder as written in a template: {{name}}.
func (p Param) Tag() string { return "{{" + string(p.Name) + "}}" }

// Email is one email of the registry: its key (the outbox's kind), a human name, when it is sent,
// its default subject and body, and the placeholders it offers.
type Email struct {
	Key     string
	Name    string
	About   string
	Subject string
	Body    string
	Params  []Param
	// swap, for a variant of another email, is how its body differs from that email's
	// (candidateVariant).
	swap *swap
}

// swap is a variant's body: the body base with the paragraph from replaced by to, all three
// catalog keys.
type swap struct{ base, from, to string }

// Samples are the sample values of the email's placeholders, for the preview.
func (e Email) Samples() Values {
	v := make(Values, len(e.Params))
	for _, p := range e.Params {
		v[p.Name] = p.Sample
	}
	return v
}

// The placeholders shared by several emails.
var (
	paramName          = Param{Name, i18n.M("the recipient's name"), "Min-jun Kim"}
	paramApplicant     = Param{ApplicantName, i18n.M("the applicant's name"), "Min-jun Kim"}
	paramEdition       = Param{EditionName, i18n.M("the edition's name"), "Seoul Smart City Prize 2026"}
	paramLoginID       = Param{LoginID, i18n.M("the account's login ID"), "minjun.kim"}
	paramPrivateLink   = Param{Link, i18n.M("the private link the email carries (it works once)"), "https://portal.example.org/verify/sample-token"}
	paramEntry         = Param{Entry, i18n.M("\"your application\", or \"your nomination\" with the candidate's name"), "your application"}
	paramEntryCategory = Param{Category, i18n.M("the entry's category"), "Tech-InnovaCity"}
	paramStatusLink    = Param{Link, i18n.M("the entry's status page"), "https://portal.example.org/application/status"}
)

// registry lists the emails in the order of the manager's page. Keep each default byte for byte
// the wording of the code that builds the message (the tests of those packages check it). A
// default marked with i18n.M is a catalog key: the catalogs word it in other languages, with the
// same placeholders (Email.Default).
var registry = []Email{
	{
		Key: "verify-email", Name: i18n.M("Confirm the email address"),
		About:   i18n.M("Sent when someone registers, with the link that confirms their address."),
		Subject: i18n.M("Confirm your email address for the {{edition_name}}"),
		Body: i18n.M("Dear {{name}},\n\n" +
			"Thank you for registering. Please confirm that this email address is yours: you can prepare your entry now, and submit it once your address is confirmed.\n\n" +
			"Confirm my email address:\n{{link}}\n\n" +
			"The link works once, for 48 hours. If you did not register, ignore this email."),
		Params: []Param{paramName, paramEdition, paramPrivateLink},
	},
	{
		Key: "register-existing", Name: i18n.M("Registration with an address already in use"),
		About:   i18n.M("Sent to the owner of an account when someone tries to register with its email address."),
		Subject: i18n.M("Someone tried to register with your email address for the {{edition_name}}"),
		Body: i18n.M("Dear {{name}},\n\n" +
			"Someone, probably you, tried to register for the {{edition_name}} with this email address. It already belongs to your account (login ID {{login_id}}), so no new account was made.\n\n" +
			"If it was you, sign in with your login ID or this email address. Forgot your password? Choose a new one at {{reset_link}}.\n\n" +
			"Sign in:\n{{link}}\n\n" +
			"If it was not you, ignore this email: nothing changed in your account."),
		Params: []Param{paramName, paramEdition, paramLoginID,
			{Link, i18n.M("the sign-in page"), "https://portal.example.org/signin"},
			{ResetLink, i18n.M("the page to choose a new password"), "https://portal.example.org/password/forgot"}},
	},
	{
		Key: "reset-password", Name: i18n.M("Reset the password"),
		About:   i18n.M("Sent when someone asks to reset the password of their account, with the link that chooses a new one."),
		Subject: i18n.M("Reset your password for the {{edition_name}}"),
		Body: i18n.M("Dear {{name}},\n\n" +
			"Someone, probably you, asked to reset the password of your account (login ID {{login_id}}). Choose a new password with the button below.\n\n" +
			"Choose a new password:\n{{link}}\n\n" +
			"The link works once, for one hour. If you did not ask for it, ignore this email: your password stays as it is."),
		Params: []Param{paramName, paramEdition, paramLoginID,
			{Link, i18n.M("the private link to choose a new password (it works once)"), "https://portal.example.org/password/reset/sample-token"}},
	},
	{
		Key: "application-receipt", Name: i18n.M("Receipt of an application"),
		About:   i18n.M("Sent to the applicant each time they submit their application, with a PDF copy attached."),
		Subject: i18n.M("Your application to the {{edition_name}} was received"),
		Body: i18n.M("Dear {{applicant_name}},\n\n" +
			"We have received your application for the {{category}} category of the {{edition_name}}.\n\n" +
			"Project: {{project}}\n\n" +
			"Submitted: {{submitted_at}}\n\n" +
			"A PDF copy of the application as submitted is attached.\n\n" +
			"You can still change your application and submit it again until {{deadline}}; the Evaluation Committee sees the last version submitted.\n\n" +
			"See your application:\n{{link}}"),
		Params: []Param{paramApplicant, paramEdition,
			{Category, i18n.M("the category applied to"), "Tech-InnovaCity"},
			{Project, i18n.M("the project's title as submitted"), "Smart Crosswalks for Safer Streets"},
			{SubmittedAt, i18n.M("when it was submitted, with the time zone (and the submission's number from the second on)"), "12 March 2026, 14:05 KST (submission 2)"},
			{Deadline, i18n.M("the applicant's deadline, with the time zone"), "30 April 2026, 18:00 KST (Asia/Seoul time)"},
			{Link, i18n.M("the application's page"), "https://portal.example.org/application"}},
	},
	{
		Key: "clarification-request", Name: i18n.M("Request for clarification"),
		About:   i18n.M("Sent to an applicant when the secretariat asks a question about their entry in round 1."),
		Subject: i18n.M("A question about your entry to the {{edition_name}}"),
		Body: i18n.M("Dear {{applicant_name}},\n\n" +
			"While checking the entries of the {{edition_name}}, the prize secretariat has a question about your entry \u201c{{project}}\u201d ({{category}}):\n\n" +
			"{{question}}\n\n" +
			"Please answer in the portal by {{deadline}}. You can write your answer and attach documents.\n\n" +
			"{{may_change}}" +
			"Answer the question:\n{{link}}\n\n" +
			"Sign in with your account to answer. Answers are not accepted after the deadline; if you cannot answer in time, write to the secretariat{{contact}}."),
		Params: []Param{paramApplicant, paramEdition,
			{Project, i18n.M("the entry's title"), "Smart Crosswalks for Safer Streets"},
			{Category, i18n.M("the entry's category"), "Tech-InnovaCity"},
			{Question, i18n.M("the secretariat's question (its paragraphs)"), "Please send the 2024 budget of the project."},
			{Deadline, i18n.M("the last minute to answer, with the time zone"), "7 June 2026, 23:59 KST (Asia/Seoul time)"},
			{MayChange, i18n.M("when the applicant may change answers: the sentence naming them, and a blank line; else nothing"),
				"While answering, you may also change these answers of your application: Budget.\n\n"},
			{Link, i18n.M("the page to answer"), "https://portal.example.org/clarifications/12"},
			{Contact, i18n.M("\" at\" and the edition's contact address, or nothing"), " at secretariat@example.org"}},
	},
	{
		Key: "screening-eligible", Name: i18n.M("Round 1 outcome: eligible"),
		About:   i18n.M("Sent at the end of the screening window to each entry found eligible."),
		Subject: i18n.M("Round 1 of the {{edition_name}}: your entry is eligible"),
		Body: i18n.M("Dear {{applicant_name}},\n\n" +
			"The secretariat has screened {{entry}} in the {{category}} category and found it eligible.\n\n" +
			"It now goes to the Evaluation Committee, which scores the entries {{scoring_window}}. The semi-finalists are announced on {{announced_on}}.\n\n" +
			"See the status:\n{{link}}"),
		Params: []Param{paramApplicant, paramEdition, paramEntry, paramEntryCategory,
			{ScoringWindow, i18n.M("when the committee scores, with the time zone"), "from 1 July to 31 July 2026 (KST)"},
			{AnnouncedOn, i18n.M("when the semi-finalists are announced, with the time zone"), "20 August 2026, 10:00 KST"},
			paramStatusLink},
	},
	{
		Key: "screening-ineligible", Name: i18n.M("Round 1 outcome: not eligible"),
		About:   i18n.M("Sent at the end of the screening window to each entry found not eligible."),
		Subject: i18n.M("Round 1 of the {{edition_name}}: the outcome of the screening"),
		Body: i18n.M("Dear {{applicant_name}},\n\n" +
			"The secretariat has screened {{entry}} in the {{category}} category. We are sorry to tell you that it is not eligible: {{reason}}.\n\n" +
			"Thank you for your interest in the prize. If you have questions, write to {{contact_email}}.\n\n" +
			"See the status:\n{{link}}"),
		Params: []Param{paramApplicant, paramEdition, paramEntry, paramEntryCategory,
			{Reason, i18n.M("the reason, from the edition's list"), "the project has not started yet"},
			{ContactEmail, i18n.M("the edition's contact address"), "secretariat@example.org"},
			paramStatusLink},
	},
}

// All is the registry, in the order of the manager's page.
func All() []Email { return registry }

// Lookup finds the email of key.
func Lookup(key string) (Email, bool) {
	for _, e := range registry {
		if e.Key == key {
			return e, true
		}
	}
	return Email{}, false
}
