package pdfdoc_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"prizeportal/internal/blocks/pdfdoc"
)

// created is the fixed generation time of the test documents: 31 May 2023,
// 23:10 in Seoul.
var created = time.Date(2023, 5, 31, 23, 10, 0, 0, time.FixedZone("KST", 9*3600))

var words = strings.Fields(`city data platform citizens mobility safety welfare energy
governance transparency inclusion elderly youth accessibility sensors network open
service digital divide partnership monitoring evaluation privacy encryption dashboard
community pilot district budget results indicators sustainability participation
innovation infrastructure transport emissions volunteers training library residents`)

// prose returns n deterministic pseudo-English sentences for seed, in
// paragraphs of about six sentences.
func prose(seed uint64, n int) string {
	r := rand.New(rand.NewPCG(seed, 42))
	var b strings.Builder
	for i := range n {
		if i > 0 {
			if i%6 == 0 {
				b.WriteString("\n\n")
			} else {
				b.WriteByte(' ')
			}
		}
		k := 8 + r.IntN(12)
		for j := range k {
			w := words[r.IntN(len(words))]
			if j == 0 {
				w = strings.ToUpper(w[:1]) + w[1:]
			} else {
				b.WriteByte(' ')
			}
			b.WriteString(w)
		}
		b.WriteByte('.')
	}
	return b.String()
}

// application is a typical submitted Tech-InnovaCity application of about
// ten pages: every block kind, confidential answers, two tables.
func application() pdfdoc.Document {
	criteria := []string{
		"Relevance to the Theme", "Aim of Efficiency", "Governance",
		"Promotion of Multidisciplinary Teamwork", "Data Security and Ethics",
	}
	var narrative []pdfdoc.Block
	for i, c := range criteria {
		narrative = append(narrative, pdfdoc.Answer{
			Label:        fmt.Sprintf("%d. %s: how does the project meet this criterion?", i+1, c),
			Value:        prose(uint64(10+i), 36),
			Confidential: i == 4,
		})
	}
	var indicators [][]string
	for i := range 24 {
		indicators = append(indicators, []string{
			fmt.Sprintf("Indicator %d: %s", i+1, prose(uint64(100+i), 1)),
			fmt.Sprintf("%d,%03d", 1+i*7, (i*137)%1000),
			"persons",
			fmt.Sprint(2018 + i%6),
			"Municipal statistics office, annual report",
		})
	}
	return pdfdoc.Document{
		Title:    "Smart Mobility for Every Neighbourhood",
		Subtitle: "Seoul Smart City Prize 2023 · Tech-InnovaCity · Application TIC-0042",
		Meta: []pdfdoc.Field{
			{Label: "Applicant", Value: "City of Kraków (Urząd Miasta Krakowa)"},
			{Label: "Submitted", Value: "31 May 2023, 23:10 KST"},
			{Label: "Version", Value: "3 (last submitted)"},
		},
		Footer:  "Seoul Smart City Prize 2023 — Application TIC-0042",
		Created: created,
		Sections: []pdfdoc.Section{
			{
				Heading: "Applicant",
				Blocks: []pdfdoc.Block{
					pdfdoc.Note{Text: "This is the internal copy. Answers marked Confidential are excluded from publication."},
					pdfdoc.Answer{Label: "Organisation", Value: "Urząd Miasta Krakowa, Wydział Informatyki"},
					pdfdoc.Answer{Label: "Responsible person", Value: "Zoë Łukasiewicz-Ångström, Director of Digital Services"},
					pdfdoc.Answer{Label: "City and country", Value: "Kraków, Poland"},
				},
			},
			{
				Heading: "Project",
				Intro:   "Title, summary, stage and budget of the project.",
				Blocks: []pdfdoc.Block{
					pdfdoc.Answer{Label: "Summary", Value: prose(1, 18)},
					pdfdoc.List{Label: "Sectors", Items: []string{"Mobility", "Safety", "Environment"}},
					pdfdoc.Answer{Label: "Stage", Value: "Implementing"},
					pdfdoc.Answer{Label: "Budget and funding", Value: prose(2, 8), Confidential: true},
					pdfdoc.Table{
						Label:  "Partners",
						Header: []string{"Partner", "Type", "Role"},
						Rows: [][]string{
							{"AGH University of Science and Technology", "Public", "Sensor network design and data analysis"},
							{"MPK Kraków", "Public", "Operator of trams and buses; data provider"},
							{"Open Mobility Foundation", "People", "Citizen panels and accessibility testing"},
							{"Comarch S.A.", "Private", "Platform development"},
						},
					},
				},
			},
			{Heading: "Evaluation criteria", Blocks: narrative},
			{
				Heading: "Quantitative indicators",
				Blocks: []pdfdoc.Block{pdfdoc.Table{
					Header: []string{"Indicator", "Value", "Unit", "Year", "Source"},
					Rows:   indicators,
				}},
			},
			{
				Heading: "Documents and declarations",
				Blocks: []pdfdoc.Block{
					pdfdoc.List{Label: "Supporting documents", Items: []string{
						"project-overview.pdf (2.4 MB)", "budget-2023.xlsx (88 KB)", "https://video.example.org/krakow-mobility",
					}},
					pdfdoc.List{Label: "Declarations", Items: []string{
						"The information in this application is accurate.",
						"The applicant holds the rights to all submitted material.",
						"The applicant consents to the publication of the non-confidential parts.",
					}},
				},
			},
		},
	}
}

// koreanApplication is application() from a Korean applicant: a Hangul
// title, applicant, organisation and summary, with Japanese and Chinese
// partner names.
func koreanApplication() pdfdoc.Document {
	d := application()
	d.Title = "모든 동네를 위한 스마트 모빌리티"
	d.Meta[0].Value = "서울디지털재단 (김민지)"
	d.Footer = "서울스마트도시상 2023 — 신청서 TIC-0042"
	d.Sections[0].Blocks[1] = pdfdoc.Answer{Label: "Organisation", Value: "서울디지털재단"}
	d.Sections[0].Blocks[2] = pdfdoc.Answer{Label: "Responsible person", Value: "김민지, 디지털정책본부장"}
	d.Sections[0].Blocks[3] = pdfdoc.Answer{Label: "City and country", Value: "서울특별시, 대한민국"}
	d.Sections[1].Blocks[0] = pdfdoc.Answer{Label: "Summary", Value: "서울시는 모든 시민이 안전하고 편리하게 이동할 수 있도록 " +
		"교통 데이터 플랫폼을 구축합니다. " + prose(1, 6)}
	partners := d.Sections[1].Blocks[4].(pdfdoc.Table)
	partners.Rows = append(partners.Rows, []string{"東京都 デジタルサービス局", "Public", "こんにちは世界"}, []string{"上海市人民政府", "Public", "北京市人民政府"})
	d.Sections[1].Blocks[4] = partners
	return d
}
