package conflict

import (
	"slices"
	"testing"

	"prizeportal/internal/i18n"
)

func TestNormAndDomains(t *testing.T) {
	for _, tc := range []struct{ a, b string }{
		{"The World Smart Sustainable Cities Organization", "world smart sustainable cities organization"},
		{"WeGO (Secretariat)", "wego secretariat"},
		{"Seoul Digital-Foundation.", "seoul digital foundation"},
	} {
		if Norm(tc.a) != Norm(tc.b) {
			t.Errorf("Norm(%q) = %q, Norm(%q) = %q: want equal", tc.a, Norm(tc.a), tc.b, Norm(tc.b))
		}
	}
	if Norm("Seoul Digital Foundation") == Norm("Busan Digital Foundation") {
		t.Error("different names normalise alike")
	}
	for in, want := range map[string]string{
		"WeGO-net.org":                    "wego-net.org",
		"@wego-net.org":                   "wego-net.org",
		"https://www.wego-net.org/about/": "wego-net.org",
		"seoul.go.kr.":                    "seoul.go.kr",
	} {
		if got, ok := NormDomain(in); !ok || got != want {
			t.Errorf("NormDomain(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, bad := range []string{"org", "not a domain", "wego_net.org", "-x.org", ""} {
		if _, ok := NormDomain(bad); ok {
			t.Errorf("NormDomain(%q) accepted", bad)
		}
	}
}

func TestParse(t *testing.T) {
	p, errs := parse(Input{Name: "  WeGO  ", Aliases: "World Smart Sustainable Cities Organization\nwego\n\n; WSSCO",
		Domains: "wego-net.org, WEGO-NET.ORG mail.wego-net.org", Country: "kr", Note: " organiser "}, true)
	if errs.Any() {
		t.Fatal(errs)
	}
	if p.name != "WeGO" || p.countryCode != "KR" || p.note != "organiser" {
		t.Errorf("parsed %+v", p)
	}
	if !slices.Equal(p.aliases, []string{"World Smart Sustainable Cities Organization", "WSSCO"}) {
		t.Errorf("aliases %q: the name repeated and duplicates must go", p.aliases)
	}
	if !slices.Equal(p.domains, []string{"wego-net.org", "mail.wego-net.org"}) {
		t.Errorf("domains %q", p.domains)
	}
	_, errs = parse(Input{Name: " - ", Domains: "wego-net.org, nonsense", Country: "XX"}, true)
	for _, f := range []string{"name", "domains", "country"} {
		if errs.Get(f) == "" {
			t.Errorf("no error for %s: %v", f, errs)
		}
	}
	if _, errs := parse(Input{Kind: KindCity, Name: "Seoul"}, false); errs.Get("country") == "" {
		t.Error("a city needs its country")
	}
	if _, errs := parse(Input{Kind: KindPerson, Name: "Kim", Email: "kim at example"}, false); errs.Get("email") == "" {
		t.Error("a bad email was accepted")
	}
	p, errs = parse(Input{Kind: KindPerson, Name: "Kim Min-jun", Email: " Kim@Example.org ", Country: "KR", Aliases: "x"}, false)
	if errs.Any() || p.email != "kim@example.org" || p.countryCode != "" || p.aliases != nil {
		t.Errorf("person parsed %+v, %v", p, errs)
	}
}

func TestMatchReason(t *testing.T) {
	m := Match{Source: "declaration", SubjectKind: "city", Subject: "Seoul", SubjectNote: "KR", Field: "applicant_city", Matched: "seoul "}
	if got := i18n.English(m.Reason()); got != "declared city Seoul (Korea (South)) matches the applicant's city (seoul )" {
		t.Errorf("reason %q", got)
	}
	r := Match{Source: "registry", Subject: "WeGO", Field: "applicant_email_domain", Matched: "kim@wego-net.org"}
	if got := i18n.English(r.Reason()); got != "registered organisation WeGO matches the applicant's email domain (kim@wego-net.org)" {
		t.Errorf("reason %q", got)
	}
	// in Korean, both reasons joined as the conflicts page shows them
	ko := i18n.For("ko")
	if got, want := ko.T(Join([]string{m.Reason(), r.Reason()})),
		"신고된 도시 Seoul(대한민국) 항목이 신청자의 도시(seoul )와(과) 일치합니다; 등록 기관 WeGO 항목이 신청자의 이메일 도메인(kim@wego-net.org)와(과) 일치합니다"; got != want {
		t.Errorf("in Korean:\n got %q\nwant %q", got, want)
	}
	if got := ko.T(FoundReason("domain", "sdf.seoul.kr", "applicant_email_domain", "b@lab.sdf.seoul.kr")); got != "포털이 찾음: 귀하의 이메일 도메인(sdf.seoul.kr)이 신청자의 이메일 도메인(b@lab.sdf.seoul.kr)와(과) 같습니다" {
		t.Errorf("found, in Korean: %q", got)
	}
}
