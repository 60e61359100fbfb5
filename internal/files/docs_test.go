package files_test

import (
	"archive/zip"
	"bytes"
	"testing"

	"prizeportal/internal/files/filestest"
)

// Small real documents built for the tests.

func pdfDoc(n int) []byte {
	b := append([]byte("%PDF-1.7\n"), bytes.Repeat([]byte("x"), max(0, n-9))...)
	return b[:max(n, 9)]
}

var (
	pngDoc  = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89")
	jpegDoc = []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9")
	exeDoc  = append([]byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"), bytes.Repeat([]byte{0}, 64)...)
)

// zipDoc builds a ZIP archive holding the named entries.
func zipDoc(t testing.TB, names ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, n := range names {
		w, err := zw.Create(n)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte("<?xml version=\"1.0\"?><x/>")); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func docxDoc(t testing.TB) []byte {
	return zipDoc(t, "[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/_rels/document.xml.rels", "docProps/core.xml")
}

func xlsxDoc(t testing.TB) []byte {
	return zipDoc(t, "[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/worksheets/sheet1.xml", "docProps/core.xml")
}

// cfbEntry is a directory entry of a compound file: type 1 storage, 2 stream, 5 root; left,
// right and child are entry numbers or -1.
type cfbEntry struct {
	name               string
	typ                byte
	left, right, child int
}

// cfbDoc builds a compound file with the given directory and no content (filestest.CFB).
func cfbDoc(shift uint, entries []cfbEntry) []byte {
	es := make([]filestest.CFBEntry, len(entries))
	for i, e := range entries {
		es[i] = filestest.CFBEntry{Name: e.name, Type: e.typ, Left: e.left, Right: e.right, Child: e.child}
	}
	return filestest.CFB(shift, es, nil)
}

// ole2Doc builds a compound file whose root holds the named streams (as a right-leaning tree).
func ole2Doc(shift uint, streams ...string) []byte {
	entries := []cfbEntry{{"Root Entry", 5, -1, -1, 1}}
	for i, n := range streams {
		right := i + 2
		if i == len(streams)-1 {
			right = -1
		}
		entries = append(entries, cfbEntry{n, 2, -1, right, -1})
	}
	return cfbDoc(shift, entries)
}

func docDoc() []byte { return ole2Doc(9, "WordDocument", "1Table", "\x05SummaryInformation") }
func pptDoc() []byte {
	return ole2Doc(9, "PowerPoint Document", "Current User", "\x05SummaryInformation")
}
func xlsDoc() []byte { return ole2Doc(9, "Workbook", "\x05SummaryInformation") }

func hwpDoc(props uint32) []byte   { return filestest.HWP(props) }
func hwpLike(header []byte) []byte { return filestest.HWPLike(header) }

// zipWith builds a ZIP archive of the named entries and contents, in order; mimetype is stored
// uncompressed, as packages write it.
func zipWith(t testing.TB, entries ...[2]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		h := &zip.FileHeader{Name: e[0], Method: zip.Deflate}
		if e[0] == "mimetype" {
			h.Method = zip.Store
		}
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(e[1])); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// hwpxDoc builds an HWPX package (OWPML) whose mimetype entry says mimetype.
func hwpxDoc(t testing.TB, mimetype string) []byte {
	return zipWith(t, [2]string{"mimetype", mimetype},
		[2]string{"version.xml", `<?xml version="1.0"?><hv:HCFVersion xmlns:hv="http://www.hancom.co.kr/hwpml/2011/version" major="5"/>`},
		[2]string{"Contents/header.xml", `<?xml version="1.0"?><hh:head xmlns:hh="http://www.hancom.co.kr/hwpml/2011/head"/>`},
		[2]string{"Contents/section0.xml", `<?xml version="1.0"?><hs:sec xmlns:hs="http://www.hancom.co.kr/hwpml/2011/section"/>`},
		[2]string{"Contents/content.hpf", `<?xml version="1.0"?><opf:package xmlns:opf="http://www.idpf.org/2007/opf/"/>`},
		[2]string{"META-INF/container.xml", `<?xml version="1.0"?><ocf:container xmlns:ocf="urn:oasis:names:tc:opendocument:xmlns:container"/>`},
		[2]string{"META-INF/manifest.xml", `<?xml version="1.0"?><odf:manifest xmlns:odf="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>`})
}

// pptxDoc builds a PowerPoint package: [Content_Types].xml naming the presentation part.
func pptxDoc(t testing.TB) []byte {
	return zipWith(t,
		[2]string{"[Content_Types].xml", `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/ppt/presentation.xml" ContentType="application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"/></Types>`},
		[2]string{"_rels/.rels", `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>`},
		[2]string{"ppt/presentation.xml", `<?xml version="1.0"?><p:presentation xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"/>`},
		[2]string{"ppt/slides/slide1.xml", `<?xml version="1.0"?><p:sld xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"/>`})
}

// gifDoc is a 1x1 GIF89a image; webpDoc a 1x1 lossless WebP image.
var (
	gifDoc  = []byte("GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")
	webpDoc = []byte("RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00\x2f\x00\x00\x00\x10\x07\x10\x11\x11\x88\x88\xfe\x07\x00")
)
