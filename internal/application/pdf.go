package application

import (
	"strings"
	"time"

	"prizeportal/internal/blocks/form"
	"prizeportal/internal/blocks/pdfdoc"
)

// CopyInfo is what the title block of an application copy shows.
type CopyInfo struct {
	Prize    string // the edition's name
	Category string
	// Meta are label/value pairs under the title, such as the submission time.
	Meta []pdfdoc.Field
	// Created is when the copy is made, in the time zone its readers expect.
	Created time.Time
}

// Copy is the PDF document of a submitted application: every shown question of the form with its
// answer, answers the applicant marked confidential flagged as such (this is the applicant's own
// copy, so nothing is left out).
func Copy(f *form.Form, a form.Answers, info CopyInfo) pdfdoc.Document {
	title := Title(a)
	if title == "" {
		title = "Project application"
	}
	d := pdfdoc.Document{
		Title: title, Subtitle: info.Prize + ", " + info.Category, Meta: info.Meta,
		Footer: info.Prize + ": application copy", Created: info.Created,
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
				ps.Blocks = append(ps.Blocks, pdfdoc.List{Label: q.Label, Items: AnswerLines(q, ans), Confidential: ans.Confidential})
			default:
				ps.Blocks = append(ps.Blocks, pdfdoc.Answer{Label: q.Label, Value: strings.Join(AnswerLines(q, ans), "\n"), Confidential: ans.Confidential})
			}
		}
		d.Sections = append(d.Sections, ps)
	}
	return d
}
