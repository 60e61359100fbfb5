package contextdata_test

import (
	"bytes"
	"errors"
	"mime/multipart"
	"testing"

	"prizeportal/internal/blocks/fault"
	"prizeportal/internal/contextdata"
)

// TestReadUpload: the one CSV file of a form is read with its base name; no file, two files or
// a file that is not text are refused with the message the page shows.
func TestReadUpload(t *testing.T) {
	body := func(files map[string]string) (*bytes.Buffer, string) {
		var b bytes.Buffer
		mw := multipart.NewWriter(&b)
		_ = mw.WriteField("note", "x")
		for name, content := range files {
			fw, _ := mw.CreateFormFile("file", name)
			_, _ = fw.Write([]byte(content))
		}
		_ = mw.Close()
		return &b, mw.FormDataContentType()
	}
	b, ct := body(map[string]string{`C:\data\kr.csv`: "country,indicator\nKR,population\n"})
	up, err := contextdata.ReadUpload(b, ct, "file")
	if err != nil || up.Name != "kr.csv" || len(up.Data) == 0 {
		t.Fatalf("one file: %+v %v", up, err)
	}
	b, ct = body(nil)
	if _, err := contextdata.ReadUpload(b, ct, "file"); !errors.Is(err, contextdata.ErrNoFile) {
		t.Errorf("no file: %v", err)
	}
	if _, err := contextdata.ReadUpload(b, "text/plain", "file"); !errors.Is(err, contextdata.ErrNoFile) {
		t.Errorf("not multipart: %v", err)
	}
	b, ct = body(map[string]string{"a.csv": "a\n", "b.csv": "b\n"})
	if _, err := contextdata.ReadUpload(b, ct, "file"); !errors.Is(err, contextdata.ErrManyFiles) {
		t.Errorf("two files: %v", err)
	}
	b, ct = body(map[string]string{"kr.xlsx": "PK\x03\x04\x00\x00binary"})
	up, err = contextdata.ReadUpload(b, ct, "file")
	if fe, ok := fault.As(err); !ok || fe.Kind != fault.Invalid || up.Name != "kr.xlsx" {
		t.Errorf("not a CSV: %+v %v", up, err)
	}
}
