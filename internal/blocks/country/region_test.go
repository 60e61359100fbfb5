package country

import (
	"strings"
	"testing"
)

// TestRegions: every listed country but Antarctica has exactly one M49 region, and the table
// lists no code that is not a country.
func TestRegions(t *testing.T) {
	seen := map[string]string{}
	for code, list := range m49 {
		for _, c := range strings.Fields(list) {
			if prev, dup := seen[c]; dup {
				t.Errorf("%s is in regions %s and %s", c, prev, code)
			}
			seen[c] = code
			if !Valid(c) {
				t.Errorf("region %s lists %s, which is not a country", code, c)
			}
		}
	}
	for _, c := range All() {
		_, ok := RegionOf(c.Code)
		if want := c.Code != "AQ"; ok != want {
			t.Errorf("%s (%s): has a region = %v, want %v", c.Code, c.Name, ok, want)
		}
	}
}

func TestRegionOf(t *testing.T) {
	for code, want := range map[string]string{
		"KR": "Asia", "kr": "Asia", " TR ": "Asia", "CY": "Asia", "RU": "Europe", "GB": "Europe",
		"US": "Americas", "GL": "Americas", "BR": "Americas", "EG": "Africa", "ZA": "Africa",
		"AU": "Oceania", "NZ": "Oceania", "UM": "Oceania",
	} {
		r, ok := RegionOf(code)
		if !ok || r.Name != want {
			t.Errorf("RegionOf(%q) = %+v, %v; want %s", code, r, ok, want)
		}
	}
	for _, code := range []string{"AQ", "XX", ""} {
		if r, ok := RegionOf(code); ok {
			t.Errorf("RegionOf(%q) = %+v", code, r)
		}
	}
	if r, _ := RegionOf("JP"); r.Code != "142" {
		t.Errorf("Asia's M49 code = %q", r.Code)
	}
}
