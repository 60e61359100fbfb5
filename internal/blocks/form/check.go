package form

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"prizeportal/internal/i18n"
)

// MaxKeyLength is the longest section, question, column or option key.
const MaxKeyLength = 64

var (
	keyPattern      = regexp.MustCompile(`^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$`)
	currencyPattern = regexp.MustCompile(`^[A-Z]{3}$`)
)

// ValidKey reports whether s is a form key: lowercase letters, digits and single underscores,
// starting with a letter, at most MaxKeyLength long. Keys become field names and JSON keys of the
// answers; they have no hyphen so that ids derived from field names stay unique (see the package
// documentation).
func ValidKey(s string) bool {
	return len(s) <= MaxKeyLength && keyPattern.MatchString(s)
}

// keyProblem says what is wrong with value, a key that breaks the form's key rule (ValidKey).
func keyProblem(value string) string {
	return i18n.Msg(`must be a lowercase key of letters, digits and underscores starting with a letter (at most 64), such as "project_title", got {{.Value}}`, "Value", quote(value))
}

// Problem is one thing wrong with a form definition. Path names the key relative to the form,
// such as "sections[2].questions[1].show_if.question"; it is "" for the form as a whole. Message
// says it in English (the command line, logs); Text is the same carried for the reader's
// language (i18n.M or i18n.Msg), which the pages show through i18n.T.
type Problem struct {
	Path    string
	Message string
	Text    string
}

// Shown is the problem's message for i18n.T: Text, or Message when the problem has no Text.
func (p Problem) Shown() string {
	if p.Text != "" {
		return p.Text
	}
	return p.Message
}

// Checker collects the problems of a definition, each at its path. A form's Check uses it with
// the form's key rule; the edition's validator uses it with the edition's (KeyValid, KeyHint).
type Checker struct {
	Problems []Problem
	// KeyValid is the rule Key checks and KeyProblem says what is wrong with a value that breaks
	// it (a carried text, i18n.Msg): ValidKey and its problem when KeyValid is nil.
	KeyValid   func(string) bool
	KeyProblem func(value string) string
}

// Add records the problem msg at path: a text marked for translation (i18n.M) or carried with
// its values (i18n.Msg), which the pages show in the reader's language and the command line in
// English (i18n.English).
func (c *Checker) Add(path, msg string) {
	c.Problems = append(c.Problems, Problem{Path: path, Message: i18n.English(msg), Text: msg})
}

// quote is s as a problem shows a value that was given: in double quotes, escaped as Go does
// (the %q the messages used before they were carried).
func quote(s string) string { return strconv.Quote(s) }

// Required records "is required" when value is blank, and says whether it was given.
func (c *Checker) Required(path, value string) bool {
	if strings.TrimSpace(value) == "" {
		c.Add(path, i18n.M("is required"))
		return false
	}
	return true
}

// Key records a problem when value is missing or breaks the key rule.
func (c *Checker) Key(path, value string) {
	valid, problem := c.KeyValid, c.KeyProblem
	if valid == nil {
		valid, problem = ValidKey, keyProblem
	}
	if c.Required(path, value) && !valid(value) {
		c.Add(path, problem(value))
	}
}

// Unique records key at path in seen and reports a duplicate against the first path that used it.
func (c *Checker) Unique(seen map[string]string, path, key string) {
	if key == "" {
		return
	}
	if first, dup := seen[key]; dup {
		c.Add(path, i18n.Msg("duplicate key {{.Key}} (also at {{.First}})", "Key", quote(key), "First", first))
		return
	}
	seen[key] = path
}

// Between records a problem when v is set (non-zero) and outside lo..hi.
func (c *Checker) Between(path string, v, lo, hi int) {
	if v != 0 && (v < lo || v > hi) {
		c.Add(path, i18n.Msg("must be between {{.Min}} and {{.Max}}, got {{.Value}}", "Min", lo, "Max", hi, "Value", v))
	}
}

// NotNegative records a problem when v is negative.
func (c *Checker) NotNegative(path string, v int) {
	if v < 0 {
		c.Add(path, i18n.Msg("must not be negative, got {{.Value}}", "Value", v))
	}
}

// attribute is a type-specific attribute of a question: its YAML key, whether it is set, and the
// types it applies to.
type attribute struct {
	name  string
	set   bool
	types []Type
}

func (q *Question) attributes() []attribute {
	choices := []Type{SingleChoice, MultipleChoice}
	bounded := []Type{Number, Money, Date}
	return []attribute{
		{"max_length", q.MaxLength != 0, []Type{ShortText}},
		{"max_words", q.MaxWords != 0, []Type{LongText}},
		{"unit", q.Unit != "", []Type{Number}},
		{"integer", q.Integer, []Type{Number}},
		{"currency", q.Currency != "", []Type{Money}},
		{"min", q.Min != "", bounded},
		{"max", q.Max != "", bounded},
		{"options", q.Options != nil, choices},
		{"display", q.Display != "", []Type{SingleChoice}},
		{"min_choices", q.MinChoices != 0, []Type{MultipleChoice}},
		{"max_choices", q.MaxChoices != 0, []Type{MultipleChoice}},
		{"accept", q.Accept != nil, []Type{File}},
		{"max_size_mb", q.MaxSizeMB != 0, []Type{File}},
		{"max_files", q.MaxFiles != 0, []Type{File}},
		{"columns", q.Columns != nil, []Type{Table}},
		{"min_rows", q.MinRows != 0, []Type{Table}},
		{"max_rows", q.MaxRows != 0, []Type{Table}},
		{"row_label", q.RowLabel != "", []Type{Table}},
	}
}

var (
	questionTypes = []Type{ShortText, LongText, Number, Money, Date, URL, Email, SingleChoice,
		MultipleChoice, YesNo, Declaration, File, Table}
	columnTypes = []Type{ShortText, Number, Year, URL, SingleChoice}
)

func typeList(ts []Type) string {
	s := make([]string, len(ts))
	for i, t := range ts {
		s[i] = string(t)
	}
	return strings.Join(s, ", ")
}

// Check lists every problem of the form definition, each with its path: keys valid and unique
// (question keys across the whole form), required texts present, attributes only on the types
// they belong to, limits sane, conditions referring to an earlier question with options and to
// its option keys, and criterion links naming one of criteria (the keys of the category's
// evaluation criteria). A form without problems is safe for the rest of the package.
func (f *Form) Check(criteria []string) []Problem {
	c := &Checker{}
	if len(f.Sections) == 0 {
		c.Add("sections", i18n.M("at least one section is required"))
	}
	sections := map[string]string{}
	questions := map[string]string{}
	earlier := map[string]*Question{}
	all := map[string]bool{}
	for i := range f.Sections {
		for _, q := range f.Sections[i].Questions {
			all[q.Key] = true
		}
	}
	count := 0
	for i := range f.Sections {
		s := &f.Sections[i]
		p := fmt.Sprintf("sections[%d]", i)
		c.Key(p+".key", s.Key)
		c.Unique(sections, p+".key", s.Key)
		c.Required(p+".title", s.Title)
		if len(s.Questions) == 0 {
			c.Add(p+".questions", i18n.M("at least one question is required"))
		}
		for j := range s.Questions {
			q := &s.Questions[j]
			pq := fmt.Sprintf("%s.questions[%d]", p, j)
			count++
			if count == MaxQuestions+1 {
				c.Add(pq, i18n.Msg("a form may have at most {{.Max}} questions", "Max", MaxQuestions))
			}
			c.Key(pq+".key", q.Key)
			c.Unique(questions, pq+".key", q.Key)
			c.Required(pq+".label", q.Label)
			q.check(c, pq, earlier, all, criteria)
			if q.Key != "" {
				if _, dup := earlier[q.Key]; !dup {
					earlier[q.Key] = q
				}
			}
		}
	}
	return c.Problems
}

func (q *Question) check(c *Checker, p string, earlier map[string]*Question, all map[string]bool, criteria []string) {
	switch {
	case q.Type == "":
		c.Add(p+".type", i18n.Msg("is required (one of {{.Types}})", "Types", typeList(questionTypes)))
	case !slices.Contains(questionTypes, q.Type):
		c.Add(p+".type", i18n.Msg("must be one of {{.Types}}, got {{.Value}}", "Types", typeList(questionTypes), "Value", quote(string(q.Type))))
	default:
		for _, a := range q.attributes() {
			if a.set && !slices.Contains(a.types, q.Type) {
				c.Add(p+"."+a.name, i18n.Msg("applies only to {{.Types}} questions, not to {{.Type}}", "Types", typeList(a.types), "Type", string(q.Type)))
			}
		}
	}

	switch q.Type {
	case ShortText:
		c.Between(p+".max_length", q.MaxLength, 1, MaxShortLength)
	case LongText:
		c.Between(p+".max_words", q.MaxWords, 1, MaxWordsLimit)
	case Number, Money:
		if q.Type == Money {
			if c.Required(p+".currency", q.Currency) && !currencyPattern.MatchString(q.Currency) {
				c.Add(p+".currency", i18n.Msg("must be a three-letter ISO 4217 code such as USD or KRW, got {{.Value}}", "Value", quote(q.Currency)))
			}
		}
		lo, loOK := checkNumberBound(c, p+".min", q.Min)
		hi, hiOK := checkNumberBound(c, p+".max", q.Max)
		if loOK && hiOK && hi < lo {
			c.Add(p+".max", i18n.Msg("must not be less than min ({{.Min}})", "Min", q.Min))
		}
	case Date:
		lo, loOK := checkDateBound(c, p+".min", q.Min)
		hi, hiOK := checkDateBound(c, p+".max", q.Max)
		if loOK && hiOK && hi.Before(lo) {
			c.Add(p+".max", i18n.Msg("must not be before min ({{.Min}})", "Min", q.Min))
		}
	case SingleChoice, MultipleChoice:
		checkOptions(c, p+".options", q.Options)
		if q.Type == SingleChoice && q.Display != "" && q.Display != Radio && q.Display != Dropdown {
			c.Add(p+".display", i18n.Msg("must be {{.A}} or {{.B}}, got {{.Value}}", "A", quote(string(Dropdown)), "B", quote(string(Radio)), "Value", quote(string(q.Display))))
		}
		if q.Type == MultipleChoice {
			c.NotNegative(p+".min_choices", q.MinChoices)
			c.NotNegative(p+".max_choices", q.MaxChoices)
			if q.MinChoices > len(q.Options) {
				c.Add(p+".min_choices", i18n.Msg("must not be more than the {{.Count}} options", "Count", len(q.Options)))
			}
			if q.MaxChoices > len(q.Options) {
				c.Add(p+".max_choices", i18n.Msg("must not be more than the {{.Count}} options", "Count", len(q.Options)))
			}
			if q.MaxChoices > 0 && q.MinChoices > q.MaxChoices {
				c.Add(p+".max_choices", i18n.Msg("must not be less than min_choices ({{.Min}})", "Min", q.MinChoices))
			}
		}
	case File:
		if len(q.Accept) == 0 {
			c.Add(p+".accept", i18n.Msg("at least one file kind is required ({{.Kinds}})", "Kinds", strings.Join(fileKindNames(), ", ")))
		}
		seen := map[string]string{}
		for k, kind := range q.Accept {
			pk := fmt.Sprintf("%s.accept[%d]", p, k)
			if _, ok := FileKinds[kind]; !ok {
				c.Add(pk, i18n.Msg("must be one of {{.Types}}, got {{.Value}}", "Types", strings.Join(fileKindNames(), ", "), "Value", quote(kind)))
				continue
			}
			c.Unique(seen, pk, kind)
		}
		c.Between(p+".max_size_mb", q.MaxSizeMB, 1, MaxFileSizeMB)
		c.Between(p+".max_files", q.MaxFiles, 1, MaxFilesLimit)
	case Table:
		checkColumns(c, p+".columns", q.Columns)
		c.Between(p+".max_rows", q.MaxRows, 1, MaxRows)
		c.NotNegative(p+".min_rows", q.MinRows)
		if q.MinRows > q.RowLimit() {
			c.Add(p+".min_rows", i18n.Msg("must not be more than max_rows ({{.Max}})", "Max", q.RowLimit()))
		}
	}
	if q.MayBeConfidential && q.Type == Declaration {
		c.Add(p+".may_be_confidential", i18n.M("a declaration cannot be confidential"))
	}

	if q.Criterion != "" && !slices.Contains(criteria, q.Criterion) {
		if len(criteria) == 0 {
			c.Add(p+".criterion", i18n.Msg("unknown criterion {{.Value}} (the category has no criteria)", "Value", quote(q.Criterion)))
		} else {
			c.Add(p+".criterion", i18n.Msg("unknown criterion {{.Value}} (the category has {{.Criteria}})", "Value", quote(q.Criterion), "Criteria", strings.Join(criteria, ", ")))
		}
	}

	if q.ShowIf != nil {
		checkCondition(c, p+".show_if", q, earlier, all)
	}
}

func checkCondition(c *Checker, p string, q *Question, earlier map[string]*Question, all map[string]bool) {
	cond := q.ShowIf
	if !c.Required(p+".question", cond.Question) {
		return
	}
	ref, ok := earlier[cond.Question]
	switch {
	case cond.Question == q.Key:
		c.Add(p+".question", i18n.M("a question cannot depend on itself"))
		return
	case !ok && !all[cond.Question]:
		c.Add(p+".question", i18n.Msg("unknown question {{.Question}}", "Question", quote(cond.Question)))
		return
	case !ok:
		c.Add(p+".question", i18n.Msg("question {{.Question}} comes later in the form: a condition may only use an earlier question", "Question", quote(cond.Question)))
		return
	}
	opts := ref.ChoiceOptions()
	if opts == nil {
		c.Add(p+".question", i18n.Msg("question {{.Question}} is a {{.Type}} question: a condition needs a single_choice, multiple_choice or yes_no question", "Question", quote(cond.Question), "Type", string(ref.Type)))
		return
	}
	switch {
	case cond.Equals == "" && len(cond.In) == 0:
		c.Add(p, i18n.M("give equals (one answer) or in (a list of answers)"))
	case cond.Equals != "" && len(cond.In) > 0:
		c.Add(p, i18n.M("give either equals or in, not both"))
	case cond.Equals != "":
		if _, ok := findOption(opts, cond.Equals); !ok {
			c.Add(p+".equals", i18n.Msg("{{.Value}} is not an option of question {{.Question}} ({{.Options}})", "Value", quote(cond.Equals), "Question", quote(cond.Question), "Options", optionKeys(opts)))
		}
	default:
		for k, v := range cond.In {
			if _, ok := findOption(opts, v); !ok {
				c.Add(fmt.Sprintf("%s.in[%d]", p, k), i18n.Msg("{{.Value}} is not an option of question {{.Question}} ({{.Options}})", "Value", quote(v), "Question", quote(cond.Question), "Options", optionKeys(opts)))
			}
		}
	}
}

func optionKeys(opts []Option) string {
	keys := make([]string, len(opts))
	for i, o := range opts {
		keys[i] = o.Key
	}
	return strings.Join(keys, ", ")
}

func checkOptions(c *Checker, p string, opts []Option) {
	if len(opts) < 2 {
		c.Add(p, i18n.M("at least two options are required"))
	}
	if len(opts) > MaxOptions {
		c.Add(p, i18n.Msg("at most {{.Max}} options are allowed", "Max", MaxOptions))
	}
	seen := map[string]string{}
	for k, o := range opts {
		pk := fmt.Sprintf("%s[%d]", p, k)
		c.Key(pk+".key", o.Key)
		c.Unique(seen, pk+".key", o.Key)
		c.Required(pk+".label", o.Label)
	}
}

func checkColumns(c *Checker, p string, cols []Column) {
	if len(cols) == 0 {
		c.Add(p, i18n.M("at least one column is required"))
	}
	if len(cols) > MaxColumns {
		c.Add(p, i18n.Msg("at most {{.Max}} columns are allowed", "Max", MaxColumns))
	}
	seen := map[string]string{}
	for k := range cols {
		col := &cols[k]
		pk := fmt.Sprintf("%s[%d]", p, k)
		c.Key(pk+".key", col.Key)
		c.Unique(seen, pk+".key", col.Key)
		c.Required(pk+".label", col.Label)
		switch {
		case col.Type == "":
			c.Add(pk+".type", i18n.Msg("is required (one of {{.Types}})", "Types", typeList(columnTypes)))
		case !slices.Contains(columnTypes, col.Type):
			c.Add(pk+".type", i18n.Msg("must be one of {{.Types}}, got {{.Value}}", "Types", typeList(columnTypes), "Value", quote(string(col.Type))))
		}
		if col.Type == SingleChoice {
			checkOptions(c, pk+".options", col.Options)
		} else if col.Options != nil {
			c.Add(pk+".options", i18n.Msg("applies only to single_choice columns, not to {{.Type}}", "Type", string(col.Type)))
		}
		if col.MaxLength != 0 && col.Type != ShortText {
			c.Add(pk+".max_length", i18n.Msg("applies only to short_text columns, not to {{.Type}}", "Type", string(col.Type)))
		} else {
			c.Between(pk+".max_length", col.MaxLength, 1, MaxCellRunes)
		}
	}
}

func checkNumberBound(c *Checker, p, s string) (float64, bool) {
	if s == "" {
		return 0, false
	}
	n, ok := boundNumber(s)
	if !ok {
		c.Add(p, i18n.Msg("must be a number such as 0 or 2.5, got {{.Value}}", "Value", quote(s)))
	}
	return n, ok
}

func checkDateBound(c *Checker, p, s string) (time.Time, bool) {
	if s == "" {
		return time.Time{}, false
	}
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		c.Add(p, i18n.Msg("must be a date such as 2020-01-31, got {{.Value}}", "Value", quote(s)))
		return time.Time{}, false
	}
	return t, true
}

func fileKindNames() []string {
	names := make([]string, 0, len(FileKinds))
	for k := range FileKinds {
		names = append(names, k)
	}
	slices.Sort(names)
	return names
}
