package form

import (
	"errors"
	"fmt"
	"slices"
)

// The editing operations of the form builder: each changes the form in place and checks only
// that what it names exists and that a key it adds is new. Whether the result is a valid form
// is Check's answer (the edition's validator runs it on every save), never theirs.

// ErrNoSuchItem is the error of an operation naming a section or question the form does not have.
var ErrNoSuchItem = errors.New("form: no such section or question")

// ErrDuplicateKey is the error of an operation adding a section or question with a key the
// form already has.
var ErrDuplicateKey = errors.New("form: the key is already used")

func notFound(what, key string) error { return fmt.Errorf("%w: %s %q", ErrNoSuchItem, what, key) }

// sectionAt returns the position of section key.
func (f *Form) sectionAt(key string) (int, error) {
	for i := range f.Sections {
		if f.Sections[i].Key == key {
			return i, nil
		}
	}
	return 0, notFound("section", key)
}

// questionAt returns the positions of question key: its section and its place there.
func (f *Form) questionAt(key string) (int, int, error) {
	for i := range f.Sections {
		for j := range f.Sections[i].Questions {
			if f.Sections[i].Questions[j].Key == key {
				return i, j, nil
			}
		}
	}
	return 0, 0, notFound("question", key)
}

// QuestionPosition returns the section and the place in it of question key, as the paths of
// Check name them (sections[i].questions[j]).
func (f *Form) QuestionPosition(key string) (section, index int, ok bool) {
	i, j, err := f.questionAt(key)
	return i, j, err == nil
}

// AddSection appends section s (with its questions, if any) to the form.
func (f *Form) AddSection(s Section) error {
	if _, err := f.sectionAt(s.Key); err == nil && s.Key != "" {
		return fmt.Errorf("%w: section %q", ErrDuplicateKey, s.Key)
	}
	f.Sections = append(f.Sections, s)
	return nil
}

// UpdateSection changes the key, title and introduction of section key; its questions stay.
func (f *Form) UpdateSection(key string, s Section) error {
	i, err := f.sectionAt(key)
	if err != nil {
		return err
	}
	if s.Key != key {
		if _, err := f.sectionAt(s.Key); err == nil {
			return fmt.Errorf("%w: section %q", ErrDuplicateKey, s.Key)
		}
	}
	cur := &f.Sections[i]
	cur.Key, cur.Title, cur.Intro = s.Key, s.Title, s.Intro
	return nil
}

// RemoveSection removes section key with its questions.
func (f *Form) RemoveSection(key string) error {
	i, err := f.sectionAt(key)
	if err != nil {
		return err
	}
	f.Sections = slices.Delete(f.Sections, i, i+1)
	return nil
}

// MoveSection moves section key by delta places (-1 up, 1 down), staying within the form.
func (f *Form) MoveSection(key string, delta int) error {
	i, err := f.sectionAt(key)
	if err != nil {
		return err
	}
	to := min(max(i+delta, 0), len(f.Sections)-1)
	s := f.Sections[i]
	f.Sections = slices.Insert(slices.Delete(f.Sections, i, i+1), to, s)
	return nil
}

// AddQuestion appends question q to section section.
func (f *Form) AddQuestion(section string, q Question) error {
	i, err := f.sectionAt(section)
	if err != nil {
		return err
	}
	if _, ok := f.Question(q.Key); ok && q.Key != "" {
		return fmt.Errorf("%w: question %q", ErrDuplicateKey, q.Key)
	}
	f.Sections[i].Questions = append(f.Sections[i].Questions, q)
	return nil
}

// UpdateQuestion replaces question key by q in its place. When q has another key, the
// conditions that depended on the old key follow it.
func (f *Form) UpdateQuestion(key string, q Question) error {
	i, j, err := f.questionAt(key)
	if err != nil {
		return err
	}
	if q.Key != key {
		if _, ok := f.Question(q.Key); ok {
			return fmt.Errorf("%w: question %q", ErrDuplicateKey, q.Key)
		}
		for _, other := range f.Questions() {
			if other.ShowIf != nil && other.ShowIf.Question == key {
				other.ShowIf.Question = q.Key
			}
		}
	}
	f.Sections[i].Questions[j] = q
	return nil
}

// RemoveQuestion removes question key. A condition that depended on it is left as it is, for
// Check to report.
func (f *Form) RemoveQuestion(key string) error {
	i, j, err := f.questionAt(key)
	if err != nil {
		return err
	}
	s := &f.Sections[i]
	s.Questions = slices.Delete(s.Questions, j, j+1)
	return nil
}

// MoveQuestion moves question key one place up (delta < 0) or down (delta > 0). The first
// question of a section moves up to the end of the section before it, and the last one down to
// the start of the section after it; at either end of the form it stays.
func (f *Form) MoveQuestion(key string, delta int) error {
	i, j, err := f.questionAt(key)
	if err != nil {
		return err
	}
	s := &f.Sections[i]
	q := s.Questions[j]
	switch {
	case delta < 0 && j > 0:
		s.Questions[j-1], s.Questions[j] = s.Questions[j], s.Questions[j-1]
	case delta < 0 && i > 0:
		s.Questions = slices.Delete(s.Questions, j, j+1)
		f.Sections[i-1].Questions = append(f.Sections[i-1].Questions, q)
	case delta > 0 && j < len(s.Questions)-1:
		s.Questions[j+1], s.Questions[j] = s.Questions[j], s.Questions[j+1]
	case delta > 0 && i < len(f.Sections)-1:
		s.Questions = slices.Delete(s.Questions, j, j+1)
		f.Sections[i+1].Questions = slices.Insert(f.Sections[i+1].Questions, 0, q)
	}
	return nil
}

// MoveQuestionTo moves question key to the end of section section.
func (f *Form) MoveQuestionTo(key, section string) error {
	to, err := f.sectionAt(section)
	if err != nil {
		return err
	}
	i, j, err := f.questionAt(key)
	if err != nil {
		return err
	}
	if i == to {
		return nil
	}
	q := f.Sections[i].Questions[j]
	f.Sections[i].Questions = slices.Delete(f.Sections[i].Questions, j, j+1)
	f.Sections[to].Questions = append(f.Sections[to].Questions, q)
	return nil
}

// SetCondition shows question key only when question on has one of values: one value is an
// "equals" condition, several an "in" condition. No values clears the condition.
func (f *Form) SetCondition(key, on string, values []string) error {
	i, j, err := f.questionAt(key)
	if err != nil {
		return err
	}
	q := &f.Sections[i].Questions[j]
	switch {
	case on == "" && len(values) == 0:
		q.ShowIf = nil
	case len(values) == 1:
		q.ShowIf = &Condition{Question: on, Equals: values[0]}
	default:
		q.ShowIf = &Condition{Question: on, In: slices.Clone(values)}
	}
	return nil
}

// SetOptions replaces the options of question key (a choice).
func (f *Form) SetOptions(key string, opts []Option) error {
	i, j, err := f.questionAt(key)
	if err != nil {
		return err
	}
	f.Sections[i].Questions[j].Options = slices.Clone(opts)
	return nil
}

// SetColumns replaces the columns of question key (a table).
func (f *Form) SetColumns(key string, cols []Column) error {
	i, j, err := f.questionAt(key)
	if err != nil {
		return err
	}
	f.Sections[i].Questions[j].Columns = slices.Clone(cols)
	return nil
}

// QuestionTypes lists the types a question may have, in the order a builder offers them.
func QuestionTypes() []Type { return slices.Clone(questionTypes) }

// ColumnTypes lists the types a table column may have.
func ColumnTypes() []Type { return slices.Clone(columnTypes) }

// FileKindNames lists the file kinds a file question may accept, sorted.
func FileKindNames() []string { return fileKindNames() }

// WithType returns q as a question of type t: the attributes that do not apply to t are
// cleared (the others are kept), so that changing the type of a question never leaves an
// attribute Check would refuse.
func (q Question) WithType(t Type) Question {
	q.Type = t
	for _, a := range q.attributes() {
		if a.set && !slices.Contains(a.types, t) {
			q.clear(a.name)
		}
	}
	if t == Declaration {
		q.MayBeConfidential = false
	}
	return q
}

// clear zeroes the type-specific attribute name (a YAML key of attributes).
func (q *Question) clear(name string) {
	switch name {
	case "max_length":
		q.MaxLength = 0
	case "max_words":
		q.MaxWords = 0
	case "unit":
		q.Unit = ""
	case "integer":
		q.Integer = false
	case "currency":
		q.Currency = ""
	case "min":
		q.Min = ""
	case "max":
		q.Max = ""
	case "options":
		q.Options = nil
	case "display":
		q.Display = ""
	case "min_choices":
		q.MinChoices = 0
	case "max_choices":
		q.MaxChoices = 0
	case "accept":
		q.Accept = nil
	case "max_size_mb":
		q.MaxSizeMB = 0
	case "max_files":
		q.MaxFiles = 0
	case "columns":
		q.Columns = nil
	case "min_rows":
		q.MinRows = 0
	case "max_rows":
		q.MaxRows = 0
	case "row_label":
		q.RowLabel = ""
	}
}
