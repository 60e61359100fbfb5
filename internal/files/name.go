package files

import (
	"path"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// maxNameBytes bounds a sanitised name: short enough for every file system (255 bytes) and for
// a Content-Disposition header, long enough for real titles in Korean (3 bytes a syllable).
const maxNameBytes = 150

// SanitiseName turns the file name a browser sent into one safe to show and to offer for
// download: only the last path element (browsers on Windows may send C:\Users\...\x.pdf), in
// Unicode NFC (macOS sends decomposed Hangul), without control or invisible formatting
// characters (a right-to-left override can disguise "gpj.exe" as "exe.jpg"), with the characters
// Windows reserves (<>:"/\|?*) replaced by "_", runs of spaces collapsed, no leading or trailing
// dots or spaces, no Windows device name (CON, NUL, COM1...) as its stem, and at most 150 bytes,
// cut in the stem so that the extension stays. Letters of every script are kept. It returns ""
// when nothing usable is left.
func SanitiseName(name string) string {
	name = strings.ToValidUTF8(name, "")
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = norm.NFC.String(name)
	var b strings.Builder
	space := false
	for _, r := range name {
		switch {
		case unicode.IsSpace(r):
			space = true
			continue
		case !unicode.IsPrint(r), r == utf8.RuneError:
			// Controls, formatting (Cf), private-use and unassigned characters.
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		if strings.ContainsRune(`<>:"/\|?*`, r) {
			r = '_'
		}
		b.WriteRune(r)
	}
	name = strings.Trim(b.String(), ". ")
	ext := path.Ext(name)
	stem := strings.TrimRight(strings.TrimSuffix(name, ext), ". ")
	if len(ext) > 16 || strings.ContainsRune(ext, ' ') {
		// Not an extension, just a dot in a long name.
		stem, ext = name, ""
	}
	if reservedDevice(stem) {
		stem = "_" + stem
	}
	if len(stem)+len(ext) > maxNameBytes {
		stem = truncateUTF8(stem, maxNameBytes-len(ext))
		stem = strings.TrimRight(stem, ". ")
	}
	if stem == "" {
		return ""
	}
	return stem + ext
}

// reservedDevice reports whether stem is a Windows device name, which Windows refuses as a file
// name whatever its extension.
func reservedDevice(stem string) bool {
	base, _, _ := strings.Cut(strings.ToUpper(stem), ".")
	switch base {
	case "CON", "PRN", "AUX", "NUL":
		return true
	}
	if len(base) == 4 && (strings.HasPrefix(base, "COM") || strings.HasPrefix(base, "LPT")) && base[3] >= '0' && base[3] <= '9' {
		return true
	}
	return false
}

// truncateUTF8 cuts s to at most n bytes without splitting a character.
func truncateUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// ContentDisposition returns the Content-Disposition value offering name as a download
// (RFC 6266): an ASCII fallback in filename for old clients and the exact UTF-8 name in
// filename* (RFC 5987/8187), so Korean names arrive intact.
func ContentDisposition(name string) string {
	name = SanitiseName(name)
	if name == "" {
		name = "download"
	}
	var ascii strings.Builder
	allASCII := true
	for _, r := range name {
		switch {
		case r < 0x20 || r >= 0x7F || r == '"' || r == '\\' || r == '%':
			// Some clients decode %XX even in filename: the fallback avoids it, filename* has it.
			allASCII = false
			ascii.WriteByte('_')
		default:
			ascii.WriteRune(r)
		}
	}
	v := `attachment; filename="` + ascii.String() + `"`
	if !allASCII {
		v += "; filename*=UTF-8''" + encodeRFC5987(name)
	}
	return v
}

// encodeRFC5987 percent-encodes every byte of s except the attr-chars of RFC 5987.
func encodeRFC5987(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("!#$&+-.^_`|~", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}
