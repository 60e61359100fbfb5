package files_test

import (
	"bytes"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"prizeportal/internal/files"
)

// FuzzContainers feeds crafted files to the ZIP and OLE2 structure checks: they must neither
// panic nor loop, whatever the directory says.
func FuzzContainers(f *testing.F) {
	f.Add(docxDoc(f))
	f.Add(xlsxDoc(f))
	f.Add(zipDoc(f, "a.txt"))
	f.Add(docDoc())
	f.Add(xlsDoc())
	f.Add(ole2Doc(12, "WordDocument"))
	f.Add(hwpDoc(1))
	f.Add(pptDoc())
	f.Add(hwpxDoc(f, "application/hwp+zip"))
	f.Add(pptxDoc(f))
	f.Add(cfbDoc(9, []cfbEntry{{"Root Entry", 5, -1, -1, 1}, {"A", 2, 2, 2, -1}, {"B", 2, 1, 1, -1}}))
	f.Add([]byte("PK\x05\x06"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if _, _, err := files.ContainerKinds(data); err != nil {
			t.Fatalf("unexpected error on an in-memory file: %v", err)
		}
	})
}

// FuzzSanitiseName checks what every sanitised name guarantees.
func FuzzSanitiseName(f *testing.F) {
	for _, s := range []string{"report.pdf", "../../etc/passwd", "a\x00b.pdf", "사업계획서.pdf", "CON.pdf", " . ", strings.Repeat("가", 80) + ".docx"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got := files.SanitiseName(in)
		if len(got) > 150 || !utf8.ValidString(got) || strings.ContainsAny(got, `/\<>:"|?*`) {
			t.Fatalf("SanitiseName(%q) = %q", in, got)
		}
		if strings.HasPrefix(got, ".") || strings.HasSuffix(got, ".") || strings.HasPrefix(got, " ") || strings.HasSuffix(got, " ") {
			t.Fatalf("SanitiseName(%q) = %q: leading or trailing dot or space", in, got)
		}
		for _, r := range got {
			if !unicode.IsPrint(r) {
				t.Fatalf("SanitiseName(%q) = %q: keeps %U", in, got, r)
			}
		}
		if again := files.SanitiseName(got); again != got {
			t.Fatalf("SanitiseName is not stable: %q -> %q -> %q", in, got, again)
		}
	})
}

// TestZipDirectoryBounds checks that an archive announcing more entries or a larger directory
// than a document could have is refused without being read.
func TestZipDirectoryBounds(t *testing.T) {
	t.Parallel()
	doc := docxDoc(t)
	if k, _, err := files.ContainerKinds(doc); err != nil || k == 0 {
		t.Fatalf("a real docx: kind %d, err %v", k, err)
	}
	eocd := len(doc) - 22
	for name, patch := range map[string]func(b []byte){
		"zip64 entry count":  func(b []byte) { b[eocd+10], b[eocd+11] = 0xFF, 0xFF },
		"30000 entries":      func(b []byte) { b[eocd+10], b[eocd+11] = 0x30, 0x75 },
		"huge directory":     func(b []byte) { b[eocd+14] = 0x10 },
		"directory past end": func(b []byte) { b[eocd+18] = 0x7F },
		"one entry too many": func(b []byte) { b[eocd+10]++ },
	} {
		b := bytes.Clone(doc)
		patch(b)
		if k, _, err := files.ContainerKinds(b); err != nil || k != 0 {
			t.Errorf("%s: kind %d, err %v", name, k, err)
		}
	}
}
