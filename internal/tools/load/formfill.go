package load

import (
	"net/url"
	"strconv"
	"strings"

	"prizeportal/internal/blocks/form"
)

// words is filler prose for long answers.
var words = strings.Fields(`the city opened its transport data to residents and small companies so that
buses trams and shared bicycles could be planned together older people and people with disabilities
were asked what they needed and the service was tested with them in three districts before it was
offered everywhere results were measured every month and published on the open data portal`)

// prose returns n words of filler text, starting at word seed.
func prose(seed, n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(words[(seed+i)%len(words)])
	}
	return b.String()
}

// SectionValues fills every question of section of f as an applicant would (valid answers of
// realistic length; variant picks among the options, so users differ), as the posted fields of
// the section's form. File questions are left out: uploads are separate parts.
func SectionValues(f *form.Form, section string, variant int) url.Values {
	v := url.Values{}
	sec, ok := f.Section(section)
	if !ok {
		return v
	}
	for i := range sec.Questions {
		q := &sec.Questions[i]
		name := q.FieldName()
		switch q.Type {
		case form.ShortText:
			limit := q.MaxLength
			if limit <= 0 {
				limit = 300
			}
			text := "Project " + strconv.Itoa(variant) + ": " + prose(variant+i, 8)
			if len(text) > limit {
				text = text[:limit]
			}
			v.Set(name, strings.TrimSpace(text))
		case form.LongText:
			n := 120
			if q.MaxWords > 0 {
				n = min(n, q.MaxWords)
			}
			v.Set(name, prose(variant+i, n))
		case form.Number:
			v.Set(name, strconv.Itoa(1000+variant))
		case form.Money:
			v.Set(name, strconv.Itoa(250000+variant*10))
		case form.Date:
			v.Set(name, "2021-03-01")
		case form.URL:
			v.Set(name, "https://example.org/project/"+strconv.Itoa(variant))
		case form.Email:
			v.Set(name, "team"+strconv.Itoa(variant)+"@example.org")
		case form.YesNo, form.Declaration:
			v.Set(name, "yes")
		case form.SingleChoice:
			if opts := q.ChoiceOptions(); len(opts) > 0 {
				v.Set(name, opts[variant%len(opts)].Key)
			}
		case form.MultipleChoice:
			n := max(q.MinChoices, 1)
			if q.MaxChoices > 0 {
				n = min(n+1, q.MaxChoices)
			} else {
				n++
			}
			for j := 0; j < n && j < len(q.Options); j++ {
				// "other" would need its own text: pick the first options
				v.Add(name, q.Options[j].Key)
			}
		case form.Table:
			rows := max(q.MinRows, 2)
			if q.MaxRows > 0 {
				rows = min(rows, q.MaxRows)
			}
			for r := 1; r <= rows; r++ {
				for _, c := range q.Columns {
					v.Set(form.CellName(q.Key, r, c.Key), cellValue(c, variant+r))
				}
			}
		}
	}
	return v
}

func cellValue(c form.Column, variant int) string {
	switch c.Type {
	case form.Number:
		return strconv.Itoa(10 + variant)
	case form.Year:
		return "2022"
	case form.URL:
		return "https://example.org/video/" + strconv.Itoa(variant)
	case form.SingleChoice:
		if len(c.Options) == 0 {
			return ""
		}
		return c.Options[variant%len(c.Options)].Key
	}
	text := prose(variant, 4)
	if c.MaxLength > 0 && len(text) > c.MaxLength {
		text = text[:c.MaxLength]
	}
	return text
}

// CompleteAnswers returns a complete application of form f, as saving every section filled by
// SectionValues gives it (decoded by the portal's own form.Decode and merged like a save).
func CompleteAnswers(f *form.Form, variant int) form.Answers {
	a := form.Answers{}
	for _, sec := range f.Sections {
		decoded, _ := form.Decode(f, sec.Key, SectionValues(f, sec.Key, variant))
		a, _ = form.Merge(f, sec.Key, a, decoded)
	}
	return form.Prune(f, a)
}

// fileSection returns the key of the first section of f with a file question, and that
// question's field name; "" when there is none.
func fileSection(f *form.Form) (section, fieldName string) {
	for _, sec := range f.Sections {
		for i := range sec.Questions {
			if sec.Questions[i].Type == form.File {
				return sec.Key, sec.Questions[i].FieldName()
			}
		}
	}
	return "", ""
}

// smallPDF is a minimal valid one-page PDF document (the applicant's supporting document).
var smallPDF = []byte("%PDF-1.4\n" +
	"1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n" +
	"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n" +
	"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >> endobj\n" +
	"4 0 obj << /Length 58 >> stream\nBT /F1 24 Tf 72 700 Td (Project evaluation report) Tj ET\nendstream endobj\n" +
	"5 0 obj << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> endobj\n" +
	"trailer << /Root 1 0 R /Size 6 >>\n%%EOF\n")
