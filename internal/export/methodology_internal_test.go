package export

import (
	"strings"
	"testing"
	"time"

	"prizeportal/internal/blocks/pdfdoc"
	"prizeportal/internal/blocks/pdfdoc/pdfdoctest"
	"prizeportal/internal/edition"
	"prizeportal/internal/i18n"
)

// TestMethodologyNoteInTheRequestersLanguage: the decision pack's methodology note made for a
// Korean reader has its own words in Korean and none of the English ones (pdftotext reads it);
// the edition's own texts (names of categories and criteria) stay as they are.
func TestMethodologyNoteInTheRequestersLanguage(t *testing.T) {
	seoul, err := time.LoadLocation("Asia/Seoul")
	if err != nil {
		t.Fatal(err)
	}
	ed := &edition.Edition{Name: "Seoul Smart City Prize 2023", TimeZone: seoul,
		Voting: edition.Voting{Method: edition.VotingSchulze, Quorum: 3},
		Categories: []edition.Category{{Name: "Tech-InnovaCity", Scale: edition.Scale{Min: 1, Max: 10},
			Criteria: []edition.Criterion{{Name: "Relevance", Weight: 2, Indicators: []edition.Indicator{{Name: "Fit"}}}}}}}
	cat := &ed.Categories[0]
	b := &builder{now: time.Date(2023, 8, 1, 3, 0, 0, 0, time.UTC)}
	doc := b.methodologyNote(i18n.For("ko"), ed, true, "mean", Conflicts{Recused: 1}, []*edition.Category{cat}, map[string]int{cat.Name: 2})
	pdf, err := pdfdoc.Bytes(doc)
	if err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, pdf)
	for _, want := range []string{"방법론 설명서", "평가 기준과 가중치", "점수 척도 1–10점", "가중 평균", "투표 방식", "슐체 방식", "동점 처리 순서",
		"시상위원 3명이 투표하면", "이해충돌로 인한 시상위원 기권, Tech-InnovaCity", "Relevance", "쪽"} {
		if !strings.Contains(text, want) {
			t.Errorf("the Korean methodology note lacks %q:\n%s", want, text)
		}
	}
	for _, english := range []string{"Methodology", "Criteria and weights", "scale", "Weighted mean", "Voting method", "Schulze", "Tie-break",
		"Quorum", "Council abstentions", "Generated", "Page 1"} {
		if strings.Contains(text, english) {
			t.Errorf("the Korean methodology note has %q:\n%s", english, text)
		}
	}
	if en := b.methodologyNote(i18n.For("en"), ed, true, "mean", Conflicts{}, nil, nil); en.Title != "Methodology note" ||
		en.Sections[3].Blocks[1].(pdfdoc.Answer).Value != "A category's vote closes once 3 members have cast a ballot." {
		t.Errorf("the English note: %q, %+v", en.Title, en.Sections[3].Blocks[1])
	}
}

// pdfText extracts a PDF's text with poppler's pdftotext, whitespace collapsed.
func pdfText(t *testing.T, pdf []byte) string { return pdfdoctest.Text(t, pdf) }
