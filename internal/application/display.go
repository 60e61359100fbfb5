package application

import "prizeportal/internal/blocks/form"

// AnswerLines writes an answer for people, one line per item (form.AnswerLines).
func AnswerLines(q *form.Question, a form.Answer) []string { return form.AnswerLines(q, a) }

// Title is the project title of answers, for lists and emails; "" when not answered yet.
func Title(a form.Answers) string {
	return a["project_title"].Text
}
