package server

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"prizeportal/web/views"
)

// fuzzForms are the structs every urlencoded form of the portal is decoded into (named types,
// and the shapes of the anonymous ones declared in handlers).
func fuzzForms() []any {
	return []any{
		&grantForm{}, &revokeForm{}, &eraseForm{}, &views.EraseAddressForm{}, &inviteForm{}, &acceptForm{}, &submitForm{},
		&registerForm{}, &entryForm{}, &signInForm{}, &forgotForm{}, &newPasswordForm{}, &views.ClarAskDraft{},
		&expertiseForm{}, &assignForm{}, &views.ConflictForm{}, &views.DeclarationForm{}, &consentForm{},
		&confirmForm{}, &views.MentionForm{}, &endorseForm{}, &invitationForm{}, &recommenderForm{},
		&detailsForm{}, &views.RankingForm{}, &views.VideoForm{}, &views.BulkForm{}, &views.DecisionForm{}, &views.MergeForm{}, &reviewForm{},
		&extensionForm{}, &overrideForm{}, &twoFactorCodeForm{}, &twoFactorSetupForm{}, &juryForm{}, &views.EmailWordingForm{}, &views.StudioNewForm{},
		&moveForm{}, &removeForm{}, &views.SectionForm{}, &views.QuestionForm{},
		&struct{}{},
		&struct {
			Attend string `form:"attend"`
			Name   string `form:"representative_name"`
			Title  string `form:"representative_title"`
		}{},
		&struct {
			Chair string `form:"chair"`
		}{},
		&struct {
			Reason string `form:"reason"`
		}{},
		&struct {
			Confirm string `form:"confirm"`
		}{},
		&struct {
			Method string `form:"method"`
		}{},
		&struct {
			Category string `form:"category"`
		}{},
		&struct {
			IDs []int64 `form:"ids"`
		}{},
		&struct {
			Regenerate string `form:"regenerate_code"`
			Disable    string `form:"disable_code"`
		}{},
	}
}

// FuzzDecodeForm posts arbitrary urlencoded bodies through decodeForm into every form struct,
// and through scoringValues (urlencoded and multipart): no panic, errors only the two the
// error mapper knows (400 and 413 pages), and every decoded text valid UTF-8 without NUL, so
// that Postgres takes it.
func FuzzDecodeForm(f *testing.F) {
	for _, s := range []string{
		"",
		"role=secretariat&edition=1&reason=x&confirm=yes",
		"ids=1&ids=2&ids=x&ids[5]=3&ids[199]=4&ids[200]=5&ids[-1]=6&ids[99999999999999999999]=7",
		"version=99999999999999999999&version=-1&version=1e3",
		"name=%00%FF%FE&email=a%40b.c%00&note=%E2%80%AEexe.jpg&password=%ED%A0%80",
		"roles=admin&roles=secretariat&roles[0]=x&roles.x=y&category=a&category=b",
		"a;b=c&%zz=1&=&&=x&keys=1&keys[]=2&keys[a]=3",
		"question=<script>alert(1)</script>&deadline=2023-06-15T18:00&keys=project_title",
		strings.Repeat("ids=1&", 300),
		"Name=x&NAME=y&name[0]=z&name.x=w",
		"score.1=5&comment.impact=%00x&overall=%FF",
	} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, body string, multi bool) {
		for _, dst := range fuzzForms() {
			r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			err := decodeForm(httptest.NewRecorder(), r, dst)
			if err != nil {
				if !errors.Is(err, errBadForm) && !errors.Is(err, errFormTooLarge) {
					t.Fatalf("decodeForm(%T): %v", dst, err)
				}
				continue
			}
			checkStrings(t, reflect.ValueOf(dst).Elem())
		}
		r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
		if multi {
			r.Header.Set("Content-Type", "multipart/form-data; boundary=b")
		} else {
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		vals, err := scoringValues(httptest.NewRecorder(), r)
		switch {
		case err != nil && !errors.Is(err, errBadForm) && !errors.Is(err, errFormTooLarge):
			t.Fatalf("scoringValues: %v", err)
		case err == nil:
			for k, vs := range vals {
				for _, v := range append(vs, k) {
					if !utf8.ValidString(v) || strings.ContainsRune(v, 0) {
						t.Fatalf("scoringValues kept %q", v)
					}
				}
			}
		}
	})
}

// checkStrings fails on a string in v (a struct or slice, recursively) that Postgres refuses.
func checkStrings(t *testing.T, v reflect.Value) {
	t.Helper()
	switch v.Kind() {
	case reflect.String:
		if s := v.String(); !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
			t.Fatalf("decoded %q", s)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				checkStrings(t, v.Field(i))
			}
		}
	case reflect.Slice:
		if v.Len() > 1000 {
			t.Fatalf("decoded a slice of %d", v.Len())
		}
		for i := range v.Len() {
			checkStrings(t, v.Index(i))
		}
	}
}
