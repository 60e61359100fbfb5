package repository_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/repository"
)

// seedCases stores n published cases in seoul-2023 (their accounts and applications too), with
// texts drawn from a vocabulary of forty words: every case's summary mentions "mobility" or
// "energy", one in a hundred "tramway". The summary and the body go on in Korean, drawn from
// the same forty words with particles attached (도시는, 데이터를, ...); one summary in a
// hundred says "트램을" (tramway).
func seedCases(t testing.TB, w *world, n int) {
	t.Helper()
	tech, _ := w.ed23.Category("tech-innovacity")
	words, _ := json.Marshal([]string{"city", "data", "platform", "citizens", "sensor", "bus", "traffic", "water", "waste",
		"health", "school", "library", "park", "bicycle", "parking", "lighting", "heating", "housing", "permit", "tax",
		"budget", "open", "portal", "map", "air", "noise", "flood", "river", "bridge", "road", "market", "tourism",
		"museum", "elderly", "youth", "volunteer", "clinic", "digital", "skills", "network"})
	korean, _ := json.Marshal([]string{"도시", "데이터", "플랫폼", "시민", "센서", "버스", "교통", "상수도", "폐기물",
		"건강", "학교", "도서관", "공원", "자전거", "주차", "조명", "난방", "주택", "허가", "세금",
		"예산", "개방", "포털", "지도", "대기", "소음", "홍수", "하천", "교량", "도로", "시장", "관광",
		"박물관", "노인", "청소년", "자원봉사", "진료소", "디지털", "역량", "네트워크"})
	w.exec(t, `
		INSERT INTO users (login_id, email, name, password_hash, country, edition_id, category_id)
		SELECT 'bulk' || i, 'bulk' || i || '@example.org', 'Bulk ' || i, 'x', 'KR', $1, $2 FROM generate_series(1, $3) i`,
		w.ed23.ID, tech.ID, n)
	w.exec(t, `
		INSERT INTO applications (user_id, edition_id, category_id, status, answers, submitted_version, submitted_at)
		SELECT id, $1, $2, 'submitted', '{}', 1, now() FROM users WHERE login_id LIKE 'bulk%'`, w.ed23.ID, tech.ID)
	w.exec(t, `
		INSERT INTO repository_cases (application_id, edition_id, category_id, kind, title, summary, body, organisation,
		                              country, stage, sectors, target_groups, answers, submitted_at)
		SELECT a.id, a.edition_id, a.category_id, 'project',
		       initcap(v ->> (a.id % 40)::int) || ' ' || (v ->> ((a.id * 7) % 40)::int) || ' programme ' || a.id,
		       'A ' || CASE WHEN a.id % 2 = 0 THEN 'mobility' ELSE 'energy' END || ' project for ' ||
		       (SELECT string_agg(v ->> ((a.id * k + k * k) % 40)::int, ' ') FROM generate_series(1, 25) k) ||
		       CASE WHEN a.id % 100 = 0 THEN ' with a tramway' ELSE '' END || '. ' ||
		       (SELECT string_agg((kv ->> ((a.id * k + k * k) % 40)::int) || p[1 + k % 5], ' ') FROM generate_series(1, 15) k) ||
		       CASE WHEN a.id % 100 = 0 THEN ' 트램을 도입했다' ELSE '' END || '.',
		       (SELECT string_agg(v ->> ((a.id * k * 3 + k) % 40)::int, ' ') FROM generate_series(1, 150) k) || ' ' ||
		       (SELECT string_agg((kv ->> ((a.id * k * 5 + k) % 40)::int) || p[1 + k % 5], ' ') FROM generate_series(1, 60) k),
		       'Org ' || a.id, (ARRAY['KR', 'FR', 'BR', 'NP'])[1 + a.id % 4], 'implementing',
		       ARRAY[CASE WHEN a.id % 2 = 0 THEN 'mobility' ELSE 'energy' END], '{}', '{}', now()
		FROM applications a
		CROSS JOIN (SELECT $2::jsonb AS v, $3::jsonb AS kv, ARRAY['는', '를', '의', '에서', '과'] AS p) w
		WHERE a.edition_id = $1 AND a.answers = '{}'`, w.ed23.ID, words, korean)
	w.exec(t, `ANALYZE`)
}

// TestSearchUsesIndex: over 10,000 public cases a search (its count and its page, with or
// without filters, in English or Korean) reads repository_cases through the GIN index of the
// search document, never with a sequential scan; and it finds the hundred cases that name a
// tramway, in English and in Korean ("트램" in "트램을").
func TestSearchUsesIndex(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	seedCases(t, w, 10000)
	ctx := context.Background()
	for _, f := range []repository.Filter{
		{Query: "tramway"},
		{Query: "tramway", Page: 3},
		{Query: "tramway bicycle", Country: "FR"},
		{Query: `"mobility project" tramway`, Sector: "mobility", Category: "tech-innovacity", Edition: "seoul-2023"},
		{Query: "트램"},
		{Query: "트램 도입", Page: 2},
		{Query: "트램 -자전거", Country: "FR"},
	} {
		sqlPage, argsPage := repository.SearchQuery(f, after2023, "s", "e")
		sqlCount, argsCount := repository.CountQuery(f, after2023)
		for _, q := range []struct {
			sql  string
			args any
		}{{sqlPage, argsPage}, {sqlCount, argsCount}} {
			var raw []byte
			if err := w.pool.QueryRow(ctx, "EXPLAIN (FORMAT JSON) "+q.sql, q.args).Scan(&raw); err != nil {
				t.Fatal(err)
			}
			var plan any
			if err := json.Unmarshal(raw, &plan); err != nil {
				t.Fatal(err)
			}
			for _, table := range dbtest.SeqScans(plan) {
				if table == "repository_cases" {
					t.Errorf("filter %+v: sequential scan on repository_cases:\n%s", f, raw)
				}
			}
			if !strings.Contains(string(raw), "repository_cases_document_idx") {
				t.Errorf("filter %+v: the plan does not use the search index:\n%s", f, raw)
			}
		}
	}
	res, err := repository.Search(ctx, w.pool, repository.Filter{Query: "tramway"}, after2023)
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 100 || res.Pages != 5 || len(res.Hits) != repository.PerPage {
		t.Errorf("tramway: total %d, pages %d, hits %d", res.Total, res.Pages, len(res.Hits))
	}
	if res, err = repository.Search(ctx, w.pool, repository.Filter{Query: "트램"}, after2023); err != nil {
		t.Fatal(err)
	}
	if res.Total != 100 {
		t.Errorf("트램: total %d", res.Total)
	}
}

// BenchmarkSearch reports the time of one search (count, ranked page and snippets) over 10,000
// published cases: a rare word, common words and a filtered listing without words, and the
// same words in Korean.
func BenchmarkSearch(b *testing.B) {
	w := newWorld(b)
	seedCases(b, w, 10000)
	ctx := context.Background()
	for _, c := range []struct {
		name string
		f    repository.Filter
	}{
		{"rare-word", repository.Filter{Query: "tramway"}},
		{"common-words", repository.Filter{Query: "bicycle parking", Page: 2}},
		{"filters-only", repository.Filter{Country: "BR", Sector: "mobility", Page: 4}},
		{"korean-rare-word", repository.Filter{Query: "트램"}},
		{"korean-common-words", repository.Filter{Query: "자전거 주차", Page: 2}},
	} {
		b.Run(c.name, func(b *testing.B) {
			var total int
			for b.Loop() {
				res, err := repository.Search(ctx, w.pool, c.f, after2023)
				if err != nil {
					b.Fatal(err)
				}
				total = res.Total
			}
			b.ReportMetric(float64(total), "matches")
		})
	}
}
