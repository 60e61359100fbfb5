package pdfdoc

import (
	_ "embed"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"sync"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// The faces are DejaVu Sans 2.37 from Debian's fonts-dejavu-core (license:
// Bitstream Vera, DejaVu changes in the public domain; fonts/LICENSE) and
// NanumGothic from Debian's fonts-nanum 20200506-1 (SIL Open Font License
// 1.1; fonts/LICENSE-Nanum). NanumGothic has all 11,172 Hangul syllables, the
// 4,620 Han characters of KS X 1001 (traditional forms, which Japanese and
// Korean use; most simplified Chinese forms are missing) and kana, in a
// regular and a real bold weight.
var (
	//go:embed fonts/DejaVuSans.ttf
	regularTTF []byte
	//go:embed fonts/DejaVuSans-Bold.ttf
	boldTTF []byte
	//go:embed fonts/NanumGothic.ttf
	cjkRegularTTF []byte
	//go:embed fonts/NanumGothicBold.ttf
	cjkBoldTTF []byte
)

// face is an embedded typeface: its PDF font family and its TrueType files
// by weight (regular, bold).
type face struct {
	family string
	ttf    [2][]byte
}

// faces are the typefaces in order of preference: each character is set in
// the first face that has it (see eachRun). Only DejaVu is loaded into every
// document; the others are loaded, and subset, in the documents that use
// them.
var faces = [numFaces]face{
	{"DejaVuSans", [2][]byte{regularTTF, boldTTF}},
	{"NanumGothic", [2][]byte{cjkRegularTTF, cjkBoldTTF}},
}

const numFaces = 2

// replacement stands for a character no face can draw.
const replacement = '\uFFFD'

// coverage is the set of Basic Multilingual Plane characters a font has a
// glyph for.
type coverage [0x10000 / 64]uint64

func (c *coverage) has(r rune) bool {
	return r >= 0 && r < 0x10000 && c[r>>6]&(1<<(uint(r)&63)) != 0
}

func (c *coverage) add(r rune) {
	c[r>>6] |= 1 << (uint(r) & 63)
}

// weightCoverage is what each face covers in one weight, in the order of
// faces.
type weightCoverage [numFaces]*coverage

// faceOf is the index of the first face with a glyph for r, or -1.
func (w *weightCoverage) faceOf(r rune) int {
	for i, c := range w {
		if c.has(r) {
			return i
		}
	}
	return -1
}

// fontCoverage parses every embedded font once per process, by weight
// (regular, bold). The fonts are part of the binary, so a failure is a build
// defect, not a runtime condition: it panics (the package tests parse them).
var fontCoverage = sync.OnceValue(func() [2]weightCoverage {
	var out [2]weightCoverage
	for i, f := range faces {
		for w, ttf := range f.ttf {
			c, err := parseCoverage(ttf)
			if err == nil && i == 0 && !c.has(replacement) {
				err = errors.New("no glyph for U+FFFD")
			}
			if err != nil {
				panic(fmt.Sprintf("pdfdoc: embedded font %s %d: %v", f.family, w, err))
			}
			out[w][i] = c
		}
	}
	return out
})

var errBadFont = errors.New("malformed TrueType font")

// parseCoverage reads the Windows Unicode BMP (3,1) format 4 cmap subtable of
// a TrueType font: the characters it maps to a glyph other than .notdef.
func parseCoverage(ttf []byte) (*coverage, error) {
	u16 := func(off int) (int, bool) {
		if off < 0 || off+2 > len(ttf) {
			return 0, false
		}
		return int(binary.BigEndian.Uint16(ttf[off:])), true
	}
	u32 := func(off int) (int, bool) {
		if off < 0 || off+4 > len(ttf) {
			return 0, false
		}
		return int(binary.BigEndian.Uint32(ttf[off:])), true
	}
	numTables, ok := u16(4)
	if !ok {
		return nil, errBadFont
	}
	cmap := -1
	for i := range numTables {
		rec := 12 + 16*i
		if rec+16 > len(ttf) {
			return nil, errBadFont
		}
		if string(ttf[rec:rec+4]) == "cmap" {
			cmap, _ = u32(rec + 8)
		}
	}
	if cmap < 0 {
		return nil, fmt.Errorf("%w: no cmap table", errBadFont)
	}
	n, ok := u16(cmap + 2)
	if !ok {
		return nil, errBadFont
	}
	sub := -1
	for i := range n {
		rec := cmap + 4 + 8*i
		platform, ok1 := u16(rec)
		encoding, ok2 := u16(rec + 2)
		off, ok3 := u32(rec + 4)
		if !ok1 || !ok2 || !ok3 {
			return nil, errBadFont
		}
		if platform == 3 && encoding == 1 {
			sub = cmap + off
		}
	}
	if format, ok := u16(sub); sub < 0 || !ok || format != 4 {
		return nil, fmt.Errorf("%w: no format 4 Unicode cmap", errBadFont)
	}
	segX2, ok := u16(sub + 6)
	if !ok {
		return nil, errBadFont
	}
	ends := sub + 14
	starts := ends + segX2 + 2
	deltas := starts + segX2
	rangeOffsets := deltas + segX2
	c := new(coverage)
	for j := 0; j < segX2; j += 2 {
		end, ok1 := u16(ends + j)
		start, ok2 := u16(starts + j)
		delta, ok3 := u16(deltas + j)
		ro, ok4 := u16(rangeOffsets + j)
		if !ok1 || !ok2 || !ok3 || !ok4 {
			return nil, errBadFont
		}
		for ch := start; ch <= end && ch != 0xFFFF; ch++ {
			glyph := (ch + delta) & 0xFFFF
			if ro != 0 {
				g, ok := u16(rangeOffsets + j + ro + 2*(ch-start))
				if !ok {
					return nil, errBadFont
				}
				glyph = 0
				if g != 0 {
					glyph = (g + delta) & 0xFFFF
				}
			}
			if glyph != 0 {
				c.add(rune(ch))
			}
		}
	}
	return c, nil
}

// clean prepares text for a weight: NFC, line breaks as "\n", tabs as
// spaces, control and invisible formatting characters dropped, and every
// character no face has replaced by U+FFFD.
func clean(s string, c *weightCoverage) string {
	if s == "" {
		return ""
	}
	s = norm.NFC.String(s)
	var b strings.Builder
	b.Grow(len(s))
	prevCR := false
	for _, r := range s {
		cr := r == '\r'
		switch {
		case r == '\n' && prevCR:
		case cr || r == '\n' || r == '\u2028' || r == '\u2029':
			b.WriteByte('\n')
		case r == '\t':
			b.WriteByte(' ')
		case unicode.IsControl(r) || unicode.Is(unicode.Cf, r):
		case c.faceOf(r) >= 0:
			b.WriteRune(r)
		default:
			b.WriteRune(replacement)
		}
		prevCR = cr
	}
	return b.String()
}

// Unsupported returns the distinct characters of text, in order of first
// appearance, that Render cannot draw in either the regular or the bold
// weight of any face and shows as U+FFFD instead (for example emoji, or a
// simplified Chinese character outside KS X 1001). Callers may use it to
// tell readers that the PDF cannot show part of a name as typed.
func Unsupported(text string) []rune {
	covs := fontCoverage()
	var out []rune
	seen := map[rune]bool{}
	for _, r := range norm.NFC.String(text) {
		if r == '\n' || r == '\r' || r == '\t' || unicode.IsControl(r) || unicode.Is(unicode.Cf, r) ||
			r == '\u2028' || r == '\u2029' || r == replacement || seen[r] {
			continue
		}
		if covs[0].faceOf(r) < 0 || covs[1].faceOf(r) < 0 {
			seen[r] = true
			out = append(out, r)
		}
	}
	return out
}

// eachRun calls fn for each stretch of cleaned text set in one face, in
// order: every character goes to the first face that has it (U+FFFD, and
// anything unknown to the faces, to the first face).
func eachRun(s string, c *weightCoverage, fn func(face int, text string)) {
	start, cur := 0, 0
	for i, r := range s {
		f := max(c.faceOf(r), 0)
		if f != cur && i > start {
			fn(cur, s[start:i])
			start = i
		}
		cur = f
	}
	if start < len(s) {
		fn(cur, s[start:])
	}
}
