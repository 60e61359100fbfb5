// Package load drives a running portal over HTTP like its users do (cmd/load): the deadline
// surge of applicants, steady load on single pages, public visitors; it seeds the data those
// scenarios need, and reports throughput, latency percentiles, errors and the server's memory.
// The generator shares the machine with the portal and Postgres, so it keeps its own work small:
// one cheap histogram per worker, merged at the end.
package load

import (
	"math"
	"math/bits"
	"time"
)

// subBits is the precision of the histogram: each power of two is split in 2^subBits buckets,
// so a recorded value is known within 1/64 (about 1.6 %), like an HDR histogram.
const subBits = 6

const subCount = 1 << subBits

// Histogram records durations (in microseconds) in log-linear buckets: recording is O(1) and
// allocation-free, percentiles are within 1.6 %, the maximum is exact. The zero value is ready;
// it is not safe for concurrent use (give each worker its own and Merge them).
type Histogram struct {
	counts [64 * subCount]uint64
	n      uint64
	max    int64
	sum    float64
}

// bucket returns the index of v (v >= 0): values below subCount have their own bucket; above,
// the exponent selects a block and the next subBits bits the bucket within it.
func bucket(v int64) int {
	if v < subCount {
		return int(v)
	}
	exp := bits.Len64(uint64(v)) - subBits - 1 // v >> exp is in [subCount, 2*subCount)
	return (exp+1)*subCount + int(uint64(v)>>exp) - subCount
}

// bucketValue is the largest value that falls in bucket i (so percentiles never understate).
func bucketValue(i int) int64 {
	if i < subCount {
		return int64(i)
	}
	exp := i/subCount - 1
	mant := int64(i%subCount + subCount)
	return (mant+1)<<exp - 1
}

// Record adds one duration.
func (h *Histogram) Record(d time.Duration) {
	v := d.Microseconds()
	if v < 0 {
		v = 0
	}
	h.counts[bucket(v)]++
	h.n++
	h.sum += float64(v)
	if v > h.max {
		h.max = v
	}
}

// Merge adds every value recorded in o.
func (h *Histogram) Merge(o *Histogram) {
	for i, c := range o.counts {
		h.counts[i] += c
	}
	h.n += o.n
	h.sum += o.sum
	h.max = max(h.max, o.max)
}

// Count is the number of recorded values.
func (h *Histogram) Count() uint64 { return h.n }

// Max is the largest recorded value.
func (h *Histogram) Max() time.Duration { return time.Duration(h.max) * time.Microsecond }

// Mean is the average recorded value.
func (h *Histogram) Mean() time.Duration {
	if h.n == 0 {
		return 0
	}
	return time.Duration(h.sum/float64(h.n)) * time.Microsecond
}

// Percentile returns the value below or at which p percent (0 < p <= 100) of the recorded
// values lie (the nearest-rank method), never more than the maximum; 0 when empty.
func (h *Histogram) Percentile(p float64) time.Duration {
	if h.n == 0 {
		return 0
	}
	rank := uint64(math.Ceil(p / 100 * float64(h.n)))
	rank = min(max(rank, 1), h.n)
	var seen uint64
	for i, c := range h.counts {
		seen += c
		if seen >= rank {
			return time.Duration(min(bucketValue(i), h.max)) * time.Microsecond
		}
	}
	return h.Max()
}
