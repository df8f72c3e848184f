package loadgen

import (
	"bufio"
	"fmt"
	"io"
	"sync"
)

// writerBufferSize is the RecordWriter's buffer: the most memory it holds
// and the most data a crash (not a Ctrl-C) can lose since the last Flush.
const writerBufferSize = 64 << 10

// RecordWriter encodes Records in the records format (see RecordsFormat)
// through a bounded buffer. The header is written before the first record
// (or by the first Flush). It is safe for concurrent use; errors are sticky.
type RecordWriter struct {
	mu     sync.Mutex
	w      *bufio.Writer
	header bool
	n      uint64
	err    error
}

// NewRecordWriter returns a RecordWriter writing to w.
func NewRecordWriter(w io.Writer) *RecordWriter {
	return &RecordWriter{w: bufio.NewWriterSize(w, writerBufferSize)}
}

// Write encodes r as one line. It does not retain r.
func (rw *RecordWriter) Write(r *Record) error {
	rw.mu.Lock()
	defer rw.mu.Unlock()
	if err := rw.writeHeader(); err != nil {
		return err
	}
	line := appendRecord(rw.w.AvailableBuffer(), r)
	if _, err := rw.w.Write(line); err != nil {
		rw.err = fmt.Errorf("write record: %w", err)
		return rw.err
	}
	rw.n++
	return nil
}

// Flush writes buffered lines to the underlying writer.
func (rw *RecordWriter) Flush() error {
	rw.mu.Lock()
	defer rw.mu.Unlock()
	if err := rw.writeHeader(); err != nil {
		return err
	}
	if err := rw.w.Flush(); err != nil {
		rw.err = fmt.Errorf("flush records: %w", err)
	}
	return rw.err
}

// Count returns how many records were written.
func (rw *RecordWriter) Count() uint64 {
	rw.mu.Lock()
	defer rw.mu.Unlock()
	return rw.n
}

func (rw *RecordWriter) writeHeader() error {
	if rw.err != nil || rw.header {
		return rw.err
	}
	if _, err := rw.w.WriteString(recordsHeader); err != nil {
		rw.err = fmt.Errorf("write records header: %w", err)
		return rw.err
	}
	rw.header = true
	return nil
}
