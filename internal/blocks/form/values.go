package form

import (
	"net/mail"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

const dateLayout = "2006-01-02"

// CountWords counts the words of s the way the browser counter does: a word is a maximal run of
// characters that are not white space, where white space is exactly what JavaScript's \s matches
// (tab, line feed, vertical tab, form feed, carriage return, space, no-break space, U+1680,
// U+2000 to U+200A, U+2028, U+2029, U+202F, U+205F, U+3000 and U+FEFF). In JavaScript the same
// count is
//
//	(text.match(/\S+/g) || []).length
//
// Punctuation and hyphens belong to the word they touch ("well-known," is one word); a text in a
// script written without spaces counts as one word per run.
func CountWords(s string) int {
	n, in := 0, false
	for _, r := range s {
		if isJSSpace(r) {
			in = false
		} else if !in {
			in = true
			n++
		}
	}
	return n
}

// isJSSpace reports whether r is matched by JavaScript's \s: the WhiteSpace and LineTerminator
// characters of ECMAScript. It differs from unicode.IsSpace in U+0085 (not space here) and
// U+FEFF (space here).
func isJSSpace(r rune) bool {
	switch r {
	case '\t', '\n', '\v', '\f', '\r', ' ', 0x00A0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0xFEFF:
		return true
	}
	return r >= 0x2000 && r <= 0x200A
}

// cleanText makes posted text safe to store and count: invalid UTF-8 replaced, line breaks
// normalised to "\n" (as the browser counts them), other control characters removed (JSONB
// cannot hold U+0000), line breaks turned into spaces unless multiline, spaces trimmed at both
// ends, and the text cut after limit characters. cut reports whether it was cut.
func cleanText(s string, multiline bool, limit int) (text string, cut bool) {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	var b strings.Builder
	n := 0
	for _, r := range s {
		switch {
		case r == '\r' || r == '\n':
			if multiline {
				r = '\n'
			} else {
				r = ' '
			}
		case r == '\t':
			if !multiline {
				r = ' '
			}
		case unicode.IsControl(r):
			continue
		}
		if n == limit {
			cut = true
			break
		}
		b.WriteRune(r)
		n++
	}
	return strings.TrimSpace(b.String()), cut
}

var (
	plainNumber   = regexp.MustCompile(`^-?[0-9]+(?:\.[0-9]+)?$`)
	groupedNumber = regexp.MustCompile(`^-?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?$`)
	yearPattern   = regexp.MustCompile(`^[0-9]{4}$`)
)

// parseNumber reads a decimal number as people type it: an optional minus sign, digits, commas
// between groups of three digits, and a decimal point ("1,500,000.50"). It returns the number
// without commas and leading zeros, valid as a JSON number. Exponents, "NaN" and a decimal comma
// ("1,5", which would silently mean fifteen) are refused.
func parseNumber(s string) (string, bool) {
	if len(s) > MaxNumberLength || !(plainNumber.MatchString(s) || groupedNumber.MatchString(s)) {
		return "", false
	}
	s = strings.ReplaceAll(s, ",", "")
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, _ := strings.Cut(s, ".")
	intPart = strings.TrimLeft(intPart, "0")
	if intPart == "" {
		intPart = "0"
	}
	out := intPart
	if frac != "" {
		out += "." + frac
	}
	if neg {
		out = "-" + out
	}
	return out, true
}

// decimals is the number of digits after the decimal point of a canonical number.
func decimals(n string) int {
	_, frac, _ := strings.Cut(n, ".")
	return len(frac)
}

func parseDate(s string) (time.Time, bool) {
	if len(s) != len(dateLayout) {
		return time.Time{}, false
	}
	t, err := time.Parse(dateLayout, s)
	return t, err == nil
}

func validURL(s string) bool {
	if len(s) > MaxURLLength || strings.ContainsAny(s, " \t\n") {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" && u.User == nil
}

func validEmail(s string) bool {
	if len(s) > MaxEmailLength {
		return false
	}
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s
}

func validYear(s string) bool {
	if !yearPattern.MatchString(s) {
		return false
	}
	return s >= "1900" && s <= "2100"
}
