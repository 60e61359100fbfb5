package views

import (
	"slices"
	"strconv"
	"time"

	"prizeportal/internal/blocks/field"
	"prizeportal/internal/blocks/form"
	"prizeportal/internal/blocks/timefmt"
	"prizeportal/internal/clarify"
	"prizeportal/internal/edition"
	"prizeportal/internal/files"
	"prizeportal/internal/i18n"
	"prizeportal/internal/repository"
	"prizeportal/internal/screening"
	"prizeportal/web/components"
	"prizeportal/web/pages"
)

// ClarAskDraft is the secretariat's form.
type ClarAskDraft struct {
	Question string   `form:"question"`
	Deadline string   `form:"deadline"`
	Keys     []string `form:"keys"`
}

// ClarAskForm is the form that asks a new clarification about entry id, with what was typed.
func ClarAskForm(id int64, ed *edition.Edition, f *form.Form, d ClarAskDraft, errs field.Errors) *pages.ClarificationAskForm {
	loc := ed.TimeZone
	a := &pages.ClarificationAskForm{
		Action: clarify.ScreeningHref(id),
		Question: components.Field{Name: "question", Label: i18n.M("Question to the applicant"), Type: "textarea", Value: d.Question,
			Required: true, MaxLength: clarify.MaxQuestionRunes, Error: errs.Get("question"),
			Hint: i18n.M("The applicant reads it as written. Do not include screening notes.")},
		Deadline: components.Field{Name: "deadline", Label: i18n.Msg("Response deadline ({{.Zone}} time)", "Zone", loc.String()), Type: "datetime-local",
			Value: d.Deadline, Required: true, Error: errs.Get("deadline"),
			Hint: i18n.Msg("Date and time in the prize's time zone, {{.Zone}}. Answers are refused from then on.", "Zone", i18n.Zone(loc, ed.Schedule.Screening.Start))},
		KeysError: errs.Get("keys"),
	}
	if f != nil {
		for _, sec := range f.Sections {
			for _, q := range sec.Questions {
				a.Keys = append(a.Keys, components.Option{Value: q.Key, Label: i18n.Msg("{{.Section}}: {{.Question}}", "Section", sec.Title, "Question", q.Label), Selected: slices.Contains(d.Keys, q.Key)})
			}
		}
	}
	return a
}

// ClarPanel builds the panel of entry e from p, with the ask form holding d and errs.
func ClarPanel(p clarify.Panel, e screening.Entry, ed *edition.Edition, d ClarAskDraft, errs field.Errors) pages.ClarificationPanelView {
	f := clarify.FormOf(ed, e.CategoryID)
	v := pages.ClarificationPanelView{Items: ClarThreadItems(p.Thread, f, ed.TimeZone, p.At, func(doc clarify.Document) string {
		return clarify.ScreeningHref(e.ID) + "/files/" + strconv.FormatInt(doc.ID, 10)
	})}
	if p.Closed {
		v.Notice = i18n.M("Round 1 is closed: no more clarifications can be asked.")
	} else {
		v.Ask = ClarAskForm(e.ID, ed, f, d, errs)
	}
	return v
}

// ClarEntryName names entry e: its title and applicant, or the applicant alone.
func ClarEntryName(e screening.Entry) string {
	if e.Title != "" {
		return e.Title + " (" + e.Applicant + ")"
	}
	return e.Applicant
}

// Clarifications is the page of sc's thread with the ask form holding d and errs, without
// its Page.
func Clarifications(sc *clarify.Screening, d ClarAskDraft, errs field.Errors) pages.ClarificationsPageView {
	e, ed := sc.Entry, sc.Edition
	panel := ClarPanel(sc.Panel, e, ed, d, errs)
	panel.Level = 2
	return pages.ClarificationsPageView{
		Heading: i18n.Msg("Clarifications: {{.Entry}}", "Entry", ClarEntryName(e)),
		Intro: []string{i18n.Msg("{{.Category}}, submitted on {{.When}}. Decision: {{.Decision}}.", "Category", e.Category, "When", i18n.Instant(e.SubmittedAt, ed.TimeZone),
			"Decision", e.Decision.Label())},
		Back:   components.Link{Label: i18n.M("Back to the screening of this entry"), Href: "/secretariat/screening/" + strconv.FormatInt(e.ID, 10)},
		Errors: errs, Panel: panel,
	}
}

// ApplicantQuestionWords is how many words of each question the applicant's list shows.
const ApplicantQuestionWords = 25

// ApplicantClarifications is the list of the applicant's clarifications at now: each entry with
// the start of its question, when it was asked and when the answer is due, in its time zone.
func ApplicantClarifications(page components.Page, list []clarify.Listed, now time.Time) pages.ApplicantClarificationsView {
	v := pages.ApplicantClarificationsView{Page: page}
	for _, it := range list {
		loc := it.Edition.TimeZone
		st := it.State(now)
		v.Rows = append(v.Rows, pages.ApplicantClarificationRow{Entry: clarify.EntryName(it.Item),
			Question: repository.Excerpt(it.Question, ApplicantQuestionWords), AskedAt: i18n.Instant(it.AskedAt, loc),
			Deadline: i18n.End(it.Deadline, loc), State: st.ApplicantLabel(), Href: clarify.Href(it.ID), Open: st == clarify.Open})
	}
	return v
}

// ClarAnswerState is what the answer page shows besides the stored clarification.
type ClarAnswerState struct {
	Text      string
	Answers   form.Answers
	Errs      field.Errors
	Notice    string
	ExtraRows map[string]int
}

// ClarAnswer is the answer page of t at now with what st holds, without its Page.
func ClarAnswer(t *clarify.Target, st ClarAnswerState, now time.Time) pages.ClarificationAnswerView {
	it, loc := t.Item, t.Ed.TimeZone
	v := pages.ClarificationAnswerView{
		Entry: clarify.EntryName(it), Question: clarify.Paragraphs(it.Question),
		Facts: []pages.Fact{
			{Label: i18n.M("Entry"), Value: clarify.EntryName(it)},
			{Label: i18n.M("Asked on"), Value: timefmt.Instant(it.AskedAt, loc)},
			{Label: i18n.M("Answer by"), Value: timefmt.End(it.Deadline, loc)},
			{Label: i18n.M("Status"), Value: it.State(now).ApplicantLabel()},
		},
		Notice: st.Notice, Errors: st.Errs, Action: clarify.Href(it.ID),
	}
	switch it.State(now) {
	case clarify.Answered:
		v.AnsweredAt = i18n.Instant(*it.AnsweredAt, loc)
		v.Answer = clarify.Paragraphs(it.Answer)
		v.Files = ClarDocuments(it.Documents, func(d clarify.Document) string {
			return clarify.Href(it.ID) + "/files/" + strconv.FormatInt(d.ID, 10)
		})
		if it.AmendedVersion != nil {
			v.Edited = i18n.Msg("Your changed answers were kept as submission {{.Version}} of your application.", "Version", *it.AmendedVersion)
		}
	case clarify.Expired:
		if v.Notice == "" {
			v.Notice = ClarLateNotice(t)
		}
	default:
		v.Open = true
		v.Text = components.Field{Name: "answer", Label: i18n.M("Your answer"), Type: "textarea", Value: st.Text, MaxLength: clarify.MaxAnswerRunes,
			Error: st.Errs.Get("answer"), Hint: i18n.M("Required unless you attach a document.")}
		v.Documents = components.Field{Name: clarify.DocumentsField, Label: i18n.M("Documents (optional)"), Error: st.Errs.Get(clarify.DocumentsField),
			Hint: i18n.Msg("Up to {{.Count}} files: {{.Types}}, each at most {{.Size}}.", "Count", clarify.MaxDocuments, "Types", files.Describe(files.AllTypes),
				"Size", files.FormatSize(clarify.MaxDocumentMB*1_000_000))}
		v.Accept = files.AcceptAttr(files.AllTypes)
		if t.Named != nil {
			answers := st.Answers
			if answers == nil {
				answers = t.Submitted
			}
			v.Section = &components.SectionView{Form: t.Named, Section: clarify.Section, Answers: answers, Errors: st.Errs,
				ExtraRows: st.ExtraRows, FileURL: ClarFileURL(t)}
		}
	}
	return v
}

// ClarLateNotice says that the response deadline passed and what to do.
func ClarLateNotice(t *clarify.Target) string {
	return i18n.Msg("The deadline for this answer passed on {{.When}}: answers are no longer accepted. If you still want to answer, write to the secretariat{{.Contact}}; they may ask you again.",
		"When", i18n.End(t.Item.Deadline, t.Ed.TimeZone), "Contact", clarify.Contact(t.Ed))
}
