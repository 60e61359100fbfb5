package server_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestEditionShownInKorean: seoul-2023's pages read in Korean show the edition's own texts in
// Korean (its name, categories and entity types, from the definition's translations), and in
// English as written.
func TestEditionShownInKorean(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, "seoul-2023")
	in := func(lang, path string) string {
		t.Helper()
		req, err := http.NewRequest("GET", e.srv.URL+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.AddCookie(&http.Cookie{Name: "lang", Value: lang})
		res, body := e.do(t, req)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s in %s: %d", path, lang, res.StatusCode)
		}
		return body
	}
	ko := in("ko", "/editions/seoul-2023")
	for _, want := range []string{"2023 서울스마트시티상", "기술혁신도시 부문", "인간중심도시 부문", "리더십 부문"} {
		if !strings.Contains(ko, want) {
			t.Errorf("the edition's page in Korean lacks %q", want)
		}
	}
	if strings.Contains(ko, "Tech-InnovaCity") {
		t.Error("the edition's page in Korean still names Tech-InnovaCity")
	}
	if en := in("en", "/editions/seoul-2023"); !strings.Contains(en, "Tech-InnovaCity") || strings.Contains(en, "기술혁신도시") {
		t.Error("the edition's page in English must show the categories as written")
	}
	// The registration form offers the entity types in Korean; what it posts is their key.
	reg := in("ko", "/register")
	if !strings.Contains(reg, "기업") || !strings.Contains(reg, `value="company"`) {
		t.Errorf("the registration form in Korean: entity types 기업 %v, key company %v",
			strings.Contains(reg, "기업"), strings.Contains(reg, `value="company"`))
	}
}
