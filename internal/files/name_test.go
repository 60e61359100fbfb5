package files_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"prizeportal/internal/blocks/form"
	"prizeportal/internal/files"
	"prizeportal/internal/i18n"
)

func TestSanitiseName(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("가", 100) + ".pdf" // 300 bytes of Hangul
	cases := map[string]string{
		"report.pdf":                  "report.pdf",
		"../../etc/passwd":            "passwd",
		`C:\Users\kim\Desktop\a.docx`: "a.docx",
		"a\x00b.pdf":                  "ab.pdf",
		"tab\tand\nnewline.pdf":       "tab and newline.pdf",
		"사업계획서 (최종).pdf":              "사업계획서 (최종).pdf",
		// Decomposed Hangul, as macOS sends it, is composed.
		"\u1109\u1161\u110b\u1165\u11b8.pdf": "사업.pdf",
		"Zürich Ümlaut.xlsx":                 "Zürich Ümlaut.xlsx",
		`what<>:"|?*.pdf`:                    "what_______.pdf",
		// A right-to-left override would show "invoice‮fdp.exe" as "invoiceexe.pdf".
		"invoice\u202efdp.exe":  "invoicefdp.exe",
		"zero\u200bwidth.pdf":   "zerowidth.pdf",
		"  spaced   out  .pdf ": "spaced out.pdf",
		"trailing dots...":      "trailing dots",
		".hidden.pdf":           "hidden.pdf",
		"CON.pdf":               "_CON.pdf",
		"lpt1.docx":             "_lpt1.docx",
		"console.pdf":           "console.pdf",
		"":                      "",
		"../":                   "",
		"\x01\x02":              "",
		"bad\xffutf8.pdf":       "badutf8.pdf",
	}
	for in, want := range cases {
		if got := files.SanitiseName(in); got != want {
			t.Errorf("SanitiseName(%q) = %q, want %q", in, got, want)
		}
	}
	got := files.SanitiseName(long)
	if len(got) > 150 || !strings.HasSuffix(got, ".pdf") || !utf8.ValidString(got) || !strings.HasPrefix(got, "가가가") {
		t.Errorf("long name became %q (%d bytes)", got, len(got))
	}
	if got := files.SanitiseName(strings.Repeat("a", 300)); len(got) != 150 {
		t.Errorf("long name without extension: %d bytes", len(got))
	}
}

func TestContentDisposition(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"report.pdf":         `attachment; filename="report.pdf"`,
		"사업계획서.pdf":          `attachment; filename="_____.pdf"; filename*=UTF-8''%EC%82%AC%EC%97%85%EA%B3%84%ED%9A%8D%EC%84%9C.pdf`,
		"100% done.pdf":      `attachment; filename="100_ done.pdf"; filename*=UTF-8''100%25%20done.pdf`,
		"../x\r\nSet: y.pdf": `attachment; filename="x Set_ y.pdf"`,
		"":                   `attachment; filename="download"`,
	}
	for in, want := range cases {
		if got := files.ContentDisposition(in); got != want {
			t.Errorf("ContentDisposition(%q) =\n %s\nwant\n %s", in, got, want)
		}
	}
}

func TestTypes(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]files.Type{"pdf": files.PDF, ".DOCX": files.DOCX, "jpeg": files.JPEG, "JPG": files.JPEG, "png": files.PNG,
		"hwp": files.HWP, ".HWPX": files.HWPX, "ppt": files.PPT, "pptx": files.PPTX, "gif": files.GIF, "webp": files.WEBP} {
		if got, ok := files.ParseType(in); !ok || got != want {
			t.Errorf("ParseType(%q) = %q, %v", in, got, ok)
		}
	}
	for _, in := range []string{"", "exe", "zip", "txt", "."} {
		if got, ok := files.ParseType(in); ok {
			t.Errorf("ParseType(%q) = %q", in, got)
		}
	}
	if got := i18n.English(files.Describe([]files.Type{files.PNG, files.PDF, files.DOCX})); got != "PDF, DOCX or PNG" {
		t.Errorf("Describe = %q", got)
	}
	if got := files.AcceptAttr([]files.Type{files.JPEG, files.PDF}); got != ".pdf,application/pdf,.jpg,.jpeg,image/jpeg" {
		t.Errorf("AcceptAttr = %q", got)
	}
	if got := files.AcceptAttr([]files.Type{files.HWPX, files.HWP}); got != ".hwp,application/x-hwp,.hwpx,application/hwp+zip" {
		t.Errorf("AcceptAttr = %q", got)
	}
	for typ, want := range map[files.Type]string{files.HWP: "application/x-hwp", files.HWPX: "application/hwp+zip", files.PPT: "application/vnd.ms-powerpoint",
		files.PPTX: "application/vnd.openxmlformats-officedocument.presentationml.presentation", files.GIF: "image/gif", files.WEBP: "image/webp"} {
		if got := typ.ContentType(); got != want {
			t.Errorf("%s.ContentType() = %q, want %q", typ, got, want)
		}
	}
	for n, want := range map[int64]string{800: "800 bytes", 100 << 10: "100 KB", 10 << 20: "10 MB", 1536 << 20: "1.5 GB"} {
		if got := files.FormatSize(n); got != want {
			t.Errorf("FormatSize(%d) = %q, want %q", n, got, want)
		}
	}
}

// TestFormFileKindsAreTypes checks that every file kind a form question may accept is a type
// checked here, with the same extensions and media type, and that every type can be offered.
func TestFormFileKindsAreTypes(t *testing.T) {
	t.Parallel()
	for key, kind := range form.FileKinds {
		typ, ok := files.ParseType(key)
		if !ok {
			t.Errorf("form file kind %q is not a type", key)
			continue
		}
		if got, want := files.AcceptAttr([]files.Type{typ}), strings.Join(append(kind.Extensions, kind.MediaType), ","); got != want {
			t.Errorf("%s: AcceptAttr = %q, form kind says %q", key, got, want)
		}
		if typ.Label() != kind.Label {
			t.Errorf("%s: label %q, form kind %q", key, typ.Label(), kind.Label)
		}
	}
	for _, typ := range files.AllTypes {
		if _, ok := form.FileKinds[string(typ)]; !ok {
			t.Errorf("type %s cannot be offered in a form", typ)
		}
	}
}
