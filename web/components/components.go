// Package components holds the templ building blocks of every page: the layout, navigation and
// form fields with their labels, hints and errors.
package components

import (
	"context"
	"strconv"
)

func itoa(i int) string { return strconv.Itoa(i) }

type requestPathKey struct{}

// WithRequestPath returns ctx carrying the path (with query) of the page being shown: the language
// switch sends the visitor back to it.
func WithRequestPath(ctx context.Context, path string) context.Context {
	return context.WithValue(ctx, requestPathKey{}, path)
}

// requestPath is the path of the page being shown, "/" when unknown.
func requestPath(ctx context.Context) string {
	if p, ok := ctx.Value(requestPathKey{}).(string); ok && p != "" {
		return p
	}
	return "/"
}
