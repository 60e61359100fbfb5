package load

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"strconv"
	"sync"
	"time"
)

// Memory is the server process's memory over a scenario, read from /proc/<pid>/status.
type Memory struct {
	// PeakRSS is the largest resident set size sampled during the scenario (VmRSS).
	PeakRSS uint64
	// HWM is the process's resident high-water mark since it started (VmHWM) at the end.
	HWM uint64
	// GoHeap is unused unless the server exposes Go runtime statistics (it does not publish
	// them: the portal has no public metrics endpoint).
	GoHeap uint64
}

func (m Memory) String() string {
	s := "server memory: peak RSS " + fmtMB(m.PeakRSS) + ", high-water mark since start " + fmtMB(m.HWM)
	if m.GoHeap > 0 {
		s += ", Go heap " + fmtMB(m.GoHeap)
	}
	return s
}

// procStatus reads VmRSS and VmHWM (bytes) of pid.
func procStatus(pid int) (rss, hwm uint64, err error) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0, 0, err
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		line := sc.Bytes()
		var dst *uint64
		switch {
		case bytes.HasPrefix(line, []byte("VmRSS:")):
			dst = &rss
		case bytes.HasPrefix(line, []byte("VmHWM:")):
			dst = &hwm
		default:
			continue
		}
		f := bytes.Fields(line)
		if len(f) < 2 {
			continue
		}
		kb, err := strconv.ParseUint(string(f[1]), 10, 64)
		if err != nil {
			return 0, 0, fmt.Errorf("load: /proc/%d/status: %q: %w", pid, line, err)
		}
		*dst = kb << 10
	}
	return rss, hwm, nil
}

// Sampler follows the resident memory of a process while a scenario runs.
type Sampler struct {
	pid  int
	stop chan struct{}
	done chan struct{}
	mu   sync.Mutex
	peak uint64
}

// StartSampler samples pid's VmRSS every interval until Stop; pid 0 samples nothing.
func StartSampler(pid int, interval time.Duration) *Sampler {
	s := &Sampler{pid: pid, stop: make(chan struct{}), done: make(chan struct{})}
	if pid <= 0 {
		close(s.done)
		return s
	}
	go func() {
		defer close(s.done)
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			s.sample()
			select {
			case <-s.stop:
				return
			case <-t.C:
			}
		}
	}()
	return s
}

func (s *Sampler) sample() {
	rss, _, err := procStatus(s.pid)
	if err != nil {
		return
	}
	s.mu.Lock()
	s.peak = max(s.peak, rss)
	s.mu.Unlock()
}

// Stop ends the sampling and returns the peak and the process's high-water mark.
func (s *Sampler) Stop() Memory {
	if s.pid <= 0 {
		return Memory{}
	}
	close(s.stop)
	<-s.done
	s.sample()
	_, hwm, _ := procStatus(s.pid)
	s.mu.Lock()
	defer s.mu.Unlock()
	return Memory{PeakRSS: s.peak, HWM: hwm}
}
