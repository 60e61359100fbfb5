package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestAnalyticsScoresInKorean: once round 2 is closed, the council reading the portal in Korean
// reads the score distributions, the criterion profiles, the numbered evaluators and the
// countries in Korean (the categories in the edition's Korean), on the page and in the CSV downloads.
func TestAnalyticsScoresInKorean(t *testing.T) {
	t.Parallel()
	de := analyticsWorld(t)
	council := de.signedInClient(t, de.council)
	u, _ := url.Parse(council.base)
	council.http.Jar.SetCookies(u, []*http.Cookie{{Name: "lang", Value: "ko"}})
	closeScoring(t, de)
	r := council.get(de.analyticsURL("/analytics"))
	wantStatus(t, "the analytics in Korean", r, 200)
	for _, want := range []string{"평가 기준별 점수, 기술혁신도시 부문", "심사위원별 점수, 기술혁신도시 부문", "본선 진출작의 평가 기준별 프로필, 기술혁신도시 부문",
		"심사위원장이 아직 인간중심도시 부문 및 리더십 부문의 본선 진출작을 확정하지 않았습니다.", "심사위원 1", "심사위원 2", "대한민국", "아시아", "읽는 방법:"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("the Korean page lacks %q", want)
		}
	}
	for _, english := range []string{"Scores per", "Criterion profiles", "Evaluator 1", "Korea (South)", "How to read", "Box chart", "Radar chart",
		"mean score per criterion", "on the scale", "First quartile", "Mean of the semi-finalists", "(rank "} {
		if strings.Contains(r.body, english) {
			t.Errorf("the Korean page shows the English %q", english)
		}
	}
	_, body := csvGet(t, council, de.analyticsURL("/analytics/scores-tech-innovacity-evaluators.csv"))
	if want := "심사위원,점수 수,최저,제1사분위수,중앙값,제3사분위수,최고,평균\r\n심사위원 1,5,"; !strings.HasPrefix(body, want) {
		t.Errorf("the evaluators CSV in Korean %q, want %q…", body, want)
	}
	_, body = csvGet(t, council, de.analyticsURL("/analytics/submissions-country.csv"))
	if want := "국가,"; !strings.HasPrefix(body, want) || !strings.Contains(body, "\r\n대한민국,3\r\n") {
		t.Errorf("the countries CSV in Korean %q", body)
	}
}
