// Package contextdata is the context data of round 1 (DOMAIN.md "Round 1": the
// secretariat may attach public city- and country-level data to an application for the
// analysis): a CSV of public indicators (population, GDP per capita, internet use ...) imported
// per edition, and the indicators that match an entry by its applicant's country and city.
//
// # The CSV format
//
// The file is UTF-8 text (with or without a byte order mark), comma-separated, with fields in
// double quotes where they contain commas, quotes or line breaks. The first row is a header that
// names the columns, in any order and in any letter case:
//
//	country    required  ISO 3166-1 alpha-2 code, e.g. KR
//	city       optional  the city's name; empty (or no such column) for a country-level value
//	indicator  required  a short name of lower-case letters, digits and underscores,
//	                     e.g. population, gdp_per_capita, internet_use
//	value      required  a number with a decimal point, e.g. 9411260, 34.98 or -0.5 (no
//	                     thousands separators, no decimal comma)
//	unit       optional  e.g. people, USD, % of population
//	year       required  four digits, e.g. 2022
//	source     required  e.g. World Bank WDI
//
// Example:
//
//	country,city,indicator,value,unit,year,source
//	KR,,population,51628117,people,2022,World Bank WDI
//	KR,Seoul,population,9411260,people,2022,Statistics Korea
//	NP,,internet_use,51.6,% of population,2021,"ITU, World Telecommunication Indicators"
//
// Rows whose fields are all empty are skipped. A file may hold at most MaxBytes bytes and MaxRows
// data rows. The same country, city, indicator and year may appear only once in a file; importing
// it again later replaces the value. Every problem is reported with its line number, and a file
// with any problem is not imported at all.
package contextdata

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"prizeportal/internal/blocks/country"
	"prizeportal/internal/blocks/numfmt"
	"prizeportal/internal/i18n"
)

// Limits bound one import.
type Limits struct {
	// MaxBytes is the largest file accepted.
	MaxBytes int64
	// MaxRows is the most data rows (not counting the header) a file may hold.
	MaxRows int
}

// The default limits of an import.
const (
	MaxBytes = 5 << 20
	MaxRows  = 50_000
)

// DefaultLimits are the limits of the import page.
var DefaultLimits = Limits{MaxBytes: MaxBytes, MaxRows: MaxRows}

// The field length limits (in characters).
const (
	maxCity   = 100
	maxUnit   = 40
	maxSource = 200
	maxValue  = 40
)

// Row is one data row of a file: one value of one indicator for a country (City "") or a city.
type Row struct {
	// Line is the row's line in the file (the first line is 1, the header).
	Line      int
	Country   string // ISO 3166-1 alpha-2, upper case
	City      string // trimmed; "" for a country-level value
	Indicator string
	// Value is the number as written (validated), stored exactly.
	Value  string
	Unit   string
	Year   int
	Source string
}

// Problem is one problem of a file. Line 0 is the file as a whole (too large, empty). Message
// says it in English; Text is the same carried for the reader's language (i18n.M, i18n.Msg).
type Problem struct {
	Line    int
	Message string
	Text    string
}

// problem is the problem msg (marked or carried) at line.
func problem(line int, msg string) Problem {
	return Problem{Line: line, Message: i18n.English(msg), Text: msg}
}

// Shown is the problem as the page lists it, carried for the reader's language: String's text.
func (p Problem) Shown() string {
	msg := p.Text
	if msg == "" {
		msg = p.Message
	}
	if p.Line == 0 {
		return msg
	}
	return i18n.Msg("line {{.Line}}: {{.Problem}}", "Line", p.Line, "Problem", msg)
}

// String is the problem as the page lists it: "line 14: country "XX" is not ...".
func (p Problem) String() string {
	if p.Line == 0 {
		return p.Message
	}
	return "line " + strconv.Itoa(p.Line) + ": " + p.Message
}

// Problems are every problem of a file, in line order. A non-empty Problems is an error.
type Problems []Problem

func (ps Problems) Error() string {
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = p.String()
	}
	return "contextdata: " + strings.Join(parts, "; ")
}

// The columns of the format.
const (
	colCountry   = "country"
	colCity      = "city"
	colIndicator = "indicator"
	colValue     = "value"
	colUnit      = "unit"
	colYear      = "year"
	colSource    = "source"
)

var (
	allColumns      = []string{colCountry, colCity, colIndicator, colValue, colUnit, colYear, colSource}
	requiredColumns = []string{colCountry, colIndicator, colValue, colYear, colSource}
	indicatorRE     = regexp.MustCompile(`^[a-z][a-z0-9_]{0,63}$`)
	numberRE        = regexp.MustCompile(`^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]{1,3})?$`)
	yearRE          = regexp.MustCompile(`^[0-9]{4}$`)
)

// maxAbsValue bounds a value: larger numbers are a mistake in the file (no indicator is that big).
const maxAbsValue = 1e18

// Parse reads a CSV file in the format of the package comment. It returns the data rows when the
// file has no problem, and otherwise every problem found (Problems, in line order) and no rows.
// Only a failure to read r is returned as another error.
func Parse(r io.Reader, lim Limits) ([]Row, error) {
	data, err := io.ReadAll(io.LimitReader(r, lim.MaxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("contextdata: read: %w", err)
	}
	if int64(len(data)) > lim.MaxBytes {
		return nil, Problems{problem(0, i18n.Msg("The file is larger than {{.Size}}. Split it into smaller files and import them one after the other.", "Size", sizeText(lim.MaxBytes)))}
	}
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, Problems{problem(0, i18n.Msg("The file is empty. The first line must name the columns, e.g. {{.Columns}}.", "Columns", strings.Join(allColumns, ",")))}
	}
	p := parser{lim: lim, seen: map[key]int{}}
	p.read(data)
	if len(p.problems) == 0 && len(p.rows) == 0 {
		p.add(0, i18n.M("The file has no data rows below its first line."))
	}
	if len(p.problems) > 0 {
		return nil, p.problems
	}
	return p.rows, nil
}

type key struct {
	country, city, indicator string
	year                     int
}

type parser struct {
	lim      Limits
	cols     map[string]int // column name -> index
	width    int
	rows     []Row
	problems Problems
	seen     map[key]int // the line of each key
}

// add records the problem msg (marked or carried) at line.
func (p *parser) add(line int, msg string) {
	p.problems = append(p.problems, problem(line, msg))
}

func (p *parser) read(data []byte) {
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1 // checked here, to report each line
	cr.ReuseRecord = false
	header := true
	nRows := 0
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return
		}
		var pe *csv.ParseError
		switch {
		case errors.As(err, &pe):
			p.add(pe.StartLine, parseErrorText(pe))
			if header {
				return // without the header, the rows cannot be read
			}
			nRows++
			continue
		case err != nil:
			p.add(0, i18n.M("The file could not be read as CSV."))
			return
		}
		line, _ := cr.FieldPos(0)
		if header {
			header = false
			if !p.header(line, rec) {
				return
			}
			continue
		}
		if blank(rec) {
			continue
		}
		nRows++
		if nRows > p.lim.MaxRows {
			p.add(line, i18n.Msg("the file has more than {{.Max}} data rows. Split it into smaller files and import them one after the other.", "Max", numfmt.Thousands(p.lim.MaxRows)))
			return
		}
		p.row(line, rec)
	}
}

// header reads the header row; false when the rows cannot be read.
func (p *parser) header(line int, rec []string) bool {
	p.cols = map[string]int{}
	p.width = len(rec)
	ok := true
	for i, name := range rec {
		if !utf8.ValidString(name) {
			p.add(line, i18n.M("the header is not UTF-8 text: save the file as \"CSV UTF-8\"."))
			return false
		}
		n := strings.ToLower(strings.TrimSpace(name))
		switch {
		case n == "" && len(rec) == 1:
			// an empty first line: reported below as missing columns
		case !contains(allColumns, n):
			if strings.Contains(n, ";") || strings.Contains(n, "\t") {
				p.add(line, i18n.M("the columns must be separated by commas (this file seems to use semicolons or tabs)."))
				return false
			}
			p.add(line, i18n.Msg("unknown column {{.Column}}: the columns are {{.Columns}}.", "Column", strconv.Quote(strings.TrimSpace(name)), "Columns", strings.Join(allColumns, ", ")))
			ok = false
		case hasKey(p.cols, n):
			p.add(line, i18n.Msg("the column {{.Column}} appears twice.", "Column", strconv.Quote(n)))
			ok = false
		default:
			p.cols[n] = i
		}
	}
	for _, c := range requiredColumns {
		if !hasKey(p.cols, c) {
			p.add(line, i18n.Msg("the column {{.Column}} is missing: the first line must name the columns, e.g. {{.Columns}}.", "Column", strconv.Quote(c), "Columns", strings.Join(allColumns, ",")))
			ok = false
		}
	}
	return ok
}

func (p *parser) row(line int, rec []string) {
	if len(rec) != p.width {
		p.add(line, i18n.Msg("{{.Fields}} fields, but the header names {{.Columns}} columns.", "Fields", len(rec), "Columns", p.width))
		return
	}
	for _, f := range rec {
		if !utf8.ValidString(f) {
			p.add(line, i18n.M("the line is not UTF-8 text: save the file as \"CSV UTF-8\"."))
			return
		}
		if strings.ContainsRune(f, 0) {
			// Postgres text cannot hold it; no real file has it.
			p.add(line, i18n.M("the line holds a NUL character, which is not text: save the file as \"CSV UTF-8\"."))
			return
		}
	}
	get := func(col string) string {
		if i, ok := p.cols[col]; ok {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	before := len(p.problems)
	row := Row{Line: line}

	c := get(colCountry)
	switch {
	case c == "":
		p.add(line, i18n.M("the country is missing."))
	case !country.Valid(c) || len(c) != 2:
		p.add(line, i18n.Msg("country {{.Value}} is not an ISO 3166-1 alpha-2 code (two letters, such as KR).", "Value", strconv.Quote(c)))
	default:
		row.Country = strings.ToUpper(c)
	}

	row.City = strings.Join(strings.Fields(get(colCity)), " ")
	if utf8.RuneCountInString(row.City) > maxCity {
		p.add(line, i18n.Msg("the city has more than {{.Max}} characters.", "Max", maxCity))
	}

	ind := get(colIndicator)
	switch {
	case ind == "":
		p.add(line, i18n.M("the indicator is missing."))
	case !indicatorRE.MatchString(strings.ToLower(ind)):
		p.add(line, i18n.Msg("indicator {{.Value}} must be a short name of letters, digits and underscores starting with a letter, such as gdp_per_capita.", "Value", strconv.Quote(clip(ind))))
	default:
		row.Indicator = strings.ToLower(ind)
	}

	v := get(colValue)
	switch {
	case v == "":
		p.add(line, i18n.M("the value is missing."))
	case len(v) > maxValue || !numberRE.MatchString(v):
		p.add(line, i18n.Msg("value {{.Value}} is not a number (write it like 1234567 or 12.3, without thousands separators).", "Value", strconv.Quote(clip(v))))
	default:
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || f > maxAbsValue || f < -maxAbsValue {
			p.add(line, i18n.Msg("value {{.Value}} is too large.", "Value", strconv.Quote(clip(v))))
		} else {
			row.Value = v
		}
	}

	row.Unit = get(colUnit)
	if utf8.RuneCountInString(row.Unit) > maxUnit {
		p.add(line, i18n.Msg("the unit has more than {{.Max}} characters.", "Max", maxUnit))
	}

	y := get(colYear)
	switch {
	case y == "":
		p.add(line, i18n.M("the year is missing."))
	case !yearRE.MatchString(y) || y[0] == '0':
		p.add(line, i18n.Msg("year {{.Value}} is not a year of four digits, such as 2022.", "Value", strconv.Quote(clip(y))))
	default:
		row.Year, _ = strconv.Atoi(y)
	}

	row.Source = get(colSource)
	switch {
	case row.Source == "":
		p.add(line, i18n.M("the source is missing (e.g. World Bank WDI)."))
	case utf8.RuneCountInString(row.Source) > maxSource:
		p.add(line, i18n.Msg("the source has more than {{.Max}} characters.", "Max", maxSource))
	}

	if len(p.problems) > before {
		return
	}
	k := key{row.Country, strings.ToLower(row.City), row.Indicator, row.Year}
	if first, dup := p.seen[k]; dup {
		p.add(line, i18n.Msg("the same country, city, indicator and year as line {{.Line}}.", "Line", first))
		return
	}
	p.seen[k] = line
	p.rows = append(p.rows, row)
}

// parseErrorText explains a CSV syntax error without the package's jargon.
func parseErrorText(pe *csv.ParseError) string {
	switch {
	case errors.Is(pe.Err, csv.ErrBareQuote):
		return i18n.M("a double quote inside a field that is not itself in double quotes (write the field in double quotes and double the quote inside: \"a \"\"b\"\" c\").")
	case errors.Is(pe.Err, csv.ErrQuote):
		return i18n.M("a field in double quotes is not closed (or a quote is followed by other characters).")
	}
	return i18n.M("this line is not valid CSV.")

}

func blank(rec []string) bool {
	for _, f := range rec {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func hasKey(m map[string]int, k string) bool {
	_, ok := m[k]
	return ok
}

// clip shortens what the file said for a message.
func clip(s string) string {
	if utf8.RuneCountInString(s) <= 40 {
		return s
	}
	return string([]rune(s)[:40]) + "…"
}

// sizeText shows a byte count as "5 MB" (or in KB or bytes for small limits).
func sizeText(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return strconv.FormatInt(n>>20, 10) + " MB"
	case n >= 1<<10 && n%(1<<10) == 0:
		return strconv.FormatInt(n>>10, 10) + " KB"
	}
	return strconv.FormatInt(n, 10) + " bytes"
}

// SizeText shows the file size limit of lim, e.g. "5 MB".
func (lim Limits) SizeText() string { return sizeText(lim.MaxBytes) }

// RowsText shows the row limit of lim, e.g. "50,000".
func (lim Limits) RowsText() string { return numfmt.Thousands(lim.MaxRows) }
