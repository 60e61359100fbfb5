package pdfdoc_test

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"prizeportal/internal/blocks/pdfdoc"
	"prizeportal/internal/blocks/pdfdoc/pdfdoctest"
)

// render renders d and checks the result is a complete PDF.
func render(t testing.TB, d pdfdoc.Document) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := pdfdoc.Render(&buf, d); err != nil {
		t.Fatalf("Render: %v", err)
	}
	out := buf.Bytes()
	if !bytes.HasPrefix(out, []byte("%PDF-")) {
		t.Fatalf("output does not start with %%PDF-: %q", out[:min(len(out), 16)])
	}
	if !bytes.HasSuffix(bytes.TrimRight(out, "\r\n"), []byte("%%EOF")) {
		t.Fatalf("output does not end with %%%%EOF")
	}
	return out
}

// poppler runs a poppler-utils tool (pdftotext, pdfinfo) on pdf and returns
// its output. The tools are a test dependency (make deps-test installs
// them): a missing tool fails the test.
func poppler(t *testing.T, pdf []byte, tool string, args ...string) string {
	t.Helper()
	return pdfdoctest.Poppler(t, pdf, tool, args...)
}

// text extracts a PDF's text (of pages first to last when given) in its
// physical layout, with runs of white space as single spaces, so wrapped
// sentences read as one line and a table row as its cells in order.
func text(t *testing.T, pdf []byte, pages ...int) string {
	t.Helper()
	args := []string{"-layout"}
	if len(pages) == 2 {
		args = append(args, "-f", strconv.Itoa(pages[0]), "-l", strconv.Itoa(pages[1]))
	}
	return pdfdoctest.Text(t, pdf, args...)
}

// utf16be encodes ASCII s as a PDF text string: a byte-order mark and
// UTF-16BE.
func utf16be(s string) string {
	var b strings.Builder
	b.WriteString("\xfe\xff")
	for _, c := range []byte(s) {
		b.WriteByte(0)
		b.WriteByte(c)
	}
	return b.String()
}

func pageCount(t *testing.T, pdf []byte) int {
	t.Helper()
	m := regexp.MustCompile(`(?m)^Pages:\s+(\d+)$`).FindStringSubmatch(poppler(t, pdf, "pdfinfo"))
	if m == nil {
		t.Fatal("pdfinfo shows no page count")
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

func assertContains(t *testing.T, got string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(got, w) {
			if len(w) > 80 {
				w = w[:80] + "…"
			}
			t.Errorf("extracted text lacks %q", w)
		}
	}
}

func TestRenderEveryBlockKind(t *testing.T) {
	t.Parallel()
	d := pdfdoc.Document{
		Title:    "Application copy",
		Subtitle: "Seoul Smart City Prize 2023 · Human-CentriCity",
		Meta: []pdfdoc.Field{
			{Label: "Submitted", Value: "31 May 2023, 23:10 KST"},
			{Label: "Reference", Value: ""},
		},
		Created: created,
		Sections: []pdfdoc.Section{{
			Heading: "Project overview",
			Intro:   "What the project does and for whom.",
			Blocks: []pdfdoc.Block{
				pdfdoc.Answer{Label: "Project title", Value: "Digital Companions for Seniors"},
				pdfdoc.Answer{Label: "Summary", Value: "First paragraph of the summary.\n\nSecond paragraph,\nwith a line break."},
				pdfdoc.Answer{Label: "Budget details", Value: "KRW 1,200,000,000 from the city budget", Confidential: true},
				pdfdoc.Answer{Label: "Optional remark", Value: "  "},
				pdfdoc.List{Label: "Target groups", Items: []string{"Elderly", "Persons with disabilities", " "}},
				pdfdoc.List{Label: "Awards received", Confidential: true},
				pdfdoc.Table{
					Label:  "Partners",
					Header: []string{"Partner", "Type", "Share"},
					Rows: [][]string{
						{"Seoul Digital Foundation", "Public", "60 %"},
						{"Good Neighbours NGO", "People"},
					},
				},
				pdfdoc.Table{Label: "Indicators", Header: []string{"Indicator", "Value"}},
				pdfdoc.Note{Text: "Answers marked Confidential are excluded from publication."},
				&pdfdoc.Answer{Label: "Pointer block", Value: "Blocks may also be pointers."},
			},
		}},
	}
	got := text(t, render(t, d))
	assertContains(t, got,
		"Application copy", "Seoul Smart City Prize 2023 · Human-CentriCity",
		"Submitted 31 May 2023, 23:10 KST", "Reference —",
		"Project overview", "What the project does and for whom.",
		"Project title Digital Companions for Seniors",
		"First paragraph of the summary. Second paragraph, with a line break.",
		"Budget details Confidential KRW 1,200,000,000 from the city budget",
		"Optional remark —",
		"Target groups • Elderly • Persons with disabilities",
		"Awards received Confidential —",
		"Partners", "Partner", "Type", "Share", "Seoul Digital Foundation", "Public", "60 %",
		"Good Neighbours NGO", "People",
		"Indicators —",
		"Answers marked Confidential are excluded from publication.",
		"Blocks may also be pointers.",
		"Application copy Page 1 of 1 Generated 31 May 2023, 23:10 KST",
	)
}

func TestRenderLongTableRepeatsHeader(t *testing.T) {
	t.Parallel()
	var rows [][]string
	for i := range 150 {
		rows = append(rows, []string{fmt.Sprintf("row-%03d", i), fmt.Sprintf("Cell text for row %d", i), strconv.Itoa(i * 1000)})
	}
	d := pdfdoc.Document{
		Title:   "Long table",
		Created: created,
		Sections: []pdfdoc.Section{{Heading: "Indicators", Blocks: []pdfdoc.Block{
			pdfdoc.Table{Header: []string{"Key", "Description", "Amount"}, Rows: rows},
		}}},
	}
	pdf := render(t, d)
	n := pageCount(t, pdf)
	if n < 3 {
		t.Fatalf("150 rows fit on %d pages, want at least 3", n)
	}
	for p := 1; p <= n; p++ {
		page := text(t, pdf, p, p)
		assertContains(t, page, "Key", "Description", "Amount", fmt.Sprintf("Page %d of %d", p, n))
	}
	all := text(t, pdf)
	for i, r := range rows {
		if c := strings.Count(all, r[0]+" "); c != 1 {
			t.Errorf("row %d appears %d times, want once", i, c)
		}
	}
	assertContains(t, all, "Cell text for row 149", "149000")
}

func TestRenderRowTallerThanAPage(t *testing.T) {
	t.Parallel()
	var tall []string
	for i := range 120 {
		tall = append(tall, fmt.Sprintf("line-%03d", i))
	}
	d := pdfdoc.Document{
		Title:   "Tall row",
		Created: created,
		Sections: []pdfdoc.Section{{Heading: "Table", Blocks: []pdfdoc.Block{
			pdfdoc.Table{
				Header: []string{"Name", "Details"},
				Rows: [][]string{
					{"first", "short"},
					{"tall", strings.Join(tall, "\n")},
					{"last", strings.Repeat("Averyveryverylongwordwithoutanyspaces", 8)},
				},
			},
		}}},
	}
	pdf := render(t, d)
	n := pageCount(t, pdf)
	if n < 2 {
		t.Fatalf("a 120-line row fits on %d page, want it split", n)
	}
	all := text(t, pdf)
	for _, l := range tall {
		if strings.Count(all, l) != 1 {
			t.Errorf("%s appears %d times, want once", l, strings.Count(all, l))
		}
	}
	assertContains(t, text(t, pdf, 2, 2), "Name", "Details", "Page 2 of "+strconv.Itoa(n))
	assertContains(t, strings.ReplaceAll(all, " ", ""), strings.Repeat("Averyveryverylongwordwithoutanyspaces", 8))
}

func TestRenderLongAnswerSpansPages(t *testing.T) {
	t.Parallel()
	value := prose(7, 160) + "\n\nThe final sentence of the long answer."
	d := pdfdoc.Document{
		Title:   "Long answer",
		Created: created,
		Sections: []pdfdoc.Section{{Heading: "Narrative", Blocks: []pdfdoc.Block{
			pdfdoc.Answer{Label: "Describe the project", Value: value},
			pdfdoc.Note{Text: prose(8, 90)},
		}}},
	}
	pdf := render(t, d)
	n := pageCount(t, pdf)
	if n < 3 {
		t.Fatalf("pages = %d, want at least 3", n)
	}
	all := text(t, pdf)
	assertContains(t, all, "Describe the project", "The final sentence of the long answer.", fmt.Sprintf("Page 2 of %d", n))
	// Every sentence arrives whole and in order (footers come between pages).
	noFooters := regexp.MustCompile(`Long answer Page \d+ of \d+ Generated 31 May 2023, 23:10 KST `).ReplaceAllString(all, "")
	for _, p := range []string{value, prose(8, 90)} {
		assertContains(t, noFooters, strings.Join(strings.Fields(p), " "))
	}
}

func TestRenderSpecialCharacters(t *testing.T) {
	t.Parallel()
	d := pdfdoc.Document{
		Title:   "Zoë Ångström-Łukasiewicz (Ελληνικά, Москва)",
		Created: created,
		Sections: []pdfdoc.Section{{
			Heading: "Names → «quotes» & symbols",
			Blocks: []pdfdoc.Block{
				pdfdoc.Answer{Label: "Latin", Value: "Straße, Đặng Thị Ngọc, Ñuñoa, Čeština, Øresund, Şişli"},
				pdfdoc.Answer{Label: "Greek", Value: "Θεσσαλονίκη"},
				pdfdoc.Answer{Label: "Cyrillic", Value: "Санкт-Петербург, Київ"},
				pdfdoc.Answer{Label: "Combining accent", Value: "Jose\u0301"},
				pdfdoc.Answer{Label: "PDF syntax", Value: `(a) \b) ((c \\ d`},
				pdfdoc.Answer{Label: "Hangul", Value: "서울특별시 Seoul"},
				pdfdoc.Answer{Label: "Others", Value: "東京 🙂 x\u200by\u00adz\x00\x07\tq\r\nnext \xff"},
				pdfdoc.Table{Header: []string{"Город", "Πόλη"}, Rows: [][]string{{"Новосибирск", "Αθήνα"}, {"부산", "€ 12"}}},
			},
		}},
	}
	got := text(t, render(t, d))
	assertContains(t, got,
		"Zoë Ångström-Łukasiewicz (Ελληνικά, Москва)",
		"Names → «quotes» & symbols",
		"Straße, Đặng Thị Ngọc, Ñuñoa, Čeština, Øresund, Şişli",
		"Θεσσαλονίκη", "Санкт-Петербург, Київ", "José",
		`(a) \b) ((c \\ d`,
		"서울특별시 Seoul",
		"東京 � xyz q next �",
		"Город", "Πόλη", "Новосибирск", "Αθήνα", "부산", "€ 12",
	)
}

func TestRenderDeterministic(t *testing.T) {
	t.Parallel()
	a := render(t, application())
	b := render(t, application())
	if !bytes.Equal(a, b) {
		t.Fatal("two renders of the same document differ")
	}
	later := application()
	later.Created = created.Add(time.Minute)
	if bytes.Equal(a, render(t, later)) {
		t.Fatal("a different creation time gives the same bytes")
	}
}

func TestRenderMetadata(t *testing.T) {
	t.Parallel()
	d := application()
	pdf := render(t, d)
	info := poppler(t, pdf, "pdfinfo", "-isodates")
	for _, want := range []string{
		"Title:           Smart Mobility for Every Neighbourhood",
		"Subject:         Seoul Smart City Prize 2023 · Tech-InnovaCity · Application TIC-0042",
		"Author:          Prize Portal",
		"CreationDate:    2023-05-31T14:10:00",
		"Page size:       595.28 x 841.89 pts (A4)",
	} {
		if !strings.Contains(info, want) {
			t.Errorf("pdfinfo lacks %q:\n%s", want, info)
		}
	}
	fonts := poppler(t, pdf, "pdffonts")
	if n := len(regexp.MustCompile(`(?m)^utf8dejavusans\S* +CID TrueType +Identity-H +yes +\S+ +yes`).FindAllString(fonts, -1)); n != 2 {
		t.Errorf("want two embedded TrueType fonts with Unicode maps:\n%s", fonts)
	}
	// Only the glyphs used are embedded: each font program (its
	// uncompressed /Length1) is a small part of the 700 kB original.
	lengths := regexp.MustCompile(`/Length1 (\d+)`).FindAllSubmatch(pdf, -1)
	if len(lengths) != 2 {
		t.Fatalf("want 2 embedded font programs, found %d", len(lengths))
	}
	for _, m := range lengths {
		if n, _ := strconv.Atoi(string(m[1])); n > 100_000 {
			t.Errorf("embedded font program is %d bytes: not subset", n)
		}
	}
	// Each section is an outline entry (UTF-16BE titles).
	for _, h := range []string{"Applicant", "Evaluation criteria", "Quantitative indicators"} {
		if !bytes.Contains(pdf, []byte("/Title ("+utf16be(h)+")")) {
			t.Errorf("no outline entry %q", h)
		}
	}
	if len(pdf) > 150_000 {
		t.Errorf("application PDF is %d bytes, want under 150 kB", len(pdf))
	}
	if n := pageCount(t, pdf); n < 10 {
		t.Errorf("the sample application has %d pages, want at least 10 (BenchmarkRender measures a 10-page application)", n)
	}
	text := text(t, pdf)
	assertContains(t, text, "Seoul Smart City Prize 2023 — Application TIC-0042 Page 2 of")

	d.Author = "Secretariat"
	if info := poppler(t, render(t, d), "pdfinfo"); !strings.Contains(info, "Author:          Secretariat") {
		t.Errorf("author not set:\n%s", info)
	}
}

func TestRenderGeneratedLineShowsZone(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		at   time.Time
		want string
	}{
		{created, "Generated 31 May 2023, 23:10 KST"},
		{time.Date(2023, 7, 1, 8, 5, 0, 0, time.UTC), "Generated 1 July 2023, 08:05 UTC"},
		{time.Date(2023, 7, 1, 8, 5, 0, 0, time.FixedZone("", -3*3600)), "Generated 1 July 2023, 08:05 UTC-03"},
	} {
		d := pdfdoc.Document{Title: "Zone", Created: tc.at}
		assertContains(t, text(t, render(t, d)), tc.want)
	}
}

func TestRenderRejectsIncompleteDocument(t *testing.T) {
	t.Parallel()
	for name, d := range map[string]pdfdoc.Document{
		"no title": {Title: " ", Created: created},
		"no time":  {Title: "Untimed"},
	} {
		var buf bytes.Buffer
		if err := pdfdoc.Render(&buf, d); err == nil {
			t.Errorf("%s: Render succeeded", name)
		}
		if buf.Len() != 0 {
			t.Errorf("%s: Render wrote %d bytes", name, buf.Len())
		}
	}
}

func TestRenderEmptySections(t *testing.T) {
	t.Parallel()
	d := pdfdoc.Document{
		Title:   strings.Repeat("A very long title that wraps over several lines ", 4),
		Footer:  strings.Repeat("A footer far too long for one line ", 6),
		Created: created,
		Sections: []pdfdoc.Section{{}, {Heading: "Only a heading"}, {Blocks: []pdfdoc.Block{
			pdfdoc.Note{},
			pdfdoc.Table{Header: []string{}},
			pdfdoc.Answer{Label: "Invisible", Value: "\u200b\n \t"},
		}}},
	}
	got := text(t, render(t, d))
	assertContains(t, got, "Only a heading", "Invisible —", "A footer far too long for one line", "… Page 1 of 1")
}

func TestRenderHeaderTallerThanAPage(t *testing.T) {
	t.Parallel()
	d := pdfdoc.Document{
		Title:   "Absurd header",
		Created: created,
		Sections: []pdfdoc.Section{{Blocks: []pdfdoc.Block{pdfdoc.Table{
			Header: []string{"Key", strings.Repeat("header ", 2500)},
			Rows:   [][]string{{"first-row", "a\nb\nc"}, {"second-row", "d"}},
		}}}},
	}
	assertContains(t, text(t, render(t, d)), "first-row", "second-row")
}

func TestUnsupported(t *testing.T) {
	t.Parallel()
	got := string(pdfdoc.Unsupported("Seoul 서울 Zoë Москва 서 東京 东京 🙂\u200b\n"))
	if got != "东🙂" {
		t.Errorf("Unsupported = %q, want %q", got, "东🙂")
	}
	if u := pdfdoc.Unsupported("Ångström Θεσσαλονίκη Київ"); len(u) != 0 {
		t.Errorf("Unsupported = %q, want none", string(u))
	}
}

// BenchmarkRender renders a ten-page application copy (the receipt's
// attachment): Latin-only, and with Hangul, kana and Han.
func BenchmarkRender(b *testing.B) {
	for _, c := range []struct {
		name string
		doc  pdfdoc.Document
	}{{"latin", application()}, {"hangul", koreanApplication()}} {
		b.Run(c.name, func(b *testing.B) {
			var buf bytes.Buffer
			if err := pdfdoc.Render(&buf, c.doc); err != nil {
				b.Fatal(err)
			}
			size := buf.Len()
			b.ReportAllocs()
			for b.Loop() {
				buf.Reset()
				if err := pdfdoc.Render(&buf, c.doc); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(size), "bytes/pdf")
		})
	}
}

func TestRenderKorean(t *testing.T) {
	t.Parallel()
	pdf := render(t, koreanApplication())
	assertContains(t, text(t, pdf),
		"모든 동네를 위한 스마트 모빌리티", "Applicant 서울디지털재단 (김민지)",
		"Organisation 서울디지털재단", "Responsible person 김민지, 디지털정책본부장", "서울특별시, 대한민국",
		"서울시는 모든 시민이 안전하고 편리하게 이동할 수 있도록 교통 데이터 플랫폼을 구축합니다.",
		"東京都 デジタルサービス局", "こんにちは世界", "上海市人民政府", "北京市人民政府",
		"서울스마트도시상 2023 — 신청서 TIC-0042 Page 1 of",
	)
	if strings.Contains(text(t, pdf), "\uFFFD") {
		t.Error("a character of the Korean application shows as U+FFFD")
	}
	fonts := poppler(t, pdf, "pdffonts")
	for _, f := range []string{"utf8dejavusans ", "utf8dejavusansB ", "utf8nanumgothic ", "utf8nanumgothicB "} {
		if !strings.Contains(fonts, f) {
			t.Errorf("pdffonts lacks %s:\n%s", f, fonts)
		}
	}
}

// TestRenderLatinEmbedsNoCJKFont: a document without Hangul, kana or Han
// embeds DejaVu only, so it is no larger than before the CJK font.
func TestRenderLatinEmbedsNoCJKFont(t *testing.T) {
	t.Parallel()
	fonts := poppler(t, render(t, application()), "pdffonts")
	if strings.Contains(fonts, "nanum") || !strings.Contains(fonts, "utf8dejavusans ") {
		t.Errorf("pdffonts of a Latin-only document:\n%s", fonts)
	}
}

// TestRenderMixedScriptsWrap: lines mixing DejaVu and NanumGothic runs, and
// a Hangul word wider than a line, wrap within the right margin and fill
// it (each run is measured in the face that draws it).
func TestRenderMixedScriptsWrap(t *testing.T) {
	t.Parallel()
	mixed := strings.Repeat("서울디지털재단 Seoul Digital Foundation 김민지 (東京都, こんにちは) ", 12)
	long := strings.Repeat("서울디지털재단", 30)
	d := pdfdoc.Document{Title: "Mixed " + mixed, Created: created, Sections: []pdfdoc.Section{{
		Heading: mixed,
		Blocks: []pdfdoc.Block{
			pdfdoc.Answer{Label: mixed, Value: mixed + "\n\n" + long},
			pdfdoc.Table{Header: []string{"Name", "Organisation"}, Rows: [][]string{{mixed, long}}},
		},
	}}}
	pdf := render(t, d)
	words := regexp.MustCompile(`<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>`).
		FindAllStringSubmatch(poppler(t, pdf, "pdftotext", "-bbox"), -1)
	if len(words) == 0 {
		t.Fatal("pdftotext -bbox found no words")
	}
	const mmToPt = 72 / 25.4
	right := (210 - 20) * mmToPt
	widest := 0.0
	for _, w := range words {
		xMax, _ := strconv.ParseFloat(w[2], 64)
		if xMax > right+0.5 {
			t.Errorf("%q ends at %.1f pt, beyond the right margin at %.1f pt", w[3], xMax, right)
		}
		widest = max(widest, xMax)
	}
	if widest < right-10*mmToPt {
		t.Errorf("widest line ends at %.1f pt, more than 10 mm before the margin at %.1f pt", widest, right)
	}
	assertContains(t, text(t, pdf), "서울디지털재단 Seoul Digital Foundation 김민지 (東京都, こんにちは)")
}
