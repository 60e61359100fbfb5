// Package components holds the templ building blocks of every page: the layout, navigation and
// form fields with their labels, hints and errors.
package components

import "strconv"

func itoa(i int) string { return strconv.Itoa(i) }
