package export_test

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"prizeportal/internal/export"
	"prizeportal/internal/i18n"
	rt "prizeportal/internal/ranking/rankingtest"
)

// workbook runs the applications export that sec asks for in lang and reads the sheet of
// Tech-InnovaCity back: its header and its first row.
func (w *world) workbook(t *testing.T, lang string) (export.Job, []string, []string) {
	t.Helper()
	sec := w.actor(t, "sec-"+lang, "secretariat")
	j, err := w.svc.Request(i18n.With(w.ctx, i18n.For(lang)), sec, w.ed, export.Applications, export.Options{Format: export.XLSX})
	if err != nil {
		t.Fatal(err)
	}
	store := w.runJob(t, j.ID, export.Documents{})
	got, err := w.svc.Download(w.ctx, sec, j.ID)
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(stored(t, store, got.FileKey)))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("Tech-InnovaCity")
	if err != nil || len(rows) < 2 {
		t.Fatalf("the sheet of Tech-InnovaCity: %v, %v", rows, err)
	}
	return got, rows[0], rows[1]
}

// TestWorkbookInTheRequestersLanguage: an export asked for in Korean has its own words (headers,
// the entry's number, the decision) and the countries in Korean; one asked for in English is as
// it always was, and records no language.
func TestWorkbookInTheRequestersLanguage(t *testing.T) {
	w := newWorld(t)
	rt.Entry(t, w.pool, w.ed.ID, "tech-innovacity", "city", "Smart Crossing 5521")

	j, head, row := w.workbook(t, "en")
	if j.Options.Lang != "" {
		t.Errorf("an English request records the language %q", j.Options.Lang)
	}
	for _, want := range []string{"Entry", "Title", "Organisation", "Country", "Submitted", "Applicant (account)", "Round 1 decision"} {
		if !slices.Contains(head, want) {
			t.Errorf("the English header %q lacks %q", head, want)
		}
	}
	country := row[slices.Index(head, "Country")]
	if country != "Korea (South)" || row[0][:4] != "No. " {
		t.Errorf("the English row %q", row)
	}

	j, head, row = w.workbook(t, "ko")
	if j.Options.Lang != "ko" {
		t.Errorf("a Korean request records the language %q", j.Options.Lang)
	}
	for _, want := range []string{"응모작", "제목", "국가", "제출됨", "신청자(계정)", "1차 서류심사 결정"} {
		if !slices.Contains(head, want) {
			t.Errorf("the Korean header %q lacks %q", head, want)
		}
	}
	for _, en := range []string{"Entry", "Country", "Submitted", "Version", "Email"} {
		if slices.Contains(head, en) {
			t.Errorf("the Korean header %q holds the English %q", head, en)
		}
	}
	if i := slices.Index(head, "국가"); i < 0 || row[i] != "대한민국" {
		t.Errorf("the Korean row names the country %q", row)
	}
	if row[0][:len("응모작 ")] != "응모작 " || row[1] != "Smart Crossing 5521" {
		t.Errorf("the Korean row %q", row)
	}

	// the pseudo-locale marks every word of the workbook's own
	i18n.EnablePseudo()
	_, head, row = w.workbook(t, i18n.Pseudo)
	for _, want := range []string{"⟦Entry⟧", "⟦Country⟧", "⟦Applicant (account)⟧", "⟦Round 1 decision⟧"} {
		if !slices.Contains(head, want) {
			t.Errorf("the pseudo header %q lacks %q", head, want)
		}
	}
	if i := slices.Index(head, "⟦Country⟧"); i < 0 || row[i] != "⟦Korea (South)⟧" || !strings.HasPrefix(row[0], "⟦No. ") {
		t.Errorf("the pseudo row %q", row)
	}
}
