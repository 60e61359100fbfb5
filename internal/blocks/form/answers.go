package form

import (
	"encoding/json"
	"slices"
	"strings"
)

// Answers are the answers to one form, by question key. Stored as JSON, they look like
//
//	{"project_title": {"text": "Seoul Talk"},
//	 "budget": {"text": "1,500,000", "number": 1500000, "confidential": true},
//	 "sectors": {"choices": ["mobility", "safety"]},
//	 "partners": {"rows": [{"name": "KT", "sector": "private"}]},
//	 "documents": {"files": [{"id": "f3c1...", "name": "report.pdf"}]}}
//
// encoding/json writes map keys in order, so equal answers always encode to equal bytes.
type Answers map[string]Answer

// Answer is the answer to one question. Text holds what was typed, as typed (trimmed): the text
// of a text question, a number or amount, a date as YYYY-MM-DD, a URL or email, the option key
// of a single choice, "yes" or "no", or "yes" for a confirmed declaration. A text that is not a
// valid value is kept as it is, so that nothing typed is lost, and Validate reports it.
type Answer struct {
	Text string `json:"text,omitempty"`
	// Number is the value of a valid number or money answer, without grouping commas.
	Number json.Number `json:"number,omitempty"`
	// Choices are the option keys of a multiple choice, in the order of the options.
	Choices []string `json:"choices,omitempty"`
	// Rows are the rows of a table: column key to cell text; empty rows are not kept.
	Rows []Row `json:"rows,omitempty"`
	// Files are the uploaded files of a file question.
	Files []FileRef `json:"files,omitempty"`
	// Confidential marks the answer as never to be published (DOMAIN.md "Data and publication").
	Confidential bool `json:"confidential,omitempty"`

	// remove lists the ids of files the applicant asked to remove (Decode), applied by Merge.
	remove []string
}

// Row is one row of a table answer: column key to cell text.
type Row map[string]string

// FileRef refers to an uploaded file: its id in file storage and the name to show.
type FileRef struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Empty reports whether the answer holds nothing (the confidential mark alone is not an answer).
func (a Answer) Empty() bool {
	return strings.TrimSpace(a.Text) == "" && len(a.Choices) == 0 && len(a.Rows) == 0 && len(a.Files) == 0
}

// RemovedFiles lists the ids of the files the applicant asked to remove in the decoded answer.
func (a Answer) RemovedFiles() []string { return a.remove }

// Clone returns a deep copy of the answers.
func (a Answers) Clone() Answers {
	if a == nil {
		return nil
	}
	c := make(Answers, len(a))
	for k, v := range a {
		v.Choices = slices.Clone(v.Choices)
		v.Files = slices.Clone(v.Files)
		v.remove = slices.Clone(v.remove)
		if v.Rows != nil {
			rows := make([]Row, len(v.Rows))
			for i, r := range v.Rows {
				rows[i] = make(Row, len(r))
				for ck, cv := range r {
					rows[i][ck] = cv
				}
			}
			v.Rows = rows
		}
		c[k] = v
	}
	return c
}

// Visible reports whether question q is shown given the answers: a question without a condition
// always is; one with a condition is shown when the question it depends on is shown and has one
// of the condition's answers. A hidden question is never required, is not validated and is
// dropped by Prune.
func (f *Form) Visible(q *Question, a Answers) bool {
	for depth := 0; q != nil && q.ShowIf != nil; depth++ {
		if depth > MaxQuestions { // a cycle; Check refuses them
			return false
		}
		ref, ok := f.Question(q.ShowIf.Question)
		if !ok {
			return false
		}
		ans := a[ref.Key]
		values := q.ShowIf.Values()
		match := false
		if ref.Type == MultipleChoice {
			for _, c := range ans.Choices {
				if slices.Contains(values, c) {
					match = true
					break
				}
			}
		} else {
			match = ans.Text != "" && slices.Contains(values, ans.Text)
		}
		if !match {
			return false
		}
		q = ref
	}
	return true
}

// Merge returns stored with the answers of one section replaced by decoded (from Decode): an
// answer the applicant emptied is removed. A file question keeps its stored files, less those the
// applicant asked to remove, which are returned so that the caller can delete them from storage;
// its confidential mark comes from decoded. Answers of other sections are kept as they are.
func Merge(f *Form, section string, stored, decoded Answers) (Answers, []FileRef) {
	out := stored.Clone()
	if out == nil {
		out = Answers{}
	}
	s, ok := f.Section(section)
	if !ok {
		return out, nil
	}
	var removed []FileRef
	for i := range s.Questions {
		q := &s.Questions[i]
		d, has := decoded[q.Key]
		if q.Type != File {
			if has && (!d.Empty() || d.Confidential) {
				d.remove = nil
				out[q.Key] = d
			} else {
				delete(out, q.Key)
			}
			continue
		}
		cur := out[q.Key]
		var kept []FileRef
		for _, ref := range cur.Files {
			if slices.Contains(d.remove, ref.ID) {
				removed = append(removed, ref)
			} else {
				kept = append(kept, ref)
			}
		}
		cur.Files, cur.Confidential, cur.remove = kept, d.Confidential && q.MayBeConfidential, nil
		if cur.Empty() && !cur.Confidential {
			delete(out, q.Key)
		} else {
			out[q.Key] = cur
		}
	}
	return out, removed
}

// Prune returns the answers as they are submitted: answers to questions the form no longer has
// or that are hidden by their condition are dropped, empty answers and table cells of unknown
// columns are left out, and a confidential mark is kept only where the question allows it.
func Prune(f *Form, a Answers) Answers {
	out := Answers{}
	for _, q := range f.Questions() {
		ans, ok := a[q.Key]
		if !ok || ans.Empty() || !f.Visible(q, a) {
			continue
		}
		ans = Answers{q.Key: ans}.Clone()[q.Key]
		ans.remove = nil
		ans.Confidential = ans.Confidential && q.MayBeConfidential
		if q.Type == Table {
			var rows []Row
			for _, r := range ans.Rows {
				kept := Row{}
				for _, col := range q.Columns {
					if v := strings.TrimSpace(r[col.Key]); v != "" {
						kept[col.Key] = r[col.Key]
					}
				}
				if len(kept) > 0 {
					rows = append(rows, kept)
				}
			}
			if len(rows) == 0 {
				continue
			}
			ans.Rows = rows
		}
		out[q.Key] = ans
	}
	return out
}

// Publishable returns the answers that may go to the best-practice repository: those of visible
// questions marked published, leaving out every answer the applicant marked confidential
// (DOMAIN.md "Data and publication": confidential information is excluded from anything
// published).
func Publishable(f *Form, a Answers) Answers {
	out := Answers{}
	for k, ans := range Prune(f, a) {
		q, _ := f.Question(k)
		if q.Published && !ans.Confidential {
			out[k] = ans
		}
	}
	return out
}
