package export_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"prizeportal/internal/export"
)

// TestCSVNeutralisesFormulas: a cell a spreadsheet would read as a formula is written with a
// leading apostrophe; the header row and plain cells are unchanged.
func TestCSVNeutralisesFormulas(t *testing.T) {
	var b bytes.Buffer
	if err := export.WriteCSV(&b, export.Table{Header: []string{"A", "B"}, Rows: [][]string{{"=HYPERLINK(\"x\")", "plain, with comma"}, {"-1", "@SUM"}}}); err != nil {
		t.Fatal(err)
	}
	want := "\ufeffA,B\n\"'=HYPERLINK(\"\"x\"\")\",\"plain, with comma\"\n'-1,'@SUM\n"
	if b.String() != want {
		t.Fatalf("csv %q, want %q", b.String(), want)
	}
}

// TestSheetNames: names are at most 31 characters, without the characters Excel refuses, and
// unique (case-insensitively).
func TestSheetNames(t *testing.T) {
	taken := map[string]bool{}
	long := "Scores, A category with a very long name indeed"
	a, b := export.SheetName(long, taken), export.SheetName(strings.ToUpper(long), taken)
	if len([]rune(a)) > 31 || len([]rune(b)) > 31 || strings.EqualFold(a, b) || !strings.HasSuffix(b, " (2)") {
		t.Fatalf("names %q %q", a, b)
	}
	if got := export.SheetName("Q1/Q2: [draft]?", taken); got != "Q1-Q2- -draft--" {
		t.Fatalf("cleaned %q", got)
	}
}

// TestEncode: XLSX gives a sheet per table that excelize reads back; CSV gives one file for
// one table and a ZIP for several.
func TestEncode(t *testing.T) {
	tables := []export.Table{{Name: "One", Header: []string{"H"}, Rows: [][]string{{"=1+1"}}}, {Name: "Two", Header: []string{"K"}}}
	data, ext, ctype, err := export.Encode(tables, export.XLSX, time.Now())
	if err != nil || ext != ".xlsx" || ctype != export.ContentXLSX {
		t.Fatalf("xlsx: %q %q %v", ext, ctype, err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); len(got) != 2 || got[0] != "One" || got[1] != "Two" {
		t.Fatalf("sheets %q", got)
	}
	if v, _ := f.GetCellValue("One", "A2"); v != "=1+1" {
		t.Fatalf("A2 %q", v)
	}
	if formula, _ := f.GetCellFormula("One", "A2"); formula != "" {
		t.Fatalf("a text cell became the formula %q", formula)
	}
	if _, ext, _, _ := export.Encode(tables[:1], export.CSV, time.Now()); ext != ".csv" {
		t.Fatalf("one table as %q", ext)
	}
	if _, ext, ctype, _ := export.Encode(tables, export.CSV, time.Now()); ext != ".zip" || ctype != export.ContentZIP {
		t.Fatalf("two tables as %q %q", ext, ctype)
	}
}

func TestSafeCell(t *testing.T) {
	for in, want := range map[string]string{
		"=HYPERLINK(\"x\")": "'=HYPERLINK(\"x\")", "+1": "'+1", "-2": "'-2", "@SUM(A1)": "'@SUM(A1)",
		"\tx": "'\tx", "\rx": "'\rx", "Seoul": "Seoul", "": "", "3.50": "3.50", "a=b": "a=b",
	} {
		if got := export.SafeCell(in); got != want {
			t.Errorf("SafeCell(%q) = %q, want %q", in, got, want)
		}
	}
}
