package edition

import (
	"sync"
)

// An edition is read on nearly every page (its schedule, categories, forms, criteria), and
// reading one takes six queries and decoding every category's form: the largest cost of most
// pages under load (README "Performance: make bench"). Editions change only when a definition is imported, so load keeps
// the editions it read, each with the fingerprint of its rows: the transaction ids (xmin) of the
// rows of the edition, its entity types, categories, their entity types, criteria, indicators
// and prizes. Any change to any of them (an import, an UPDATE by hand) gives a new fingerprint,
// and an added or deleted row changes the list, so one cheap query tells whether the kept edition
// is still what the database holds. The database's name and its server's start time come first:
// transaction ids are only unique within one server, and a process may use several (tests). Several instances each keep their own: nothing is shared but
// the database, which every request asks.

// fingerprintColumn is the fingerprint of edition e's rows (see above).
const fingerprintColumn = `concat_ws('|', current_database(), pg_postmaster_start_time()::text, e.xmin::text,
	(SELECT string_agg(t.id || ':' || t.xmin::text, ',' ORDER BY t.id) FROM entity_types t WHERE t.edition_id = e.id),
	(SELECT string_agg(c.id || ':' || c.xmin::text, ',' ORDER BY c.id) FROM categories c WHERE c.edition_id = e.id),
	(SELECT string_agg(x.category_id || ':' || x.entity_type_id || ':' || x.xmin::text, ',' ORDER BY x.category_id, x.entity_type_id)
		FROM category_entity_types x JOIN categories c ON c.id = x.category_id WHERE c.edition_id = e.id),
	(SELECT string_agg(cr.id || ':' || cr.xmin::text, ',' ORDER BY cr.id)
		FROM criteria cr JOIN categories c ON c.id = cr.category_id WHERE c.edition_id = e.id),
	(SELECT string_agg(i.id || ':' || i.xmin::text, ',' ORDER BY i.id)
		FROM indicators i JOIN criteria cr ON cr.id = i.criterion_id JOIN categories c ON c.id = cr.category_id WHERE c.edition_id = e.id),
	(SELECT string_agg(p.id || ':' || p.xmin::text, ',' ORDER BY p.id)
		FROM prizes p JOIN categories c ON c.id = p.category_id WHERE c.edition_id = e.id))`

// editionCache holds the editions read outside transactions, by id, with their fingerprint.
// The editions it returns are shared: callers never modify an Edition they loaded.
type editionCache struct {
	mu sync.Mutex
	m  map[int64]cachedEdition
}

type cachedEdition struct {
	fingerprint string
	e           *Edition
	// in holds the edition as readers of other languages see it, by language (Edition.In).
	in map[string]*Edition
}

// maxCached bounds the cache: a portal has a few editions; tests open many databases.
const maxCached = 64

var cache = &editionCache{m: map[int64]cachedEdition{}}

// get is the kept edition id with fingerprint as written (lang "") or in lang.
func (c *editionCache) get(id int64, fingerprint, lang string) (*Edition, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	ce, ok := c.m[id]
	if !ok || ce.fingerprint != fingerprint {
		return nil, false
	}
	if lang != "" {
		e, ok := ce.in[lang]
		return e, ok
	}
	return ce.e, true
}

// put keeps e, edition id with fingerprint as written (lang "") or in lang.
func (c *editionCache) put(id int64, fingerprint, lang string, e *Edition) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.m[id]; !ok && len(c.m) >= maxCached {
		clear(c.m)
	}
	ce := c.m[id]
	if ce.fingerprint != fingerprint {
		ce = cachedEdition{fingerprint: fingerprint}
	}
	if lang == "" {
		ce.e = e
	} else {
		if ce.in == nil {
			ce.in = map[string]*Edition{}
		}
		ce.in[lang] = e
	}
	c.m[id] = ce
}
