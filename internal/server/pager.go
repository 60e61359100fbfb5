package server

import (
	"net/url"
	"strconv"
)

// Paged lists: the pager under a list and the page number a list is asked for.

// queryPage reads the page number of a list (1 when absent or malformed).
func queryPage(q url.Values) int {
	n, err := strconv.Atoi(q.Get("page"))
	if err != nil || n < 1 {
		return 1
	}
	return min(n, 1_000_000)
}
