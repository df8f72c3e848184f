package faultapp

import (
	"sync"
	"sync/atomic"
)

// leak retains memory on purpose: the leak fault.
type leak struct {
	mu     sync.Mutex
	chunks [][]byte
	total  atomic.Int64
}

// retain allocates n bytes, touches every page so they are resident (not
// just reserved), and keeps them forever.
func (l *leak) retain(n int64) {
	b := make([]byte, n)
	for i := 0; i < len(b); i += 4096 {
		b[i] = 1
	}
	l.mu.Lock()
	l.chunks = append(l.chunks, b)
	l.mu.Unlock()
	l.total.Add(n)
}

// bytes returns the bytes retained so far.
func (l *leak) bytes() int64 { return l.total.Load() }
