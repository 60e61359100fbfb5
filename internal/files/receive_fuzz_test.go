package files_test

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"prizeportal/internal/files"
)

// fuzzBoundary is the boundary of the fuzzed multipart bodies.
const fuzzBoundary = "fuzzboundary"

// FuzzReceive sends arbitrary multipart bodies (and well-formed ones carrying arbitrary file
// names and contents) through the Receiver, which decides each file's type by its content: it
// never panics, a request it cannot read fails with a status and a message for people and
// leaves nothing stored, and every file it keeps has a safe name whose extension agrees with
// its type, inside the storage directory under a random key.
func FuzzReceive(f *testing.F) {
	frame := func(name, filename string, data []byte) []byte {
		return fmt.Appendf(nil, "--%s\r\nContent-Disposition: form-data; name=%q; filename=%q\r\nContent-Type: application/octet-stream\r\n\r\n%s\r\n--%s--\r\n",
			fuzzBoundary, name, filename, data, fuzzBoundary)
	}
	seeds := []struct {
		filename string
		data     []byte
	}{
		{"plan.pdf", pdfDoc(200)},
		{"../../etc/passwd.pdf", pdfDoc(20)},
		{`C:\Users\kim\사업계획서.pdf`, pdfDoc(20)},
		{"/etc/passwd", []byte("root:x:0:0:root:/root:/bin/bash\n")},
		{"a\x00b.pdf", pdfDoc(20)},
		{"report\u202efdp.exe", exeDoc},
		{"photo.png", pngDoc},
		{"photo.jpg", jpegDoc},
		{"letter.docx", docxDoc(f)},
		{"budget.xlsx", xlsxDoc(f)},
		{"old.doc", docDoc()},
		{"old.xls", xlsDoc()},
		{"계획서.hwp", hwpDoc(1)},
		{"계획서.hwpx", hwpxDoc(f, "application/hwp+zip")},
		{"talk.ppt", pptDoc()},
		{"talk.pptx", pptxDoc(f)},
		{"map.gif", gifDoc},
		{"photo.webp", webpDoc},
		{"renamed.hwp", docDoc()},
		{"renamed.pdf", pngDoc},
		{"macro.docx", zipDoc(f, "[Content_Types].xml", "word/document.xml", "word/vbaProject.bin")},
		{"", nil},
		{"CON.pdf", pdfDoc(20)},
	}
	for _, s := range seeds {
		f.Add(frame("f", s.filename, s.data), s.filename, s.data)
	}
	f.Add([]byte("--"+fuzzBoundary+"\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\nhello\r\n--"+fuzzBoundary), "x.pdf", pdfDoc(9))
	f.Add([]byte("--"+fuzzBoundary+"\r\nContent-Disposition: form-data; name=\"other\"; filename=\"x.pdf\"\r\n\r\n%PDF-\r\n--"+fuzzBoundary+"--\r\n"), "", []byte{})
	f.Add([]byte("not multipart at all"), "a.pdf", []byte("%PDF-1.4"))
	dir := f.TempDir()
	st, err := files.NewLocal(dir)
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { st.Close() })
	rc := &files.Receiver{Storage: st, Files: map[string]files.Limits{
		"f": {Accept: files.AllTypes, MaxBytes: 64 << 10, MaxFiles: 3},
		"g": {Accept: []files.Type{files.PDF}, MaxBytes: 1 << 10, MaxFiles: 1},
	}, MaxValueBytes: 4 << 10, MaxValues: 20}
	f.Fuzz(func(t *testing.T, raw []byte, filename string, data []byte) {
		for _, body := range [][]byte{raw, frame("f", filename, data), frame("g", filename, data)} {
			r := httptest.NewRequest(http.MethodPost, "/upload", bytes.NewReader(body))
			r.Header.Set("Content-Type", "multipart/form-data; boundary="+fuzzBoundary)
			res, err := rc.Receive(httptest.NewRecorder(), r)
			if err != nil {
				var re *files.RequestError
				if !errors.As(err, &re) || re.Message == "" || !slices.Contains([]int{400, 413, 415}, re.Status) {
					t.Fatalf("Receive: %v (want a *RequestError with a message)", err)
				}
				if objs := objects(t, st); len(objs) != 0 {
					t.Fatalf("a refused request left %v", objs)
				}
				continue
			}
			for _, p := range res.Problems {
				if p.Message == "" || p.Name != files.SanitiseName(p.Name) {
					t.Fatalf("problem %+v", p)
				}
			}
			for _, s := range res.Files {
				if s.Name == "" || s.Name != files.SanitiseName(s.Name) || strings.ContainsAny(s.Name, `/\`+"\x00") ||
					!strings.EqualFold(filepath.Ext(s.Name), "."+string(s.Type)) && !(s.Type == files.JPEG && strings.EqualFold(filepath.Ext(s.Name), ".jpeg")) {
					t.Fatalf("stored %+v", s)
				}
				if !files.ValidKey(s.Key) || strings.Contains(s.Key, "..") || !slices.Contains(rc.Files[s.Field].Accept, s.Type) {
					t.Fatalf("stored %+v", s)
				}
			}
			for _, o := range objects(t, st) {
				if rel, err := filepath.Rel(dir, o); err != nil || strings.HasPrefix(rel, "..") {
					t.Fatalf("object %s outside the storage directory %s", o, dir)
				}
			}
			if err := res.Discard(t.Context()); err != nil {
				t.Fatal(err)
			}
		}
	})
}
