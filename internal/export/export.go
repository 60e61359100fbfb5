// Package export produces the portal's data exports and the decision pack (DOMAIN.md
// "Round 2" and "Round 3"): the applications with all their answers (CSV, or XLSX with one sheet per category), the
// score sheets with every indicator and comment (optionally with anonymised evaluators), the
// council's anonymous ballots and the results once a vote is closed, the audit log, and the
// evaluator's own export of the entries assigned to them.
//
// Exports run as background jobs (export_jobs, migrations/00029_exports.sql): a staff member asks
// for one, a River job produces the file as that person (the roles they hold when it runs) and
// records its progress, and the requester alone downloads the result. Every query of this
// package that reads applicant data takes the viewer and repeats, in SQL, what the role allows
// them to see (ARCHITECTURE.md "One route table, visible guards"); the server checks the same
// rules first (Allowed).
package export

import (
	"archive/zip"
	"bytes"
	"cmp"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"prizeportal/internal/i18n"

	"github.com/xuri/excelize/v2"
)

// Kind is what an export holds.
type Kind string

// The kinds of export.
const (
	// Applications: every entry the viewer may read with all its answers.
	Applications Kind = "applications"
	// Scores: every score sheet with its indicator scores and comments (after the round closes).
	Scores Kind = "scores"
	// Votes: the anonymous ballots and the results of the closed votes.
	Votes Kind = "votes"
	// Audit: the audit log (admins only).
	Audit Kind = "audit"
	// Pack: the decision pack, a ZIP of the workbook, the dossiers, the protocols and the
	// methodology note (the secretariat).
	Pack Kind = "pack"
	// Assigned: an evaluator's own entries (active, not conflicted assignments) with the answers
	// of their score sheet page and their own scores (DOMAIN.md "Round 2").
	Assigned Kind = "assigned"
)

// Kinds lists every kind, in the order the exports page offers them.
var Kinds = []Kind{Applications, Scores, Votes, Audit, Pack, Assigned}

// Valid reports whether k is one of Kinds.
func (k Kind) Valid() bool {
	for _, x := range Kinds {
		if x == k {
			return true
		}
	}
	return false
}

// Label names the kind for the pages.
func (k Kind) Label() string { return cmp.Or(kindLabels[k], string(k)) }

var kindLabels = map[Kind]string{
	Applications: i18n.M("Applications with all answers"),
	Scores:       i18n.M("Scores with every indicator and comment"),
	Votes:        i18n.M("Ballots and results"),
	Audit:        i18n.M("Audit log"),
	Pack:         i18n.M("Decision pack"),
	Assigned:     i18n.M("Your assigned entries and your scores"),
}

// Status is where an export job stands.
type Status string

// The statuses of a job.
const (
	Queued  Status = "queued"
	Running Status = "running"
	Done    Status = "done"
	Failed  Status = "failed"
)

// Label describes the status.
func (s Status) Label() string { return cmp.Or(statusLabels[s], string(s)) }

var statusLabels = map[Status]string{
	Queued:  i18n.M("Waiting to start"),
	Running: i18n.M("Running"),
	Done:    i18n.M("Ready"),
	Failed:  i18n.M("Failed"),
}

// Format is the file format of a table export.
type Format string

// The formats.
const (
	CSV  Format = "csv"
	XLSX Format = "xlsx"
)

// Options are the choices made when asking for an export.
type Options struct {
	// Format is csv or xlsx (applications, scores, votes, assigned); the audit log is CSV and the
	// pack a ZIP.
	Format Format `json:"format,omitempty"`
	// Anonymise replaces the evaluators' names by "Evaluator N" (scores and the pack).
	Anonymise bool `json:"anonymise,omitempty"`
	// Lang is the language of the requester when they asked (i18n codes; "" is English, as for
	// the exports asked before the portal spoke Korean): the workbook's own words and the
	// countries are in it.
	Lang string `json:"lang,omitempty"`
}

// Job is one export asked for.
type Job struct {
	ID          int64
	RequesterID int64
	EditionID   int64
	Kind        Kind
	Options     Options
	Status      Status
	Progress    int
	Total       int
	Attempts    int
	FileKey     string
	FileName    string
	ContentType string
	Size        int64
	Error       string
	CreatedAt   time.Time
	StartedAt   *time.Time
	FinishedAt  *time.Time
}

// Finished reports whether the job is done or failed.
func (j Job) Finished() bool { return j.Status == Done || j.Status == Failed }

// ErrFinished means a job is already done or failed: a repeated run does nothing.
var ErrFinished = errors.New("export: the job is finished")

// ConfidentialMark marks a confidential answer in a cell, and a question that may be confidential
// in a header: staff exports are internal and include confidential answers, marked
// (DOMAIN.md "The project application": confidential information is never published).
const ConfidentialMark = "[CONFIDENTIAL] "

// Table is one sheet of an export: a name (the XLSX sheet's), a header row and the rows.
type Table struct {
	Name   string
	Header []string
	Rows   [][]string
}

// Content types of the files.
const (
	ContentCSV  = "text/csv; charset=utf-8"
	ContentXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	ContentZIP  = "application/zip"
)

// SafeCell neutralises a CSV cell that a spreadsheet would run as a formula (CSV injection,
// OWASP): a cell starting with =, +, -, @, a tab or a carriage return gets a leading single
// quote. Every CSV the portal writes (exports, analytics) goes through it.
func SafeCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// WriteCSV writes t as CSV (RFC 4180, with a UTF-8 byte-order mark so spreadsheets read the
// accents).
func WriteCSV(w io.Writer, t Table) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(t.Header); err != nil {
		return err
	}
	for _, row := range t.Rows {
		out := make([]string, len(row))
		for i, c := range row {
			out[i] = SafeCell(c)
		}
		if err := cw.Write(out); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// maxCell is the longest text an XLSX cell holds (32,767 characters).
const maxCell = 32767

// SheetName makes name a valid, unique sheet name of at most 31 characters without []:*?/\ .
func SheetName(name string, taken map[string]bool) string {
	name = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`[]:*?/\`, r) {
			return '-'
		}
		return r
	}, strings.TrimSpace(name))
	if name == "" {
		name = "Sheet"
	}
	base := name
	for n := 2; ; n++ {
		if utf8.RuneCountInString(name) > 31 {
			name = string([]rune(name)[:31])
		}
		if !taken[strings.ToLower(name)] {
			taken[strings.ToLower(name)] = true
			return name
		}
		suffix := fmt.Sprintf(" (%d)", n)
		r := []rune(base)
		if len(r)+len(suffix) > 31 {
			r = r[:31-len(suffix)]
		}
		name = string(r) + suffix
	}
}

// WriteXLSX writes tables as a workbook, one sheet per table (in order), the header row bold and
// frozen. Cells are text, never formulas.
func WriteXLSX(w io.Writer, tables []Table) error {
	f := excelize.NewFile()
	defer f.Close()
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	taken := map[string]bool{}
	for i, t := range tables {
		name := SheetName(t.Name, taken)
		if i == 0 {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(name); err != nil {
			return err
		}
		sw, err := f.NewStreamWriter(name)
		if err != nil {
			return err
		}
		if len(t.Header) > 0 {
			if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
				return err
			}
		}
		head := make([]any, len(t.Header))
		for j, h := range t.Header {
			head[j] = excelize.Cell{StyleID: bold, Value: h}
		}
		if err := sw.SetRow("A1", head, excelize.RowOpts{}); err != nil {
			return err
		}
		for r, row := range t.Rows {
			cells := make([]any, len(row))
			for j, c := range row {
				if utf8.RuneCountInString(c) > maxCell {
					c = string([]rune(c)[:maxCell-1]) + "…"
				}
				cells[j] = c
			}
			cell, err := excelize.CoordinatesToCellName(1, r+2)
			if err != nil {
				return err
			}
			if err := sw.SetRow(cell, cells); err != nil {
				return err
			}
		}
		if err := sw.Flush(); err != nil {
			return err
		}
	}
	if len(tables) == 0 {
		if err := f.SetCellValue("Sheet1", "A1", "Nothing to export."); err != nil {
			return err
		}
	}
	return f.Write(w)
}

// File is one file of a ZIP.
type File struct {
	Name string
	Data []byte
}

// WriteZIP writes files as a ZIP archive, in order.
func WriteZIP(w io.Writer, files []File, now time.Time) error {
	zw := zip.NewWriter(w)
	for _, f := range files {
		fw, err := zw.CreateHeader(&zip.FileHeader{Name: f.Name, Method: zip.Deflate, Modified: now})
		if err != nil {
			return err
		}
		if _, err := fw.Write(f.Data); err != nil {
			return err
		}
	}
	return zw.Close()
}

// Encode writes tables in format: XLSX as one workbook; CSV as one file when there is one
// table, else a ZIP of one CSV per table. It returns the data, its file extension and content
// type.
func Encode(tables []Table, format Format, now time.Time) ([]byte, string, string, error) {
	var buf bytes.Buffer
	if format == XLSX {
		if err := WriteXLSX(&buf, tables); err != nil {
			return nil, "", "", fmt.Errorf("export: xlsx: %w", err)
		}
		return buf.Bytes(), ".xlsx", ContentXLSX, nil
	}
	if len(tables) == 1 {
		if err := WriteCSV(&buf, tables[0]); err != nil {
			return nil, "", "", fmt.Errorf("export: csv: %w", err)
		}
		return buf.Bytes(), ".csv", ContentCSV, nil
	}
	var files []File
	taken, slugs := map[string]bool{}, map[string]bool{}
	for _, t := range tables {
		var b bytes.Buffer
		if err := WriteCSV(&b, t); err != nil {
			return nil, "", "", fmt.Errorf("export: csv: %w", err)
		}
		// a name in another script slugs to its Latin part alone: numbered when taken
		base := Slug(SheetName(t.Name, taken))
		name := base
		for n := 2; slugs[name]; n++ {
			name = base + "-" + strconv.Itoa(n)
		}
		slugs[name] = true
		files = append(files, File{Name: name + ".csv", Data: b.Bytes()})
	}
	if err := WriteZIP(&buf, files, now); err != nil {
		return nil, "", "", fmt.Errorf("export: zip: %w", err)
	}
	return buf.Bytes(), ".zip", ContentZIP, nil
}

// Slug turns a name into a file name part: lower-case ASCII letters, digits and hyphens.
func Slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
	}
	out := strings.TrimSuffix(b.String(), "-")
	if out == "" {
		return "export"
	}
	return out
}
