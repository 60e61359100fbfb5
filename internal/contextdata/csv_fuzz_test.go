package contextdata_test

import (
	"errors"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"prizeportal/internal/blocks/country"
	"prizeportal/internal/contextdata"
)

var (
	fuzzIndicatorRE = regexp.MustCompile(`^[a-z][a-z0-9_]{0,63}$`)
	fuzzYearRE      = regexp.MustCompile(`^[1-9][0-9]{3}$`)
)

// FuzzParse feeds arbitrary files to the context data import: it never panics, a refused file
// gets only problems that say something, in line order, and an accepted file gives rows that
// the database and the pages can take as they are.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		header + "KR,,population,51628117,people,2022,World Bank WDI\nKR,Seoul,population,9411260,people,2022,Statistics Korea\n",
		"\uFEFFSource,Year,Value,Indicator,Country\r\nWorld Bank WDI,2022,51628117,population,KR\r\n",
		header + `NP,,internet_use,51.6,% of population,2021,"ITU, World ""Telecom"" Indicators"` + "\n",
		header + "KR,,population,1e400,people,2022,x\nXX,,population,1,people,0999,\nKR,,Population!,1,,2022,x\n",
		header + "KR,\"Seoul\nGangnam\",population,1,people,2022,x\nKR,a,b\n",
		"country;city;indicator\nKR;;population\n",
		header + "KR,Se\x00oul,population,1,people,2022,src\n",
		header + "KR,\xff\xfe,population,1,people,2022,src\n",
		header + "\"KR,,population,1,people,2022,src\n",
		"",
		"\n\n",
		header,
	} {
		f.Add([]byte(s), uint8(10))
	}
	f.Fuzz(func(t *testing.T, data []byte, maxRows uint8) {
		lim := contextdata.Limits{MaxBytes: 1 << 16, MaxRows: int(maxRows)}
		rows, err := contextdata.Parse(strings.NewReader(string(data)), lim)
		if err != nil {
			var ps contextdata.Problems
			if !errors.As(err, &ps) || len(ps) == 0 || rows != nil {
				t.Fatalf("Parse = %v rows, %v", len(rows), err)
			}
			if !slices.IsSortedFunc(ps, func(a, b contextdata.Problem) int { return a.Line - b.Line }) && !sortedByFirst(ps) {
				t.Fatalf("problems out of line order: %v", ps)
			}
			for _, p := range ps {
				if strings.TrimSpace(p.Message) == "" || !utf8.ValidString(p.String()) || p.Line < 0 {
					t.Fatalf("unclear problem %+v", p)
				}
			}
			return
		}
		if len(rows) == 0 || len(rows) > lim.MaxRows {
			t.Fatalf("%d rows accepted (limit %d)", len(rows), lim.MaxRows)
		}
		for _, r := range rows {
			if !country.Valid(r.Country) || !fuzzIndicatorRE.MatchString(r.Indicator) || !fuzzYearRE.MatchString(strconv.Itoa(r.Year)) {
				t.Fatalf("row accepted with a bad key: %+v", r)
			}
			if _, err := strconv.ParseFloat(r.Value, 64); err != nil {
				t.Fatalf("row accepted with value %q", r.Value)
			}
			for _, s := range []string{r.City, r.Unit, r.Source} {
				if !utf8.ValidString(s) || strings.ContainsRune(s, 0) || s != strings.TrimSpace(s) {
					t.Fatalf("row accepted with text the database refuses or shows badly: %+v", r)
				}
			}
			if r.Source == "" || utf8.RuneCountInString(r.City) > 100 || utf8.RuneCountInString(r.Unit) > 40 || utf8.RuneCountInString(r.Source) > 200 {
				t.Fatalf("row accepted outside the limits: %+v", r)
			}
		}
	})
}

// sortedByFirst accepts the one exception to line order: problems of the file as a whole (line
// 0) may come after those of its lines.
func sortedByFirst(ps contextdata.Problems) bool {
	var lines []int
	for _, p := range ps {
		if p.Line > 0 {
			lines = append(lines, p.Line)
		}
	}
	return slices.IsSorted(lines)
}
