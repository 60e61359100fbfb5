// Package form is the generic form engine: an application form is data (sections of typed
// questions, written in the edition file, DOMAIN.md "The project application"), and this package
// checks such a definition, decodes one posted section into Answers, validates answers for a
// draft or a submission, and reports each section's progress. It knows nothing of editions,
// storage or HTTP handlers; web/components renders a section.
//
// # Field names
//
// Every input of a form has a stable name, and every validation problem is keyed by the name of
// the input it is about, so that a field.Errors maps to the inputs and the error summary links to
// "#f-" + name (the id web/components gives each input):
//
//	q.<key>               the answer of question <key>; repeated for multiple choice; the file
//	                      input of a file question (uploads are handled by the page, not Decode)
//	q.<key>.confidential  "yes" when the applicant marks the answer confidential
//	q.<key>.<row>.<col>   a cell of a table question; rows count from 1
//	q.<key>.remove        the ids of uploaded files to remove (checkboxes of a file question)
//	add_row               a submit button whose value is the key of the table that needs a row
//
// Keys are lowercase letters, digits and underscores (no hyphen and no dot), so a name never
// contains a hyphen and the ids that components derive from it ("f-q.x-hint", "f-q.x-0") never
// collide with the id of another input.
package form

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// Type is the kind of a question, or of a table column.
type Type string

// The question types. Year is only a column type.
const (
	ShortText      Type = "short_text"      // one line; max_length
	LongText       Type = "long_text"       // a narrative; max_words
	Number         Type = "number"          // unit, min, max, integer
	Money          Type = "money"           // currency, min, max
	Date           Type = "date"            // min, max as YYYY-MM-DD
	URL            Type = "url"             // an http or https address
	Email          Type = "email"           // an email address
	SingleChoice   Type = "single_choice"   // options; display dropdown or radio
	MultipleChoice Type = "multiple_choice" // options; min_choices, max_choices
	YesNo          Type = "yes_no"          // "yes" or "no"
	Declaration    Type = "declaration"     // a statement to confirm with a checkbox
	File           Type = "file"            // accept, max_size_mb, max_files
	Table          Type = "table"           // columns; min_rows, max_rows, row_label
	Year           Type = "year"            // a table column holding a year
)

// Display is how a single choice is shown.
type Display string

// The displays of a single choice; radio buttons when not given.
const (
	Radio    Display = "radio"
	Dropdown Display = "dropdown"
)

// Limits that hold whatever a form says, so that decoding and storing stay bounded.
const (
	MaxTextRunes     = 50000 // longest text answer kept; longer input is cut with an error
	MaxLineRunes     = 2000  // longest one-line answer kept (short text, number, date, URL, email)
	MaxCellRunes     = 1000  // longest table cell kept
	MaxShortLength   = 1000  // the largest max_length of a short text
	DefaultMaxLength = 300   // max_length of a short text or text cell that gives none
	MaxWordsLimit    = 10000 // the largest max_words
	MaxRows          = 100   // the most rows a table may hold
	DefaultMaxRows   = 20    // max_rows of a table that gives none
	MaxColumns       = 20    // the most columns of a table
	MaxOptions       = 200   // the most options of a choice
	MaxFilesLimit    = 50    // the largest max_files
	MaxFileSizeMB    = 200   // the largest max_size_mb
	DefaultFileMB    = 10    // max_size_mb of a file question that gives none
	MaxQuestions     = 500   // the most questions of a form
	BlankRows        = 2     // empty rows rendered below the filled rows of a table
	MaxNumberLength  = 40    // the longest number accepted, in characters
	MaxURLLength     = 2000  // the longest URL accepted
	MaxEmailLength   = 254   // the longest email address accepted
)

// FileKinds lists the file kinds a file question may accept, with their extensions and the
// media types a browser may send (DOMAIN.md "The project application": pdf, doc, docx, xls, xlsx,
// jpg and other images; with the Hangul and PowerPoint documents Korean bodies write). They are
// the types internal/files checks by content.
var FileKinds = map[string]struct {
	Label      string
	Extensions []string
	MediaType  string
}{
	"pdf":  {"PDF", []string{".pdf"}, "application/pdf"},
	"doc":  {"DOC", []string{".doc"}, "application/msword"},
	"docx": {"DOCX", []string{".docx"}, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
	"hwp":  {"HWP", []string{".hwp"}, "application/x-hwp"},
	"hwpx": {"HWPX", []string{".hwpx"}, "application/hwp+zip"},
	"xls":  {"XLS", []string{".xls"}, "application/vnd.ms-excel"},
	"xlsx": {"XLSX", []string{".xlsx"}, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
	"jpg":  {"JPG", []string{".jpg", ".jpeg"}, "image/jpeg"},
	"png":  {"PNG", []string{".png"}, "image/png"},
	"ppt":  {"PPT", []string{".ppt"}, "application/vnd.ms-powerpoint"},
	"pptx": {"PPTX", []string{".pptx"}, "application/vnd.openxmlformats-officedocument.presentationml.presentation"},
	"gif":  {"GIF", []string{".gif"}, "image/gif"},
	"webp": {"WEBP", []string{".webp"}, "image/webp"},
}

// Form is an application form: sections of questions. It is written in the edition file
// (`form:` of a category) and stored as JSON with the category; treat it as read-only.
type Form struct {
	Intro    string    `yaml:"intro,omitempty" json:"intro,omitempty"`
	Sections []Section `yaml:"sections" json:"sections"`
}

// Section is one page of a form.
type Section struct {
	Key       string     `yaml:"key" json:"key"`
	Title     string     `yaml:"title" json:"title"`
	Intro     string     `yaml:"intro,omitempty" json:"intro,omitempty"`
	Questions []Question `yaml:"questions" json:"questions"`
}

// Question is one question. The attributes after Criterion apply to some types only (Check
// refuses them on the others).
type Question struct {
	Key      string `yaml:"key" json:"key"`
	Label    string `yaml:"label" json:"label"`
	Help     string `yaml:"help,omitempty" json:"help,omitempty"`
	Type     Type   `yaml:"type" json:"type"`
	Required bool   `yaml:"required,omitempty" json:"required,omitempty"`
	// ShowIf shows the question only when an earlier question has one of the given answers.
	ShowIf *Condition `yaml:"show_if,omitempty" json:"show_if,omitempty"`
	// MayBeConfidential lets the applicant mark the answer confidential: it is then never
	// published (DOMAIN.md "The project application", "Data and publication").
	MayBeConfidential bool `yaml:"may_be_confidential,omitempty" json:"may_be_confidential,omitempty"`
	// Published answers go to the best-practice repository unless marked confidential.
	Published bool `yaml:"published,omitempty" json:"published,omitempty"`
	// Criterion links the answer to an evaluation criterion of the category, by key.
	Criterion string `yaml:"criterion,omitempty" json:"criterion,omitempty"`

	MaxLength  int      `yaml:"max_length,omitempty" json:"max_length,omitempty"`   // short_text
	MaxWords   int      `yaml:"max_words,omitempty" json:"max_words,omitempty"`     // long_text
	Unit       string   `yaml:"unit,omitempty" json:"unit,omitempty"`               // number
	Integer    bool     `yaml:"integer,omitempty" json:"integer,omitempty"`         // number
	Currency   string   `yaml:"currency,omitempty" json:"currency,omitempty"`       // money
	Min        string   `yaml:"min,omitempty" json:"min,omitempty"`                 // number, money, date
	Max        string   `yaml:"max,omitempty" json:"max,omitempty"`                 // number, money, date
	Options    []Option `yaml:"options,omitempty" json:"options,omitempty"`         // choices
	Display    Display  `yaml:"display,omitempty" json:"display,omitempty"`         // single_choice
	MinChoices int      `yaml:"min_choices,omitempty" json:"min_choices,omitempty"` // multiple_choice
	MaxChoices int      `yaml:"max_choices,omitempty" json:"max_choices,omitempty"` // multiple_choice
	Accept     []string `yaml:"accept,omitempty" json:"accept,omitempty"`           // file
	MaxSizeMB  int      `yaml:"max_size_mb,omitempty" json:"max_size_mb,omitempty"` // file
	MaxFiles   int      `yaml:"max_files,omitempty" json:"max_files,omitempty"`     // file
	Columns    []Column `yaml:"columns,omitempty" json:"columns,omitempty"`         // table
	MinRows    int      `yaml:"min_rows,omitempty" json:"min_rows,omitempty"`       // table
	MaxRows    int      `yaml:"max_rows,omitempty" json:"max_rows,omitempty"`       // table
	RowLabel   string   `yaml:"row_label,omitempty" json:"row_label,omitempty"`     // table
}

// Condition shows a question when the answer to an earlier question with options equals a value
// or is one of several (for a multiple choice: when any of them is chosen). Exactly one of Equals
// and In is given; values are option keys ("yes" or "no" for a yes/no question).
type Condition struct {
	Question string   `yaml:"question" json:"question"`
	Equals   string   `yaml:"equals,omitempty" json:"equals,omitempty"`
	In       []string `yaml:"in,omitempty" json:"in,omitempty"`
}

// Values lists the answers that show the question.
func (c *Condition) Values() []string {
	if c.Equals != "" {
		return []string{c.Equals}
	}
	return c.In
}

// Option is one answer of a choice.
type Option struct {
	Key   string `yaml:"key" json:"key"`
	Label string `yaml:"label" json:"label"`
}

// Column is one column of a table question: short_text, number, year, url or single_choice.
type Column struct {
	Key       string   `yaml:"key" json:"key"`
	Label     string   `yaml:"label" json:"label"`
	Type      Type     `yaml:"type" json:"type"`
	Required  bool     `yaml:"required,omitempty" json:"required,omitempty"` // in every row that is not empty
	MaxLength int      `yaml:"max_length,omitempty" json:"max_length,omitempty"`
	Options   []Option `yaml:"options,omitempty" json:"options,omitempty"`
}

// Clone returns a deep copy of the form, in the shape it has after being stored as JSON and read
// back (lists that are empty become nil).
func (f *Form) Clone() *Form {
	if f == nil {
		return nil
	}
	data, err := json.Marshal(f)
	if err != nil { // cannot happen: the types are plain
		panic("form: clone: " + err.Error())
	}
	var c Form
	if err := json.Unmarshal(data, &c); err != nil {
		panic("form: clone: " + err.Error())
	}
	return &c
}

// Section returns the section with the given key.
func (f *Form) Section(key string) (*Section, bool) {
	for i := range f.Sections {
		if f.Sections[i].Key == key {
			return &f.Sections[i], true
		}
	}
	return nil, false
}

// SectionIndex is the position of the section with the given key in f; 0 when there is none.
func (f *Form) SectionIndex(key string) int {
	for i := range f.Sections {
		if f.Sections[i].Key == key {
			return i
		}
	}
	return 0
}

// Question returns the question with the given key, in any section.
func (f *Form) Question(key string) (*Question, bool) {
	for i := range f.Sections {
		for j := range f.Sections[i].Questions {
			if f.Sections[i].Questions[j].Key == key {
				return &f.Sections[i].Questions[j], true
			}
		}
	}
	return nil, false
}

// Questions returns every question of the form in order.
func (f *Form) Questions() []*Question {
	var qs []*Question
	for i := range f.Sections {
		for j := range f.Sections[i].Questions {
			qs = append(qs, &f.Sections[i].Questions[j])
		}
	}
	return qs
}

// Option returns the option with the given key.
func (q *Question) Option(key string) (*Option, bool) { return findOption(q.Options, key) }

// Column returns the column with the given key.
func (q *Question) Column(key string) (*Column, bool) {
	for i := range q.Columns {
		if q.Columns[i].Key == key {
			return &q.Columns[i], true
		}
	}
	return nil, false
}

// Option returns the option of a single-choice column with the given key.
func (c *Column) Option(key string) (*Option, bool) { return findOption(c.Options, key) }

func findOption(opts []Option, key string) (*Option, bool) {
	for i := range opts {
		if opts[i].Key == key {
			return &opts[i], true
		}
	}
	return nil, false
}

// ChoiceOptions returns the answers a condition may test: the options of a choice, or yes and
// no. It is nil for other types.
func (q *Question) ChoiceOptions() []Option {
	switch q.Type {
	case SingleChoice, MultipleChoice:
		return q.Options
	case YesNo:
		return YesNoOptions
	}
	return nil
}

// positiveOr is v when it is set (positive), else def: a limit left out takes its default.
func positiveOr(v, def int) int {
	if v > 0 {
		return v
	}
	return def
}

// YesNoOptions are the answers of a yes/no question.
var YesNoOptions = []Option{{Key: "yes", Label: "Yes"}, {Key: "no", Label: "No"}}

// LengthLimit is the most characters a short text answer may have.
func (q *Question) LengthLimit() int { return positiveOr(q.MaxLength, DefaultMaxLength) }

// LengthLimit is the most characters a cell of the column may have.
func (c *Column) LengthLimit() int { return positiveOr(c.MaxLength, DefaultMaxLength) }

// RowLimit is the most rows a table may have.
func (q *Question) RowLimit() int { return positiveOr(q.MaxRows, DefaultMaxRows) }

// FileLimit is the most files a file question holds.
func (q *Question) FileLimit() int { return positiveOr(q.MaxFiles, 1) }

// SizeLimitMB is the largest file a file question accepts, in megabytes (10^6 bytes).
func (q *Question) SizeLimitMB() int { return positiveOr(q.MaxSizeMB, DefaultFileMB) }

// SizeLimit is the largest file a file question accepts, in bytes.
func (q *Question) SizeLimit() int64 { return int64(q.SizeLimitMB()) * 1_000_000 }

// Extensions lists the file name extensions a file question accepts, such as ".pdf".
func (q *Question) Extensions() []string {
	var exts []string
	for _, k := range q.Accept {
		exts = append(exts, FileKinds[k].Extensions...)
	}
	return exts
}

// RowName is the label of a table row for people, such as "Partner 2" (rows count from 1).
func (q *Question) RowName(row int) string {
	label := q.RowLabel
	if label == "" {
		label = "Row"
	}
	return label + " " + strconv.Itoa(row)
}

// MinNumber returns the lower bound of a number or money question.
func (q *Question) MinNumber() (float64, bool) { return boundNumber(q.Min) }

// MaxNumber returns the upper bound of a number or money question.
func (q *Question) MaxNumber() (float64, bool) { return boundNumber(q.Max) }

func boundNumber(s string) (float64, bool) {
	if s == "" {
		return 0, false
	}
	n, ok := parseNumber(s)
	if !ok {
		return 0, false
	}
	f, err := strconv.ParseFloat(n, 64)
	return f, err == nil
}

// The field name prefix and the name of the "add a row" button.
const (
	fieldPrefix = "q."
	// AddRowField is the name of a table's "add a row" submit button; its value is the key of
	// the table question. A page that receives it saves the draft as usual and renders the
	// section again with one more empty row for that table (components.SectionView.ExtraRows).
	AddRowField = "add_row"
)

// FieldName is the name of the input of question key.
func FieldName(key string) string { return fieldPrefix + key }

// ConfidentialName is the name of the "mark as confidential" checkbox of question key.
func ConfidentialName(key string) string { return fieldPrefix + key + ".confidential" }

// RemoveName is the name of the checkboxes that remove uploaded files of question key.
func RemoveName(key string) string { return fieldPrefix + key + ".remove" }

// CellName is the name of a table cell; rows count from 1.
func CellName(key string, row int, col string) string {
	return fmt.Sprintf("%s%s.%d.%s", fieldPrefix, key, row, col)
}

// FieldName is the name of the question's input.
func (q *Question) FieldName() string { return FieldName(q.Key) }

// clip shortens a label for an error message.
func clip(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) <= 80 {
		return s
	}
	return strings.TrimSpace(string(r[:79])) + "…"
}
