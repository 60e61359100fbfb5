// Package pages holds the portal's templ pages, each with a typed view model. Pages import no
// database or domain service: handlers build the view models with package views.
package pages

import (
	"strconv"
	"strings"
)

func statusText(code int) string { return strconv.Itoa(code) }

// entryDetails is what follows an entry's title in a public list: ", organisation (place)",
// each part only when known, the comma against the title.
func entryDetails(organisation, place string) string {
	out := ""
	if organisation != "" {
		out += ", " + organisation
	}
	if place != "" {
		out += " (" + place + ")"
	}
	return out
}

// changeLabel is the link that changes a section titled title, the title's leading article in
// lower case: "Change the candidate", not "Change The candidate".
func changeLabel(title string) string {
	for _, article := range []string{"The ", "A ", "An "} {
		if rest, ok := strings.CutPrefix(title, article); ok {
			return "Change " + strings.ToLower(article) + rest
		}
	}
	return "Change " + title
}
