// Package numfmt writes numbers as the pages, emails and documents show them: counts with their
// noun, thousands grouped, scores with two decimals.
package numfmt

import (
	"strconv"
	"strings"
)

// Count is n with its noun, thousands grouped as on the pages: "1 score sheet", "2,048 entries".
func Count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return Thousands(n) + " " + many
}

// Thousands writes n with comma thousands separators, as on the pages: 51628117 as "51,628,117".
func Thousands(n int) string { return Decimal(strconv.Itoa(n)) }

// Decimal groups the integer digits of a decimal number written with a point: "51628117.50" as
// "51,628,117.50", "-1234" as "-1,234".
func Decimal(v string) string {
	sign := ""
	if strings.HasPrefix(v, "-") {
		sign, v = "-", v[1:]
	}
	whole, frac, hasFrac := strings.Cut(v, ".")
	for i := len(whole) - 3; i > 0; i -= 3 {
		whole = whole[:i] + "," + whole[i:]
	}
	if hasFrac {
		return sign + whole + "." + frac
	}
	return sign + whole
}

// Score2 writes a score, mean or weight-derived figure with two decimals: 3.5 as "3.50".
func Score2(v float64) string { return strconv.FormatFloat(v, 'f', 2, 64) }
