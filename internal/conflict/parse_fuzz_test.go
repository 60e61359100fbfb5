package conflict

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"prizeportal/internal/blocks/country"
)

// FuzzParse feeds arbitrary registry and declaration forms to parse: it never panics, its
// problems name the form's own fields, and what it accepts is within the limits and normalised
// (what the database stores and the matching compares).
func FuzzParse(f *testing.F) {
	for _, s := range [][6]string{
		{"", "WeGO", "World Smart Sustainable Cities Organization\nwego\n\n; WSSCO", "wego-net.org, https://www.WeGO-net.org/about", "kr", "note"},
		{"organisation", " - ", "", "wego-net.org, nonsense", "XX", ""},
		{"city", "Seoul", "", "", "", ""},
		{"person", "Kim Min-jun", "x", "", "KR", " Kim@Example.org "},
		{"person", "Kim", "", "", "", "kim at example"},
		{"organisation", "The  <script>alert(1)</script>", strings.Repeat("a;", 30), strings.Repeat("x.org,", 30), "", strings.Repeat("n", 1001)},
		{"city", "\x00\xff", "\u202e", "@@@", "\u0000K", "a@b"},
	} {
		f.Add(s[0], s[1], s[2], s[3], s[4], s[5])
	}
	fields := []string{"name", "aliases", "domains", "country", "email", "note"}
	f.Fuzz(func(t *testing.T, kind, name, aliases, domains, countryCode, extra string) {
		for _, registry := range []bool{true, false} {
			in := Input{Kind: Kind(kind), Name: name, Aliases: aliases, Domains: domains, Country: countryCode, Email: extra, Note: extra}
			p, errs := parse(in, registry)
			for _, e := range errs {
				if !slices.Contains(fields, e.Field) || e.Message == "" {
					t.Fatalf("problem %+v is not on a field of the form", e)
				}
			}
			if errs.Any() {
				continue
			}
			if p.name == "" || Norm(p.name) == "" || utf8.RuneCountInString(p.name) > MaxName || utf8.RuneCountInString(p.note) > MaxNote {
				t.Fatalf("accepted name %q, note of %d characters", p.name, utf8.RuneCountInString(p.note))
			}
			if len(p.aliases) > MaxAliases || len(p.domains) > MaxDomains {
				t.Fatalf("accepted %d aliases, %d domains", len(p.aliases), len(p.domains))
			}
			for _, d := range p.domains {
				if nd, ok := NormDomain(d); !ok || nd != d {
					t.Fatalf("accepted domain %q", d)
				}
			}
			if p.countryCode != "" && !country.Valid(p.countryCode) {
				t.Fatalf("accepted country %q", p.countryCode)
			}
		}
	})
}
