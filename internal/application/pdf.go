package application

import (
	"strings"
	"time"

	"prizeportal/internal/blocks/form"
	"prizeportal/internal/blocks/pdfdoc"
	"prizeportal/internal/i18n"
)

// CopyInfo is what the title block of an application copy shows.
type CopyInfo struct {
	Prize    string // the edition's name
	Category string
	// Meta are label/value pairs under the title, such as the submission time.
	Meta []pdfdoc.Field
	// Created is when the copy is made, in the time zone its readers expect.
	Created time.Time
	// Lang is the reader's language: the copy's own words (and the portal's words among the
	// answers: Yes, No, Confirmed) in it; English when nil.
	Lang *i18n.Localizer
}

// Copy is the PDF document of a submitted application: every shown question of the form with its
// answer, answers the applicant marked confidential flagged as such (this is the applicant's own
// copy, so nothing is left out).
func Copy(f *form.Form, a form.Answers, info CopyInfo) pdfdoc.Document {
	l := info.Lang
	if l == nil {
		l = i18n.For("en")
	}
	title := Title(a)
	if title == "" {
		title = l.T("Project application")
	}
	d := pdfdoc.Document{
		Title: title, Subtitle: info.Prize + ", " + info.Category, Meta: info.Meta,
		Footer: l.T("{{.Prize}}: application copy", "Prize", info.Prize), Created: info.Created,
	}
	if l.Lang() != "en" {
		d.Words = pdfdoc.Words{
			Confidential: l.T("Confidential"),
			Generated:    l.T("Generated {{.When}}", "When", i18n.Instant(info.Created, info.Created.Location())),
			PageOf: func(page, pages int) string {
				return l.T("Page {{.Page}} of {{.Pages}}", "Page", page, "Pages", pages)
			},
		}
	}
	lines := func(q *form.Question, ans form.Answer) []string {
		out := AnswerLines(q, ans)
		for i := range out {
			out[i] = l.T(out[i]) // data stays as typed; the portal's Yes, No, Confirmed are translated
		}
		return out
	}
	for i := range f.Sections {
		sec := &f.Sections[i]
		ps := pdfdoc.Section{Heading: sec.Title}
		for j := range sec.Questions {
			q := &sec.Questions[j]
			if !f.Visible(q, a) {
				continue
			}
			ans := a[q.Key]
			switch q.Type {
			case form.Table:
				t := pdfdoc.Table{Label: q.Label, Confidential: ans.Confidential}
				for _, c := range q.Columns {
					t.Header = append(t.Header, c.Label)
				}
				for _, row := range ans.Rows {
					var cells []string
					for _, c := range q.Columns {
						v := row[c.Key]
						if o, ok := c.Option(v); ok {
							v = o.Label
						}
						cells = append(cells, v)
					}
					t.Rows = append(t.Rows, cells)
				}
				ps.Blocks = append(ps.Blocks, t)
			case form.MultipleChoice, form.File:
				ps.Blocks = append(ps.Blocks, pdfdoc.List{Label: q.Label, Items: lines(q, ans), Confidential: ans.Confidential})
			default:
				ps.Blocks = append(ps.Blocks, pdfdoc.Answer{Label: q.Label, Value: strings.Join(lines(q, ans), "\n"), Confidential: ans.Confidential})
			}
		}
		d.Sections = append(d.Sections, ps)
	}
	return d
}
