package images

import (
	"maps"
	"slices"
	"strings"
	"testing"
)

// planCatalog is a small catalog shaped like the real one: an artifact,
// images built from it, a node image depending on them, an add-on.
func planCatalog() ([]*Target, map[string]string) {
	ts := []*Target{
		{Name: "bins"},
		{Name: "apiserver", Ref: "r/apiserver:1", Deps: []string{"bins"}},
		{Name: "pause", Ref: "r/pause:1"},
		{Name: "node", Ref: "r/node:1", Deps: []string{"bins", "apiserver", "pause"}},
		{Name: "addon", Ref: "r/addon:1"},
	}
	hashes := map[string]string{"bins": "hb", "apiserver": "ha", "pause": "hp", "node": "hn", "addon": "hx"}
	return ts, hashes
}

func upToDate(hashes map[string]string, except ...string) map[string]imageState {
	cur := map[string]imageState{}
	for n, h := range hashes {
		if !slices.Contains(except, n) {
			cur[n] = imageState{Present: true, Inputs: h}
		}
	}
	return cur
}

func TestPlanBuild(t *testing.T) {
	ts, hashes := planCatalog()
	stale := func(cur map[string]imageState, n string) map[string]imageState {
		cur[n] = imageState{Present: true, Inputs: "old"}
		return cur
	}
	tests := []struct {
		name     string
		current  map[string]imageState
		only     []string
		force    bool
		build    map[string]string
		involved []string
	}{
		{
			name: "all up to date: nothing to build, artifacts not involved", current: upToDate(hashes),
			build: map[string]string{}, involved: []string{"apiserver", "pause", "node", "addon"},
		},
		{
			name: "nothing built yet", current: map[string]imageState{},
			build:    map[string]string{"bins": reasonMissing, "apiserver": reasonMissing, "pause": reasonMissing, "node": reasonMissing, "addon": reasonMissing},
			involved: []string{"bins", "apiserver", "pause", "node", "addon"},
		},
		{
			name: "stale image pulls in its missing artifact", current: stale(upToDate(hashes, "bins"), "apiserver"),
			build:    map[string]string{"bins": reasonMissing, "apiserver": reasonStale},
			involved: []string{"bins", "apiserver", "pause", "node", "addon"},
		},
		{
			name: "up-to-date images do not rebuild a missing artifact", current: upToDate(hashes, "bins"),
			build: map[string]string{}, involved: []string{"apiserver", "pause", "node", "addon"},
		},
		{
			name: "unlabelled image is stale", current: func() map[string]imageState {
				c := upToDate(hashes)
				c["pause"] = imageState{Present: true}
				return c
			}(),
			build: map[string]string{"pause": reasonStale}, involved: []string{"apiserver", "pause", "node", "addon"},
		},
		{
			name: "only: just that image and what it needs", current: map[string]imageState{}, only: []string{"pause"},
			build: map[string]string{"pause": reasonMissing}, involved: []string{"pause"},
		},
		{
			name: "only node: its missing dependencies too", current: upToDate(hashes, "node", "pause"), only: []string{"node"},
			build: map[string]string{"node": reasonMissing, "pause": reasonMissing}, involved: []string{"bins", "apiserver", "pause", "node"},
		},
		{
			name: "force rebuilds only the selected image", current: upToDate(hashes), only: []string{"node"}, force: true,
			build: map[string]string{"node": reasonForced}, involved: []string{"bins", "apiserver", "pause", "node"},
		},
		{
			name: "force without only rebuilds everything from source", current: upToDate(hashes), force: true,
			build:    map[string]string{"bins": reasonForced, "apiserver": reasonForced, "pause": reasonForced, "node": reasonForced, "addon": reasonForced},
			involved: []string{"bins", "apiserver", "pause", "node", "addon"},
		},
		{
			name: "an artifact can be named", current: upToDate(hashes), only: []string{"bins"}, force: true,
			build: map[string]string{"bins": reasonForced}, involved: []string{"bins"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := planBuild(ts, hashes, tt.current, tt.only, tt.force)
			if err != nil {
				t.Fatal(err)
			}
			if !maps.Equal(p.Build, tt.build) {
				t.Errorf("build = %v, want %v", p.Build, tt.build)
			}
			var involved []string
			for _, t := range p.Involved {
				involved = append(involved, t.Name)
			}
			if !slices.Equal(involved, tt.involved) {
				t.Errorf("involved = %v, want %v", involved, tt.involved)
			}
		})
	}
}

func TestPlanBuildUnknownName(t *testing.T) {
	ts, hashes := planCatalog()
	_, err := planBuild(ts, hashes, nil, []string{"nodee"}, false)
	if err == nil || !strings.Contains(err.Error(), `unknown image "nodee"`) || !strings.Contains(err.Error(), "node") {
		t.Fatalf("err = %v, want it to name the bad image and the known ones", err)
	}
}
