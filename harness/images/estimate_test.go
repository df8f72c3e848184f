package images

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestRemaining(t *testing.T) {
	s := time.Second
	tests := []struct {
		name string
		todo []simTarget
		jobs int
		want time.Duration
	}{
		{"nothing", nil, 2, 0},
		{"one job runs them in turn", []simTarget{{name: "a", left: 10 * s}, {name: "b", left: 5 * s}}, 1, 15 * s},
		{"two jobs overlap", []simTarget{{name: "a", left: 10 * s}, {name: "b", left: 5 * s}}, 2, 10 * s},
		{"a dependency waits for the running build", []simTarget{
			{name: "k8s", left: 600 * s, running: true},
			{name: "etcd", left: 100 * s},
			{name: "apiserver", deps: []string{"k8s"}, left: 5 * s},
		}, 2, 605 * s},
		{"a waiting target does not hold a slot", []simTarget{
			{name: "k8s", left: 1000 * s, running: true},
			{name: "pause", left: 5 * s},
			{name: "apiserver", deps: []string{"k8s"}, left: 5 * s},
			{name: "prometheus", left: 400 * s},
		}, 2, 1005 * s},
		{"light targets take no slot", []simTarget{
			{name: "k8s", left: 600 * s, running: true},
			{name: "etcd", left: 100 * s, running: true},
			{name: "rootfs", left: 90 * s, light: true},
			{name: "node", deps: []string{"k8s", "rootfs"}, left: 60 * s},
		}, 2, 660 * s},
	}
	for _, tt := range tests {
		if got := remaining(tt.todo, tt.jobs); got != tt.want {
			t.Errorf("%s: remaining = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestBuildTimes(t *testing.T) {
	dir := t.TempDir()
	bt := loadBuildTimes(dir)
	if _, measured := bt.estimate(etcdImage); measured {
		t.Fatal("estimate measured before any build")
	}
	if err := bt.record(etcdImage, 73*time.Second); err != nil {
		t.Fatal(err)
	}
	got, measured := loadBuildTimes(dir).estimate(etcdImage)
	if !measured || got != 73*time.Second {
		t.Errorf("after a build: %v measured=%v, want 1m13s measured", got, measured)
	}
}

// TestProgressEstimate checks the plain progress lines carry the
// estimate, which shrinks as targets finish.
func TestProgressEstimate(t *testing.T) {
	now := time.Unix(0, 0)
	clock := func() time.Time { return now }
	var out bytes.Buffer
	p := newProgress(&out, clock)
	bt := loadBuildTimes(t.TempDir())
	_ = bt.record("a", 100*time.Second)
	_ = bt.record("b", 50*time.Second)
	order := []*Target{{Name: "a"}, {Name: "b", Deps: []string{"a"}}}
	for _, tg := range order {
		p.set(tg.Name, stateQueued, "", "")
	}
	p.plan(order, bt, 2)
	p.summary(2)
	p.set("a", stateBuilding, "go build", "")
	now = now.Add(100 * time.Second)
	p.set("a", stateDone, "", "")
	p.close()
	text := out.String()
	for _, want := range []string{
		"images: 2 to build, about 2m30s left (estimate from earlier builds here)",
		"a                        done      1m40s · about 50s left",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("progress lacks %q:\n%s", want, text)
		}
	}
}

// TestReferenceCoversCatalog keeps the reference times complete: a new
// target without one would be estimated blindly.
func TestReferenceCoversCatalog(t *testing.T) {
	b, err := New(Config{CacheDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range b.Names() {
		if _, ok := referenceSeconds[n]; !ok {
			t.Errorf("target %s has no reference build time", n)
		}
	}
}

// TestBackgroundOffTheNodePath checks that no target the node image needs
// builds at low priority.
func TestBackgroundOffTheNodePath(t *testing.T) {
	b, err := New(Config{CacheDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	var background []string
	for _, tg := range b.targets {
		if tg.Background {
			background = append(background, tg.Name)
		}
	}
	var visit func(string)
	visit = func(n string) {
		if b.byName[n].Background {
			t.Errorf("%s is Background but the node image needs it", n)
		}
		for _, d := range b.byName[n].Deps {
			visit(d)
		}
	}
	visit(nodeImage)
	if len(background) != 2 {
		t.Errorf("background targets %v, want the two add-ons", background)
	}
}
