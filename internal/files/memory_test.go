package files_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"runtime"
	"runtime/debug"
	"sync"
	"testing"
	"time"

	"prizeportal/internal/files"
	"prizeportal/internal/files/filestest"
)

// filler is an endless stream of PDF-looking filler, served from one fixed block.
type filler struct{}

var fillerBlock = func() []byte {
	b := make([]byte, 64<<10)
	for i := range b {
		b[i] = "0123456789 obj endobj stream\n"[i%29]
	}
	return b
}()

func (filler) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		n += copy(p[n:], fillerBlock)
	}
	return n, nil
}

// TestLargeUploadStreams sends a 200 MB PDF through a real HTTP server whose handler uses the
// Receiver with local storage, and measures the process's memory around it (a 200 MB upload
// does not grow the server's memory by more than 32 MB). The body is generated while it is sent
// and never held in memory. Not parallel: it measures the process.
func TestLargeUploadStreams(t *testing.T) {
	const size = 200 << 20
	const budget = 32 << 20
	st := filestest.NewLocal(t)
	rc := &files.Receiver{Storage: st, Files: map[string]files.Limits{
		"doc": {Accept: []files.Type{files.PDF}, MaxBytes: 256 << 20, MaxFiles: 1},
	}}
	var (
		got       *files.Result
		handleErr error
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, handleErr = rc.Receive(w, r)
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()

	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	sent := sha256.New()
	go func() {
		fw, err := mw.CreateFormFile("doc", "annual report.pdf")
		if err == nil {
			w := io.MultiWriter(fw, sent)
			if _, err = io.WriteString(w, "%PDF-1.7\n"); err == nil {
				_, err = io.CopyN(w, filler{}, size-9)
			}
		}
		if err == nil {
			err = mw.WriteField("title", "Smart city platform")
		}
		if err == nil {
			err = mw.Close()
		}
		pw.CloseWithError(err)
	}()
	req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, srv.URL, pr)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())

	runtime.GC()
	debug.FreeOSMemory()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)

	// Sample the peak while the upload runs: garbage collected afterwards would hide it.
	var (
		peakHeap, peakSys uint64
		wg                sync.WaitGroup
	)
	done := make(chan struct{})
	wg.Go(func() {
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			peakHeap, peakSys = max(peakHeap, m.HeapInuse), max(peakSys, m.Sys)
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	})
	resp, err := http.DefaultClient.Do(req)
	close(done)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	peakHeap, peakSys = max(peakHeap, after.HeapInuse), max(peakSys, after.Sys)

	heapGrowth := int64(peakHeap) - int64(before.HeapInuse)
	sysGrowth := int64(peakSys) - int64(before.Sys)
	t.Logf("200 MB upload: peak heap in use grew by %s, memory obtained from the OS by %s (%d GC cycles)",
		files.FormatSize(max(heapGrowth, 0)), files.FormatSize(max(sysGrowth, 0)), after.NumGC-before.NumGC)
	if heapGrowth > budget || sysGrowth > budget {
		t.Errorf("memory grew by %d bytes (heap) and %d bytes (sys); the limit is %d", heapGrowth, sysGrowth, budget)
	}

	if handleErr != nil {
		t.Fatal(handleErr)
	}
	if len(got.Files) != 1 || len(got.Problems) != 0 || got.Values.Get("title") != "Smart city platform" {
		t.Fatalf("result = %+v", got)
	}
	f := got.Files[0]
	if f.Size != size || f.SHA256 != hex.EncodeToString(sent.Sum(nil)) || f.Type != files.PDF || f.Name != "annual report.pdf" {
		t.Fatalf("stored %+v", f)
	}
	info, err := st.Stat(context.Background(), f.Key)
	if err != nil || info.Size != size {
		t.Fatalf("stat = %+v, %v", info, err)
	}
}
