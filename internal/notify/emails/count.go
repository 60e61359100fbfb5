package emails

import "strconv"

// Count is n with its noun, thousands grouped as on the pages: "1 score sheet", "2,048 entries".
func Count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	s := strconv.Itoa(n)
	sign := ""
	if n < 0 {
		sign, s = "-", s[1:]
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return sign + s + " " + many
}
