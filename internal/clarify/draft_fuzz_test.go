package clarify_test

import (
	"slices"
	"testing"
	"time"
	"unicode/utf8"

	"prizeportal/internal/blocks/form"
	"prizeportal/internal/clarify"
	"prizeportal/internal/edition/editiontest"
)

// FuzzDraftParse feeds arbitrary clarification requests (the secretariat's ask form) to
// Draft.Parse: no panic, problems only on the form's fields, and an accepted request has a
// question within the limit, a future deadline and only questions of the form.
func FuzzDraftParse(f *testing.F) {
	ed := editiontest.Resolved(f, "seoul-2023")
	fm := ed.Categories[0].Form
	loc := ed.TimeZone
	now := time.Date(2023, 6, 1, 9, 0, 0, 0, time.UTC)
	f.Add("Please send the budget.", "2023-06-15T18:00", "project_title", "budget")
	f.Add("", "2023-13-45T25:61", "nope", "")
	f.Add("<script>alert(1)</script>\r\n", "2023-05-01T00:00", "", "project_title")
	f.Add("\x00\xff", " 2023-06-15T18:00 ", "\u202e", "q.x")
	f.Fuzz(func(t *testing.T, question, deadline, key1, key2 string) {
		for _, target := range []*form.Form{fm, nil} {
			r, errs := clarify.Draft{Question: question, Deadline: deadline, Keys: []string{key1, key2, key1}}.Parse(target, loc, now)
			for _, e := range errs {
				if !slices.Contains([]string{"question", "deadline", "keys"}, e.Field) || e.Message == "" {
					t.Fatalf("problem %+v is not on a field of the form", e)
				}
			}
			if errs.Any() {
				continue
			}
			if r.Question == "" || utf8.RuneCountInString(r.Question) > clarify.MaxQuestionRunes || !r.Deadline.After(now) {
				t.Fatalf("accepted %+v", r)
			}
			for i, k := range r.Keys {
				if _, ok := target.Question(k); !ok || slices.Index(r.Keys, k) != i {
					t.Fatalf("accepted keys %q", r.Keys)
				}
			}
		}
	})
}
