package loadgen

import (
	"errors"
	"fmt"
	"os"
	"sync"
	"time"
)

// DefaultFlushEvery is how often a Recorder flushes to its file.
const DefaultFlushEvery = time.Second

// Recorder streams Records to a file as they happen: through a
// RecordWriter's bounded buffer, flushed every flushEvery and on Close.
// A Ctrl-C loses nothing (the attack drains, then Close flushes); a crash
// loses at most the last flush interval and may leave a torn last line,
// which ReadRecords ignores. Safe for concurrent use.
type Recorder struct {
	f    *os.File
	w    *RecordWriter
	stop chan struct{}
	done chan struct{}
	once sync.Once
	err  error
}

// CreateRecorder creates (or truncates) path and starts its periodic flush
// (DefaultFlushEvery when flushEvery ≤ 0).
func CreateRecorder(path string, flushEvery time.Duration) (*Recorder, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("create records file: %w", err)
	}
	r := &Recorder{f: f, w: NewRecordWriter(f), stop: make(chan struct{}), done: make(chan struct{})}
	if flushEvery <= 0 {
		flushEvery = DefaultFlushEvery
	}
	go r.flushLoop(flushEvery)
	return r, nil
}

// Write records one request.
func (r *Recorder) Write(rec *Record) error { return r.w.Write(rec) }

// Count returns how many records were written.
func (r *Recorder) Count() uint64 { return r.w.Count() }

// Path returns the file's name.
func (r *Recorder) Path() string { return r.f.Name() }

// Close stops the periodic flush, flushes, syncs and closes the file.
// Calling it again returns the first result.
func (r *Recorder) Close() error {
	r.once.Do(func() {
		close(r.stop)
		<-r.done
		r.err = errors.Join(r.w.Flush(), r.f.Sync(), r.f.Close())
		if r.err != nil {
			r.err = fmt.Errorf("close records file: %w", r.err)
		}
	})
	return r.err
}

func (r *Recorder) flushLoop(every time.Duration) {
	defer close(r.done)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-r.stop:
			return
		case <-t.C:
			_ = r.w.Flush() // sticky: reported by the next Write or Close
		}
	}
}
