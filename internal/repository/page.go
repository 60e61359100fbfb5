package repository

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"time"

	"prizeportal/internal/blocks/form"
	"prizeportal/internal/db"
	"prizeportal/internal/edition"
)

// MaxQuery is the longest search accepted, in characters (longer words are cut).
const MaxQuery = 200

// ParseFilter reads a public search from its query string: what a visitor types goes to
// Postgres as text, so every value is valid UTF-8 without NUL, trimmed, the words at most
// MaxQuery characters; the page counts from 1.
func ParseFilter(qv url.Values) Filter {
	get := func(k string) string {
		return strings.TrimSpace(strings.ToValidUTF8(strings.ReplaceAll(qv.Get(k), "\x00", ""), ""))
	}
	page, _ := strconv.Atoi(get("page"))
	f := Filter{Query: get("q"), Edition: get("edition"), Category: get("category"), Sector: get("sector"),
		TargetGroup: get("target_group"), Country: get("country"), Stage: get("stage"), Page: max(page, 1)}
	if r := []rune(f.Query); len(r) > MaxQuery {
		f.Query = string(r[:MaxQuery])
	}
	return f
}

// Path is the stable address of case id: its id, with slug (Slug of its title) when not empty.
func Path(id int64, slug string) string {
	href := "/repository/" + strconv.FormatInt(id, 10)
	if slug != "" {
		href += "/" + slug
	}
	return href
}

// Categories are the categories of the archive's editions, by key, the first name seen for
// each key (the archive's filter).
func (a Archive) Categories() []Choice {
	var cats []Choice
	seen := map[string]bool{}
	for _, x := range a.Editions {
		for _, c := range x.Edition.Categories {
			if !seen[c.Key] {
				seen[c.Key] = true
				cats = append(cats, Choice{Value: c.Key, Label: c.Name})
			}
		}
	}
	return cats
}

// LoadCase reads public case id at now (Get: a hidden case, one not published, or one of an
// edition whose winners are not announced is db.ErrNotFound; DOMAIN.md "Data and publication")
// with the form of its category, nil when the category is gone.
func LoadCase(ctx context.Context, q db.DBTX, id int64, now time.Time) (Case, *form.Form, error) {
	c, err := Get(ctx, q, id, now)
	c, ed, err := edition.Of(ctx, q, c, err, caseEdition)
	if err != nil {
		return c, nil, err
	}
	for _, cat := range ed.Categories {
		if cat.ID == c.CategoryID {
			return c, cat.Form, nil
		}
	}
	return c, nil, nil
}

func caseEdition(c Case) int64 { return c.EditionID }

// LoadForSecretariat reads case id for staff, the secretariat of its edition (ForSecretariat,
// checked in SQL: db.ErrNotFound otherwise), with its edition.
func LoadForSecretariat(ctx context.Context, q db.DBTX, staff, id int64) (Case, *edition.Edition, error) {
	c, err := ForSecretariat(ctx, q, staff, id)
	return edition.Of(ctx, q, c, err, caseEdition)
}
