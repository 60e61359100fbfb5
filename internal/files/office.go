package files

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"strings"
	"unicode/utf16"
)

// officeKind is what the structure of a ZIP or OLE2 file says it is.
type officeKind int

const (
	notOffice  officeKind = iota // neither a Word nor an Excel file
	wordFile                     // DOCX (in a ZIP) or DOC (in an OLE2 file)
	excelFile                    // XLSX or XLS
	macroFile                    // a DOCX or XLSX carrying macros (vbaProject.bin)
	lockedFile                   // an encrypted (password-protected) DOCX or XLSX, stored as OLE2
)

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
// is a Word or Excel document. It reads only the directory's file names, through a small buffer
// and for at most maxZipEntries entries, and never decompresses anything, so a crafted archive
// can cost neither memory nor time. An error other than errMalformed comes from reading r.
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
	var contentTypes, word, excel, macros bool
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
		}
		if strings.EqualFold(n[strings.LastIndex(n, "/")+1:], "vbaProject.bin") {
			macros = true
		}
	}
	switch {
	case !contentTypes || word == excel:
		return notOffice, nil
	case macros:
		return macroFile, nil
	case word:
		return wordFile, nil
	}
	return excelFile, nil
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
// workbook (Workbook, or Book for Excel 5), or an encrypted DOCX/XLSX (EncryptedPackage). Only
// streams directly under the root count: an Excel sheet embedded in a Word document does not make
// it a workbook. An error other than errMalformed comes from reading r.
func ole2Kind(r io.ReaderAt, size int64) (officeKind, error) {
	c, err := readCFB(r, size)
	if err != nil {
		return notOffice, err
	}
	names, err := c.rootNames()
	if err != nil {
		return notOffice, err
	}
	word, excel, locked := names["WordDocument"], names["Workbook"] || names["Book"], names["EncryptedPackage"]
	switch {
	case locked:
		return lockedFile, nil
	case word && !excel:
		return wordFile, nil
	case excel && !word:
		return excelFile, nil
	}
	return notOffice, nil
}

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

// rootNames returns the names of the entries directly under the root storage.
func (c *cfb) rootNames() (map[string]bool, error) {
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
	names := map[string]bool{}
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
		names[string(utf16.Decode(u))] = true
		stack = append(stack, binary.LittleEndian.Uint32(e[0x44:]), binary.LittleEndian.Uint32(e[0x48:]))
	}
	return names, nil
}
