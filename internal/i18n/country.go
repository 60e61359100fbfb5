package i18n

import (
	"context"
	"slices"
	"strings"
	"sync"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"prizeportal/internal/blocks/country"
)

// A country is carried as its ISO 3166-1 alpha-2 code until it is shown (like a time), so a view
// can name it without knowing the language: English names are the portal's own list (package
// country), other languages take CLDR's names of the region.
const countryMark = "\x1c"

// Country is the country of code, shown in the reader's language by T: "Korea (South)" /
// "대한민국". An unknown code is shown as it is.
func Country(code string) string {
	code = strings.ToUpper(strings.TrimSpace(code))
	if code == "" {
		return ""
	}
	return countryMark + code
}

// IsCountry reports whether s is a country carried by Country.
func IsCountry(s string) bool { return strings.HasPrefix(s, countryMark) }

var regionNamers sync.Map // language code → display.Namer

// country is the name of a carried country in the localizer's language.
func (l *Localizer) country(s string) string {
	code := strings.TrimPrefix(s, countryMark)
	english := country.Name(code)
	if english == "" {
		return code
	}
	if l.lang == "en" || l.pseudo {
		return english
	}
	namer, ok := regionNamers.Load(l.lang)
	if !ok {
		namer, _ = regionNamers.LoadOrStore(l.lang, display.Regions(language.Make(l.lang)))
	}
	region, err := language.ParseRegion(code)
	if err != nil {
		return english
	}
	if name := namer.(display.Namer).Name(region); name != "" {
		return name
	}
	return english
}

// SortCountries orders the carried countries among labels by their names in ctx's language,
// leaving every other label where it is (the empty choice first, say). English keeps the order
// it was given: the portal's list is sorted by its English names already.
func SortCountries[T any](ctx context.Context, items []T, label func(T) string) []T {
	l := From(ctx)
	if l.lang == "en" || l.pseudo {
		return items
	}
	var slots []int
	var countries []T
	for i, it := range items {
		if IsCountry(label(it)) {
			slots = append(slots, i)
			countries = append(countries, it)
		}
	}
	if len(countries) < 2 {
		return items
	}
	rank := l.countryRanks()
	slices.SortStableFunc(countries, func(a, b T) int {
		return rank[strings.TrimPrefix(label(a), countryMark)] - rank[strings.TrimPrefix(label(b), countryMark)]
	})
	out := slices.Clone(items)
	for i, slot := range slots {
		out[slot] = countries[i]
	}
	return out
}

var countryRanks sync.Map // language code → map[alpha-2 code]int

// countryRanks is the place of every country in the order of its name in the localizer's
// language (its collation), computed once per language.
func (l *Localizer) countryRanks() map[string]int {
	if r, ok := countryRanks.Load(l.lang); ok {
		return r.(map[string]int)
	}
	all := country.All()
	names := make(map[string]string, len(all))
	codes := make([]string, len(all))
	for i, c := range all {
		codes[i], names[c.Code] = c.Code, l.country(countryMark+c.Code)
	}
	col := collate.New(language.Make(l.lang))
	slices.SortStableFunc(codes, func(a, b string) int { return col.CompareString(names[a], names[b]) })
	rank := make(map[string]int, len(codes))
	for i, c := range codes {
		rank[c] = i
	}
	r, _ := countryRanks.LoadOrStore(l.lang, rank)
	return r.(map[string]int)
}
