package files_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"prizeportal/internal/files"
	"prizeportal/internal/files/filestest"
	"prizeportal/internal/i18n"
)

// part is one part of a test request: a file when file is true, a value otherwise.
type part struct {
	field, filename string
	data            []byte
	file            bool
}

func file(field, name string, data []byte) part { return part{field, name, data, true} }
func value(field, v string) part                { return part{field: field, data: []byte(v)} }

// request builds a multipart/form-data POST of parts.
func request(t testing.TB, parts ...part) *http.Request {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, p := range parts {
		var w io.Writer
		var err error
		if p.file {
			h := textproto.MIMEHeader{}
			// Written by hand so that names with quotes, backslashes and control characters
			// reach the server as a browser might send them.
			h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="%s"; filename="%s"`, p.field, strings.NewReplacer(`"`, `\"`).Replace(p.filename)))
			h.Set("Content-Type", "application/octet-stream")
			w, err = mw.CreatePart(h)
		} else {
			w, err = mw.CreateFormField(p.field)
		}
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(p.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	r := httptest.NewRequest(http.MethodPost, "/upload", &buf)
	r.Header.Set("Content-Type", mw.FormDataContentType())
	return r
}

// documents is the limits of a typical "supporting documents" question.
var documents = files.Limits{Accept: files.AllTypes, MaxBytes: 1 << 20, MaxFiles: 20}

func receive(t testing.TB, st files.Storage, limits map[string]files.Limits, parts ...part) (*files.Result, error) {
	t.Helper()
	rc := &files.Receiver{Storage: st, Files: limits}
	return rc.Receive(httptest.NewRecorder(), request(t, parts...))
}

// objects lists every file under the local storage's directory, temporary files included.
func objects(t testing.TB, l *files.Local) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(l.Dir(), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			out = append(out, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func sha(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }

func TestReceiveStoresEachAcceptedType(t *testing.T) {
	t.Parallel()
	for name, st := range map[string]files.Storage{"local": filestest.NewLocal(t), "s3": filestest.NewS3(t)} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			docs := []struct {
				name string
				data []byte
				typ  files.Type
			}{
				{"plan.pdf", pdfDoc(2000), files.PDF},
				{"photo.PNG", pngDoc, files.PNG},
				{"site.jpeg", jpegDoc, files.JPEG},
				{"letter.docx", docxDoc(t), files.DOCX},
				{"budget.xlsx", xlsxDoc(t), files.XLSX},
				{"old letter.doc", docDoc(), files.DOC},
				{"old budget.xls", xlsDoc(), files.XLS},
				{"big sectors.doc", ole2Doc(12, "WordDocument"), files.DOC},
				{"사업계획서.hwp", hwpDoc(1), files.HWP},
				{"사업계획서.hwpx", hwpxDoc(t, "application/hwp+zip"), files.HWPX},
				{"slides.ppt", pptDoc(), files.PPT},
				{"slides.pptx", pptxDoc(t), files.PPTX},
				{"map.gif", gifDoc, files.GIF},
				{"photo.webp", webpDoc, files.WEBP},
			}
			parts := []part{value("title", "Smart bus stops"), value("sectors", "mobility"), value("sectors", "energy")}
			for _, d := range docs {
				parts = append(parts, file("docs", d.name, d.data))
			}
			res, err := receive(t, st, map[string]files.Limits{"docs": documents}, parts...)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Problems) != 0 {
				t.Fatalf("problems: %+v", res.Problems)
			}
			if res.Values.Get("title") != "Smart bus stops" || len(res.Values["sectors"]) != 2 {
				t.Fatalf("values = %v", res.Values)
			}
			if len(res.Files) != len(docs) || len(res.Field("docs")) != len(docs) {
				t.Fatalf("stored %d files, want %d", len(res.Files), len(docs))
			}
			for i, d := range docs {
				f := res.Files[i]
				if f.Field != "docs" || f.Name != d.name || f.Type != d.typ || f.ContentType != d.typ.ContentType() ||
					f.Size != int64(len(d.data)) || f.SHA256 != sha(d.data) || !files.ValidKey(f.Key) {
					t.Errorf("%s: stored %+v", d.name, f)
				}
				r, _, err := st.Open(context.Background(), f.Key)
				if err != nil {
					t.Fatal(err)
				}
				got, _ := io.ReadAll(r)
				r.Close()
				if !bytes.Equal(got, d.data) {
					t.Errorf("%s: stored content differs", d.name)
				}
			}
			if err := res.Discard(context.Background()); err != nil {
				t.Fatal(err)
			}
			for _, f := range res.Files {
				t.Errorf("Discard left %s in the result", f.Key)
			}
		})
	}
}

// TestReceiveRefuses covers the files that must be refused, each with a message naming the file
// and saying what to do, and with nothing left in storage.
func TestReceiveRefuses(t *testing.T) {
	t.Parallel()
	pdfOnly := files.Limits{Accept: []files.Type{files.PDF}, MaxBytes: 1 << 20, MaxFiles: 5}
	wordOnly := files.Limits{Accept: []files.Type{files.DOC, files.DOCX}, MaxBytes: 1 << 20, MaxFiles: 5}
	cases := []struct {
		what   string
		limits files.Limits
		file   part
		want   string
	}{
		{"renamed exe", documents, file("f", "budget.pdf", exeDoc), "“budget.pdf” is a program, not a document"},
		{"exe as such", documents, file("f", "setup.exe", exeDoc), "“setup.exe” is a program, not a document. Programs cannot be uploaded; upload PDF, DOC, DOCX, HWP, HWPX, XLS, XLSX, PPT, PPTX, JPG, PNG, GIF or WEBP."},
		{"png named pdf", documents, file("f", "scan.pdf", pngDoc), "“scan.pdf” is named like a PDF document but is really a PNG image"},
		{"type not accepted here", pdfOnly, file("f", "photo.png", pngDoc), "“photo.png” is not a type of file this question accepts. Upload PDF."},
		{"no extension", documents, file("f", "README", pdfDoc(100)), "“README” is not a type of file this question accepts"},
		{"plain zip named docx", documents, file("f", "archive.docx", zipDoc(t, "a.txt", "b/c.txt")), "“archive.docx” is named like a Word document (.docx) but its content is not"},
		{"xlsx named docx", documents, file("f", "budget.docx", xlsxDoc(t)), "“budget.docx” is named like a Word document (.docx) but is really an Excel workbook (.xlsx)"},
		{"docx with macros", documents, file("f", "macro.docx", zipDoc(t, "[Content_Types].xml", "word/document.xml", "word/vbaProject.bin")), "“macro.docx” contains macros"},
		{"xls named doc", documents, file("f", "report.doc", xlsDoc()), "“report.doc” is named like a Word 97-2003 document (.doc) but is really an Excel 97-2003 workbook (.xls)"},
		{"other OLE2 file named doc", documents, file("f", "installer.doc", ole2Doc(9, "\x05SummaryInformation", "Property")), "“installer.doc” is named like a Word 97-2003 document (.doc) but its content is not"},
		{"doc named docx", wordOnly, file("f", "old.docx", docDoc()), "“old.docx” is named like a Word document (.docx) but is really a Word 97-2003 document (.doc)"},
		{"password-protected docx", documents, file("f", "secret.docx", ole2Doc(9, "EncryptionInfo", "EncryptedPackage")), "“secret.docx” is protected with a password"},
		{"truncated OLE2", documents, file("f", "cut.xls", xlsDoc()[:600]), "“cut.xls” is named like an Excel 97-2003 workbook (.xls) but its content is not"},
		{"docx named hwp", documents, file("f", "plan.hwp", docxDoc(t)), "“plan.hwp” is named like a Hangul (HWP) document but is really a ZIP archive"},
		{"doc named hwp", documents, file("f", "plan.hwp", docDoc()), "“plan.hwp” is named like a Hangul (HWP) document but is really a Word 97-2003 document (.doc)"},
		{"pdf named hwp", documents, file("f", "plan.hwp", pdfDoc(100)), "“plan.hwp” is named like a Hangul (HWP) document but is really a PDF document"},
		{"FileHeader without the HWP signature", documents, file("f", "plan.hwp", hwpLike(append([]byte("HWP Document Fil"), make([]byte, 240)...))), "“plan.hwp” is named like a Hangul (HWP) document but its content is not"},
		{"FileHeader too short", documents, file("f", "plan.hwp", hwpLike([]byte("HWP Document File"))), "“plan.hwp” is named like a Hangul (HWP) document but its content is not"},
		{"password-protected hwp", documents, file("f", "secret.hwp", hwpDoc(3)), "“secret.hwp” is protected with a password"},
		{"hwp named doc", documents, file("f", "plan.doc", hwpDoc(1)), "“plan.doc” is named like a Word 97-2003 document (.doc) but is really a Hangul (HWP) document"},
		{"hwpx named hwp", documents, file("f", "plan.hwp", hwpxDoc(t, "application/hwp+zip")), "“plan.hwp” is named like a Hangul (HWP) document but is really a ZIP archive"},
		{"odt named hwpx", documents, file("f", "plan.hwpx", hwpxDoc(t, "application/vnd.oasis.opendocument.text")), "“plan.hwpx” is named like a Hangul (HWPX) document but its content is not"},
		{"hwpx without contents", documents, file("f", "plan.hwpx", zipWith(t, [2]string{"mimetype", "application/hwp+zip"}, [2]string{"META-INF/container.xml", "<x/>"})), "“plan.hwpx” is named like a Hangul (HWPX) document but its content is not"},
		{"docx named hwpx", documents, file("f", "plan.hwpx", docxDoc(t)), "“plan.hwpx” is named like a Hangul (HWPX) document but is really a Word document (.docx)"},
		{"pptx named docx", documents, file("f", "talk.docx", pptxDoc(t)), "“talk.docx” is named like a Word document (.docx) but is really a PowerPoint presentation (.pptx)"},
		{"ppt named pptx", documents, file("f", "talk.pptx", pptDoc()), "“talk.pptx” is named like a PowerPoint presentation (.pptx) but is really a PowerPoint 97-2003 presentation (.ppt)"},
		{"xls named ppt", documents, file("f", "talk.ppt", xlsDoc()), "“talk.ppt” is named like a PowerPoint 97-2003 presentation (.ppt) but is really an Excel 97-2003 workbook (.xls)"},
		{"pptx with macros", documents, file("f", "talk.pptx", zipDoc(t, "[Content_Types].xml", "ppt/presentation.xml", "ppt/vbaProject.bin")), "“talk.pptx” contains macros"},
		{"zip without the presentation part", documents, file("f", "talk.pptx", zipDoc(t, "[Content_Types].xml", "ppt/slides/slide1.xml")), "“talk.pptx” is named like a PowerPoint presentation (.pptx) but its content is not"},
		{"png named gif", documents, file("f", "map.gif", pngDoc), "“map.gif” is named like a GIF image but is really a PNG image"},
		{"gif named webp", documents, file("f", "map.webp", gifDoc), "“map.webp” is named like a WebP image but is really a GIF image"},
		{"other RIFF named webp", documents, file("f", "sound.webp", []byte("RIFF\x24\x00\x00\x00WAVEfmt \x10\x00\x00\x00")), "“sound.webp” is named like a WebP image but its content is not"},
		{"empty", documents, file("f", "empty.pdf", nil), "“empty.pdf” is empty."},
		{"nameless", documents, file("f", "...", pdfDoc(100)), "A file without a usable name was not uploaded"},
		{"html named pdf", documents, file("f", "page.pdf", []byte("<html><script>alert(1)</script>")), "“page.pdf” is named like a PDF document but its content is not"},
	}
	for _, c := range cases {
		t.Run(c.what, func(t *testing.T) {
			t.Parallel()
			st := filestest.NewLocal(t)
			res, err := receive(t, st, map[string]files.Limits{"f": c.limits}, c.file, value("after", "still read"))
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Files) != 0 || len(res.Problems) != 1 {
				t.Fatalf("files %+v, problems %+v", res.Files, res.Problems)
			}
			if p := res.Problems[0]; p.Field != "f" || !strings.Contains(i18n.English(p.Message), c.want) {
				t.Fatalf("problem = %+v\nwant message containing %q", p, c.want)
			}
			if res.Values.Get("after") != "still read" {
				t.Fatal("the form after the refused file was not read")
			}
			if objs := objects(t, st); len(objs) != 0 {
				t.Fatalf("storage holds %v", objs)
			}
		})
	}
}

func TestReceiveDocWithEmbeddedWorkbookIsADoc(t *testing.T) {
	t.Parallel()
	// A Word document with an Excel sheet embedded (in ObjectPool, not at the root).
	doc := cfbDoc(9, []cfbEntry{
		{"Root Entry", 5, -1, -1, 2},
		{"1Table", 2, -1, -1, -1},
		{"WordDocument", 2, 1, 3, -1},
		{"ObjectPool", 1, -1, -1, 4},
		{"Workbook", 2, -1, -1, -1},
		{"\x05SummaryInformation", 2, -1, -1, -1},
	})
	res, err := receive(t, filestest.NewLocal(t), map[string]files.Limits{"f": documents}, file("f", "with sheet.doc", doc))
	if err != nil || len(res.Problems) != 0 || len(res.Files) != 1 || res.Files[0].Type != files.DOC {
		t.Fatalf("res = %+v, err = %v", res, err)
	}
}

// countingStorage counts the bytes each Put reads.
type countingStorage struct {
	files.Storage
	read int64
}

func (c *countingStorage) Put(ctx context.Context, key string, r io.Reader, size int64) error {
	return c.Storage.Put(ctx, key, readCounter{r, &c.read}, size)
}

type readCounter struct {
	r io.Reader
	n *int64
}

func (rc readCounter) Read(p []byte) (int, error) {
	n, err := rc.r.Read(p)
	*rc.n += int64(n)
	return n, err
}

func TestReceiveSizeLimit(t *testing.T) {
	t.Parallel()
	const limit = 100 << 10
	lim := map[string]files.Limits{"f": {Accept: []files.Type{files.PDF}, MaxBytes: limit, MaxFiles: 3}}

	local := filestest.NewLocal(t)
	st := &countingStorage{Storage: local}
	res, err := receive(t, st, lim, file("f", "big.pdf", pdfDoc(limit+1)), value("title", "kept"))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Files) != 0 || len(res.Problems) != 1 || !strings.Contains(i18n.English(res.Problems[0].Message), "“big.pdf” is larger than the 100 KB this question accepts") {
		t.Fatalf("files %+v, problems %+v", res.Files, res.Problems)
	}
	// Storage was given the limit and not one byte more, and kept nothing.
	if st.read != limit {
		t.Fatalf("storage read %d bytes, want %d", st.read, limit)
	}
	if objs := objects(t, local); len(objs) != 0 {
		t.Fatalf("storage holds %v", objs)
	}
	if res.Values.Get("title") != "kept" {
		t.Fatal("values after the refused file were lost")
	}

	// Exactly at the limit is accepted.
	res, err = receive(t, local, lim, file("f", "fits.pdf", pdfDoc(limit)))
	if err != nil || len(res.Files) != 1 || res.Files[0].Size != limit {
		t.Fatalf("res = %+v, err = %v", res, err)
	}
}

func TestReceiveCountLimitAndEmptyInputs(t *testing.T) {
	t.Parallel()
	st := filestest.NewLocal(t)
	lim := map[string]files.Limits{
		"a": {Accept: []files.Type{files.PDF}, MaxBytes: 1 << 20, MaxFiles: 2},
		"b": {Accept: []files.Type{files.PNG}, MaxBytes: 1 << 20, MaxFiles: 1},
	}
	res, err := receive(t, st, lim,
		file("a", "1.pdf", pdfDoc(50)), file("a", "2.pdf", pdfDoc(60)), file("a", "3.pdf", pdfDoc(70)),
		file("b", "", nil), // nothing chosen
		file("b", "x.exe", exeDoc), file("b", "y.exe", exeDoc))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Field("a")) != 2 || len(res.Field("b")) != 0 {
		t.Fatalf("files = %+v", res.Files)
	}
	errs := res.FieldErrors()
	if got := i18n.English(errs.Get("a")); got != "“3.pdf” was not uploaded: this question accepts at most 2 files." {
		t.Errorf("a: %q", got)
	}
	if got := i18n.English(errs.Get("b")); !strings.Contains(got, "“x.exe” is a program") || !strings.Contains(got, "“y.exe” is a program") {
		t.Errorf("b: %q", got)
	}
	// in Korean too, both refusals of one input in one message
	if got := i18n.For("ko").T(errs.Get("b")); strings.Count(got, "파일은 문서가 아니라 프로그램입니다") != 2 || strings.Contains(got, "program") {
		t.Errorf("b in Korean: %q", got)
	}
	if len(objects(t, st)) != 2 {
		t.Fatalf("storage holds %v", objects(t, st))
	}
}

func TestReceiveRequestErrors(t *testing.T) {
	t.Parallel()
	st := filestest.NewLocal(t)
	lim := map[string]files.Limits{"f": {Accept: []files.Type{files.PDF}, MaxBytes: 1000, MaxFiles: 1}}
	status := func(err error) int {
		var re *files.RequestError
		if !errors.As(err, &re) || re.Message == "" || strings.Contains(re.Message, "multipart") {
			t.Fatalf("err = %v, want a *RequestError with a message for people", err)
		}
		return re.Status
	}

	r := httptest.NewRequest(http.MethodPost, "/upload", strings.NewReader("a=b"))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if _, err := (&files.Receiver{Storage: st, Files: lim}).Receive(httptest.NewRecorder(), r); status(err) != http.StatusUnsupportedMediaType {
		t.Fatalf("urlencoded: %v", err)
	}

	_, err := receive(t, st, lim, file("other", "x.pdf", pdfDoc(10)))
	if status(err) != http.StatusBadRequest {
		t.Fatalf("unknown input: %v", err)
	}

	// A body far larger than the form allows fails as a whole, and the file stored before it
	// is deleted.
	big := map[string]files.Limits{"f": lim["f"], "g": {Accept: []files.Type{files.PDF}, MaxBytes: 1000, MaxFiles: 1}}
	_, err = receive(t, st, big, file("f", "ok.pdf", pdfDoc(500)), file("g", "huge.pdf", pdfDoc(4<<20)))
	if status(err) != http.StatusRequestEntityTooLarge {
		t.Fatalf("huge: %v", err)
	}
	if objs := objects(t, st); len(objs) != 0 {
		t.Fatalf("storage holds %v after a failed request", objs)
	}

	rc := &files.Receiver{Storage: st, Files: lim, MaxValueBytes: 100}
	if _, err := rc.Receive(httptest.NewRecorder(), request(t, value("text", strings.Repeat("x", 101)))); status(err) != http.StatusRequestEntityTooLarge {
		t.Fatalf("long values: %v", err)
	}
	rc = &files.Receiver{Storage: st, Files: lim, MaxValues: 2}
	if _, err := rc.Receive(httptest.NewRecorder(), request(t, value("a", "1"), value("a", "2"), value("a", "3"))); status(err) != http.StatusRequestEntityTooLarge {
		t.Fatalf("many values: %v", err)
	}

	// A body cut off in the middle of a file.
	full := request(t, file("f", "cut.pdf", pdfDoc(900)))
	body, _ := io.ReadAll(full.Body)
	cut := httptest.NewRequest(http.MethodPost, "/upload", bytes.NewReader(body[:len(body)/2]))
	cut.Header = full.Header
	if _, err := (&files.Receiver{Storage: st, Files: lim}).Receive(httptest.NewRecorder(), cut); status(err) != http.StatusBadRequest {
		t.Fatalf("cut: %v", err)
	}
	if objs := objects(t, st); len(objs) != 0 {
		t.Fatalf("storage holds %v after a cut request", objs)
	}
}

// failingStorage fails every Put.
type failingStorage struct{ files.Storage }

func (failingStorage) Put(context.Context, string, io.Reader, int64) error {
	return errors.New("disk full")
}

func TestReceiveStorageFailureIsNotARequestError(t *testing.T) {
	t.Parallel()
	_, err := receive(t, failingStorage{filestest.NewLocal(t)}, map[string]files.Limits{"f": documents}, file("f", "a.pdf", pdfDoc(10)))
	var re *files.RequestError
	if err == nil || errors.As(err, &re) || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("err = %v", err)
	}
}

func TestReceiveSanitisesNames(t *testing.T) {
	t.Parallel()
	st := filestest.NewLocal(t)
	res, err := receive(t, st, map[string]files.Limits{"f": documents},
		file("f", `C:\Users\kim\Desktop\사업계획서.pdf`, pdfDoc(10)),
		file("f", "../../etc/passwd.pdf", pdfDoc(10)))
	if err != nil || len(res.Files) != 2 {
		t.Fatalf("res = %+v, err = %v", res, err)
	}
	if res.Files[0].Name != "사업계획서.pdf" || res.Files[1].Name != "passwd.pdf" {
		t.Fatalf("names = %q, %q", res.Files[0].Name, res.Files[1].Name)
	}
	// The key is random, never derived from the name.
	for _, f := range res.Files {
		if strings.Contains(f.Key, "passwd") || strings.Contains(f.Key, "pdf") {
			t.Fatalf("key %q", f.Key)
		}
	}
	if _, err := os.Stat(filepath.Join(st.Dir(), "..", "..", "etc", "passwd.pdf")); err == nil {
		t.Fatal("a file was written along the sent path")
	}
}

// TestReceiveDocWithUnreadableFileHeaderIsADoc: a Word document that happens to hold a stream
// called FileHeader, too short for an HWP one, is still a Word document.
func TestReceiveDocWithUnreadableFileHeaderIsADoc(t *testing.T) {
	t.Parallel()
	doc := filestest.CFB(9, []filestest.CFBEntry{
		{Name: "Root Entry", Type: 5, Left: -1, Right: -1, Child: 1},
		{Name: "WordDocument", Type: 2, Left: -1, Right: 2, Child: -1},
		{Name: "FileHeader", Type: 2, Left: -1, Right: -1, Child: -1},
	}, map[int][]byte{2: []byte("short")})
	res, err := receive(t, filestest.NewLocal(t), map[string]files.Limits{"f": documents}, file("f", "letter.doc", doc))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Problems) != 0 || len(res.Files) != 1 || res.Files[0].Type != files.DOC {
		t.Fatalf("files %+v, problems %+v", res.Files, res.Problems)
	}
}
