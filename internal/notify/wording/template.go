// Package wording is the registry of the emails the portal sends and each edition's own wording
// of them: a stable key per email (the outbox's kind), a human name, the default subject and body,
// and the named placeholders ({{applicant_name}}, {{link}}, ...) it offers, each with a sample
// value for the preview. An edition's managers (authz.EditionManagers) override the subject and
// the body of an email for their edition (Service.Save, Service.Reset); when an email of that
// edition is queued, notify.Outbox.Queue uses the override filled with the message's values.
//
// The default wording stays in the code that builds each message (its HTML and plain-text parts
// are unchanged when no override exists); the registry's defaults repeat that wording with
// placeholders, as the starting point of an override, and tests hold both to the same text.
//
// Emails that belong to no edition (a password reset asked for before any edition exists) are
// sent in their default wording; those sent about an edition (every email built with the current
// edition, as registration and password emails are) use that edition's override.
package wording

import (
	"regexp"
	"slices"
	"strings"
)

// Placeholder is the name of a value an email offers, written {{name}} in a subject or body.
type Placeholder string

// The placeholders the emails offer.
const (
	ApplicantName Placeholder = "applicant_name"
	Name          Placeholder = "name"
	EditionName   Placeholder = "edition_name"
	Category      Placeholder = "category"
	Project       Placeholder = "project"
	SubmittedAt   Placeholder = "submitted_at"
	Deadline      Placeholder = "deadline"
	LoginID       Placeholder = "login_id"
	Link          Placeholder = "link"
	ResetLink     Placeholder = "reset_link"
	Entry         Placeholder = "entry"
	ScoringWindow Placeholder = "scoring_window"
	AnnouncedOn   Placeholder = "announced_on"
	Reason        Placeholder = "reason"
	ContactEmail  Placeholder = "contact_email"
	Question      Placeholder = "question"
	MayChange     Placeholder = "may_change"
	Contact       Placeholder = "contact"
)

// Values are the values of an email's placeholders for one message. Values are plain text: the
// HTML part escapes them (templ), the subject gets them on one line.
type Values map[Placeholder]string

// placeholderPattern finds {{name}} (spaces inside the braces allowed).
var placeholderPattern = regexp.MustCompile(`\{\{\s*([^{}]*?)\s*\}\}`)

// namePattern is the shape of a placeholder's name.
var namePattern = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// Fill replaces every {{name}} of tmpl with its value (an unknown name with nothing: Check refuses
// those at save).
func Fill(tmpl string, v Values) string {
	return placeholderPattern.ReplaceAllStringFunc(tmpl, func(m string) string {
		return v[Placeholder(placeholderPattern.FindStringSubmatch(m)[1])]
	})
}

// FillLine is Fill for a subject: values are put on one line.
func FillLine(tmpl string, v Values) string {
	line := make(Values, len(v))
	for k, s := range v {
		line[k] = strings.Join(strings.Fields(s), " ")
	}
	return strings.TrimSpace(strings.ReplaceAll(strings.ReplaceAll(Fill(tmpl, line), "\r", " "), "\n", " "))
}

// Check lists the problems of tmpl's placeholders against the ones offered: each unknown name
// ("{{aplicant_name}}") and each malformed one (a "{{" or "}}" without its pair, or a name that
// is not lower-case letters, digits and underscores), once each, in order of appearance.
func Check(tmpl string, offered []Param) []string {
	var bad []string
	add := func(s string) {
		if !slices.Contains(bad, s) {
			bad = append(bad, s)
		}
	}
	for _, m := range placeholderPattern.FindAllStringSubmatch(tmpl, -1) {
		name := m[1]
		if !namePattern.MatchString(name) || !slices.ContainsFunc(offered, func(p Param) bool { return string(p.Name) == name }) {
			add(m[0])
		}
	}
	rest := placeholderPattern.ReplaceAllString(tmpl, "")
	if strings.Contains(rest, "{{") {
		add(`a "{{" without its "}}"`)
	}
	if strings.Contains(rest, "}}") {
		add(`a "}}" without its "{{"`)
	}
	return bad
}
