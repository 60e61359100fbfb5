package mention

import (
	"slices"
	"testing"
	"unicode/utf8"

	"prizeportal/internal/blocks/country"
	"prizeportal/internal/edition/editiontest"
)

// FuzzClean feeds arbitrary special-mention forms to clean: no panic, problems only on the
// form's fields, and an accepted mention within the limits.
func FuzzClean(f *testing.F) {
	ed := editiontest.Resolved(f, "seoul-2023")
	award := ""
	if len(ed.SpecialMentions.Awards) > 0 {
		award = ed.SpecialMentions.Awards[0].Name
	}
	f.Add(award, int64(0), "Busan", "Busan", "kr", "WeGO", "For its open data.")
	f.Add("nope", int64(12), "", "", "", "", "")
	f.Add(award, int64(-1), "<script>alert(1)</script>", "\x00", "XX", "\u202e", "\xff\xfe")
	f.Fuzz(func(t *testing.T, aw string, app int64, name, city, countryCode, partner, citation string) {
		in, errs := clean(ed, Input{Award: aw, ApplicationID: app, Name: name, City: city, Country: countryCode, Partner: partner, Citation: citation})
		for _, e := range errs {
			if !slices.Contains([]string{"award", "application", "name", "city", "country", "partner", "citation"}, e.Field) || e.Message == "" {
				t.Fatalf("problem %+v is not on a field of the form", e)
			}
		}
		if errs.Any() {
			return
		}
		if in.Partner == "" || in.Citation == "" || utf8.RuneCountInString(in.Citation) > MaxCitation ||
			utf8.RuneCountInString(in.Partner) > MaxPartner || utf8.RuneCountInString(in.Name) > MaxName ||
			(in.Country != "" && !country.Valid(in.Country)) || (in.ApplicationID == 0 && in.Name == "") {
			t.Fatalf("accepted %+v", in)
		}
	})
}
