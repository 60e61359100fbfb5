// Package pdfdoc renders simple, readable A4 PDF documents (an application
// copy, a dossier, a result protocol) from a small document model that knows
// nothing about the prize: a title with label/value pairs under it, then
// sections of blocks. A block is a labelled answer, a list, a table or a
// note. Answers, lists and tables can carry a "Confidential" marker so an
// internal copy shows what the applicant flagged; a public copy simply leaves
// those blocks out (the caller decides).
//
// Layout: tables size their columns to their content, wrap long cells and
// break rows across pages with the header repeated; long answers flow across
// pages; every page has a footer with "Page N of M" and the time the document
// was generated. Each section is a bookmark in the PDF outline.
//
// Output is deterministic: the same Document (including Created) gives the
// same bytes, so tests can compare files. Render never reads the clock.
//
// Text is set in DejaVu Sans (regular and bold), embedded as a subset holding
// only the glyphs the document uses. DejaVu Sans covers Latin with
// diacritics, Greek, Cyrillic and many symbols, but has no CJK or Hangul
// glyphs, and the PDF writer does no bidirectional reordering or contextual
// shaping. Limitations that follow:
//   - every character the font lacks (Hangul, kana, Han ideographs, emoji
//     and anything outside the Basic Multilingual Plane) is shown as the
//     replacement character U+FFFD "�", one per missing character;
//     [Unsupported] tells a caller in advance which characters those are;
//   - Arabic and Hebrew glyphs exist but are drawn left to right and
//     unjoined, so such text is not readable as written;
//   - text is normalised to NFC, so a letter followed by a combining accent
//     is drawn as the precomposed letter where one exists; control and
//     invisible formatting characters (zero-width space, soft hyphen,
//     byte-order mark) are dropped, and tabs become spaces.
package pdfdoc

import "time"

// Document is one PDF: a title block, then sections in order.
type Document struct {
	// Title is the document's heading and its PDF title. Required.
	Title string
	// Subtitle is a line under the title (and the PDF subject), e.g. the
	// edition and category.
	Subtitle string
	// Meta are label/value pairs shown under the title, e.g.
	// {"Submitted", "31 May 2023, 23:10 KST"}.
	Meta []Field
	// Sections follow the title block in order.
	Sections []Section
	// Footer is the text at the left of every page's footer; the title when
	// empty.
	Footer string
	// Author is the PDF author; "Prize Portal" when empty.
	Author string
	// Created is when the document was generated: the PDF creation date and
	// the footer's "Generated" line, shown in Created's location (pass the
	// time in the zone readers expect, e.g. the edition's). Required; Render
	// never reads the clock.
	Created time.Time
	// Words are the document's own words in its reader's language; English when empty.
	Words Words
}

// Words are the few words a document writes itself, in its reader's language (the caller
// translates them; package pdfdoc knows no language).
type Words struct {
	// Confidential tags an answer the applicant marked confidential.
	Confidential string
	// Generated is the footer's line saying when the document was made, its time included.
	Generated string
	// PageOf numbers a page: "Page 1 of 3".
	PageOf func(page, pages int) string
}

// Field is a label/value pair of the title block.
type Field struct {
	Label string
	Value string
}

// Section is a heading with an optional introduction and its blocks.
type Section struct {
	Heading string
	// Intro is a short explanatory paragraph under the heading, set smaller
	// and in grey.
	Intro  string
	Blocks []Block
}

// Block is one element of a section: an Answer, a List, a Table or a Note.
type Block interface {
	block()
}

// Answer is a labelled answer: the label (a question) in bold and the value
// under it. A newline in Value breaks the line; a blank line starts a new
// paragraph. An empty Value is shown as a dash.
type Answer struct {
	Label        string
	Value        string
	Confidential bool
}

// List is a labelled bulleted list. An empty list is shown as a dash.
type List struct {
	Label        string
	Items        []string
	Confidential bool
}

// Table is a labelled table. Columns are as many as the longest of Header and
// the rows; missing cells are empty. Column widths follow the content, cells
// wrap, a row taller than the rest of the page continues on the next one, and
// the header repeats on every page the table spans. A column whose cells are
// all numbers (or empty) is right-aligned. A table without rows is shown as a
// dash.
type Table struct {
	Label        string
	Header       []string
	Rows         [][]string
	Confidential bool
}

// Note is a shaded box of text, e.g. an explanation of what the copy
// contains. A newline in Text breaks the line; a blank line starts a new
// paragraph.
type Note struct {
	Text string
}

func (Answer) block() {}
func (List) block()   {}
func (Table) block()  {}
func (Note) block()   {}

// DefaultAuthor is the PDF author when Document.Author is empty.
const DefaultAuthor = "Prize Portal"
