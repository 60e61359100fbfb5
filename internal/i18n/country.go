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
	c := collate.New(language.Make(l.lang))
	slices.SortStableFunc(countries, func(a, b T) int {
		return c.CompareString(l.country(label(a)), l.country(label(b)))
	})
	out := slices.Clone(items)
	for i, slot := range slots {
		out[slot] = countries[i]
	}
	return out
}
