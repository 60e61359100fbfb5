package files_test

import (
	"context"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"prizeportal/internal/files"
	"prizeportal/internal/files/filestest"
)

// pipeListener hands the server the far ends of in-memory connections the client dials.
type pipeListener struct {
	conns  chan net.Conn
	closed chan struct{}
	once   sync.Once
}

func (l *pipeListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.closed:
		return nil, net.ErrClosed
	}
}

func (l *pipeListener) Close() error   { l.once.Do(func() { close(l.closed) }); return nil }
func (l *pipeListener) Addr() net.Addr { return &net.TCPAddr{} }

func (l *pipeListener) dial(context.Context, string, string) (net.Conn, error) {
	client, server := net.Pipe()
	l.conns <- server
	return client, nil
}

// slowPDF is a PDF that arrives 4 KB per (fake) second.
type slowPDF struct{ left int }

func (s *slowPDF) Read(p []byte) (int, error) {
	if s.left <= 0 {
		return 0, io.EOF
	}
	time.Sleep(time.Second)
	n := min(len(p), 4<<10, s.left)
	for i := range n {
		p[i] = 'x'
	}
	if s.left == 60<<10 {
		copy(p, "%PDF-")
	}
	s.left -= n
	return n, nil
}

// upload sends a slow 60 KB PDF (15 seconds of fake time) to a server whose ReadTimeout and
// WriteTimeout are 10 seconds, and returns the response status.
func upload(handler func(w http.ResponseWriter, r *http.Request)) (int, error) {
	l := &pipeListener{conns: make(chan net.Conn), closed: make(chan struct{})}
	srv := &http.Server{Handler: http.HandlerFunc(handler), ReadTimeout: 10 * time.Second, WriteTimeout: 10 * time.Second}
	go srv.Serve(l)
	defer srv.Close()

	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	written := make(chan struct{})
	// Whatever happens to the request, the body's writer ends before the bubble does.
	defer func() {
		pr.Close()
		<-written
	}()
	go func() {
		defer close(written)
		fw, err := mw.CreateFormFile("doc", "slow.pdf")
		if err == nil {
			_, err = io.Copy(fw, &slowPDF{left: 60 << 10})
		}
		if err == nil {
			err = mw.Close()
		}
		pw.CloseWithError(err)
	}()
	req, _ := http.NewRequest(http.MethodPost, "http://portal.test/upload", pr)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	client := &http.Client{Transport: &http.Transport{DialContext: l.dial}}
	defer client.CloseIdleConnections()
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}

// TestSlowUploadOutlastsServerTimeouts shows that the Receiver keeps a slow but steady upload
// alive past the server's overall read and write timeouts, which cut off a plain handler.
// The clock is synctest's fake one: nothing here waits for real.
func TestSlowUploadOutlastsServerTimeouts(t *testing.T) {
	t.Parallel()
	st := filestest.NewLocal(t)
	synctest.Test(t, func(t *testing.T) {
		// A plain handler reading the body is cut off by ReadTimeout.
		status, err := upload(func(w http.ResponseWriter, r *http.Request) {
			if _, err := io.Copy(io.Discard, r.Body); err != nil {
				w.WriteHeader(http.StatusRequestTimeout)
				return
			}
			w.WriteHeader(http.StatusNoContent)
		})
		if err == nil && status == http.StatusNoContent {
			t.Fatal("the control upload was not cut off: the test proves nothing")
		}

		var res *files.Result
		var recvErr error
		rc := &files.Receiver{Storage: st, IdleTimeout: 5 * time.Second, Files: map[string]files.Limits{
			"doc": {Accept: []files.Type{files.PDF}, MaxBytes: 1 << 20, MaxFiles: 1},
		}}
		status, err = upload(func(w http.ResponseWriter, r *http.Request) {
			res, recvErr = rc.Receive(w, r)
			w.WriteHeader(http.StatusNoContent)
		})
		if err != nil || status != http.StatusNoContent || recvErr != nil {
			t.Fatalf("status %d, err %v, receive err %v", status, err, recvErr)
		}
		if len(res.Files) != 1 || res.Files[0].Size != 60<<10 {
			t.Fatalf("result %+v", res)
		}
	})
}
