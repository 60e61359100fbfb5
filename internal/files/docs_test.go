package files_test

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"testing"
	"unicode/utf16"
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

// cfbDoc builds an OLE2 compound file ([MS-CFB]) with sectors of 1<<shift bytes and the given
// directory (entry 0 is the root), spread over as many chained directory sectors as needed.
func cfbDoc(shift uint, entries []cfbEntry) []byte { return cfbDocWith(shift, entries, nil) }

// cfbDocWith is cfbDoc with content for some streams, by entry number: each (under the 4096-byte
// cutoff) is written to the mini stream, in 64-byte mini sectors chained in the mini FAT, which
// follow the directory sectors as the mini stream's own chain of sectors.
func cfbDocWith(shift uint, entries []cfbEntry, data map[int][]byte) []byte {
	size := 1 << shift
	perSector := size / 128
	dirSectors := (len(entries) + perSector - 1) / perSector
	le := binary.LittleEndian
	// The mini stream and its mini FAT, in entry order.
	var mini []byte
	miniFAT := make([]byte, size)
	for i := range size / 4 {
		le.PutUint32(miniFAT[4*i:], 0xFFFFFFFF)
	}
	miniStart := map[int]uint32{}
	for i := range entries {
		d, ok := data[i]
		if !ok {
			continue
		}
		first := uint32(len(mini) / 64)
		miniStart[i] = first
		n := uint32((len(d) + 63) / 64)
		for j := range n {
			next := first + j + 1
			if j == n-1 {
				next = 0xFFFFFFFE
			}
			le.PutUint32(miniFAT[4*(first+j):], next)
		}
		mini = append(mini, d...)
		mini = append(mini, make([]byte, int(n)*64-len(d))...)
	}
	miniSectors := (len(mini) + size - 1) / size
	mini = append(mini, make([]byte, miniSectors*size-len(mini))...)
	miniFATAt := uint32(dirSectors + 1) // then the mini stream's sectors
	// Sector 0 is the FAT; directory sectors follow, chained in a non-trivial order (backwards)
	// so that the reader must follow the FAT.
	dirAt := make([]uint32, dirSectors)
	for i := range dirAt {
		dirAt[i] = uint32(dirSectors - i)
	}
	header := make([]byte, size)
	copy(header, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1})
	le.PutUint16(header[0x18:], 0x3E)
	version := uint16(3)
	if shift == 12 {
		version = 4
	}
	le.PutUint16(header[0x1A:], version)
	le.PutUint16(header[0x1C:], 0xFFFE)
	le.PutUint16(header[0x1E:], uint16(shift))
	le.PutUint16(header[0x20:], 6)
	le.PutUint32(header[0x2C:], 1) // one FAT sector
	le.PutUint32(header[0x30:], dirAt[0])
	le.PutUint32(header[0x38:], 4096)
	le.PutUint32(header[0x3C:], 0xFFFFFFFE)
	if miniSectors > 0 {
		le.PutUint32(header[0x3C:], miniFATAt)
		le.PutUint32(header[0x40:], 1)
	}
	le.PutUint32(header[0x44:], 0xFFFFFFFE)
	for i := range 109 {
		le.PutUint32(header[0x4C+4*i:], 0xFFFFFFFF)
	}
	le.PutUint32(header[0x4C:], 0) // the FAT is sector 0

	fat := make([]byte, size)
	for i := 0; i < size/4; i++ {
		le.PutUint32(fat[4*i:], 0xFFFFFFFF)
	}
	le.PutUint32(fat[0:], 0xFFFFFFFD)
	for i, s := range dirAt {
		next := uint32(0xFFFFFFFE)
		if i+1 < len(dirAt) {
			next = dirAt[i+1]
		}
		le.PutUint32(fat[4*s:], next)
	}
	if miniSectors > 0 {
		le.PutUint32(fat[4*miniFATAt:], 0xFFFFFFFE)
		for j := range miniSectors {
			next := miniFATAt + uint32(j) + 2
			if j == miniSectors-1 {
				next = 0xFFFFFFFE
			}
			le.PutUint32(fat[4*(int(miniFATAt)+1+j):], next)
		}
	}

	dir := make([]byte, dirSectors*size)
	for i, e := range entries {
		d := dir[i*128 : (i+1)*128]
		u := utf16.Encode([]rune(e.name))
		for j, c := range u {
			le.PutUint16(d[2*j:], c)
		}
		le.PutUint16(d[0x40:], uint16(2*len(u)+2))
		d[0x42] = e.typ
		for off, v := range map[int]int{0x44: e.left, 0x48: e.right, 0x4C: e.child} {
			if v < 0 {
				le.PutUint32(d[off:], 0xFFFFFFFF)
			} else {
				le.PutUint32(d[off:], uint32(v))
			}
		}
		le.PutUint32(d[0x74:], 0xFFFFFFFE) // no content
		switch start, ok := miniStart[i]; {
		case ok:
			le.PutUint32(d[0x74:], start)
			le.PutUint64(d[0x78:], uint64(len(data[i])))
		case i == 0 && miniSectors > 0:
			le.PutUint32(d[0x74:], miniFATAt+1)
			le.PutUint64(d[0x78:], uint64(len(mini)))
		}
	}
	out := make([]byte, size*(2+dirSectors))
	copy(out, header)
	copy(out[size:], fat)
	for i, s := range dirAt {
		copy(out[size*(int(s)+1):], dir[i*size:(i+1)*size])
	}
	if miniSectors > 0 {
		out = append(out, miniFAT...)
		out = append(out, mini...)
	}
	return out
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

// hwpDoc builds an HWP 5 document: a compound file whose FileHeader stream (256 bytes, in the
// mini stream) starts with the signature, version 5.0.3.0 and the property bits props (1:
// compressed, 2: password), beside the DocInfo stream and the BodyText storage.
func hwpDoc(props uint32) []byte {
	header := make([]byte, 256)
	copy(header, "HWP Document File")
	binary.LittleEndian.PutUint32(header[32:], 0x05000300)
	binary.LittleEndian.PutUint32(header[36:], props)
	return hwpLike(header)
}

// hwpLike builds a compound file laid out like an HWP document whose FileHeader is header.
func hwpLike(header []byte) []byte {
	entries := []cfbEntry{
		{"Root Entry", 5, -1, -1, 2},
		{"DocInfo", 2, -1, -1, -1},
		{"FileHeader", 2, 1, 3, -1},
		{"BodyText", 1, -1, -1, 4},
		{"Section0", 2, -1, -1, -1},
	}
	return cfbDocWith(9, entries, map[int][]byte{1: bytes.Repeat([]byte{0x42}, 100), 2: header, 4: bytes.Repeat([]byte{0x17}, 70)})
}

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
