// Package formtest gives tests a complete, valid answer set for any form.
package formtest

import "prizeportal/internal/blocks/form"

// Complete fills every question of f validly with short fixed values (the first option of a
// choice, "yes" to declarations, one row per table). A required file question names a file
// that is not stored: tests that need real files upload them.
func Complete(f *form.Form) form.Answers {
	a := form.Answers{}
	for _, q := range f.Questions() {
		switch q.Type {
		case form.ShortText, form.LongText:
			a[q.Key] = form.Answer{Text: "Smart bus stops"}
		case form.Number, form.Money:
			a[q.Key] = form.Answer{Text: "1000", Number: "1000"}
		case form.Date:
			a[q.Key] = form.Answer{Text: "2021-03-01"}
		case form.URL:
			a[q.Key] = form.Answer{Text: "https://example.org/"}
		case form.Email:
			a[q.Key] = form.Answer{Text: "kim@example.org"}
		case form.SingleChoice:
			a[q.Key] = form.Answer{Text: q.Options[0].Key}
		case form.MultipleChoice:
			a[q.Key] = form.Answer{Choices: []string{q.Options[0].Key}}
		case form.YesNo, form.Declaration:
			a[q.Key] = form.Answer{Text: "yes"}
		case form.File:
			if q.Required {
				a[q.Key] = form.Answer{Files: []form.FileRef{{ID: "0", Name: "cv.pdf"}}}
			}
		case form.Table:
			row := form.Row{}
			for _, c := range q.Columns {
				switch c.Type {
				case form.Number:
					row[c.Key] = "12"
				case form.Year:
					row[c.Key] = "2022"
				case form.URL:
					row[c.Key] = "https://example.org/video"
				case form.SingleChoice:
					row[c.Key] = c.Options[0].Key
				default:
					row[c.Key] = "Seoul"
				}
			}
			a[q.Key] = form.Answer{Rows: []form.Row{row}}
		}
	}
	return a
}
