package nomination_test

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"prizeportal/internal/account"
	"prizeportal/internal/blocks/country"
	"prizeportal/internal/blocks/field"
	"prizeportal/internal/edition"
	"prizeportal/internal/edition/editiontest"
	"prizeportal/internal/nomination"
)

// fuzzRules are the nomination rules of the built-in 2023 leadership category.
func fuzzRules(f *testing.F) *edition.Nominations {
	ed := editiontest.Resolved(f, "seoul-2023")
	for _, c := range ed.Categories {
		if c.Nominations != nil {
			return c.Nominations
		}
	}
	f.Fatal("seoul-2023 has no nomination rules")
	return nil
}

// checkErrors fails unless every problem is on one of the form's fields, with a message.
func checkErrors(t *testing.T, errs field.Errors, fields ...string) {
	t.Helper()
	for _, e := range errs {
		if !slices.Contains(fields, e.Field) || strings.TrimSpace(e.Message) == "" {
			t.Fatalf("problem %+v is not on a field of the form %v", e, fields)
		}
	}
}

// short fails unless every accepted text is trimmed and at most n characters.
func short(t *testing.T, n int, texts ...string) {
	t.Helper()
	for _, s := range texts {
		if s != strings.TrimSpace(s) || utf8.RuneCountInString(s) > n {
			t.Fatalf("accepted %q", s)
		}
	}
}

// FuzzDetails feeds arbitrary nomination details (the nominator's form) to Normalize and
// Validate: no panic, problems on the form's fields, accepted details within the limits.
func FuzzDetails(f *testing.F) {
	f.Add(false, "smart-city-professional", "WeGO", "Kim Min-jun", "kim@example.org", "Seoul Metropolitan Government", "Mayor", "Seoul", "kr", true)
	f.Add(true, "", "", "  ", "not an email", "", "", "", "", false)
	f.Add(false, "nope", strings.Repeat("x", 301), "<script>alert(1)</script>", "a@b.c\x00", "\u202e", "\xff", strings.Repeat("y", 201), "XX", true)
	f.Add(false, "smart-city-professional", "WeGO", "Kim\r\nBcc: x@example.org", "kim@example.org", "Seoul Metropolitan Government", "Mayor", "Busan\r\nBcc: x", "KR", true)
	rules := fuzzRules(f)
	f.Fuzz(func(t *testing.T, self bool, cat, org, name, email, candOrg, position, city, ctry string, head bool) {
		d := nomination.Details{Self: self, NominatorCategory: cat, NominatorOrganisation: org, CandidateName: name,
			CandidateEmail: email, CandidateOrganisation: candOrg, CandidatePosition: position, CandidateCity: city,
			CandidateCountry: ctry, CandidateIsHead: head}
		d.Normalize()
		errs := d.Validate(rules)
		checkErrors(t, errs, "nominator_category", "nominator_organisation", "candidate_name", "candidate_email",
			"candidate_organisation", "candidate_position", "candidate_city", "candidate_country")
		if errs.Any() {
			return
		}
		short(t, 300, d.NominatorOrganisation, d.CandidateName, d.CandidateEmail, d.CandidateOrganisation, d.CandidatePosition)
		short(t, 200, d.CandidateCity)
		if !country.Valid(d.CandidateCountry) {
			t.Fatalf("accepted country %q", d.CandidateCountry)
		}
		if !account.ValidEmail(d.CandidateEmail) || d.CandidateName == "" || field.NameProblem(d.CandidateName) != "" {
			t.Fatalf("accepted %+v", d)
		}
	})
}

// FuzzSignature feeds arbitrary endorsements (the public endorsement page) to Normalize and
// Validate.
func FuzzSignature(f *testing.F) {
	f.Add("Lee Ji-eun", "Seoul", "kr", "lee@example.org", true)
	f.Add("", "", "XX", "lee@", false)
	f.Add("<img src=x onerror=alert(1)>", strings.Repeat("가", 301), "\x00\x00", "a@b.c", true)
	f.Add("Lee\nJi-eun", "Seoul", "kr", "lee@example.org", true)
	f.Fuzz(func(t *testing.T, name, city, countryCode, email string, confirm bool) {
		s := nomination.Signature{Name: name, City: city, Country: countryCode, Email: email, Confirm: confirm}
		s.Normalize()
		errs := s.Validate()
		checkErrors(t, errs, "name", "city", "country", "email", "confirm")
		if errs.Any() {
			return
		}
		short(t, 300, s.Name, s.City, s.Email)
		if !s.Confirm || s.Name == "" || field.NameProblem(s.Name) != "" || !account.ValidEmail(s.Email) {
			t.Fatalf("accepted %+v", s)
		}
	})
}

// FuzzLetter feeds arbitrary letter invitations (the nominator's form) and letters (the
// recommender's form) to Normalize and Validate.
func FuzzLetter(f *testing.F) {
	f.Add("Park", "park@example.org", "Busan City", "Mayor", "city-head", "I recommend the candidate.", false)
	f.Add("", "kim@example.org", "Seoul Metropolitan Government", "", "peer", "", true)
	f.Add("\u202egpj.exe", "x@y", strings.Repeat("o", 400), "\x00", "", strings.Repeat("word ", 2001), false)
	f.Add("Park\u2028Ji", "park@example.org", "Busan City", "Mayor", "city-head", "I recommend the candidate.", false)
	rules := fuzzRules(f)
	n := &nomination.Nomination{Details: nomination.Details{CandidateEmail: "kim@example.org",
		CandidateOrganisation: "Seoul Metropolitan Government", CandidateIsHead: true}}
	f.Fuzz(func(t *testing.T, name, email, org, title, cat, text string, hasFile bool) {
		inv := nomination.Invitation{Name: name, Email: email, Organisation: org}
		inv.Normalize()
		errs := inv.Validate(n)
		checkErrors(t, errs, "name", "email", "organisation")
		if !errs.Any() {
			short(t, 300, inv.Name, inv.Email, inv.Organisation)
			if strings.EqualFold(inv.Email, n.CandidateEmail) || nomination.SameOrganisation(inv.Organisation, n.CandidateOrganisation) || field.NameProblem(inv.Name) != "" {
				t.Fatalf("accepted %+v", inv)
			}
		}
		sub := nomination.Submission{Name: name, Title: title, Organisation: org, Category: cat, Text: text}
		sub.Normalize()
		errs = sub.Validate(rules, hasFile)
		checkErrors(t, errs, "name", "title", "organisation", "category", "letter_text", "letter_file")
		if !errs.Any() {
			short(t, 300, sub.Name, sub.Title, sub.Organisation)
			if c, ok := rules.Category(sub.Category); !ok || !c.Head || field.NameProblem(sub.Name) != "" || (sub.Text == "") == !hasFile || nomination.Words(sub.Text) > nomination.MaxLetterWords {
				t.Fatalf("accepted %+v (file %v)", sub, hasFile)
			}
		}
	})
}

// A self-nomination names the nominator as the candidate; a third party's keeps what was typed.
func TestDetailsBy(t *testing.T) {
	t.Parallel()
	u := account.User{Name: "Ana Kim", Email: "ana@example.org"}
	self := nomination.Details{Self: true, CandidateName: "Someone", CandidateEmail: "x@example.org",
		NominatorOrganisation: " WeGO ", CandidatePosition: " Director "}.By(u)
	if self.CandidateName != "Ana Kim" || self.CandidateEmail != "ana@example.org" || self.CandidateOrganisation != "WeGO" ||
		self.NominatorOrganisation != "WeGO" || self.CandidatePosition != "Director" {
		t.Fatalf("self-nomination: %+v", self)
	}
	third := nomination.Details{CandidateName: " Kim ", CandidateEmail: "kim@example.org", NominatorOrganisation: "City"}.By(u)
	if third.CandidateName != "Kim" || third.CandidateEmail != "kim@example.org" || third.NominatorOrganisation != "City" {
		t.Fatalf("third party: %+v", third)
	}
}
