package cluster

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
)

func TestKindLoggerLevels(t *testing.T) {
	var b bytes.Buffer
	l := kindLogger{slog.New(slog.NewTextHandler(&b, &slog.HandlerOptions{Level: slog.LevelInfo}))}
	l.V(0).Infof(" • %s  ...\n", "Preparing nodes")
	l.V(1).Info("debug detail")
	l.Warnf("careful %d", 1)
	if l.V(1).Enabled() || !l.V(0).Enabled() {
		t.Error("Enabled does not follow the handler level")
	}
	out := b.String()
	for _, want := range []string{`level=INFO msg="• Preparing nodes  ..." from=kind`, `level=WARN msg="careful 1"`} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "debug detail") {
		t.Errorf("V(1) logged at info:\n%s", out)
	}
}
