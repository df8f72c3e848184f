package doctor

import (
	"context"
	"testing"
	"time"
)

// TestCheckCapsLive probes the real Docker engine with a privileged
// container holding the probe program.
func TestCheckCapsLive(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	d := Docker{}
	info, err := d.Info(ctx)
	if err != nil {
		t.Skipf("no Docker engine: %v", err)
	}
	r, err := CheckCaps(ctx, d, info)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%+v", r)
	if r.Missing && r.PlainRuncError == "" {
		t.Error("missing capability without the runc error")
	}
	if set, _, ok := dockerdCapBnd("/"); ok {
		if lacks := set&(1<<capSysResource) == 0; lacks != r.Missing {
			t.Errorf("probe says missing=%v, dockerd's CapBnd says %v", r.Missing, lacks)
		}
		q, err := QuickCaps(ctx, d, "/")
		if err != nil || q.Missing != r.Missing || q.DefaultRuntimeOK != r.DefaultRuntimeOK {
			t.Errorf("QuickCaps = %+v, %v; CheckCaps = %+v", q, err, r)
		}
	}
}
