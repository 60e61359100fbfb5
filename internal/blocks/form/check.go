package form

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
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

const keyHint = `must be a lowercase key of letters, digits and underscores starting with a letter (at most 64), such as "project_title"`

// Problem is one thing wrong with a form definition. Path names the key relative to the form,
// such as "sections[2].questions[1].show_if.question"; it is "" for the form as a whole.
type Problem struct {
	Path    string
	Message string
}

// checker collects problems, like the edition's checker.
type checker struct {
	problems []Problem
}

func (c *checker) add(path, format string, args ...any) {
	c.problems = append(c.problems, Problem{Path: path, Message: fmt.Sprintf(format, args...)})
}

func (c *checker) required(path, value string) bool {
	if strings.TrimSpace(value) == "" {
		c.add(path, "is required")
		return false
	}
	return true
}

func (c *checker) key(path, value string) {
	if c.required(path, value) && !ValidKey(value) {
		c.add(path, keyHint+", got %q", value)
	}
}

func (c *checker) unique(seen map[string]string, path, key string) {
	if key == "" {
		return
	}
	if first, dup := seen[key]; dup {
		c.add(path, "duplicate key %q (also at %s)", key, first)
		return
	}
	seen[key] = path
}

func (c *checker) between(path string, v, lo, hi int) {
	if v != 0 && (v < lo || v > hi) {
		c.add(path, "must be between %d and %d, got %d", lo, hi, v)
	}
}

func (c *checker) notNegative(path string, v int) {
	if v < 0 {
		c.add(path, "must not be negative, got %d", v)
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
	c := &checker{}
	if len(f.Sections) == 0 {
		c.add("sections", "at least one section is required")
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
		c.key(p+".key", s.Key)
		c.unique(sections, p+".key", s.Key)
		c.required(p+".title", s.Title)
		if len(s.Questions) == 0 {
			c.add(p+".questions", "at least one question is required")
		}
		for j := range s.Questions {
			q := &s.Questions[j]
			pq := fmt.Sprintf("%s.questions[%d]", p, j)
			count++
			if count == MaxQuestions+1 {
				c.add(pq, "a form may have at most %d questions", MaxQuestions)
			}
			c.key(pq+".key", q.Key)
			c.unique(questions, pq+".key", q.Key)
			c.required(pq+".label", q.Label)
			q.check(c, pq, earlier, all, criteria)
			if q.Key != "" {
				if _, dup := earlier[q.Key]; !dup {
					earlier[q.Key] = q
				}
			}
		}
	}
	return c.problems
}

func (q *Question) check(c *checker, p string, earlier map[string]*Question, all map[string]bool, criteria []string) {
	switch {
	case q.Type == "":
		c.add(p+".type", "is required (one of %s)", typeList(questionTypes))
	case !slices.Contains(questionTypes, q.Type):
		c.add(p+".type", "must be one of %s, got %q", typeList(questionTypes), q.Type)
	default:
		for _, a := range q.attributes() {
			if a.set && !slices.Contains(a.types, q.Type) {
				c.add(p+"."+a.name, "applies only to %s questions, not to %s", typeList(a.types), q.Type)
			}
		}
	}

	switch q.Type {
	case ShortText:
		c.between(p+".max_length", q.MaxLength, 1, MaxShortLength)
	case LongText:
		c.between(p+".max_words", q.MaxWords, 1, MaxWordsLimit)
	case Number, Money:
		if q.Type == Money {
			if c.required(p+".currency", q.Currency) && !currencyPattern.MatchString(q.Currency) {
				c.add(p+".currency", "must be a three-letter ISO 4217 code such as USD or KRW, got %q", q.Currency)
			}
		}
		lo, loOK := checkNumberBound(c, p+".min", q.Min)
		hi, hiOK := checkNumberBound(c, p+".max", q.Max)
		if loOK && hiOK && hi < lo {
			c.add(p+".max", "must not be less than min (%s)", q.Min)
		}
	case Date:
		lo, loOK := checkDateBound(c, p+".min", q.Min)
		hi, hiOK := checkDateBound(c, p+".max", q.Max)
		if loOK && hiOK && hi.Before(lo) {
			c.add(p+".max", "must not be before min (%s)", q.Min)
		}
	case SingleChoice, MultipleChoice:
		checkOptions(c, p+".options", q.Options)
		if q.Type == SingleChoice && q.Display != "" && q.Display != Radio && q.Display != Dropdown {
			c.add(p+".display", "must be %q or %q, got %q", Dropdown, Radio, q.Display)
		}
		if q.Type == MultipleChoice {
			c.notNegative(p+".min_choices", q.MinChoices)
			c.notNegative(p+".max_choices", q.MaxChoices)
			if q.MinChoices > len(q.Options) {
				c.add(p+".min_choices", "must not be more than the %d options", len(q.Options))
			}
			if q.MaxChoices > len(q.Options) {
				c.add(p+".max_choices", "must not be more than the %d options", len(q.Options))
			}
			if q.MaxChoices > 0 && q.MinChoices > q.MaxChoices {
				c.add(p+".max_choices", "must not be less than min_choices (%d)", q.MinChoices)
			}
		}
	case File:
		if len(q.Accept) == 0 {
			c.add(p+".accept", "at least one file kind is required (%s)", strings.Join(fileKindNames(), ", "))
		}
		seen := map[string]string{}
		for k, kind := range q.Accept {
			pk := fmt.Sprintf("%s.accept[%d]", p, k)
			if _, ok := FileKinds[kind]; !ok {
				c.add(pk, "must be one of %s, got %q", strings.Join(fileKindNames(), ", "), kind)
				continue
			}
			c.unique(seen, pk, kind)
		}
		c.between(p+".max_size_mb", q.MaxSizeMB, 1, MaxFileSizeMB)
		c.between(p+".max_files", q.MaxFiles, 1, MaxFilesLimit)
	case Table:
		checkColumns(c, p+".columns", q.Columns)
		c.between(p+".max_rows", q.MaxRows, 1, MaxRows)
		c.notNegative(p+".min_rows", q.MinRows)
		if q.MinRows > q.RowLimit() {
			c.add(p+".min_rows", "must not be more than max_rows (%d)", q.RowLimit())
		}
	}
	if q.MayBeConfidential && q.Type == Declaration {
		c.add(p+".may_be_confidential", "a declaration cannot be confidential")
	}

	if q.Criterion != "" && !slices.Contains(criteria, q.Criterion) {
		if len(criteria) == 0 {
			c.add(p+".criterion", "unknown criterion %q (the category has no criteria)", q.Criterion)
		} else {
			c.add(p+".criterion", "unknown criterion %q (the category has %s)", q.Criterion, strings.Join(criteria, ", "))
		}
	}

	if q.ShowIf != nil {
		checkCondition(c, p+".show_if", q, earlier, all)
	}
}

func checkCondition(c *checker, p string, q *Question, earlier map[string]*Question, all map[string]bool) {
	cond := q.ShowIf
	if !c.required(p+".question", cond.Question) {
		return
	}
	ref, ok := earlier[cond.Question]
	switch {
	case cond.Question == q.Key:
		c.add(p+".question", "a question cannot depend on itself")
		return
	case !ok && !all[cond.Question]:
		c.add(p+".question", "unknown question %q", cond.Question)
		return
	case !ok:
		c.add(p+".question", "question %q comes later in the form: a condition may only use an earlier question", cond.Question)
		return
	}
	opts := ref.ChoiceOptions()
	if opts == nil {
		c.add(p+".question", "question %q is a %s question: a condition needs a single_choice, multiple_choice or yes_no question", cond.Question, ref.Type)
		return
	}
	switch {
	case cond.Equals == "" && len(cond.In) == 0:
		c.add(p, "give equals (one answer) or in (a list of answers)")
	case cond.Equals != "" && len(cond.In) > 0:
		c.add(p, "give either equals or in, not both")
	case cond.Equals != "":
		if _, ok := findOption(opts, cond.Equals); !ok {
			c.add(p+".equals", "%q is not an option of question %q (%s)", cond.Equals, cond.Question, optionKeys(opts))
		}
	default:
		for k, v := range cond.In {
			if _, ok := findOption(opts, v); !ok {
				c.add(fmt.Sprintf("%s.in[%d]", p, k), "%q is not an option of question %q (%s)", v, cond.Question, optionKeys(opts))
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

func checkOptions(c *checker, p string, opts []Option) {
	if len(opts) < 2 {
		c.add(p, "at least two options are required")
	}
	if len(opts) > MaxOptions {
		c.add(p, "at most %d options are allowed", MaxOptions)
	}
	seen := map[string]string{}
	for k, o := range opts {
		pk := fmt.Sprintf("%s[%d]", p, k)
		c.key(pk+".key", o.Key)
		c.unique(seen, pk+".key", o.Key)
		c.required(pk+".label", o.Label)
	}
}

func checkColumns(c *checker, p string, cols []Column) {
	if len(cols) == 0 {
		c.add(p, "at least one column is required")
	}
	if len(cols) > MaxColumns {
		c.add(p, "at most %d columns are allowed", MaxColumns)
	}
	seen := map[string]string{}
	for k := range cols {
		col := &cols[k]
		pk := fmt.Sprintf("%s[%d]", p, k)
		c.key(pk+".key", col.Key)
		c.unique(seen, pk+".key", col.Key)
		c.required(pk+".label", col.Label)
		switch {
		case col.Type == "":
			c.add(pk+".type", "is required (one of %s)", typeList(columnTypes))
		case !slices.Contains(columnTypes, col.Type):
			c.add(pk+".type", "must be one of %s, got %q", typeList(columnTypes), col.Type)
		}
		if col.Type == SingleChoice {
			checkOptions(c, pk+".options", col.Options)
		} else if col.Options != nil {
			c.add(pk+".options", "applies only to single_choice columns, not to %s", col.Type)
		}
		if col.MaxLength != 0 && col.Type != ShortText {
			c.add(pk+".max_length", "applies only to short_text columns, not to %s", col.Type)
		} else {
			c.between(pk+".max_length", col.MaxLength, 1, MaxCellRunes)
		}
	}
}

func checkNumberBound(c *checker, p, s string) (float64, bool) {
	if s == "" {
		return 0, false
	}
	n, ok := boundNumber(s)
	if !ok {
		c.add(p, "must be a number such as 0 or 2.5, got %q", s)
	}
	return n, ok
}

func checkDateBound(c *checker, p, s string) (time.Time, bool) {
	if s == "" {
		return time.Time{}, false
	}
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		c.add(p, "must be a date such as 2020-01-31, got %q", s)
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
