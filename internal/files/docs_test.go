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
func cfbDoc(shift uint, entries []cfbEntry) []byte {
	size := 1 << shift
	perSector := size / 128
	dirSectors := (len(entries) + perSector - 1) / perSector
	// Sector 0 is the FAT; directory sectors follow, chained in a non-trivial order (backwards)
	// so that the reader must follow the FAT.
	dirAt := make([]uint32, dirSectors)
	for i := range dirAt {
		dirAt[i] = uint32(dirSectors - i)
	}
	le := binary.LittleEndian
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
	}
	out := make([]byte, size*(2+dirSectors))
	copy(out, header)
	copy(out[size:], fat)
	for i, s := range dirAt {
		copy(out[size*(int(s)+1):], dir[i*size:(i+1)*size])
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
func xlsDoc() []byte { return ole2Doc(9, "Workbook", "\x05SummaryInformation") }
