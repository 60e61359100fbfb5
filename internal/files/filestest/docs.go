package filestest

import (
	"bytes"
	"encoding/binary"
	"unicode/utf16"
)

// Small real compound files ([MS-CFB]) for the tests of uploads: the fixtures read back with
// github.com/richardlehane/mscfb and are named "Hangul (Korean) Word Processor File 5.x" by file(1).

// CFBEntry is a directory entry of a compound file: type 1 storage, 2 stream, 5 root; left,
// right and child are entry numbers or -1.
type CFBEntry struct {
	Name               string
	Type               byte
	Left, Right, Child int
}

// CFB builds an OLE2 compound file ([MS-CFB]) with sectors of 1<<shift bytes and the given
// directory (entry 0 is the root), spread over as many chained directory sectors as needed, and
// content for some streams, by entry number: each (under the 4096-byte cutoff) is written to the
// mini stream, in 64-byte mini sectors chained in the mini FAT, which follow the directory
// sectors as the mini stream's own chain of sectors.
func CFB(shift uint, entries []CFBEntry, data map[int][]byte) []byte {
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
		u := utf16.Encode([]rune(e.Name))
		for j, c := range u {
			le.PutUint16(d[2*j:], c)
		}
		le.PutUint16(d[0x40:], uint16(2*len(u)+2))
		d[0x42] = e.Type
		for off, v := range map[int]int{0x44: e.Left, 0x48: e.Right, 0x4C: e.Child} {
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

// HWP builds an HWP 5 document: a compound file whose FileHeader stream (256 bytes, in the
// mini stream) starts with the signature, version 5.0.3.0 and the property bits props (1:
// compressed, 2: password), beside the DocInfo stream and the BodyText storage.
func HWP(props uint32) []byte {
	header := make([]byte, 256)
	copy(header, "HWP Document File")
	binary.LittleEndian.PutUint32(header[32:], 0x05000300)
	binary.LittleEndian.PutUint32(header[36:], props)
	return HWPLike(header)
}

// HWPLike builds a compound file laid out like an HWP document whose FileHeader is header.
func HWPLike(header []byte) []byte {
	entries := []CFBEntry{
		{Name: "Root Entry", Type: 5, Left: -1, Right: -1, Child: 2},
		{Name: "DocInfo", Type: 2, Left: -1, Right: -1, Child: -1},
		{Name: "FileHeader", Type: 2, Left: 1, Right: 3, Child: -1},
		{Name: "BodyText", Type: 1, Left: -1, Right: -1, Child: 4},
		{Name: "Section0", Type: 2, Left: -1, Right: -1, Child: -1},
	}
	return CFB(9, entries, map[int][]byte{1: bytes.Repeat([]byte{0x42}, 100), 2: header, 4: bytes.Repeat([]byte{0x17}, 70)})
}
