package images

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// tailLines is how much of a failed target's log an error quotes.
const tailLines = 25

// buildLog is one build's log file: a section per target, appended when
// the target finishes (targets build concurrently; each writes to its own
// part file meanwhile, which can be followed with tail -f).
type buildLog struct {
	mu    sync.Mutex
	path  string
	stamp string
}

func newBuildLog(dir string, now time.Time) (*buildLog, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	stamp := now.Format("20060102-150405")
	path := filepath.Join(dir, "images-"+stamp+".log")
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(f, "coalmine images build %s\n", now.Format(time.RFC3339))
	return &buildLog{path: path, stamp: stamp}, f.Close()
}

// logSection is a target's part of the log while it builds.
type logSection struct {
	*os.File
	log  *buildLog
	name string
}

func (l *buildLog) section(name string) (*logSection, error) {
	path := filepath.Join(filepath.Dir(l.path), fmt.Sprintf("images-%s.%s.part", l.stamp, name))
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	return &logSection{File: f, log: l, name: name}, nil
}

// finish appends the section to the log under a header and returns its
// last lines.
func (s *logSection) finish(status string, took time.Duration) (string, error) {
	defer os.Remove(s.Name())
	if _, err := s.Seek(0, io.SeekStart); err != nil {
		s.Close()
		return "", err
	}
	body, err := io.ReadAll(s.File)
	s.Close()
	if err != nil {
		return "", err
	}
	s.log.mu.Lock()
	defer s.log.mu.Unlock()
	f, err := os.OpenFile(s.log.path, os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return "", err
	}
	fmt.Fprintf(f, "\n===== %s: %s (%s) =====\n", s.name, status, fmtDuration(took))
	f.Write(body)
	return lastLines(string(body), tailLines), f.Close()
}

// BuildError is a failed target: which one, at which step, where the
// full log is, and its last lines.
type BuildError struct {
	Target string
	Step   string
	Log    string
	Tail   string
	Err    error
}

func (e *BuildError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "image %s: step %q: %v\n  log: %s", e.Target, e.Step, e.Err, e.Log)
	if e.Tail != "" {
		b.WriteString("\n  last lines:\n    " + strings.ReplaceAll(e.Tail, "\n", "\n    "))
	}
	return b.String()
}

func (e *BuildError) Unwrap() error { return e.Err }
