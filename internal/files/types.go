package files

import (
	"bytes"
	"path"
	"slices"
	"strings"

	"prizeportal/internal/i18n"
)

// Type is a kind of document the portal accepts, recognised by its content.
type Type string

// The accepted types (DOMAIN.md "The project application": pdf, doc, docx, xls,
// xlsx, jpg and other images), with the documents Korean bodies write: Hangul Word Processor
// (HWP, HWPX) and PowerPoint (PPT, PPTX).
const (
	PDF  Type = "pdf"
	DOC  Type = "doc"
	DOCX Type = "docx"
	HWP  Type = "hwp"
	HWPX Type = "hwpx"
	XLS  Type = "xls"
	XLSX Type = "xlsx"
	PPT  Type = "ppt"
	PPTX Type = "pptx"
	JPEG Type = "jpg"
	PNG  Type = "png"
	GIF  Type = "gif"
	WEBP Type = "webp"
)

// AllTypes lists every type, in the order messages name them.
var AllTypes = []Type{PDF, DOC, DOCX, HWP, HWPX, XLS, XLSX, PPT, PPTX, JPEG, PNG, GIF, WEBP}

type typeInfo struct {
	exts        []string // lower case, with the dot; the first is the canonical one
	contentType string
	// what names the type in messages about a file's content ("a PDF document"), a catalog key.
	what string
}

var types = map[Type]typeInfo{
	PDF:  {[]string{".pdf"}, "application/pdf", i18n.M("a PDF document")},
	DOC:  {[]string{".doc"}, "application/msword", i18n.M("a Word 97-2003 document (.doc)")},
	DOCX: {[]string{".docx"}, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", i18n.M("a Word document (.docx)")},
	HWP:  {[]string{".hwp"}, "application/x-hwp", i18n.M("a Hangul (HWP) document")},
	HWPX: {[]string{".hwpx"}, "application/hwp+zip", i18n.M("a Hangul (HWPX) document")},
	XLS:  {[]string{".xls"}, "application/vnd.ms-excel", i18n.M("an Excel 97-2003 workbook (.xls)")},
	XLSX: {[]string{".xlsx"}, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", i18n.M("an Excel workbook (.xlsx)")},
	PPT:  {[]string{".ppt"}, "application/vnd.ms-powerpoint", i18n.M("a PowerPoint 97-2003 presentation (.ppt)")},
	PPTX: {[]string{".pptx"}, "application/vnd.openxmlformats-officedocument.presentationml.presentation", i18n.M("a PowerPoint presentation (.pptx)")},
	JPEG: {[]string{".jpg", ".jpeg"}, "image/jpeg", i18n.M("a JPEG image")},
	PNG:  {[]string{".png"}, "image/png", i18n.M("a PNG image")},
	GIF:  {[]string{".gif"}, "image/gif", i18n.M("a GIF image")},
	WEBP: {[]string{".webp"}, "image/webp", i18n.M("a WebP image")},
}

// ParseType returns the type named by s ("pdf", "docx", "jpg" or "jpeg", with or without a
// leading dot, any case), as form definitions write them.
func ParseType(s string) (Type, bool) {
	s = strings.ToLower(strings.TrimPrefix(strings.TrimSpace(s), "."))
	if s == "" {
		return "", false
	}
	return typeByExt("." + s)
}

// typeByExt returns the type whose extension (lower case, with the dot) is ext.
func typeByExt(ext string) (Type, bool) {
	for t, info := range types {
		if slices.Contains(info.exts, ext) {
			return t, true
		}
	}
	return "", false
}

// Valid reports whether t is one of the accepted types.
func (t Type) Valid() bool { _, ok := types[t]; return ok }

// ContentType is the media type a file of type t is served with.
func (t Type) ContentType() string { return types[t].contentType }

// Ext is the canonical file extension of t, with its dot.
func (t Type) Ext() string {
	if info, ok := types[t]; ok {
		return info.exts[0]
	}
	return ""
}

// Label is the short name of t in lists such as "PDF, DOCX or PNG".
func (t Type) Label() string { return strings.ToUpper(string(t)) }

// Describe lists types for people: "PDF", "PDF or DOCX", "PDF, DOCX or PNG", carried for the
// reader's language (i18n.Msg).
func Describe(ts []Type) string {
	labels := make([]string, 0, len(ts))
	for _, t := range sortTypes(ts) {
		labels = append(labels, t.Label())
	}
	if len(labels) < 2 {
		return strings.Join(labels, "")
	}
	return i18n.Msg("{{.List}} or {{.Last}}", "List", strings.Join(labels[:len(labels)-1], ", "), "Last", labels[len(labels)-1])
}

// AcceptAttr is the value of an <input type="file"> accept attribute for ts: extensions and
// media types, so the browser's file picker offers the right files (the server checks anyway).
func AcceptAttr(ts []Type) string {
	var parts []string
	for _, t := range sortTypes(ts) {
		parts = append(parts, types[t].exts...)
		parts = append(parts, t.ContentType())
	}
	return strings.Join(parts, ",")
}

// sortTypes returns the valid types of ts, without repeats, in the order of AllTypes.
func sortTypes(ts []Type) []Type {
	var out []Type
	for _, t := range AllTypes {
		if slices.Contains(ts, t) {
			out = append(out, t)
		}
	}
	return out
}

// sniffLen is how many leading bytes sniff looks at (a WebP file says so in its 12th).
const sniffLen = 12

// content is what the first bytes of a file say it is.
type content int

const (
	unknownContent content = iota
	pdfContent
	pngContent
	jpegContent
	gifContent
	webpContent
	zipContent     // a ZIP archive: DOCX, XLSX, PPTX, HWPX, or anything else zipped
	ole2Content    // an OLE2 compound file: DOC, XLS, PPT, HWP, or another legacy Office file
	programContent // a Windows (MZ) or Linux/Unix (ELF) program
)

var (
	magicPDF  = []byte("%PDF-")
	magicPNG  = []byte("\x89PNG\r\n\x1a\n")
	magicJPEG = []byte{0xFF, 0xD8, 0xFF}
	magicGIF7 = []byte("GIF87a")
	magicGIF9 = []byte("GIF89a")
	magicRIFF = []byte("RIFF") // then the size, then the form type
	magicWEBP = []byte("WEBP")
	magicZIP  = []byte("PK\x03\x04")
	magicOLE2 = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
	magicMZ   = []byte("MZ")
	magicELF  = []byte("\x7fELF")
)

// sniff classifies a file by its first bytes.
func sniff(head []byte) content {
	switch {
	case bytes.HasPrefix(head, magicPDF):
		return pdfContent
	case bytes.HasPrefix(head, magicPNG):
		return pngContent
	case bytes.HasPrefix(head, magicJPEG):
		return jpegContent
	case bytes.HasPrefix(head, magicGIF7), bytes.HasPrefix(head, magicGIF9):
		return gifContent
	case len(head) >= 12 && bytes.HasPrefix(head, magicRIFF) && bytes.Equal(head[8:12], magicWEBP):
		return webpContent
	case bytes.HasPrefix(head, magicZIP):
		return zipContent
	case bytes.HasPrefix(head, magicOLE2):
		return ole2Content
	case bytes.HasPrefix(head, magicMZ), bytes.HasPrefix(head, magicELF):
		return programContent
	}
	return unknownContent
}

// container is the content a type's files start with.
func (t Type) container() content {
	switch t {
	case PDF:
		return pdfContent
	case PNG:
		return pngContent
	case JPEG:
		return jpegContent
	case GIF:
		return gifContent
	case WEBP:
		return webpContent
	case DOCX, XLSX, PPTX, HWPX:
		return zipContent
	case DOC, XLS, PPT, HWP:
		return ole2Content
	}
	return unknownContent
}

// describeContent names what a file really is, for a message saying it is not what its name
// says.
func describeContent(c content) string {
	switch c {
	case pdfContent:
		return types[PDF].what
	case pngContent:
		return types[PNG].what
	case jpegContent:
		return types[JPEG].what
	case gifContent:
		return types[GIF].what
	case webpContent:
		return types[WEBP].what
	case zipContent:
		return i18n.M("a ZIP archive")
	case ole2Content:
		return i18n.M("a legacy Office file")
	}
	return ""
}

// extOf returns the lower-case extension of a file name, with its dot.
func extOf(name string) string { return strings.ToLower(path.Ext(name)) }

// mismatch is the user-facing message for a file whose content is not the type its name says.
func mismatch(name string, declared Type, c content) string {
	if c == programContent {
		return i18n.Msg("“{{.Name}}” is a program, not a document. Programs cannot be uploaded; upload {{.Types}}.", "Name", name, "Types", types[declared].what)
	}
	if what := describeContent(c); what != "" {
		return i18n.Msg("“{{.Name}}” is named like {{.Declared}} but is really {{.Actual}}. Save it in the right format (or give it the right name) and upload it again.", "Name", name, "Declared", types[declared].what, "Actual", what)
	}
	return i18n.Msg("“{{.Name}}” is named like {{.Declared}} but its content is not. Open it on your computer to check it, save it again as {{.Declared}} and upload it again.", "Name", name, "Declared", types[declared].what)
}
