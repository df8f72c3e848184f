package cluster

import (
	"context"
	"fmt"
	"log/slog"
	"strings"

	kindlog "sigs.k8s.io/kind/pkg/log"
)

// kindLogger adapts slog to kind's logger: kind's V(0) progress lines are
// Info, higher verbosity Debug.
type kindLogger struct{ l *slog.Logger }

var _ kindlog.Logger = kindLogger{}

func (k kindLogger) Warn(msg string) {
	level := slog.LevelWarn
	// Expected with coalmine's node images (no storage manifest baked
	// in): kind then installs its host-path StorageClass, which is fine.
	if strings.Contains(msg, "storage manifest") {
		level = slog.LevelDebug
	}
	k.l.Log(context.Background(), level, clean(msg), "from", "kind")
}
func (k kindLogger) Warnf(format string, args ...any) { k.Warn(fmt.Sprintf(format, args...)) }
func (k kindLogger) Error(msg string)                 { k.l.Error(clean(msg), "from", "kind") }
func (k kindLogger) Errorf(format string, args ...any) {
	k.Error(fmt.Sprintf(format, args...))
}

func (k kindLogger) V(level kindlog.Level) kindlog.InfoLogger {
	l := slog.LevelInfo
	if level > 0 {
		l = slog.LevelDebug
	}
	return kindInfo{l: k.l, level: l}
}

type kindInfo struct {
	l     *slog.Logger
	level slog.Level
}

func (i kindInfo) Info(msg string) {
	i.l.Log(context.Background(), i.level, clean(msg), "from", "kind")
}
func (i kindInfo) Infof(format string, args ...any) {
	i.Info(fmt.Sprintf(format, args...))
}
func (i kindInfo) Enabled() bool { return i.l.Enabled(context.Background(), i.level) }

func clean(s string) string { return strings.TrimSpace(s) }
