package wording

import "prizeportal/internal/i18n"

// Window is the placeholder of a round's window with its time zone.
const Window Placeholder = "window"

// scheduleEmails are the emails the studio sends when a round's dates move (internal/studio).
var scheduleEmails = []Email{
	{
		Key: "scoring-window-moved", Name: i18n.M("The scoring round moved"),
		About:   i18n.M("Sent to the Evaluation Committee when the secretariat moves the scoring window of a published edition."),
		Subject: i18n.M("The scoring round of the Evaluation Committee of the {{edition_name}} has moved"),
		Body: i18n.M("Dear {{name}},\n\n" +
			"The secretariat of the {{edition_name}} has moved the scoring round of the Evaluation Committee.\n\n" +
			"It now runs {{window}}.\n\n" +
			"Open your entries:\n{{link}}"),
		Params: []Param{paramName, paramEdition,
			{Window, i18n.M("the new window, with the time zone"), "1–31 July 2026 (Asia/Seoul time)"},
			{Link, i18n.M("the evaluator's list of entries"), "https://portal.example.org/scoring"}},
	},
	{
		Key: "voting-window-moved", Name: i18n.M("The council's vote moved"),
		About:   i18n.M("Sent to the Prize Council when the secretariat moves the voting window of a published edition."),
		Subject: i18n.M("The vote of the Prize Council of the {{edition_name}} has moved"),
		Body: i18n.M("Dear {{name}},\n\n" +
			"The secretariat of the {{edition_name}} has moved the vote of the Prize Council.\n\n" +
			"It now runs {{window}}.\n\n" +
			"Open the portal:\n{{link}}"),
		Params: []Param{paramName, paramEdition,
			{Window, i18n.M("the new window, with the time zone"), "1–15 September 2026 (Asia/Seoul time)"},
			{Link, i18n.M("the portal's home page for the council member"), "https://portal.example.org/dashboard"}},
	},
}

func init() { registry = append(registry, scheduleEmails...) }
