package pdfdoc

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strings"
	"testing"
	"time"
)

var testTime = time.Date(2023, 5, 31, 23, 10, 0, 0, time.UTC)

func TestCoverage(t *testing.T) {
	t.Parallel()
	for w, c := range fontCoverage() {
		// DejaVu first: Latin, Greek, Cyrillic and symbols keep their
		// look; NanumGothic only for what DejaVu lacks.
		for _, r := range "Aaé߀•—…�ŁąΩαЖжЇ→«» " {
			if f := c.faceOf(r); f != 0 {
				t.Errorf("weight %d: %q (U+%04X) in face %d, want DejaVu", w, r, r, f)
			}
		}
		for _, r := range "한서김민지재단中東京都上海市あこんにちはカタ世界" {
			if f := c.faceOf(r); f != 1 {
				t.Errorf("weight %d: %q (U+%04X) in face %d, want NanumGothic", w, r, r, f)
			}
		}
		for _, r := range []rune{0x1F642, -1, 0x110000, '\uE000', '东'} {
			if f := c.faceOf(r); f != -1 {
				t.Errorf("weight %d: face %d claims %q (U+%04X)", w, f, r, r)
			}
		}
	}
}

func TestEachRun(t *testing.T) {
	t.Parallel()
	covs := fontCoverage()
	c := &covs[0]
	for in, want := range map[string]string{
		"":                   "",
		"Seoul":              "0[Seoul]",
		"서울디지털재단":            "1[서울디지털재단]",
		"김민지, Seoul (서울) 東京": "1[김민지]0[, Seoul (]1[서울]0[) ]1[東京]",
		"\uFFFD서":            "0[\uFFFD]1[서]",
	} {
		var b strings.Builder
		eachRun(in, c, func(face int, text string) { fmt.Fprintf(&b, "%d[%s]", face, text) })
		if got := b.String(); got != want {
			t.Errorf("eachRun(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestParseCoverageRejectsDamagedFonts(t *testing.T) {
	t.Parallel()
	// Every truncation of the font's header and cmap must fail cleanly,
	// never panic.
	for _, n := range []int{0, 3, 5, 11, 12, 100, 400, 1000} {
		if _, err := parseCoverage(regularTTF[:n]); err == nil {
			t.Errorf("%d bytes: parsed", n)
		}
	}
	broken := bytes.Clone(regularTTF)
	numTables := int(binary.BigEndian.Uint16(broken[4:]))
	for i := range numTables {
		copy(broken[12+16*i:], "xxxx") // rename every table
	}
	if _, err := parseCoverage(broken); err == nil {
		t.Error("font without cmap parsed")
	}
}

func TestClean(t *testing.T) {
	t.Parallel()
	covs := fontCoverage()
	c := &covs[0]
	for in, want := range map[string]string{
		"":                      "",
		"Zoë Ångström":          "Zoë Ångström",
		"Jose\u0301":            "José",
		"a\r\nb\rc\nd":          "a\nb\nc\nd",
		"a\u2028b\u2029c":       "a\nb\nc",
		"tab\there":             "tab here",
		"zero\u200bwidth\ufeff": "zerowidth",
		"soft\u00adhyphen":      "softhyphen",
		"bell\x07\x00end":       "bellend",
		"서울 Seoul":              "서울 Seoul",
		"东京 東京":                 "\uFFFD京 東京",
		"emoji 🙂":               "emoji \uFFFD",
		"bad \xff\xfe":          "bad \uFFFD\uFFFD",
		"Москва Αθήνα":          "Москва Αθήνα",
	} {
		if got := clean(in, c); got != want {
			t.Errorf("clean(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestRenderEveryGlyph renders every character the regular font covers:
// none may upset the PDF writer.
func TestRenderEveryGlyph(t *testing.T) {
	t.Parallel()
	b := coveredRunes(80)
	var out bytes.Buffer
	d := Document{Title: "Glyphs", Created: testTime, Sections: []Section{{
		Heading: string(b[:200]),
		Blocks:  []Block{Answer{Label: string(b), Value: string(b)}, Table{Header: []string{string(b[:500])}, Rows: [][]string{{string(b)}}}},
	}}}
	if err := Render(&out, d); err != nil {
		t.Fatal(err)
	}
}

func TestIsNumber(t *testing.T) {
	t.Parallel()
	for s, want := range map[string]bool{
		"1":             true,
		"1,250":         true,
		"-3.5":          true,
		"12 %":          true,
		"12%":           true,
		".5":            true,
		"€40":           true,
		"€ 12":          true,
		"- 3":           true,
		"€":             false,
		"USD 2,000,000": true,
		"2023":          true,
		"":              false,
		"n/a":           false,
		"NaN":           false,
		"Inf":           false,
		"12 persons":    false,
		"Indicator 1":   false,
		"Public":        false,
		"1e5x":          false,
	} {
		if got := isNumber(s); got != want {
			t.Errorf("isNumber(%q) = %v, want %v", s, got, want)
		}
	}
}

// TestRenderConcurrent renders every glyph from several goroutines: renders
// share the embedded fonts, which the PDF writer must not modify (run with
// -race).
func TestRenderConcurrent(t *testing.T) {
	t.Parallel()
	b := coveredRunes(0)
	d := Document{Title: "Glyphs", Created: testTime, Sections: []Section{{Blocks: []Block{
		Answer{Label: string(b), Value: string(b)},
	}}}}
	var want bytes.Buffer
	if err := Render(&want, d); err != nil {
		t.Fatal(err)
	}
	const n = 4
	outs := make([]bytes.Buffer, n)
	errs := make(chan error, n)
	for i := range n {
		go func() { errs <- Render(&outs[i], d) }()
	}
	for range n {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	for i := range outs {
		if !bytes.Equal(outs[i].Bytes(), want.Bytes()) {
			t.Errorf("concurrent render %d differs from the first render", i)
		}
	}
}

// coveredRunes are the characters of the Basic Multilingual Plane the regular DejaVu face covers
// and every seventh of those only the other faces cover, with a space after every wrap-th of them
// (none when wrap is 0). (The PDF writer's width table grows quadratically with runs of
// consecutive characters of equal width, so all 11,172 Hangul syllables at once take minutes.)
func coveredRunes(wrap int) []rune {
	c := fontCoverage()[0]
	var b []rune
	others := 0
	for r := rune(0x20); r < 0x10000; r++ {
		f := c.faceOf(r)
		if f > 0 {
			others++
		}
		if f == 0 || f > 0 && others%7 == 0 {
			b = append(b, r)
			if wrap > 0 && len(b)%wrap == 0 {
				b = append(b, ' ')
			}
		}
	}
	return b
}
