package files

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"prizeportal/internal/blocks/field"
	"prizeportal/internal/i18n"
)

// Limits are what one file input accepts; they come from the form definition.
type Limits struct {
	// Accept lists the types the input accepts.
	Accept []Type
	// MaxBytes is the largest file accepted, in bytes.
	MaxBytes int64
	// MaxFiles is how many files one request may attach to the input. A caller that keeps files
	// from earlier requests passes what is left (the form's count minus the files already there).
	MaxFiles int
}

// Stored is a file received and stored.
type Stored struct {
	// Field is the name of the file input it came in.
	Field string
	// Key is its random storage key.
	Key string
	// Name is the sanitised file name, to show and to offer for download.
	Name        string
	Size        int64
	Type        Type
	ContentType string
	// SHA256 is the hex digest of the content.
	SHA256 string
}

// Problem is a file that was refused, with the message to show next to its input (carried for
// the reader's language: i18n.English reads it in English).
type Problem struct {
	Field   string
	Name    string
	Message string
}

// Result is what a multipart request carried: the files stored, the files refused and the other
// form values.
type Result struct {
	// Values are the form's non-file fields, as url.Values (decode them like any posted form).
	Values url.Values
	// Files are the stored files, in the order they arrived.
	Files []Stored
	// Problems are the refused files; nothing of them is stored.
	Problems []Problem
	storage  Storage
}

// Field returns the files stored for one input.
func (res *Result) Field(name string) []Stored {
	var out []Stored
	for _, f := range res.Files {
		if f.Field == name {
			out = append(out, f)
		}
	}
	return out
}

// FieldErrors returns the problems as field errors, one entry per input with the messages of
// every refused file of that input.
func (res *Result) FieldErrors() field.Errors {
	var order []string
	msgs := map[string][]string{}
	for _, p := range res.Problems {
		if _, ok := msgs[p.Field]; !ok {
			order = append(order, p.Field)
		}
		msgs[p.Field] = append(msgs[p.Field], p.Message)
	}
	var errs field.Errors
	for _, f := range order {
		msg := msgs[f][0]
		for _, next := range msgs[f][1:] {
			msg = i18n.Msg("{{.Problem}} {{.Next}}", "Problem", msg, "Next", next)
		}
		errs.Add(f, msg)
	}
	return errs
}

// Discard deletes every stored file of the result: for a handler that cannot keep them (its
// transaction failed, the deadline passed). Files already recorded must be deleted with Delete
// instead.
func (res *Result) Discard(ctx context.Context) error {
	var errs []error
	for _, f := range res.Files {
		if err := res.storage.Delete(ctx, f.Key); err != nil {
			errs = append(errs, err)
		}
	}
	res.Files = nil
	return errors.Join(errs...)
}

// RequestError means the request as a whole could not be read: not multipart, malformed, larger
// than the form allows, cut off, or carrying a file the form has no input for. Nothing of it is
// kept. Status is the HTTP status to answer with; Message is safe to show to the user.
type RequestError struct {
	Status  int
	Message string
	Err     error
}

func (e *RequestError) Error() string {
	return fmt.Sprintf("files: receive: %d %s: %v", e.Status, http.StatusText(e.Status), e.Err)
}

func (e *RequestError) Unwrap() error { return e.Err }

// Receiver reads multipart/form-data requests part by part (r.MultipartReader, never
// ParseMultipartForm, which buffers), streaming each file to storage under a random key while
// enforcing its size limit and computing its SHA-256. A file's type is decided by its content,
// and its name's extension must agree: a renamed program or a PNG called .pdf is refused.
type Receiver struct {
	Storage Storage
	// Files gives the limits of each file input, by input name. A file sent under any other name
	// makes the request fail.
	Files map[string]Limits
	// MaxValueBytes bounds the non-file values together; zero means 1 MiB.
	MaxValueBytes int64
	// MaxValues bounds the number of non-file values; zero means 1000.
	MaxValues int
	// IdleTimeout is how long the upload may stall: while data arrives, the connection's read and
	// write deadlines are pushed this far ahead, so a large file on a slow line is not cut off by
	// the server's overall timeouts. Zero means one minute.
	IdleTimeout time.Duration
}

// partOverhead is the allowance per part for its boundary and headers in the request budget.
const partOverhead = 1 << 10

// Receive reads the multipart request r. Refused files are reported in Result.Problems (with
// messages for the user) and the rest of the request is still read; a *RequestError means the
// request could not be read at all, and any other error is a storage failure. On any error,
// files already stored by this call are deleted.
func (rc *Receiver) Receive(w http.ResponseWriter, r *http.Request) (*Result, error) {
	maxValueBytes, maxValues, idle := rc.MaxValueBytes, rc.MaxValues, rc.IdleTimeout
	if maxValueBytes <= 0 {
		maxValueBytes = 1 << 20
	}
	if maxValues <= 0 {
		maxValues = 1000
	}
	if idle <= 0 {
		idle = time.Minute
	}
	// The whole body is bounded by what the form can legitimately carry, so even refused files
	// (which are read through and discarded) cannot make the server read without end.
	budget := maxValueBytes + int64(maxValues+1)*partOverhead
	for _, l := range rc.Files {
		budget += int64(l.MaxFiles) * (l.MaxBytes + 1 + partOverhead)
	}
	body := &progressBody{
		ReadCloser: http.MaxBytesReader(w, r.Body, budget),
		rc:         http.NewResponseController(w),
		idle:       idle,
	}
	body.extend()
	r.Body = body
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, &RequestError{http.StatusUnsupportedMediaType, "The form could not be read. Go back and send it again.", err}
	}

	ctx := r.Context()
	res := &Result{Values: url.Values{}, storage: rc.Storage}
	fail := func(err error) (*Result, error) {
		_ = res.Discard(context.WithoutCancel(ctx))
		return nil, err
	}
	counts := map[string]int{}
	valueBytes := int64(0)
	nValues := 0
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			// The reader also ends at the end of the body when the closing boundary never came
			// (a body cut off, or without any boundary): that is not a complete form, and
			// saving what arrived could blank the answers that did not.
			if !body.closed(r.Header.Get("Content-Type")) {
				return fail(&RequestError{http.StatusBadRequest, i18n.M("The upload was interrupted or could not be read. Check your connection and send the form again."), errors.New("no closing boundary")})
			}
			break
		}
		if err != nil {
			return fail(bodyError(&bodyErr{err}, budget))
		}
		name := part.FormName()
		_, params, _ := mime.ParseMediaType(part.Header.Get("Content-Disposition"))
		fileName, isFile := params["filename"]
		switch {
		case name == "":
			// Not a form field: skipped (and read through by NextPart).
			continue
		case !isFile:
			if nValues++; nValues > maxValues {
				return fail(&RequestError{http.StatusRequestEntityTooLarge, "The form has more fields than it can accept.", errors.New("too many values")})
			}
			v, err := io.ReadAll(io.LimitReader(part, maxValueBytes-valueBytes+1))
			if err != nil {
				return fail(bodyError(&bodyErr{err}, budget))
			}
			if valueBytes += int64(len(v)); valueBytes > maxValueBytes {
				return fail(&RequestError{http.StatusRequestEntityTooLarge, "The text of the form is longer than it can accept.", errors.New("values too large")})
			}
			res.Values.Add(safeText(name), safeText(string(v)))
			continue
		}
		lim, ok := rc.Files[name]
		if !ok {
			return fail(&RequestError{http.StatusBadRequest, "The form could not be read. Go back and send it again.", fmt.Errorf("file sent for unknown input %q", name)})
		}
		f, problem, err := rc.receiveFile(ctx, part, name, fileName, lim, counts[name])
		switch {
		case err != nil:
			return fail(bodyError(err, budget))
		case problem != "":
			res.Problems = append(res.Problems, Problem{Field: name, Name: SanitiseName(fileName), Message: problem})
		case f.Key != "":
			counts[name]++
			res.Files = append(res.Files, f)
		}
	}
	return res, nil
}

// safeText makes a value safe to store: invalid UTF-8 becomes U+FFFD and NUL characters are
// dropped (Postgres text and JSONB refuse both).
func safeText(s string) string {
	if utf8.ValidString(s) && !strings.ContainsRune(s, 0) {
		return s
	}
	return strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "")
}

// receiveFile stores one file part, or says why it is refused. An empty file input (nothing
// chosen) gives neither a file nor a problem.
func (rc *Receiver) receiveFile(ctx context.Context, part io.Reader, fieldName, rawName string, lim Limits, have int) (Stored, string, error) {
	name := SanitiseName(rawName)
	head := make([]byte, sniffLen)
	n, err := io.ReadFull(part, head)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
		return Stored{}, "", &bodyErr{err}
	}
	head = head[:n]
	switch {
	case n == 0 && rawName == "":
		return Stored{}, "", nil
	case name == "":
		return Stored{}, i18n.M("A file without a usable name was not uploaded. Give it a name such as report.pdf and upload it again."), nil
	case n == 0:
		return Stored{}, i18n.Msg("“{{.Name}}” is empty. Check the file and upload it again.", "Name", name), nil
	case lim.MaxFiles <= 0:
		return Stored{}, i18n.Msg("“{{.Name}}” was not uploaded: this question already has all the files it accepts. Remove one to add another.", "Name", name), nil
	case have >= lim.MaxFiles:
		return Stored{}, atMost(name, lim.MaxFiles), nil
	}
	declared, ok := typeByExt(extOf(name))
	if !ok || !slices.Contains(lim.Accept, declared) {
		if sniff(head) == programContent {
			return Stored{}, i18n.Msg("“{{.Name}}” is a program, not a document. Programs cannot be uploaded; upload {{.Types}}.", "Name", name, "Types", Describe(lim.Accept)), nil
		}
		return Stored{}, i18n.Msg("“{{.Name}}” is not a type of file this question accepts. Upload {{.Types}}.", "Name", name, "Types", Describe(lim.Accept)), nil
	}
	c := sniff(head)
	// A password-protected DOCX or XLSX is an OLE2 file: stored and checked like a DOC, so the
	// message can say what is wrong.
	if c != declared.container() && (c != ole2Content || declared.container() != zipContent) {
		return Stored{}, mismatch(name, declared, c), nil
	}

	key := NewKey()
	lr := &limitReader{r: io.MultiReader(bytes.NewReader(head), part), max: lim.MaxBytes}
	h := sha256.New()
	if err := rc.Storage.Put(ctx, key, io.TeeReader(lr, h), -1); err != nil {
		// Put leaves nothing behind on failure; deleting again costs little and covers a storage
		// that failed after all.
		_ = rc.Storage.Delete(context.WithoutCancel(ctx), key)
		switch {
		case lr.tooBig:
			return Stored{}, i18n.Msg("“{{.Name}}” is larger than the {{.Size}} this question accepts. Make it smaller (for example by saving a PDF with compressed images) and upload it again.", "Name", name, "Size", FormatSize(lim.MaxBytes)), nil
		case lr.err != nil:
			return Stored{}, "", &bodyErr{lr.err}
		case ctx.Err() != nil:
			// The client went away (or the server is stopping): not a storage failure.
			return Stored{}, "", &bodyErr{ctx.Err()}
		}
		return Stored{}, "", fmt.Errorf("files: store %q: %w", name, err)
	}
	if c == zipContent || c == ole2Content {
		problem, err := rc.checkOffice(ctx, key, name, declared, c)
		if err != nil || problem != "" {
			_ = rc.Storage.Delete(context.WithoutCancel(ctx), key)
			return Stored{}, problem, err
		}
	}
	return Stored{
		Field:       fieldName,
		Key:         key,
		Name:        name,
		Size:        lr.n,
		Type:        declared,
		ContentType: declared.ContentType(),
		SHA256:      hex.EncodeToString(h.Sum(nil)),
	}, "", nil
}

// checkOffice reads the structure of a stored file declared as an office document, whose
// first bytes showed the container c (ZIP or OLE2), and says what is wrong with it, if anything.
// It reads the ZIP's central directory or the OLE2 directory from storage at their offsets, so it
// needs no copy of the file in memory.
func (rc *Receiver) checkOffice(ctx context.Context, key, name string, declared Type, c content) (string, error) {
	obj, info, err := rc.Storage.Open(ctx, key)
	if err != nil {
		return "", fmt.Errorf("files: check %q: %w", name, err)
	}
	defer obj.Close()
	zipped := c == zipContent
	var kind officeKind
	if zipped {
		kind, err = zipKind(obj, info.Size)
	} else {
		kind, err = ole2Kind(obj, info.Size)
	}
	if err != nil && !errors.Is(err, errMalformed) {
		return "", fmt.Errorf("files: check %q: %w", name, err)
	}
	var actual Type
	switch kind {
	case macroFile:
		return i18n.Msg("“{{.Name}}” contains macros, which cannot be uploaded. Save it as a document without macros and upload it again.", "Name", name), nil
	case lockedFile:
		return i18n.Msg("“{{.Name}}” is protected with a password. Remove the password, save it and upload it again.", "Name", name), nil
	case notOffice:
	default:
		if zipped {
			actual = officeTypes[kind][0]
		} else {
			actual = officeTypes[kind][1]
		}
	}
	switch {
	case actual == declared:
		return "", nil
	case actual != "":
		return i18n.Msg("“{{.Name}}” is named like {{.Declared}} but is really {{.Actual}}. Give it the right name and upload it again.", "Name", name, "Declared", types[declared].what, "Actual", types[actual].what), nil
	}
	if !zipped && declared.container() == zipContent {
		return mismatch(name, declared, ole2Content), nil
	}
	return mismatch(name, declared, unknownContent), nil
}

// limitReader passes on at most max bytes and fails with errTooLarge at the next one; it counts
// the bytes and remembers the error of the request body, if any.
type limitReader struct {
	r      io.Reader
	max, n int64
	tooBig bool
	err    error
}

var errTooLarge = errors.New("files: file exceeds its size limit")

func (l *limitReader) Read(p []byte) (int, error) {
	if l.tooBig {
		return 0, errTooLarge
	}
	if left := l.max - l.n + 1; int64(len(p)) > left {
		p = p[:left]
	}
	k, err := l.r.Read(p)
	if l.n+int64(k) > l.max {
		l.tooBig = true
		k = int(l.max - l.n)
		l.n = l.max
		return k, errTooLarge
	}
	l.n += int64(k)
	if err != nil && !errors.Is(err, io.EOF) {
		l.err = err
	}
	return k, err
}

// bodyErr marks an error of reading the request body, as opposed to one of storage.
type bodyErr struct{ err error }

func (b *bodyErr) Error() string { return b.err.Error() }
func (b *bodyErr) Unwrap() error { return b.err }

// bodyError turns an error met while reading the request body into a *RequestError; other
// errors (storage failures) pass through.
func bodyError(err error, budget int64) error {
	var be *bodyErr
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		return &RequestError{http.StatusRequestEntityTooLarge, i18n.Msg("The upload is larger than this form accepts ({{.Size}} in all). Upload fewer or smaller files.", "Size", FormatSize(budget)), err}
	case errors.As(err, &be):
		return &RequestError{http.StatusBadRequest, i18n.M("The upload was interrupted or could not be read. Check your connection and send the form again."), err}
	}
	return err
}

// progressBody pushes the connection's deadlines ahead while the request body arrives, and
// keeps the last bytes read (closed looks for the closing boundary there).
type progressBody struct {
	io.ReadCloser
	rc   *http.ResponseController
	idle time.Duration
	last time.Time
	tail []byte
}

// tailLen is how much of the end of the body progressBody keeps: the closing boundary (at most
// 70 characters by RFC 2046, and the reader's buffer holds it) and a short epilogue.
const tailLen = 512

func (p *progressBody) Read(b []byte) (int, error) {
	n, err := p.ReadCloser.Read(b)
	if n > 0 {
		p.tail = append(p.tail, b[:n]...)
		if len(p.tail) > 2*tailLen {
			p.tail = append(p.tail[:0], p.tail[len(p.tail)-tailLen:]...)
		}
	}
	if n > 0 && time.Since(p.last) >= time.Second {
		p.extend()
	}
	return n, err
}

// closed reports whether the body read so far holds the closing boundary of the multipart
// content type ct ("--boundary--").
func (p *progressBody) closed(ct string) bool {
	_, params, err := mime.ParseMediaType(ct)
	if err != nil || params["boundary"] == "" {
		return false
	}
	return bytes.Contains(p.tail, []byte("--"+params["boundary"]+"--"))
}

// extend moves the deadlines; a ResponseWriter without deadlines (a test recorder) is fine.
func (p *progressBody) extend() {
	p.last = time.Now()
	_ = p.rc.SetReadDeadline(p.last.Add(p.idle))
	_ = p.rc.SetWriteDeadline(p.last.Add(p.idle))
}

// FormatSize writes a size for people: "800 bytes", "64 KB", "10 MB", "1.5 GB" (binary
// multiples, as file managers show them).
func FormatSize(n int64) string {
	units := []string{"bytes", "KB", "MB", "GB", "TB"}
	v, u := float64(n), 0
	for v >= 1024 && u < len(units)-1 {
		v /= 1024
		u++
	}
	if u == 0 {
		return strconv.FormatInt(n, 10) + " bytes"
	}
	s := strconv.FormatFloat(v, 'f', 1, 64)
	s = strings.TrimSuffix(s, ".0")
	return s + " " + units[u]
}

// atMost is the message for a file beyond a question's limit of files.
func atMost(name string, limit int) string {
	if limit == 1 {
		return i18n.Msg("“{{.Name}}” was not uploaded: this question accepts at most 1 file.", "Name", name)
	}
	return i18n.Msg("“{{.Name}}” was not uploaded: this question accepts at most {{.Count}} files.", "Name", name, "Count", limit)
}
