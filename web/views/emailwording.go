package views

import (
	"net/url"
	"strconv"

	"prizeportal/internal/blocks/field"
	"prizeportal/internal/edition"
	"prizeportal/internal/i18n"
	"prizeportal/internal/notify/emails"
	"prizeportal/internal/notify/wording"
	"prizeportal/web/components"
	"prizeportal/web/pages"
)

// EmailWordingsPath is the list of an edition's emails; each email's page is below it.
const EmailWordingsPath = "/studio/emails"

// EmailWordingsHref is the list of edition editionID's emails.
func EmailWordingsHref(editionID int64) string { return inEdition(EmailWordingsPath, editionID) }

// EmailWordingHref is the edit page of email key in edition editionID.
func EmailWordingHref(editionID int64, key string) string {
	return inEdition(EmailWordingsPath+"/"+url.PathEscape(key), editionID)
}

// EmailWordingResetHref is the reset of email key in edition editionID to its default wording.
func EmailWordingResetHref(editionID int64, key string) string {
	return inEdition(EmailWordingsPath+"/"+url.PathEscape(key)+"/reset", editionID)
}

// inLanguage is href showing the wording in lang (?lang=ko; English is the default).
func inLanguage(href, lang string) string {
	if lang == "" || lang == "en" {
		return href
	}
	return href + "&lang=" + url.QueryEscape(lang)
}

// EmailWordingLangHref is the edit page of email key in edition editionID, in language lang.
func EmailWordingLangHref(editionID int64, key, lang string) string {
	return inLanguage(EmailWordingHref(editionID, key), lang)
}

// wordingLanguages are the links to the same page in each language of the portal, lang current;
// href is the page's address in English.
func wordingLanguages(href, lang string) []pages.WordingLanguage {
	var out []pages.WordingLanguage
	for _, l := range i18n.Languages() {
		out = append(out, pages.WordingLanguage{Name: l.Name, Code: l.Code, Href: inLanguage(href, l.Code), Current: l.Code == lang})
	}
	return out
}

// EmailWordingForm is the wording form as posted: the subject, the body, the version the form
// was opened on, and the button pressed ("preview" or "save").
type EmailWordingForm struct {
	Subject string `form:"subject"`
	Body    string `form:"body"`
	Version int    `form:"version"`
	Action  string `form:"action"`
}

// Input is the form as the service takes it, for the wording in lang.
func (f EmailWordingForm) Input(lang string) wording.Input {
	return wording.Input{Subject: f.Subject, Body: f.Body, Version: f.Version, Language: lang}
}

// EmailWordingFormOf is the form filled with w's current wording.
func EmailWordingFormOf(w wording.Wording) EmailWordingForm {
	s, b := w.Current()
	return EmailWordingForm{Subject: s, Body: b, Version: w.Version}
}

// changed says who last changed w and when, in ed's time zone; "" when never.
func changed(w wording.Wording, ed *edition.Edition) string {
	if w.UpdatedAt == nil {
		return ""
	}
	if w.UpdatedBy == "" {
		return i18n.Instant(*w.UpdatedAt, ed.TimeZone)
	}
	return i18n.Msg("{{.Who}}, {{.When}}", "Who", w.UpdatedBy, "When", i18n.Instant(*w.UpdatedAt, ed.TimeZone))
}

func wordingState(w wording.Wording) string {
	if w.Edited {
		return i18n.M("Edited")
	}
	return i18n.M("Default")
}

// EmailWordingsView is the list page of ed's emails. No I/O.
func EmailWordingsView(page components.Page, ed *edition.Edition, picker components.Field, list []wording.Wording) pages.EmailWordingsView {
	v := pages.EmailWordingsView{Page: page, Edition: picker, Choose: len(picker.Options) > 1, Name: ed.Name, Language: "en"}
	lang := "en"
	if len(list) > 0 {
		lang = list[0].Language
	}
	v.Language = lang
	v.Languages = wordingLanguages(EmailWordingsHref(ed.ID), lang)
	for _, w := range list {
		s, _ := w.Current()
		v.Rows = append(v.Rows, pages.EmailWordingRow{Name: w.Default.Name, About: w.Default.About, Subject: s,
			State: wordingState(w), Changed: changed(w, ed), Href: EmailWordingLangHref(ed.ID, w.Default.Key, w.Language)})
	}
	return v
}

// preview is the email as a message in the wording subject and body, filled with the email's
// sample values (the edition's own name for {{edition_name}}), its text part as the recipient
// reads it.
func preview(ed *edition.Edition, e wording.Email, subject, body string) *pages.EmailPreview {
	values := e.Samples()
	if _, ok := values[wording.EditionName]; ok {
		values[wording.EditionName] = emails.PrizeName(ed)
	}
	s := wording.FillLine(subject, values)
	m := emails.Site{}.Meta(ed)
	return &pages.EmailPreview{Subject: s, Body: emails.WordedText(m, s, wording.Fill(body, values))}
}

// EmailWordingView is the edit page of w in ed with form f: errs next to their fields, the
// preview of what f holds when it has no problem, and, after a conflict, the wording saved
// meanwhile (conflict). No I/O.
func EmailWordingView(page components.Page, ed *edition.Edition, w wording.Wording, f EmailWordingForm, errs field.Errors, conflict bool) pages.EmailWordingView {
	e := w.Default
	v := pages.EmailWordingView{Page: page, Language: w.Language, Back: inLanguage(EmailWordingsHref(ed.ID), w.Language), Name: ed.Name, About: e.About, Errors: errs,
		Action: EmailWordingLangHref(ed.ID, e.Key, w.Language), Version: strconv.Itoa(f.Version),
		Languages: wordingLanguages(EmailWordingHref(ed.ID, e.Key), w.Language),
		State:     i18n.M("This edition sends this email in the default wording."),
		Subject: components.Field{Name: "subject", Label: i18n.M("Subject"), Value: f.Subject, Required: true,
			MaxLength: wording.MaxSubject, Error: errs.Get("subject")},
		Body: components.Field{Name: "body", Label: i18n.M("Text of the email"), Value: f.Body, Required: true,
			MaxLength: wording.MaxBody, Error: errs.Get("body"),
			Hint: i18n.M("Separate paragraphs with an empty line. A web address on a line of its own becomes a link. " +
				"The prize's name comes before the text and the portal's address after it.")},
	}
	if w.Edited {
		v.State = i18n.Msg("This edition has its own wording, last changed by {{.Changed}}.", "Changed", changed(w, ed))
		v.Reset = inLanguage(EmailWordingResetHref(ed.ID, e.Key), w.Language)
	}
	for _, p := range e.Params {
		v.Params = append(v.Params, pages.EmailParam{Tag: p.Tag(), Description: p.Description, Sample: p.Sample})
	}
	if !errs.Any() {
		v.Preview = preview(ed, e, f.Subject, f.Body)
	}
	if conflict {
		s, b := w.Current()
		v.Conflict = preview(ed, e, s, b)
	}
	return v
}
