package contextdata_test

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"prizeportal/internal/contextdata"
)

const header = "country,city,indicator,value,unit,year,source\n"

func parse(t *testing.T, s string, lim contextdata.Limits) ([]contextdata.Row, contextdata.Problems) {
	t.Helper()
	rows, err := contextdata.Parse(strings.NewReader(s), lim)
	if err == nil {
		return rows, nil
	}
	var ps contextdata.Problems
	if !errors.As(err, &ps) {
		t.Fatalf("Parse: %v", err)
	}
	if rows != nil {
		t.Errorf("rows returned along with problems: %v", rows)
	}
	return nil, ps
}

func TestParseGoodFile(t *testing.T) {
	in := header +
		"KR,,population,51628117,people,2022,World Bank WDI\n" +
		"kr, Seoul ,Population,9411260,people,2022,Statistics Korea\n" +
		"\n" + // blank lines are skipped
		",,,,,,\n" + // so are rows of empty fields
		`NP,,internet_use,51.6,% of population,2021,"ITU, World Telecommunication Indicators"` + "\n" +
		`BR,"São   Paulo",gdp_per_capita,-0.5e3,"USD ""current""",2020,IBGE` + "\r\n"
	rows, ps := parse(t, in, contextdata.DefaultLimits)
	if ps != nil {
		t.Fatalf("problems: %v", ps)
	}
	want := []contextdata.Row{
		{Line: 2, Country: "KR", Indicator: "population", Value: "51628117", Unit: "people", Year: 2022, Source: "World Bank WDI"},
		{Line: 3, Country: "KR", City: "Seoul", Indicator: "population", Value: "9411260", Unit: "people", Year: 2022, Source: "Statistics Korea"},
		{Line: 6, Country: "NP", Indicator: "internet_use", Value: "51.6", Unit: "% of population", Year: 2021, Source: "ITU, World Telecommunication Indicators"},
		{Line: 7, Country: "BR", City: "São Paulo", Indicator: "gdp_per_capita", Value: "-0.5e3", Unit: `USD "current"`, Year: 2020, Source: "IBGE"},
	}
	if !reflect.DeepEqual(rows, want) {
		t.Errorf("rows:\n got %+v\nwant %+v", rows, want)
	}
}

// TestParseColumns: the columns may come in any order and letter case; city and unit may be left
// out; a byte order mark is ignored.
func TestParseColumns(t *testing.T) {
	in := "\uFEFFSource,Year,Value,Indicator,Country\r\nWorld Bank WDI,2022,51628117,population,KR\r\n"
	rows, ps := parse(t, in, contextdata.DefaultLimits)
	if ps != nil {
		t.Fatalf("problems: %v", ps)
	}
	want := []contextdata.Row{{Line: 2, Country: "KR", Indicator: "population", Value: "51628117", Year: 2022, Source: "World Bank WDI"}}
	if !reflect.DeepEqual(rows, want) {
		t.Errorf("rows:\n got %+v\nwant %+v", rows, want)
	}
}

// TestParseProblems: every kind of problem is reported with its line, and all of them at once.
func TestParseProblems(t *testing.T) {
	in := header +
		"KR,,population,51628117,people,2022,World Bank WDI\n" + // 2: fine
		"XX,,population,1,,2022,WB\n" + // 3
		",,population,1,,2022,WB\n" + // 4
		"KR,,GDP per capita,1,,2022,WB\n" + // 5
		"KR,,,1,,2022,WB\n" + // 6
		`KR,,gdp,"12,3",,2022,WB` + "\n" + // 7
		"KR,,gdp,,,2022,WB\n" + // 8
		"KR,,gdp,1e400,,2022,WB\n" + // 9
		"KR,,gdp,1,,22,WB\n" + // 10
		"KR,,gdp,1,,,WB\n" + // 11
		"KR,,gdp,1,,2022,\n" + // 12
		"KR,,gdp,1,2022,WB\n" + // 13: a field short
		"KR,,POPULATION,2,people,2022,Other\n" + // 14: same key as line 2
		"KR,Seoul,population,2,people,2022,Other\n" + // 15: fine (a city)
		"KR,seoul,population,3,people,2022,Other\n" + // 16: same key as line 15
		"KR,,gdp,1,,2022,W\"B\n" + // 17: bare quote
		"KR,,gdp,1,,2022,\xff\xfe\n" + // 18: not UTF-8
		"QQ,,gdp,x,,year,\n" // 19: several problems on one line
	_, ps := parse(t, in, contextdata.DefaultLimits)
	var got []string
	for _, p := range ps {
		got = append(got, p.String())
	}
	want := []string{
		`line 3: country "XX" is not an ISO 3166-1 alpha-2 code (two letters, such as KR).`,
		`line 4: the country is missing.`,
		`line 5: indicator "GDP per capita" must be a short name of letters, digits and underscores starting with a letter, such as gdp_per_capita.`,
		`line 6: the indicator is missing.`,
		`line 7: value "12,3" is not a number (write it like 1234567 or 12.3, without thousands separators).`,
		`line 8: the value is missing.`,
		`line 9: value "1e400" is too large.`,
		`line 10: year "22" is not a year of four digits, such as 2022.`,
		`line 11: the year is missing.`,
		`line 12: the source is missing (e.g. World Bank WDI).`,
		`line 13: 6 fields, but the header names 7 columns.`,
		`line 14: the same country, city, indicator and year as line 2.`,
		`line 16: the same country, city, indicator and year as line 15.`,
		`line 17: a double quote inside a field that is not itself in double quotes (write the field in double quotes and double the quote inside: "a ""b"" c").`,
		`line 18: the line is not UTF-8 text: save the file as "CSV UTF-8".`,
		`line 19: country "QQ" is not an ISO 3166-1 alpha-2 code (two letters, such as KR).`,
		`line 19: value "x" is not a number (write it like 1234567 or 12.3, without thousands separators).`,
		`line 19: year "year" is not a year of four digits, such as 2022.`,
		`line 19: the source is missing (e.g. World Bank WDI).`,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("problems:\n got %s\nwant %s", strings.Join(got, "\n     "), strings.Join(want, "\n     "))
	}
}

func TestParseHeaderProblems(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"", "The file is empty. The first line must name the columns, e.g. country,city,indicator,value,unit,year,source."},
		{"\uFEFF \n", "The file is empty. The first line must name the columns, e.g. country,city,indicator,value,unit,year,source."},
		{header, "The file has no data rows below its first line."},
		{"country;city;indicator;value;unit;year;source\nKR;;population;1;;2022;WB\n",
			"line 1: the columns must be separated by commas (this file seems to use semicolons or tabs)."},
		{"country,city,indicator,value,unit,year\nKR,,population,1,,2022\n",
			`line 1: the column "source" is missing: the first line must name the columns, e.g. country,city,indicator,value,unit,year,source.`},
		{"country,contry,indicator,value,year,source\n", `line 1: unknown column "contry": the columns are country, city, indicator, value, unit, year, source.`},
		{"country,Country,indicator,value,year,source\n", `line 1: the column "country" appears twice.`},
		{"\"country,indicator\n", `line 1: a field in double quotes is not closed (or a quote is followed by other characters).`},
	} {
		_, ps := parse(t, c.in, contextdata.DefaultLimits)
		if len(ps) == 0 || ps[0].String() != c.want {
			t.Errorf("%q: problems %v, want first %q", c.in, ps, c.want)
		}
	}
}

func TestParseLimits(t *testing.T) {
	var b strings.Builder
	b.WriteString(header)
	for i := range 11 {
		fmt.Fprintf(&b, "KR,,indicator_%d,1,,2022,WB\n", i)
	}
	lim := contextdata.Limits{MaxBytes: 1 << 20, MaxRows: 10}
	_, ps := parse(t, b.String(), lim)
	want := "line 12: the file has more than 10 data rows. Split it into smaller files and import them one after the other."
	if len(ps) != 1 || ps[0].String() != want {
		t.Errorf("rows over the limit: %v, want %q", ps, want)
	}
	// Exactly at the limit is fine.
	lim.MaxRows = 11
	if rows, ps := parse(t, b.String(), lim); ps != nil || len(rows) != 11 {
		t.Errorf("at the row limit: %d rows, problems %v", len(rows), ps)
	}

	lim = contextdata.Limits{MaxBytes: int64(b.Len() - 1), MaxRows: 100}
	_, ps = parse(t, b.String(), lim)
	if len(ps) != 1 || ps[0].Line != 0 || !strings.HasPrefix(ps[0].Message, "The file is larger than") {
		t.Errorf("too large: %v", ps)
	}
	lim.MaxBytes = 5 << 20
	if lim.SizeText() != "5 MB" || contextdata.DefaultLimits.RowsText() != "50,000" {
		t.Errorf("limit texts %q, %q", lim.SizeText(), contextdata.DefaultLimits.RowsText())
	}
}

// TestParseMultilineField: a quoted field over two lines; the next row's line number follows
// the file.
func TestParseMultilineField(t *testing.T) {
	in := header + "KR,,population,1,,2022,\"World Bank\nWDI\"\nXX,,population,1,,2022,WB\n"
	_, ps := parse(t, in, contextdata.DefaultLimits)
	if len(ps) != 1 || ps[0].Line != 4 {
		t.Errorf("problems %v, want one on line 4", ps)
	}
}
