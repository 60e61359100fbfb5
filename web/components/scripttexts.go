package components

import (
	"context"

	"prizeportal/internal/i18n"
)

// scriptTexts are the texts the page's scripts show (web/static/assets: deadline.js, form.js), in
// the page's language, as the layout's JSON data block (#script-texts): the scripts read it instead of
// wording anything themselves, so their words live in the catalogs with every other text. "{n}",
// "{max}", "{time}", "{zone}" and "{problem}" are filled in by the scripts; a plural is [one, other].
func scriptTexts(ctx context.Context) map[string]any {
	l := i18n.From(ctx)
	// a plural's two forms, the count left for the script ({n}); each key written out, as the
	// catalog tool reads only literal keys
	forms := func(one, other string) [2]string { return [2]string{one, other} }
	texts := map[string]any{
		"deadlinePassed":  l.T("The deadline has passed."),
		"lessThanMinute":  l.T("Less than a minute left"),
		"left":            l.T("{{.Time}} left", "Time", "{time}"),
		"days":            forms(l.N(1, "{{.Count}} day", "{{.Count}} days", "Count", "{n}"), l.N(2, "{{.Count}} day", "{{.Count}} days", "Count", "{n}")),
		"hours":           forms(l.N(1, "{{.Count}} hour", "{{.Count}} hours", "Count", "{n}"), l.N(2, "{{.Count}} hour", "{{.Count}} hours", "Count", "{n}")),
		"minutes":         forms(l.N(1, "{{.Count}} minute", "{{.Count}} minutes", "Count", "{n}"), l.N(2, "{{.Count}} minute", "{{.Count}} minutes", "Count", "{n}")),
		"inYourZone":      l.T("In your time zone ({{.Zone}}): {{.Time}}", "Zone", "{zone}", "Time", "{time}"),
		"inYourZoneBare":  l.T("In your time zone: {{.Time}}", "Time", "{time}"),
		"wordCount":       l.T("{{.Count}} of {{.Max}} words", "Count", "{n}", "Max", "{max}"),
		"tooMany":         l.T("{{.Count}} of {{.Max}} words: {{.Over}} too many", "Count", "{n}", "Max", "{max}", "Over", "{over}"),
		"savedAt":         l.T("Saved at {{.Time}}", "Time", "{time}"),
		"savedWithIssues": l.T("Saved at {{.Time}}. Some answers need your attention: press Save to see them.", "Time", "{time}"),
		"autosaveStopped": l.T("Autosave has stopped: press Save."),
		"notSaved":        l.T("Your latest changes could not be saved automatically."),
		"pressSave":       l.T("{{.Problem}} Press Save to save them.", "Problem", "{problem}"),
		"offline":         l.T("Your latest changes could not be saved automatically: check your connection, then press Save."),
		"uploading":       l.T("Uploading…"),
		"uploadingPct":    l.T("Uploading: {{.Percent}}%", "Percent", "{n}"),
		"uploadFailed":    l.T("The upload failed: check your connection and press Save again."),
	}
	return texts
}
