package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/net/html"

	"prizeportal/internal/i18n"
)

// TestEveryPageInTheCatalogs renders every page the authorization matrix reaches, as the first
// actor let through and with the form of each POST sent empty (so its errors show), in the
// pseudo-locale, where every text from a catalog is marked: any visible text left unmarked that
// is not data of the database (names, titles, answers) failed to come from a catalog.
func TestEveryPageInTheCatalogs(t *testing.T) {
	t.Parallel()
	i18n.EnablePseudo()
	e, users, pathOf := matrixFixture(t)
	data := databaseTexts(t, e)
	routes := e.server.Routes()
	for _, r := range routes {
		method, pattern, _ := strings.Cut(r, " ")
		if strings.HasPrefix(pattern, "/static/") || pattern == "/healthz" || pattern == "/readyz" {
			continue
		}
		var actor string
		for _, a := range matrixActors {
			if slices.Contains(strings.Fields(authzMatrix[r]), a) {
				actor = a
				break
			}
		}
		if actor == "" {
			actor = "admin"
		}
		if method == "POST" && (strings.HasSuffix(pattern, "/erase") || strings.HasSuffix(pattern, "/deactivate") || pattern == "/signout") {
			continue // it would end the actor or its session for the routes after it
		}
		c := e.signedInClient(t, users[actor])
		u, _ := url.Parse(c.base)
		c.http.Jar.SetCookies(u, []*http.Cookie{{Name: "lang", Value: i18n.Pseudo}})
		path := pathOf(pattern)
		var res reply
		if method == "GET" {
			res = c.get(path)
		} else {
			res = c.post(path, url.Values{})
		}
		if !strings.Contains(res.body, "<html") {
			continue // a redirect, a download
		}
		if left := uncataloged(t, res.body, data); len(left) > 0 {
			t.Errorf("%s as %s (%d) shows text that is not from a catalog:\n\t%s", r, actor, res.status, strings.Join(left, "\n\t"))
		}
	}
}

// uncataloged are the visible texts of page (text, and the attributes people read) that are
// neither marked by the pseudo-locale nor data.
func uncataloged(t *testing.T, page string, data []string) []string {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	check := func(s string) {
		rest := strings.TrimSpace(dropData(i18n.Unmarked(s), data))
		if strings.IndexFunc(rest, unicode.IsLetter) >= 0 && !slices.Contains(out, rest) {
			out = append(out, rest)
		}
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "script", "style", "code":
				return // not prose: a request's id, a key shown as it is
			}
			for _, a := range n.Attr {
				switch {
				case a.Key == "lang" && n.Data != "html":
					return // a text in its own language (the language switch)
				case a.Key == "alt", a.Key == "title", a.Key == "aria-label", a.Key == "placeholder",
					a.Key == "value" && n.Data == "input" && slices.ContainsFunc(n.Attr, func(b html.Attribute) bool {
						return b.Key == "type" && (b.Val == "submit" || b.Val == "button")
					}):
					check(a.Val)
				}
			}
		}
		if n.Type == html.TextNode {
			check(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return out
}

// dropData is s without the database's texts it holds, longest first.
func dropData(s string, data []string) string {
	if strings.IndexFunc(s, unicode.IsLetter) < 0 {
		return s
	}
	for _, d := range data {
		if strings.Contains(s, d) {
			s = strings.ReplaceAll(s, d, " ")
		}
	}
	return s
}

// databaseTexts are every text value of the database (the strings in JSON documents too), longest
// first: names, titles, answers and the edition's own texts, which pages show as they are.
func databaseTexts(t *testing.T, e *env) []string {
	t.Helper()
	ctx := context.Background()
	rows, err := e.pool.Query(ctx, `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var n string
		rows.Scan(&n)
		tables = append(tables, n)
	}
	rows.Close()
	seen := map[string]bool{}
	var collect func(v any)
	collect = func(v any) {
		switch x := v.(type) {
		case string:
			x = strings.TrimSpace(x)
			if len(x) >= 2 && !seen[x] && !isCode(x) {
				seen[x] = true
				var inner any
				if (strings.HasPrefix(x, "{") || strings.HasPrefix(x, "[")) && json.Unmarshal([]byte(x), &inner) == nil {
					collect(inner)
				}
			}
		case map[string]any:
			for _, y := range x {
				collect(y)
			}
		case []any:
			for _, y := range x {
				collect(y)
			}
		}
	}
	for _, table := range tables {
		rows, err := e.pool.Query(ctx, `SELECT row_to_json(t)::text FROM `+pgIdent(table)+` t LIMIT 5000`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var doc string
			rows.Scan(&doc)
			var v any
			if json.Unmarshal([]byte(doc), &v) == nil {
				collect(v)
			}
		}
		rows.Close()
	}
	// people's names are data even when they look like codes (the fixture's "applicanta")
	names, err := e.pool.Query(ctx, `SELECT name FROM users WHERE length(name) >= 2`)
	if err != nil {
		t.Fatal(err)
	}
	for names.Next() {
		var n string
		names.Scan(&n)
		seen[strings.TrimSpace(n)] = true
	}
	names.Close()
	out := make([]string, 0, len(seen))
	for s := range seen {
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return len(out[i]) > len(out[j]) })
	return out
}

func pgIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// isCode reports whether s looks like a code (a key, a state, a slug): lower-case letters,
// digits and - _ . only. Pages never show a code as text, and a code such as "main" would
// hide the same word in a text.
func isCode(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.')
	}) < 0
}
