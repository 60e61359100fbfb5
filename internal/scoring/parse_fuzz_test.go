package scoring_test

import (
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"prizeportal/internal/edition"
	"prizeportal/internal/scoring"
)

// FuzzParse feeds arbitrary posted score sheets to Parse and Validate, for the categories of
// both built-in editions (their indicators numbered here as the database would): no panic,
// problems only on the sheet's fields, and only scores on the scale kept.
func FuzzParse(f *testing.F) {
	var cats []*edition.Category
	for _, name := range edition.BuiltinNames() {
		def, err := edition.ParseBuiltin(name)
		if err != nil {
			f.Fatal(err)
		}
		ed, err := def.Resolve()
		if err != nil {
			f.Fatal(err)
		}
		id := int64(0)
		for i := range ed.Categories {
			c := &ed.Categories[i]
			for j := range c.Criteria {
				for k := range c.Criteria[j].Indicators {
					id++
					c.Criteria[j].Indicators[k].ID = id
				}
			}
			cats = append(cats, c)
		}
	}
	for _, s := range []string{
		"score.1=5&score.2=10&score.3=0&comment.innovation=Good&overall=Fine&version=3&action=next",
		"score.1=-1&score.2=11&score.3=x&score.4=%20%207%20&score.5=99999999999999999999&score.6=1.5",
		"comment.impact=%3Cscript%3Ealert(1)%3C%2Fscript%3E&overall=%00%FF&score.7=%EF%BC%95",
		"score.1=1&score.1=9&comment.=x&score.=1&score..1=2",
		"overall=" + strings.Repeat("w", 5001),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		vals, _ := url.ParseQuery(body)
		for _, cat := range cats {
			fields := map[string]bool{scoring.OverallField: true}
			for _, c := range cat.Criteria {
				fields[scoring.CommentField(c.Key)] = true
				for _, ind := range c.Indicators {
					fields[scoring.ScoreField(ind.ID)] = true
				}
			}
			in, errs := scoring.Parse(cat, vals.Get)
			for _, e := range errs {
				if !fields[e.Field] || e.Message == "" {
					t.Fatalf("problem %+v is not on a field of the sheet", e)
				}
			}
			for id, n := range in.Scores {
				if !fields[scoring.ScoreField(id)] || n < cat.Scale.Min || n > cat.Scale.Max {
					t.Fatalf("kept score %d for indicator %d (scale %d-%d)", n, id, cat.Scale.Min, cat.Scale.Max)
				}
			}
			for k, c := range in.Comments {
				if !fields[scoring.CommentField(k)] {
					t.Fatalf("kept a comment on %q", k)
				}
				if utf8.RuneCountInString(c) > scoring.MaxComment && errs.Get(scoring.CommentField(k)) == "" {
					t.Fatalf("a comment of %d characters without a problem", utf8.RuneCountInString(c))
				}
			}
			for _, e := range scoring.Validate(cat, in, true) {
				if !fields[e.Field] || e.Message == "" {
					t.Fatalf("Validate: problem %+v is not on a field of the sheet", e)
				}
			}
		}
	})
}
