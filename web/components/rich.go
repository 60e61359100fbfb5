package components

import (
	"strings"

	"prizeportal/internal/i18n"
)

// SpanKind is how a span of a translated sentence is drawn.
type SpanKind int

const (
	Plain  SpanKind = iota // text as it is
	Strong                 // **text**: emphasised
	Code                   // `text`: a name to type, such as a setting
	Linked                 // [text](name): a link to the sentence's target called name
)

// Span is a piece of a translated sentence.
type Span struct {
	Kind   SpanKind
	Text   string
	Target Target // of a Linked span
}

// Target is where a linked span of a sentence leads.
type Target struct {
	Href     string
	Download bool // the link saves a file
}

// Spans splits a translated sentence at its marks: **text** is emphasised, `text` is code and
// [text](name) links to targets[name]. A sentence with markup inside stays one catalog key, and
// each language places the marked words where its word order needs them (a Korean sentence
// often ends where the English one begins). The marks are read after the values are filled in,
// so a value must be the portal's own words, never data someone typed. A mark that is not
// closed, or a link whose name has no target, stays text. In the pseudo-locale each span is
// marked as the catalog's.
func Spans(s string, targets map[string]Target) []Span {
	s, mark := i18n.Pieces(s)
	out := spans(s, targets)
	for i := range out {
		out[i].Text = mark(out[i].Text)
	}
	return out
}

// spans is s cut at its marks.
func spans(s string, targets map[string]Target) []Span {
	var out []Span
	plain := func(t string) {
		if t == "" {
			return
		}
		if n := len(out); n > 0 && out[n-1].Kind == Plain {
			out[n-1].Text += t
			return
		}
		out = append(out, Span{Kind: Plain, Text: t})
	}
	for s != "" {
		i := strings.IndexAny(s, "*`[")
		if i < 0 {
			plain(s)
			break
		}
		plain(s[:i])
		s = s[i:]
		switch {
		case strings.HasPrefix(s, "**"):
			if end := strings.Index(s[2:], "**"); end > 0 {
				out = append(out, Span{Kind: Strong, Text: s[2 : 2+end]})
				s = s[4+end:]
				continue
			}
		case s[0] == '`':
			if end := strings.IndexByte(s[1:], '`'); end > 0 {
				out = append(out, Span{Kind: Code, Text: s[1 : 1+end]})
				s = s[2+end:]
				continue
			}
		case s[0] == '[':
			if mid := strings.Index(s, "]("); mid > 1 {
				if end := strings.IndexByte(s[mid:], ')'); end > 2 {
					name := s[mid+2 : mid+end]
					if t, ok := targets[name]; ok {
						out = append(out, Span{Kind: Linked, Text: s[1:mid], Target: t})
						s = s[mid+end+1:]
						continue
					}
				}
			}
		}
		plain(s[:1])
		s = s[1:]
	}
	return out
}
