package run

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestWaitEntryNeedsAStreak(t *testing.T) {
	defer func(d time.Duration) { entryProbeEvery = d }(entryProbeEvery)
	entryProbeEvery = time.Millisecond
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Fails every 5th probe for the first 20, then always answers.
		if k := n.Add(1); k <= 20 && k%5 == 0 {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
	}))
	defer srv.Close()
	if err := waitEntry(context.Background(), srv.URL, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	if got := n.Load(); got < 20+entryReadyStreak {
		t.Fatalf("ready after %d probes; want a clean streak of %d after probe 20", got, entryReadyStreak)
	}
}

func TestWaitEntryTimesOutNamingTheEntry(t *testing.T) {
	defer func(d time.Duration) { entryProbeEvery = d }(entryProbeEvery)
	entryProbeEvery = time.Millisecond
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadGateway)
	}))
	defer srv.Close()
	err := waitEntry(context.Background(), srv.URL, 300*time.Millisecond)
	if err == nil || !strings.Contains(err.Error(), srv.URL) || !strings.Contains(err.Error(), "status 502") {
		t.Fatalf("err = %v; want it to name %s and the last status", err, srv.URL)
	}
}
