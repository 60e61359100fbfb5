package files

import (
	"bufio"
	"bytes"
	"compress/flate"
	"encoding/binary"
	"errors"
	"io"
	"strings"
	"unicode/utf16"
)

// officeKind is what the structure of a ZIP or OLE2 file says it is.
type officeKind int

const (
	notOffice  officeKind = iota // none of the documents below
	wordFile                     // DOCX (in a ZIP) or DOC (in an OLE2 file)
	excelFile                    // XLSX or XLS
	slidesFile                   // PPTX or PPT
	hangulFile                   // HWPX or HWP
	macroFile                    // a DOCX, XLSX or PPTX carrying macros (vbaProject.bin)
	lockedFile                   // an encrypted (password-protected) DOCX, XLSX, PPTX or HWP
)

// officeTypes gives the type of each kind of document: zipped, then in an OLE2 file.
var officeTypes = map[officeKind][2]Type{
	wordFile:   {DOCX, DOC},
	excelFile:  {XLSX, XLS},
	slidesFile: {PPTX, PPT},
	hangulFile: {HWPX, HWP},
}

// one returns the only kind whose flag is set, or notOffice when none or several are.
func one(flags map[officeKind]bool) officeKind {
	found := notOffice
	for k, set := range flags {
		if !set {
			continue
		}
		if found != notOffice {
			return notOffice
		}
		found = k
	}
	return found
}

// Bounds on the structures read, so a crafted file cannot make the check slow or large.
const (
	maxZipEntries  = 20_000
	maxZipDirBytes = 8 << 20
	maxCFBEntries  = 16_384
)

// errMalformed means a container's structure could not be read; the file is refused as
// "not what its name says".
var errMalformed = errors.New("files: malformed document structure")

// zipKind reads the central directory of the ZIP archive in r (size bytes) and tells whether it
// is a Word, Excel or PowerPoint document (an OPC package: [Content_Types].xml with word/, xl/
// or ppt/presentation.xml) or a Hangul HWPX document (a "mimetype" entry saying
// application/hwp+zip, with Contents/ and META-INF/). It reads only the directory's file names,
// through a small buffer and for at most maxZipEntries entries, and decompresses nothing but the
// tiny mimetype entry, so a crafted archive can cost neither memory nor time. An error other than
// errMalformed comes from reading r.
func zipKind(r io.ReaderAt, size int64) (officeKind, error) {
	// The end-of-central-directory record is in the last 22 bytes, plus up to 64 KiB of comment.
	tailLen := min(size, 22+0xFFFF)
	tail := make([]byte, tailLen)
	if err := readAt(r, tail, size-tailLen); err != nil {
		return notOffice, err
	}
	i := endOfDirectory(tail)
	if i < 0 {
		return notOffice, errMalformed
	}
	le := binary.LittleEndian
	entries := le.Uint16(tail[i+10:])
	dirSize := int64(le.Uint32(tail[i+12:]))
	dirOffset := int64(le.Uint32(tail[i+16:]))
	// Saturated fields announce ZIP64, which no Office document under our limits needs.
	if entries == 0xFFFF || dirSize == 0xFFFFFFFF || dirOffset == 0xFFFFFFFF ||
		entries > maxZipEntries || dirSize > maxZipDirBytes || dirOffset+dirSize > size-tailLen+int64(i) {
		return notOffice, errMalformed
	}
	dir := bufio.NewReaderSize(io.NewSectionReader(r, dirOffset, dirSize), 32<<10)
	header := make([]byte, 46)
	var contentTypes, word, excel, slides, macros, hwpContents, hwpMeta bool
	var mimetype []byte // the central directory header of the mimetype entry
	for range entries {
		if _, err := io.ReadFull(dir, header); err != nil {
			return notOffice, shortRead(err)
		}
		if le.Uint32(header) != 0x02014b50 {
			return notOffice, errMalformed
		}
		name := make([]byte, le.Uint16(header[28:]))
		if _, err := io.ReadFull(dir, name); err != nil {
			return notOffice, shortRead(err)
		}
		skip := int(le.Uint16(header[30:])) + int(le.Uint16(header[32:])) // extra field, comment
		if _, err := dir.Discard(skip); err != nil {
			return notOffice, shortRead(err)
		}
		n := string(name)
		switch {
		case n == "[Content_Types].xml":
			contentTypes = true
		case strings.HasPrefix(n, "word/"):
			word = true
		case strings.HasPrefix(n, "xl/"):
			excel = true
		case n == "ppt/presentation.xml":
			slides = true
		case n == "mimetype":
			mimetype = bytes.Clone(header)
		case strings.HasPrefix(n, "Contents/"):
			hwpContents = true
		case strings.HasPrefix(n, "META-INF/"):
			hwpMeta = true
		}
		if strings.EqualFold(n[strings.LastIndex(n, "/")+1:], "vbaProject.bin") {
			macros = true
		}
	}
	hangul := false
	if mimetype != nil && hwpContents && hwpMeta {
		var err error
		if hangul, err = zipEntryIs(r, size, mimetype, hwpxMimetype); err != nil {
			return notOffice, err
		}
	}
	kind := one(map[officeKind]bool{wordFile: contentTypes && word, excelFile: contentTypes && excel, slidesFile: contentTypes && slides, hangulFile: hangul})
	if kind != notOffice && kind != hangulFile && macros {
		return macroFile, nil
	}
	return kind, nil
}

// hwpxMimetype is the content of an HWPX package's mimetype entry.
const hwpxMimetype = "application/hwp+zip"

// zipEntryIs reports whether the small entry of the ZIP archive in r whose central directory
// header is cd holds exactly want. Only a stored or deflated entry of at most 1 KiB is read.
func zipEntryIs(r io.ReaderAt, size int64, cd []byte, want string) (bool, error) {
	le := binary.LittleEndian
	method, compressed, plain := le.Uint16(cd[10:]), int64(le.Uint32(cd[20:])), le.Uint32(cd[24:])
	if plain != uint32(len(want)) || compressed > 1<<10 || (method != 0 && method != 8) {
		return false, nil
	}
	local := make([]byte, 30)
	at := int64(le.Uint32(cd[42:]))
	if err := readAt(r, local, at); err != nil {
		return false, err
	}
	if le.Uint32(local) != 0x04034b50 {
		return false, errMalformed
	}
	at += 30 + int64(le.Uint16(local[26:])) + int64(le.Uint16(local[28:]))
	if at+compressed > size {
		return false, errMalformed
	}
	data := make([]byte, compressed)
	if err := readAt(r, data, at); err != nil {
		return false, err
	}
	if method == 8 {
		var err error
		if data, err = io.ReadAll(io.LimitReader(flate.NewReader(bytes.NewReader(data)), int64(len(want))+1)); err != nil {
			return false, nil
		}
	}
	return string(data) == want, nil
}

// endOfDirectory returns the offset in tail of the last end-of-central-directory record whose
// comment fits in tail (as archive/zip finds it), or -1.
func endOfDirectory(tail []byte) int {
	for i := len(tail) - 22; i >= 0; i-- {
		if tail[i] == 'P' && tail[i+1] == 'K' && tail[i+2] == 5 && tail[i+3] == 6 &&
			i+22+int(binary.LittleEndian.Uint16(tail[i+20:])) <= len(tail) {
			return i
		}
	}
	return -1
}

// shortRead maps running out of data to errMalformed; other errors are errors of reading.
func shortRead(err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return errMalformed
	}
	return err
}

// readAt fills b from r at off: a file too short for it is malformed, other errors are errors
// of reading.
func readAt(r io.ReaderAt, b []byte, off int64) error {
	n, err := r.ReadAt(b, off)
	switch {
	case n == len(b):
		// ReadAt may report io.EOF along with the last bytes of the source.
		return nil
	case err == nil, errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return errMalformed
	}
	return err
}

// ole2Kind reads the directory of the OLE2 compound file in r (size bytes; [MS-CFB]) and tells
// whether it is a Word 97-2003 document (a WordDocument stream at the root), an Excel 97-2003
// workbook (Workbook, or Book for Excel 5), a PowerPoint 97-2003 presentation (PowerPoint
// Document), a Hangul HWP 5 document (a FileHeader stream starting "HWP Document File"), or an
// encrypted DOCX/XLSX/PPTX (EncryptedPackage) or HWP (its FileHeader says so). Only streams
// directly under the root count: an Excel sheet embedded in a Word document does not make it a
// workbook. An error other than errMalformed comes from reading r.
func ole2Kind(r io.ReaderAt, size int64) (officeKind, error) {
	c, err := readCFB(r, size)
	if err != nil {
		return notOffice, err
	}
	names, err := c.rootNames()
	if err != nil {
		return notOffice, err
	}
	if names["EncryptedPackage"] != nil {
		return lockedFile, nil
	}
	hangul := false
	if e := names["FileHeader"]; e != nil {
		// HWP 5.0 FileHeader: a 32-byte signature, the version, then property bits (bit 1: the
		// document has a password).
		// A FileHeader that cannot be read only means the file is no HWP document.
		head, err := c.streamHead(e, 40)
		if err != nil && !errors.Is(err, errMalformed) {
			return notOffice, err
		}
		if hangul = err == nil && bytes.HasPrefix(head, []byte(hwpSignature)); hangul && binary.LittleEndian.Uint32(head[36:])&2 != 0 {
			return lockedFile, nil
		}
	}
	return one(map[officeKind]bool{
		wordFile:   names["WordDocument"] != nil,
		excelFile:  names["Workbook"] != nil || names["Book"] != nil,
		slidesFile: names["PowerPoint Document"] != nil,
		hangulFile: hangul,
	}), nil
}

// hwpSignature starts the FileHeader stream of an HWP 5 document.
const hwpSignature = "HWP Document File"

// Special sector numbers of [MS-CFB].
const (
	cfbMaxRegSect  = 0xFFFFFFFA
	cfbEndOfChain  = 0xFFFFFFFE
	cfbNoStream    = 0xFFFFFFFF
	cfbHeaderSize  = 512
	cfbDirEntry    = 128
	cfbHeaderDIFAT = 109
)

// cfb is an OLE2 compound file being read.
type cfb struct {
	r          io.ReaderAt
	size       int64
	sectorSize int64
	header     []byte
	root       []byte            // the root storage's directory entry
	fatCache   map[uint32][]byte // FAT sectors read so far, by their index in the FAT
	reads      int
}

func readCFB(r io.ReaderAt, size int64) (*cfb, error) {
	if size < cfbHeaderSize {
		return nil, errMalformed
	}
	h := make([]byte, cfbHeaderSize)
	if err := readAt(r, h, 0); err != nil {
		return nil, err
	}
	if !bytes.HasPrefix(h, magicOLE2) || binary.LittleEndian.Uint16(h[0x1C:]) != 0xFFFE {
		return nil, errMalformed
	}
	shift := binary.LittleEndian.Uint16(h[0x1E:])
	if shift != 9 && shift != 12 {
		return nil, errMalformed
	}
	return &cfb{r: r, size: size, sectorSize: 1 << shift, header: h, fatCache: map[uint32][]byte{}}, nil
}

// sector reads sector n.
func (c *cfb) sector(n uint32) ([]byte, error) {
	// Every read of this check is bounded; a file that needs more is not a plausible document.
	if c.reads++; c.reads > 4096 || n > cfbMaxRegSect {
		return nil, errMalformed
	}
	off := (int64(n) + 1) * c.sectorSize
	if off+c.sectorSize > c.size {
		return nil, errMalformed
	}
	b := make([]byte, c.sectorSize)
	if err := readAt(c.r, b, off); err != nil {
		return nil, err
	}
	return b, nil
}

// fatSector returns the location of the i-th FAT sector, from the header's DIFAT or the DIFAT
// chain that continues it.
func (c *cfb) fatSector(i uint32) (uint32, error) {
	if i < cfbHeaderDIFAT {
		return binary.LittleEndian.Uint32(c.header[0x4C+4*i:]), nil
	}
	i -= cfbHeaderDIFAT
	perSector := uint32(c.sectorSize/4) - 1 // the last entry points to the next DIFAT sector
	next := binary.LittleEndian.Uint32(c.header[0x44:])
	for range i / perSector {
		d, err := c.sector(next)
		if err != nil {
			return 0, err
		}
		next = binary.LittleEndian.Uint32(d[perSector*4:])
	}
	d, err := c.sector(next)
	if err != nil {
		return 0, err
	}
	return binary.LittleEndian.Uint32(d[(i%perSector)*4:]), nil
}

// next returns the sector that follows n in its chain.
func (c *cfb) next(n uint32) (uint32, error) {
	perSector := uint32(c.sectorSize / 4)
	idx := n / perSector
	fat, ok := c.fatCache[idx]
	if !ok {
		loc, err := c.fatSector(idx)
		if err != nil {
			return 0, err
		}
		if fat, err = c.sector(loc); err != nil {
			return 0, err
		}
		c.fatCache[idx] = fat
	}
	return binary.LittleEndian.Uint32(fat[(n%perSector)*4:]), nil
}

// rootNames returns the directory entries directly under the root storage, by name.
func (c *cfb) rootNames() (map[string][]byte, error) {
	var dir []byte
	sec := binary.LittleEndian.Uint32(c.header[0x30:])
	for sec != cfbEndOfChain {
		if len(dir) >= maxCFBEntries*cfbDirEntry {
			return nil, errMalformed
		}
		b, err := c.sector(sec)
		if err != nil {
			return nil, err
		}
		dir = append(dir, b...)
		if sec, err = c.next(sec); err != nil {
			return nil, err
		}
	}
	n := uint32(len(dir) / cfbDirEntry)
	if n == 0 {
		return nil, errMalformed
	}
	entry := func(i uint32) []byte { return dir[i*cfbDirEntry : (i+1)*cfbDirEntry] }
	if entry(0)[0x42] != 5 { // the first entry is the root storage
		return nil, errMalformed
	}
	c.root = entry(0)
	names := map[string][]byte{}
	// The root's children form a red-black tree linked by left and right siblings.
	seen := map[uint32]bool{}
	stack := []uint32{binary.LittleEndian.Uint32(entry(0)[0x4C:])}
	for len(stack) > 0 {
		i := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if i == cfbNoStream {
			continue
		}
		if i >= n || seen[i] {
			return nil, errMalformed
		}
		seen[i] = true
		e := entry(i)
		nameLen := int(binary.LittleEndian.Uint16(e[0x40:]))
		if nameLen < 2 || nameLen > 64 || nameLen%2 != 0 {
			return nil, errMalformed
		}
		u := make([]uint16, nameLen/2-1) // without the terminating NUL
		for j := range u {
			u[j] = binary.LittleEndian.Uint16(e[2*j:])
		}
		names[string(utf16.Decode(u))] = e
		stack = append(stack, binary.LittleEndian.Uint32(e[0x44:]), binary.LittleEndian.Uint32(e[0x48:]))
	}
	return names, nil
}

// streamHead returns the first n bytes (at most 64, one mini sector) of the stream whose
// directory entry is e; a stream shorter than n is malformed.
func (c *cfb) streamHead(e []byte, n int) ([]byte, error) {
	le := binary.LittleEndian
	size, start := le.Uint64(e[0x78:]), le.Uint32(e[0x74:])
	if e[0x42] != 2 || n > 64 || size < uint64(n) || start > cfbMaxRegSect {
		return nil, errMalformed
	}
	if size >= uint64(le.Uint32(c.header[0x38:])) {
		b, err := c.sector(start)
		if err != nil {
			return nil, err
		}
		return b[:n], nil
	}
	// A stream under the cutoff lives in the mini stream, in 64-byte mini sectors; the mini
	// stream is the chain of sectors that starts at the root entry's.
	if le.Uint16(c.header[0x20:]) != 6 {
		return nil, errMalformed
	}
	off := int64(start) * 64
	steps := off / c.sectorSize
	if steps > 4096 {
		return nil, errMalformed
	}
	sec := le.Uint32(c.root[0x74:])
	for range steps {
		if sec > cfbMaxRegSect {
			return nil, errMalformed
		}
		var err error
		if sec, err = c.next(sec); err != nil {
			return nil, err
		}
	}
	b, err := c.sector(sec)
	if err != nil {
		return nil, err
	}
	at := off % c.sectorSize
	return b[at : at+int64(n)], nil
}
