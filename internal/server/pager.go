package server

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"prizeportal/web/pages"
)

// Paged lists: the pager under a list and the page number a list is asked for.

// pagerFor builds the pager of a list at path filtered by query.
func pagerFor(path string, query url.Values, page, nPages, total, per int, noun string) pages.Pager {
	p := pages.Pager{Page: page, Pages: nPages}
	first, last := (page-1)*per+1, min(page*per, total)
	switch {
	case total == 0:
		p.Summary = "No " + noun + "."
	case first > total:
		p.Summary = fmt.Sprintf("This page is past the end: there are %d %s.", total, noun)
	default:
		p.Summary = fmt.Sprintf("%s %d to %d of %d.", strings.ToUpper(noun[:1])+noun[1:], first, last, total)
	}
	at := func(n int) string {
		q := url.Values{}
		for k, v := range query {
			if k != "page" && len(v) > 0 && v[0] != "" {
				q[k] = v[:1]
			}
		}
		if n > 1 {
			q.Set("page", strconv.Itoa(n))
		}
		if len(q) == 0 {
			return path
		}
		return path + "?" + q.Encode()
	}
	if page > 1 {
		p.PrevHref = at(min(page-1, nPages))
	}
	if page < nPages {
		p.NextHref = at(page + 1)
	}
	return p
}

// queryPage reads the page number of a list (1 when absent or malformed).
func queryPage(q url.Values) int {
	n, err := strconv.Atoi(q.Get("page"))
	if err != nil || n < 1 {
		return 1
	}
	return min(n, 1_000_000)
}
