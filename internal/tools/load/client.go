package load

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Stats are the latency histogram of a set of requests and their failures by kind. Safe for
// concurrent use; a worker that has its own never waits on the (uncontended) lock.
type Stats struct {
	mu      sync.Mutex
	latency Histogram
	errors  map[string]uint64
}

// NewStats returns empty stats.
func NewStats() *Stats { return &Stats{errors: map[string]uint64{}} }

// Record adds a request that took d; failKind, when not empty, counts it as a failure of that kind.
func (s *Stats) Record(d time.Duration, failKind string) {
	s.mu.Lock()
	s.latency.Record(d)
	if failKind != "" {
		s.errors[failKind]++
	}
	s.mu.Unlock()
}

// Fail counts a failure of kind that is not a request (a check that failed).
func (s *Stats) Fail(kind string) {
	s.mu.Lock()
	s.errors[kind]++
	s.mu.Unlock()
}

// Merge adds o into s.
func (s *Stats) Merge(o *Stats) {
	o.mu.Lock()
	defer o.mu.Unlock()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.latency.Merge(&o.latency)
	for k, v := range o.errors {
		s.errors[k] += v
	}
}

// Latency returns a copy of the histogram.
func (s *Stats) Latency() *Histogram {
	s.mu.Lock()
	defer s.mu.Unlock()
	h := s.latency
	return &h
}

// Errors returns a copy of the failures by kind.
func (s *Stats) Errors() map[string]uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]uint64, len(s.errors))
	for k, v := range s.errors {
		out[k] = v
	}
	return out
}

// ErrorCount is the number of failures.
func (s *Stats) ErrorCount() uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	var n uint64
	for _, v := range s.errors {
		n += v
	}
	return n
}

// NewTransport returns the connection pool the virtual users share, as users behind one proxy
// would: keep-alive connections, up to conns of them kept idle.
func NewTransport(conns int) *http.Transport {
	return &http.Transport{
		Proxy:               nil,
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        conns,
		MaxIdleConnsPerHost: conns,
		IdleConnTimeout:     90 * time.Second,
		// The generator asks for gzip itself (see User.do) and inflates only the pages it reads.
		DisableCompression: true,
	}
}

// User is one virtual user: its own cookie jar (its own session), a shared transport.
type User struct {
	base   string // the portal's URL without a trailing slash
	client *http.Client
	Stats  *Stats
	// Timeout bounds each request.
	Timeout time.Duration
}

// NewUser returns a user of the portal at base with an empty cookie jar, recording into stats.
// Redirects are not followed: a POST answered 303 is one request, as the targets count it.
func NewUser(base *url.URL, tr http.RoundTripper, stats *Stats) *User {
	jar, _ := cookiejar.New(nil)
	return &User{base: strings.TrimSuffix(base.String(), "/"), Stats: stats, Timeout: 30 * time.Second, client: &http.Client{
		Transport:     tr,
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// Response is what a request returned.
type Response struct {
	Status   int
	Location string
	Body     []byte // inflated; nil unless the caller asked for it
}

// Get requests path and expects status want; read returns the body too.
func (u *User) Get(ctx context.Context, path string, want int, read bool) (Response, error) {
	return u.do(ctx, http.MethodGet, path, "", nil, nil, want, read)
}

// PostForm posts urlencoded values to path and expects status want.
func (u *User) PostForm(ctx context.Context, path string, v url.Values, want int, read bool) (Response, error) {
	return u.do(ctx, http.MethodPost, path, "application/x-www-form-urlencoded", []byte(v.Encode()), nil, want, read)
}

// Post posts body of contentType to path with extra headers and expects status want.
func (u *User) Post(ctx context.Context, path, contentType string, body []byte, header http.Header, want int, read bool) (Response, error) {
	return u.do(ctx, http.MethodPost, path, contentType, body, header, want, read)
}

// StatusError is an answer with another status than the one expected.
type StatusError struct {
	Method, Path string
	Got, Want    int
	Snippet      string
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("%s %s: status %d, want %d: %s", e.Method, e.Path, e.Got, e.Want, e.Snippet)
}

func (u *User) do(ctx context.Context, method, path, contentType string, body []byte, header http.Header, want int, read bool) (Response, error) {
	ctx, cancel := context.WithTimeout(ctx, u.Timeout)
	defer cancel()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, u.base+path, rd)
	if err != nil {
		return Response{}, err
	}
	for k, v := range header {
		req.Header[k] = v
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	req.Header.Set("Accept-Encoding", "gzip")
	start := time.Now()
	resp, err := u.client.Do(req)
	if err != nil {
		u.Stats.Record(time.Since(start), errorKind(err))
		return Response{}, fmt.Errorf("%s %s: %w", method, path, err)
	}
	var raw []byte
	if read || resp.StatusCode != want {
		raw, err = io.ReadAll(resp.Body)
	} else {
		_, err = io.Copy(io.Discard, resp.Body)
	}
	resp.Body.Close()
	elapsed := time.Since(start)
	if err != nil {
		u.Stats.Record(elapsed, errorKind(err))
		return Response{}, fmt.Errorf("%s %s: read: %w", method, path, err)
	}
	out := Response{Status: resp.StatusCode, Location: resp.Header.Get("Location")}
	if raw != nil && resp.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(bytes.NewReader(raw))
		if err == nil {
			raw, err = io.ReadAll(zr)
		}
		if err != nil {
			u.Stats.Record(elapsed, "bad gzip body")
			return out, fmt.Errorf("%s %s: gzip: %w", method, path, err)
		}
	}
	out.Body = raw
	if resp.StatusCode != want {
		u.Stats.Record(elapsed, fmt.Sprintf("HTTP %d (want %d)", resp.StatusCode, want))
		return out, &StatusError{Method: method, Path: path, Got: resp.StatusCode, Want: want, Snippet: snippet(raw)}
	}
	u.Stats.Record(elapsed, "")
	return out, nil
}

// errorKind names a transport failure for the report.
func errorKind(err error) string {
	var ne net.Error
	switch {
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return "timeout"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused"
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "connection reset"
	case errors.Is(err, os.ErrDeadlineExceeded):
		return "timeout"
	case errors.Is(err, context.Canceled):
		return "cancelled"
	}
	return "transport error"
}

var tagPattern = regexp.MustCompile(`(?s)<[^>]*>`)

// snippet is the start of a page's text, for error messages.
func snippet(b []byte) string {
	s := strings.Join(strings.Fields(tagPattern.ReplaceAllString(string(b), " ")), " ")
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}

var versionPattern = regexp.MustCompile(`name="version" value="(\d+)"`)

// pageVersion reads the version a page's form carries (the optimistic lock of drafts and sheets).
func pageVersion(body []byte) (string, error) {
	m := versionPattern.FindSubmatch(body)
	if m == nil {
		return "", fmt.Errorf("no version field on the page: %s", snippet(body))
	}
	return string(m[1]), nil
}

// SignIn signs u in with login and password (POST /signin, 303 with the session cookie).
func (u *User) SignIn(ctx context.Context, login, password string) error {
	_, err := u.PostForm(ctx, "/signin", url.Values{"login": {login}, "password": {password}}, http.StatusSeeOther, false)
	return err
}
