package server

import (
	"compress/gzip"
	"io"
	"net/http"
	"sync"

	"github.com/go-chi/chi/v5/middleware"
)

// compress gzips the responses that are worth it (HTML, CSS, JS, JSON...) for clients that
// accept it, at level 1 (BestSpeed): pages shrink almost as much as at chi's usual level 5 (the
// sign-in page to 712 bytes instead of 684) for a third of the CPU, whose per-response setup
// dominated small pages under load.
//
// chi pools its gzip writers but takes one when a request starts and keeps it until the request
// ends: each writer holds about a megabyte of compression state, so during the deadline surge,
// when hundreds of requests wait for the database at once, the portal held hundreds of megabytes
// of idle writers (1.6 GB at 1,000 applicants). lazyGzip takes a pooled writer only when the
// response is written, and gives it back at once.
func compress(next http.Handler) http.Handler {
	c := middleware.NewCompressor(gzip.BestSpeed)
	c.SetEncoder("gzip", func(w io.Writer, _ int) io.Writer { return &lazyGzip{dst: w} })
	return c.Handler(next)
}

// gzipWriters are the gzip writers responses borrow while they are written.
var gzipWriters = sync.Pool{New: func() any {
	w, _ := gzip.NewWriterLevel(io.Discard, gzip.BestSpeed)
	return w
}}

// lazyGzip is a gzip stream to dst that borrows a pooled writer on its first write and returns
// it when closed. It has no Reset method, so chi makes one per response (a few bytes) instead of
// pooling it.
type lazyGzip struct {
	dst io.Writer
	zw  *gzip.Writer
}

func (l *lazyGzip) writer() *gzip.Writer {
	if l.zw == nil {
		l.zw = gzipWriters.Get().(*gzip.Writer)
		l.zw.Reset(l.dst)
	}
	return l.zw
}

func (l *lazyGzip) Write(p []byte) (int, error) { return l.writer().Write(p) }

// Flush sends what is buffered (chi calls it when the handler flushes).
func (l *lazyGzip) Flush() error {
	if l.zw == nil {
		return nil
	}
	return l.zw.Flush()
}

// Close ends the stream (an empty one when nothing was written) and returns the writer.
func (l *lazyGzip) Close() error {
	zw := l.writer()
	err := zw.Close()
	zw.Reset(io.Discard) // drop the reference to the response
	gzipWriters.Put(zw)
	l.zw = nil
	return err
}
