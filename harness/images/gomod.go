package images

import (
	"fmt"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"
)

// wrapper describes a Go module that exists only to build main packages of
// an upstream module at a pinned version: it requires the upstream module
// and carries over the upstream go.mod's go and godebug lines (so the
// binaries get upstream's GODEBUG defaults) and its replace directives
// (ignored in dependencies, so they must be repeated in the main module).
type wrapper struct {
	// Path is the wrapper's own module path.
	Path string
	// Upstream is the module built, at its pinned version.
	Upstream module.Version
	// LocalVersion is the version a local-directory replacement in the
	// upstream go.mod becomes (Kubernetes replaces its staging modules
	// k8s.io/api... by ./staging/src/...; they are published as
	// v0.<minor>.<patch>). Empty drops local replacements (etcd's
	// ../api replacements duplicate its requirements).
	LocalVersion string
}

// goMod renders the wrapper's go.mod from the upstream go.mod content.
func (w wrapper) goMod(upstreamGoMod []byte) ([]byte, error) {
	up, err := modfile.Parse(w.Upstream.Path+"@"+w.Upstream.Version+"/go.mod", upstreamGoMod, nil)
	if err != nil {
		return nil, fmt.Errorf("parse upstream go.mod: %w", err)
	}
	if up.Module == nil || up.Module.Mod.Path != w.Upstream.Path {
		return nil, fmt.Errorf("upstream go.mod is not module %s", w.Upstream.Path)
	}
	f := &modfile.File{}
	if err := f.AddModuleStmt(w.Path); err != nil {
		return nil, err
	}
	if up.Go != nil {
		if err := f.AddGoStmt(up.Go.Version); err != nil {
			return nil, err
		}
	}
	for _, g := range up.Godebug {
		if err := f.AddGodebug(g.Key, g.Value); err != nil {
			return nil, err
		}
	}
	if err := f.AddRequire(w.Upstream.Path, w.Upstream.Version); err != nil {
		return nil, err
	}
	for _, r := range up.Replace {
		newPath, newVers := r.New.Path, r.New.Version
		if modfile.IsDirectoryPath(newPath) {
			if w.LocalVersion == "" {
				continue
			}
			newPath, newVers = r.Old.Path, w.LocalVersion
		}
		if err := f.AddReplace(r.Old.Path, r.Old.Version, newPath, newVers); err != nil {
			return nil, fmt.Errorf("replace %s: %w", r.Old.Path, err)
		}
	}
	f.Cleanup()
	return f.Format()
}
