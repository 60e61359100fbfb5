package contextdata

import (
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"path"
	"strconv"
	"strings"

	"prizeportal/internal/blocks/fault"
)

// BodyLimit bounds an upload request: the file and the multipart framing, with room for a file
// somewhat over MaxBytes to be read through and refused with a clear message.
const BodyLimit = 2*MaxBytes + 64<<10

// The problems of an upload as a whole (the file's own problems are Problems, from Parse).
var (
	ErrNoFile     = fault.New(fault.Invalid, "Choose a CSV file to upload.")
	ErrUnreadable = fault.New(fault.Invalid, "The upload could not be read. Choose the file and upload it again.")
	ErrManyFiles  = fault.New(fault.Invalid, "Upload one file at a time.")
)

// Upload is the CSV file of an import as uploaded.
type Upload struct {
	// Name is the file's base name as the browser sent it.
	Name string
	// Data is its content, at most MaxBytes+1 bytes (Parse reports a larger file).
	Data []byte
}

// ReadUpload reads the one CSV file of a multipart/form-data body of type contentType, sent as
// the form field named fieldName (DOMAIN.md "Round 1": the secretariat imports a CSV of public
// indicators). The upload is refused, as a *fault.Error of kind Invalid, when it carries no
// file, more than one, cannot be read, or is not UTF-8 text named .csv or .txt; the name is
// returned with the refusal when known.
func ReadUpload(body io.Reader, contentType, fieldName string) (Upload, error) {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil || mt != "multipart/form-data" || params["boundary"] == "" {
		return Upload{}, ErrNoFile
	}
	mr := multipart.NewReader(body, params["boundary"])
	var up Upload
	found := false
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return Upload{Name: up.Name}, ErrUnreadable
		}
		if part.FormName() != fieldName || part.FileName() == "" {
			part.Close()
			continue
		}
		if found {
			return Upload{Name: up.Name}, ErrManyFiles
		}
		found = true
		up.Name = path.Base(strings.ReplaceAll(part.FileName(), `\`, "/"))
		if up.Data, err = io.ReadAll(io.LimitReader(part, MaxBytes+1)); err != nil {
			return Upload{Name: up.Name}, ErrUnreadable
		}
		if int64(len(up.Data)) > MaxBytes {
			return up, nil // too large: Parse says so
		}
	}
	if !found {
		return Upload{}, ErrNoFile
	}
	ext := strings.ToLower(path.Ext(up.Name))
	if http.DetectContentType(up.Data) != "text/plain; charset=utf-8" || (ext != ".csv" && ext != ".txt") {
		return Upload{Name: up.Name}, fault.New(fault.Invalid, "The file "+strconv.Quote(up.Name)+
			" is not a CSV file. Save the spreadsheet as CSV UTF-8 (comma-separated, .csv) and upload that.")
	}
	return up, nil
}
