package server_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"prizeportal/internal/db/dbtest"
)

// TestExportScoresInKorean: the secretariat reading the portal in Korean asks for the anonymised
// scores; the workbook is in Korean (the sheet, the headers, the numbered evaluators, the sheets'
// status), the edition's own texts as they are.
func TestExportScoresInKorean(t *testing.T) {
	t.Parallel()
	de := newDossierEnv(t, true)
	sec := de.signedInClient(t, de.secretariat)
	u, _ := url.Parse(sec.base)
	sec.http.Jar.SetCookies(u, []*http.Cookie{{Name: "lang", Value: "ko"}})
	dbtest.Exec(t, de.pool, `INSERT INTO scoring_rounds (edition_id, method, closed_at) VALUES ($1, 'median', now())`, de.ed.ID)
	data := exportFile(t, de.env, sec, de.ed.ID, url.Values{"kind": {"scores"}, "scores-format": {"xlsx"}, "scores-anonymise": {"yes"}})
	order, sheets := xlsxCells(t, data)
	if !slices.Equal(order, []string{"점수, Tech-InnovaCity"}) {
		t.Fatalf("sheets %q", order)
	}
	rows := sheets["점수, Tech-InnovaCity"]
	for _, h := range []string{"응모작", "제목", "심사위원", "평가표 상태", "Relevance to the Theme: Technological Novelty",
		"Relevance to the Theme: 평균", "Governance: 의견", "종합 의견"} {
		if !slices.Contains(rows[0], h) {
			t.Errorf("header lacks %q: %q", h, rows[0])
		}
	}
	for i := 1; i < len(rows); i++ {
		if ev := column(t, rows, i, "심사위원"); !strings.HasPrefix(ev, "심사위원 ") {
			t.Errorf("row %d: evaluator %q", i, ev)
		}
		if no := column(t, rows, i, "응모작"); !strings.HasPrefix(no, "응모작 ") {
			t.Errorf("row %d: entry %q", i, no)
		}
		if st := column(t, rows, i, "평가표 상태"); st != "제출됨" && st != "작성 중(집계 제외)" {
			t.Errorf("row %d: status %q", i, st)
		}
	}
}
