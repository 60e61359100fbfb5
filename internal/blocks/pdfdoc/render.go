package pdfdoc

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"codeberg.org/go-pdf/fpdf"
)

// Page geometry in millimetres (A4 portrait).
const (
	pageW         = 210.0
	pageH         = 297.0
	marginX       = 20.0
	marginTop     = 18.0
	contentBottom = 276.0
	contentW      = pageW - 2*marginX
	footerRuleY   = 281.0
	ptToMM        = 25.4 / 72
)

type rgb struct{ r, g, b int }

var (
	colorText    = rgb{0x22, 0x22, 0x22}
	colorMuted   = rgb{0x5f, 0x66, 0x70}
	colorAccent  = rgb{0x1f, 0x4e, 0x79}
	colorRule    = rgb{0xc3, 0xcb, 0xd6}
	colorHeadBg  = rgb{0xe3, 0xe9, 0xf1}
	colorZebra   = rgb{0xf5, 0xf7, 0xfa}
	colorNoteBg  = rgb{0xee, 0xf3, 0xf8}
	colorConfBg  = rgb{0x9b, 0x1c, 0x1c}
	colorConfTxt = rgb{0xff, 0xff, 0xff}
)

// style is a font (bold or regular) at a size in points, with its colour and
// line height in millimetres.
type style struct {
	bold  bool
	size  float64
	color rgb
	lineH float64
}

func newStyle(bold bool, size float64, color rgb, leading float64) style {
	return style{bold: bold, size: size, color: color, lineH: size * ptToMM * leading}
}

var (
	stTitle     = newStyle(true, 18, colorText, 1.3)
	stSubtitle  = newStyle(false, 12, colorMuted, 1.4)
	stMetaLabel = newStyle(true, 9, colorMuted, 1.45)
	stMetaValue = newStyle(false, 9, colorText, 1.45)
	stHeading   = newStyle(true, 13, colorAccent, 1.35)
	stIntro     = newStyle(false, 9, colorMuted, 1.45)
	stLabel     = newStyle(true, 10, colorText, 1.45)
	stBody      = newStyle(false, 10, colorText, 1.45)
	stEmpty     = newStyle(false, 10, colorMuted, 1.45)
	stCellHead  = newStyle(true, 9, colorText, 1.4)
	stCell      = newStyle(false, 9, colorText, 1.4)
	stNote      = newStyle(false, 9.5, colorText, 1.45)
	stTag       = newStyle(true, 7, colorConfTxt, 1.2)
	stFooter    = newStyle(false, 8, colorMuted, 1.4)
)

// Spacing and sizes in millimetres, and fixed texts.
const (
	gapBlock       = 4.5
	gapSection     = 7.0
	gapParagraph   = 2.0
	thinLine       = 0.2
	cellPadX       = 1.8
	cellPadY       = 1.2
	tagPadX        = 1.4
	tagH           = 3.8
	notePad        = 3.0
	noteBar        = 1.0
	listIndent     = 5.5
	wordCap        = 35.0 // widest a single word may make a table column
	maxHeaderLines = 6    // longer table header cells are cut with "…"
	emptyValue     = "—"
	confidential   = "Confidential"
)

// Render writes d as an A4 PDF to w. It fails when d has no title or no
// creation time, or when writing fails.
func Render(w io.Writer, d Document) error {
	if strings.TrimSpace(d.Title) == "" {
		return errors.New("pdfdoc: document has no title")
	}
	if d.Created.IsZero() {
		return errors.New("pdfdoc: document has no creation time")
	}
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetCatalogSort(true)
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetMargins(marginX, marginTop, marginX)
	l := &layout{pdf: pdf, cov: fontCoverage(), cur: style{size: -1}, words: d.Words}
	if l.words.Confidential == "" {
		l.words.Confidential = confidential
	}
	l.setFont(stLabel, 0)
	l.setFont(stBody, 0)
	if err := pdf.Error(); err != nil {
		return fmt.Errorf("pdfdoc: load fonts: %w", err)
	}
	author := d.Author
	if author == "" {
		author = DefaultAuthor
	}
	pdf.SetTitle(l.clean(stLabel, d.Title), true)
	pdf.SetAuthor(l.clean(stBody, author), true)
	pdf.SetCreator(DefaultAuthor, true)
	if d.Subtitle != "" {
		pdf.SetSubject(l.clean(stBody, d.Subtitle), true)
	}
	pdf.SetLang("en")
	created := d.Created.UTC()
	pdf.SetCreationDate(created)
	pdf.SetModificationDate(created)

	l.newPage()
	l.titleBlock(d)
	for _, s := range d.Sections {
		l.section(s)
	}

	footer := d.Footer
	if footer == "" {
		footer = d.Title
	}
	generated := d.Words.Generated
	if generated == "" {
		generated = "Generated " + formatTime(d)
	}
	l.draw(footer, generated)
	if err := pdf.Output(w); err != nil {
		return fmt.Errorf("pdfdoc: render: %w", err)
	}
	return nil
}

// formatTime shows Created in its own location, e.g. "31 May 2023, 23:10 KST";
// a zone without an abbreviation shows its offset ("UTC+09").
func formatTime(d Document) string {
	zone := d.Created.Format("MST")
	if strings.HasPrefix(zone, "+") || strings.HasPrefix(zone, "-") {
		zone = "UTC" + zone
	}
	return d.Created.Format("2 January 2006, 15:04") + " " + zone
}

type opKind int

const (
	opText opKind = iota
	opRect
	opLine
	opBookmark
)

// op is one drawing instruction on a page: text at a baseline, a filled
// rectangle, a line, or an outline entry.
type op struct {
	kind       opKind
	x, y, w, h float64 // opLine: from (x, y) to (w, h)
	st         style
	text       string
	color      rgb
	lineW      float64 // opLine: width in millimetres
}

// layout flows the document into pages of ops, measuring text with the
// PDF's fonts; draw then writes the pages, knowing how many there are.
type layout struct {
	pdf     *fpdf.Fpdf
	cov     [2]weightCoverage
	loaded  [numFaces][2]bool // faces added to the PDF, by weight
	pages   [][]op
	y       float64
	cur     style // font currently selected for measuring
	curFace int
	words   Words
}

func (l *layout) newPage() {
	l.pages = append(l.pages, nil)
	l.y = marginTop
}

func (l *layout) atTop() bool { return l.y <= marginTop }

// ensure starts a new page unless h more millimetres fit on this one (or the
// page is still empty, where nothing more can be gained).
func (l *layout) ensure(h float64) {
	if l.y+h > contentBottom+0.001 && !l.atTop() {
		l.newPage()
	}
}

// gap adds vertical space, except at the top of a page.
func (l *layout) gap(h float64) {
	if !l.atTop() {
		l.y += h
	}
}

func (l *layout) add(o op) {
	p := len(l.pages) - 1
	l.pages[p] = append(l.pages[p], o)
}

// weight is the index of st's weight in a face: 0 regular, 1 bold.
func weight(st style) int {
	if st.bold {
		return 1
	}
	return 0
}

func (l *layout) clean(st style, s string) string {
	return clean(s, &l.cov[weight(st)])
}

// setFont selects a face in st's weight and size, adding it to the PDF the
// first time the document uses it, so that a document embeds (a subset of)
// only the fonts it shows.
func (l *layout) setFont(st style, face int) {
	if st.bold == l.cur.bold && st.size == l.cur.size && face == l.curFace {
		return
	}
	w, fontStyle := weight(st), [2]string{"", "B"}[weight(st)]
	if !l.loaded[face][w] {
		l.pdf.AddUTF8FontFromBytes(faces[face].family, fontStyle, faces[face].ttf[w])
		l.loaded[face][w] = true
	}
	l.pdf.SetFont(faces[face].family, fontStyle, st.size)
	l.cur, l.curFace = st, face
}

// width measures cleaned text, each run in the face that sets it.
func (l *layout) width(st style, s string) float64 {
	w := 0.0
	eachRun(s, &l.cov[weight(st)], func(face int, text string) {
		l.setFont(st, face)
		w += l.pdf.GetStringWidth(text)
	})
	return w
}

// show writes cleaned text with its baseline at (x, y), each run in the
// face that sets it.
func (l *layout) show(st style, x, y float64, s string) {
	eachRun(s, &l.cov[weight(st)], func(face int, text string) {
		l.setFont(st, face)
		l.pdf.Text(x, y, text)
		x += l.pdf.GetStringWidth(text)
	})
}

// text places one line whose top is at top.
func (l *layout) text(st style, x, top float64, s string) {
	if s == "" {
		return
	}
	l.add(op{kind: opText, x: x, y: baseline(st, top), st: st, text: s})
}

// baseline puts text vertically centred in its line, as fpdf's Cell does.
func baseline(st style, top float64) float64 {
	return top + st.lineH/2 + 0.3*st.size*ptToMM
}

func (l *layout) rect(x, y, w, h float64, c rgb) {
	l.add(op{kind: opRect, x: x, y: y, w: w, h: h, color: c})
}

func (l *layout) line(x1, y1, x2, y2 float64, c rgb, width float64) {
	l.add(op{kind: opLine, x: x1, y: y1, w: x2, h: y2, color: c, lineW: width})
}

// wrap breaks cleaned text into lines no wider than width: at "\n", at
// spaces, and inside a word only when the word alone is too wide. An empty
// input line stays an empty line.
func (l *layout) wrap(st style, s string, width float64) []string {
	var out []string
	space := l.width(st, " ")
	for _, hard := range strings.Split(s, "\n") {
		var cur strings.Builder
		curW := 0.0
		empty := true
		for _, word := range strings.Split(hard, " ") {
			if word == "" {
				continue
			}
			ww := l.width(st, word)
			if !empty && curW+space+ww <= width {
				cur.WriteByte(' ')
				cur.WriteString(word)
				curW += space + ww
				continue
			}
			if !empty {
				out = append(out, cur.String())
				cur.Reset()
			}
			if ww > width {
				parts := l.breakWord(st, word, width)
				out = append(out, parts[:len(parts)-1]...)
				word = parts[len(parts)-1]
				ww = l.width(st, word)
			}
			cur.WriteString(word)
			curW = ww
			empty = false
		}
		out = append(out, cur.String())
	}
	return out
}

// breakWord cuts a word too wide for a line into pieces that fit (at least
// one character each).
func (l *layout) breakWord(st style, word string, width float64) []string {
	var parts []string
	start := 0
	w := 0.0
	for i, r := range word {
		rw := l.width(st, string(r))
		if w+rw > width && i > start {
			parts = append(parts, word[start:i])
			start, w = i, 0
		}
		w += rw
	}
	return append(parts, word[start:])
}

// paragraphs splits cleaned text at blank lines, dropping empty ones.
func paragraphs(s string) []string {
	var out []string
	for _, p := range strings.Split(s, "\n\n") {
		p = strings.Trim(p, "\n ")
		if p != "" {
			out = append(out, p)
		}
	}
	return out
}

// flow places lines at x, starting new pages as needed.
func (l *layout) flow(st style, x float64, lines []string) {
	for _, ln := range lines {
		l.ensure(st.lineH)
		l.text(st, x, l.y, ln)
		l.y += st.lineH
	}
}

// prose places multi-paragraph text at x within width.
func (l *layout) prose(st style, x, width float64, s string) {
	l.paragraphs(st, x, width, paragraphs(l.clean(st, s)))
}

// paragraphs places cleaned paragraphs at x within width.
func (l *layout) paragraphs(st style, x, width float64, ps []string) {
	for i, p := range ps {
		if i > 0 {
			l.gap(gapParagraph)
		}
		l.flow(st, x, l.wrap(st, p, width))
	}
}

func (l *layout) titleBlock(d Document) {
	l.flow(stTitle, marginX, l.wrap(stTitle, l.clean(stTitle, d.Title), contentW))
	if d.Subtitle != "" {
		l.y += 1
		l.prose(stSubtitle, marginX, contentW, d.Subtitle)
	}
	if len(d.Meta) > 0 {
		l.y += 3
		labelW := 0.0
		for _, f := range d.Meta {
			labelW = max(labelW, l.width(stMetaLabel, l.clean(stMetaLabel, f.Label)))
		}
		labelW = min(labelW, 55)
		valueX := marginX + labelW + 4
		for _, f := range d.Meta {
			labels := l.wrap(stMetaLabel, l.clean(stMetaLabel, f.Label), labelW)
			value := l.clean(stMetaValue, f.Value)
			if value == "" {
				value = emptyValue
			}
			values := l.wrap(stMetaValue, value, contentW-labelW-4)
			l.ensure(float64(max(len(labels), len(values))) * stMetaValue.lineH)
			top, page := l.y, len(l.pages)
			l.flow(stMetaLabel, marginX, labels)
			labelsEnd := l.y
			l.y = top
			l.flow(stMetaValue, valueX, values)
			if len(l.pages) == page { // else a value too long for a page went on
				l.y = max(l.y, labelsEnd)
			}
		}
	}
	l.y += 3
	l.line(marginX, l.y, marginX+contentW, l.y, colorAccent, 0.6)
	l.y += 4
}

func (l *layout) section(s Section) {
	l.gap(gapSection)
	var heading []string
	if h := strings.TrimSpace(l.clean(stHeading, s.Heading)); h != "" {
		heading = l.wrap(stHeading, h, contentW)
	}
	// Keep the heading with the first lines of what follows.
	l.ensure(float64(len(heading))*stHeading.lineH + 2.5 + 3*stBody.lineH)
	if len(heading) > 0 {
		l.add(op{kind: opBookmark, y: l.y, text: strings.Join(heading, " ")})
		l.flow(stHeading, marginX, heading)
		l.y += 0.8
		l.line(marginX, l.y, marginX+contentW, l.y, colorRule, thinLine)
		l.y += 2.5
	}
	if s.Intro != "" {
		l.prose(stIntro, marginX, contentW, s.Intro)
		l.y += 3
	}
	for i, b := range s.Blocks {
		if i > 0 {
			l.gap(gapBlock)
		}
		switch b := b.(type) {
		case Answer:
			l.answer(b)
		case *Answer:
			if b != nil {
				l.answer(*b)
			}
		case List:
			l.list(b)
		case *List:
			if b != nil {
				l.list(*b)
			}
		case Table:
			l.table(b)
		case *Table:
			if b != nil {
				l.table(*b)
			}
		case Note:
			l.note(b)
		case *Note:
			if b != nil {
				l.note(*b)
			}
		}
	}
}

// label places a block's bold label, with the confidential tag at the right
// of its first line, keeping it with the next follow millimetres.
func (l *layout) label(text string, conf bool, follow float64) {
	tagW := 0.0
	if conf {
		tagW = l.width(stTag, l.words.Confidential) + 2*tagPadX
	}
	text = l.clean(stLabel, text)
	var lines []string
	if text != "" {
		width := contentW
		if conf {
			width -= tagW + 3
		}
		lines = l.wrap(stLabel, text, width)
	} else if conf {
		lines = []string{""}
	}
	if len(lines) == 0 {
		return
	}
	l.ensure(float64(len(lines))*stLabel.lineH + 1 + follow)
	if conf {
		top := l.y + (stLabel.lineH-tagH)/2
		x := marginX + contentW - tagW
		l.rect(x, top, tagW, tagH, colorConfBg)
		l.add(op{kind: opText, x: x + tagPadX, y: top + tagH/2 + 0.3*stTag.size*ptToMM, st: stTag, text: l.words.Confidential})
	}
	l.flow(stLabel, marginX, lines)
	l.y += 1
}

func (l *layout) answer(a Answer) {
	ps := paragraphs(l.clean(stBody, a.Value))
	if len(ps) == 0 {
		l.label(a.Label, a.Confidential, stEmpty.lineH)
		l.flow(stEmpty, marginX, []string{emptyValue})
		return
	}
	// Keep the label with the first two lines of the answer.
	first := min(2, len(l.wrap(stBody, ps[0], contentW)))
	l.label(a.Label, a.Confidential, float64(first)*stBody.lineH)
	l.paragraphs(stBody, marginX, contentW, ps)
}

func (l *layout) list(b List) {
	var items [][]string
	for _, it := range b.Items {
		if c := strings.TrimSpace(l.clean(stBody, it)); c != "" {
			items = append(items, l.wrap(stBody, c, contentW-listIndent))
		}
	}
	if len(items) == 0 {
		l.label(b.Label, b.Confidential, stEmpty.lineH)
		l.flow(stEmpty, marginX, []string{emptyValue})
		return
	}
	// Keep the label with the first two lines of the list.
	l.label(b.Label, b.Confidential, float64(min(2, len(items[0])))*stBody.lineH)
	for i, lines := range items {
		if i > 0 {
			l.y += 0.8
		}
		l.ensure(stBody.lineH)
		l.text(stBody, marginX+1.2, l.y, "•")
		l.flow(stBody, marginX+listIndent, lines)
	}
}

func (l *layout) note(n Note) {
	ps := paragraphs(l.clean(stNote, n.Text))
	if len(ps) == 0 {
		return
	}
	x := marginX + noteBar + notePad
	width := contentW - noteBar - 2*notePad
	var lines []string // "" separates paragraphs
	for i, p := range ps {
		if i > 0 {
			lines = append(lines, "")
		}
		lines = append(lines, l.wrap(stNote, p, width)...)
	}
	l.ensure(notePad + 2*stNote.lineH)
	// Each page's part of the note gets its own background, inserted
	// before its text.
	page, start, top := len(l.pages)-1, len(l.pages[len(l.pages)-1]), l.y
	l.y += notePad
	closeBox := func(bottom float64) {
		bg := []op{
			{kind: opRect, x: marginX, y: top, w: contentW, h: bottom - top, color: colorNoteBg},
			{kind: opRect, x: marginX, y: top, w: noteBar, h: bottom - top, color: colorAccent},
		}
		l.pages[page] = append(l.pages[page][:start], append(bg, l.pages[page][start:]...)...)
	}
	for _, ln := range lines {
		h := stNote.lineH
		if ln == "" {
			h = gapParagraph
		}
		if l.y+h > contentBottom {
			closeBox(l.y + 1)
			l.newPage()
			page, start, top = len(l.pages)-1, 0, l.y
			l.y += notePad
		}
		if ln != "" {
			l.text(stNote, x, l.y, ln)
		}
		l.y += h
	}
	l.y += notePad
	closeBox(l.y)
}

// tableLayout holds a table's measured columns.
type tableLayout struct {
	x       []float64 // left edge of each column
	w       []float64
	numeric []bool
	header  [][]string // wrapped header cells
	headerH float64
}

func (l *layout) table(t Table) {
	ncol := len(t.Header)
	for _, r := range t.Rows {
		ncol = max(ncol, len(r))
	}
	if len(t.Rows) == 0 || ncol == 0 {
		l.label(t.Label, t.Confidential, stEmpty.lineH)
		l.flow(stEmpty, marginX, []string{emptyValue})
		return
	}
	header := make([]string, ncol)
	for i, h := range t.Header {
		header[i] = l.clean(stCellHead, h)
	}
	rows := make([][]string, len(t.Rows))
	for i, r := range t.Rows {
		rows[i] = make([]string, ncol)
		for j, c := range r {
			rows[i][j] = strings.TrimSpace(l.clean(stCell, c))
		}
	}
	tl := l.measureTable(header, rows)

	wrapRow := func(cells []string) ([][]string, int) {
		out := make([][]string, ncol)
		n := 1
		for j, c := range cells {
			out[j] = l.wrap(stCell, c, tl.w[j]-2*cellPadX)
			n = max(n, len(out[j]))
		}
		return out, n
	}
	rowH := func(n int) float64 { return float64(n)*stCell.lineH + 2*cellPadY }

	first, n := wrapRow(rows[0])
	l.label(t.Label, t.Confidential, tl.headerH+rowH(min(n, 2)))
	l.ensure(tl.headerH + rowH(min(n, 2)))
	l.tableHeader(tl)
	for i, cells := range rows {
		lines := first
		if i > 0 {
			lines, n = wrapRow(cells)
		}
		h := rowH(n)
		if l.y+h > contentBottom && tl.headerH+h <= contentBottom-marginTop {
			l.newPage()
			l.tableHeader(tl)
		}
		// Place the row, continuing it on the next page when it is taller
		// than a page.
		from, fresh := 0, false
		for from < n {
			fit := int((contentBottom - l.y - 2*cellPadY + 0.001) / stCell.lineH)
			if fit < 1 && !fresh { // at a fresh page's header, place a line anyway
				l.newPage()
				l.tableHeader(tl)
				fresh = true
				continue
			}
			to := min(n, from+max(fit, 1))
			l.tableRow(tl, lines, from, to, i%2 == 1)
			from, fresh = to, false
		}
	}
}

// measureTable sizes columns to their content: each column gets at least its
// longest word (capped at wordCap) and the rest of the width in proportion
// to how much more its longest line needs.
func (l *layout) measureTable(header []string, rows [][]string) tableLayout {
	ncol := len(header)
	minW := make([]float64, ncol)
	maxW := make([]float64, ncol)
	numeric := make([]bool, ncol)
	for j := range ncol {
		numeric[j] = true
		minW[j] = l.width(stCell, "MM")
	}
	measure := func(j int, st style, s string) {
		for _, ln := range strings.Split(s, "\n") {
			maxW[j] = max(maxW[j], l.width(st, ln))
			for _, word := range strings.Split(ln, " ") {
				if word != "" {
					minW[j] = max(minW[j], min(wordCap, l.width(st, word)))
				}
			}
		}
	}
	for j, h := range header {
		measure(j, stCellHead, h)
	}
	for _, r := range rows {
		for j, c := range r {
			measure(j, stCell, c)
			if c != "" && !isNumber(c) {
				numeric[j] = false
			}
		}
	}
	sumMin, sumMax := 0.0, 0.0
	for j := range ncol {
		minW[j] += 2 * cellPadX
		maxW[j] = max(maxW[j]+2*cellPadX, minW[j])
		sumMin += minW[j]
		sumMax += maxW[j]
	}
	w := make([]float64, ncol)
	for j := range ncol {
		switch {
		case sumMax <= contentW:
			w[j] = maxW[j] * contentW / sumMax
		case sumMin >= contentW:
			w[j] = minW[j] * contentW / sumMin
		default:
			w[j] = minW[j] + (maxW[j]-minW[j])*(contentW-sumMin)/(sumMax-sumMin)
		}
	}
	tl := tableLayout{x: make([]float64, ncol), w: w, numeric: numeric, header: make([][]string, ncol)}
	x := marginX
	n := 1
	for j := range ncol {
		tl.x[j] = x
		x += w[j]
		lines := l.wrap(stCellHead, header[j], w[j]-2*cellPadX)
		if len(lines) > maxHeaderLines {
			// A header repeats on every page: it must stay short.
			lines = lines[:maxHeaderLines]
			last := &lines[maxHeaderLines-1]
			*last = l.truncate(stCellHead, *last+"…", w[j]-2*cellPadX)
		}
		tl.header[j] = lines
		n = max(n, len(lines))
	}
	tl.headerH = float64(n)*stCellHead.lineH + 2*cellPadY
	return tl
}

// isNumber reports whether a cell reads as a number, an amount or a
// percentage: "1,250", "-3.5", "12 %", "€ 40", "USD 2,000,000".
func isNumber(s string) bool {
	s = strings.TrimSpace(s)
	if code, rest, ok := strings.Cut(s, " "); ok && len(code) == 3 && strings.Trim(code, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") == "" {
		s = rest
	}
	s = strings.TrimSpace(strings.TrimSuffix(s, "%"))
	s = strings.TrimSpace(strings.TrimLeft(s, "+-−$€£₩¥"))
	s = strings.ReplaceAll(s, ",", "")
	if s == "" || (s[0] != '.' && (s[0] < '0' || s[0] > '9')) {
		return false
	}
	_, err := strconv.ParseFloat(s, 64)
	return err == nil
}

func (l *layout) tableHeader(tl tableLayout) {
	h := tl.headerH
	total := tl.x[len(tl.x)-1] + tl.w[len(tl.w)-1] - marginX
	l.rect(marginX, l.y, total, h, colorHeadBg)
	for j, lines := range tl.header {
		for k, ln := range lines {
			x := tl.x[j] + cellPadX
			if tl.numeric[j] {
				x = tl.x[j] + tl.w[j] - cellPadX - l.width(stCellHead, ln)
			}
			l.text(stCellHead, x, l.y+cellPadY+float64(k)*stCellHead.lineH, ln)
		}
	}
	l.grid(tl, l.y, h, true)
	l.y += h
}

// tableRow places lines [from, to) of each cell of a row.
func (l *layout) tableRow(tl tableLayout, cells [][]string, from, to int, zebra bool) {
	h := float64(to-from)*stCell.lineH + 2*cellPadY
	if zebra {
		total := tl.x[len(tl.x)-1] + tl.w[len(tl.w)-1] - marginX
		l.rect(marginX, l.y, total, h, colorZebra)
	}
	for j, lines := range cells {
		for k := from; k < to && k < len(lines); k++ {
			x := tl.x[j] + cellPadX
			if tl.numeric[j] {
				x = tl.x[j] + tl.w[j] - cellPadX - l.width(stCell, lines[k])
			}
			l.text(stCell, x, l.y+cellPadY+float64(k-from)*stCell.lineH, lines[k])
		}
	}
	l.grid(tl, l.y, h, false)
	l.y += h
}

// grid draws the column separators and bottom rule of a row (and the top
// rule of a header).
func (l *layout) grid(tl tableLayout, top, h float64, head bool) {
	right := tl.x[len(tl.x)-1] + tl.w[len(tl.w)-1]
	if head {
		l.line(marginX, top, right, top, colorRule, thinLine)
	}
	for _, x := range tl.x {
		l.line(x, top, x, top+h, colorRule, thinLine)
	}
	l.line(right, top, right, top+h, colorRule, thinLine)
	l.line(marginX, top+h, right, top+h, colorRule, thinLine)
}

// draw writes the laid-out pages with their footers.
func (l *layout) draw(footer, generated string) {
	pdf := l.pdf
	total := len(l.pages)
	footer = l.clean(stFooter, footer)
	generated = l.clean(stFooter, generated)
	for i, ops := range l.pages {
		pdf.AddPage()
		l.cur = style{size: -1}
		l.setFont(stBody, 0)
		for _, o := range ops {
			switch o.kind {
			case opText:
				pdf.SetTextColor(o.st.color.r, o.st.color.g, o.st.color.b)
				l.show(o.st, o.x, o.y, o.text)
			case opRect:
				pdf.SetFillColor(o.color.r, o.color.g, o.color.b)
				pdf.Rect(o.x, o.y, o.w, o.h, "F")
			case opLine:
				pdf.SetDrawColor(o.color.r, o.color.g, o.color.b)
				pdf.SetLineWidth(o.lineW)
				pdf.Line(o.x, o.y, o.w, o.h)
			case opBookmark:
				pdf.Bookmark(o.text, 0, o.y)
			}
		}
		// Footer.
		pdf.SetDrawColor(colorRule.r, colorRule.g, colorRule.b)
		pdf.SetLineWidth(thinLine)
		pdf.Line(marginX, footerRuleY, marginX+contentW, footerRuleY)
		pdf.SetTextColor(colorMuted.r, colorMuted.g, colorMuted.b)
		pageNo := fmt.Sprintf("Page %d of %d", i+1, total)
		if l.words.PageOf != nil {
			pageNo = l.words.PageOf(i+1, total)
		}
		pageW := l.width(stFooter, pageNo)
		top := footerRuleY + 1.2
		l.show(stFooter, marginX, baseline(stFooter, top), l.truncate(stFooter, footer, contentW-pageW-8))
		l.show(stFooter, marginX+contentW-pageW, baseline(stFooter, top), pageNo)
		l.show(stFooter, marginX, baseline(stFooter, top+stFooter.lineH), generated)
	}
}

// truncate shortens a single line to width, ending it with "…".
func (l *layout) truncate(st style, s string, width float64) string {
	s = strings.ReplaceAll(s, "\n", " ")
	if l.width(st, s) <= width {
		return s
	}
	r := []rune(s)
	for len(r) > 0 && l.width(st, string(r)+"…") > width {
		r = r[:len(r)-1]
	}
	return strings.TrimSpace(string(r)) + "…"
}

// Bytes is d rendered as an A4 PDF (Render).
func Bytes(d Document) ([]byte, error) {
	var buf bytes.Buffer
	if err := Render(&buf, d); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
