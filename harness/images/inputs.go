package images

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"
)

// InputsLabel is the image label (and artifact stamp) holding the hash of a
// target's inputs.
const InputsLabel = "dev.coalmine.inputs"

// recipeVersion is hashed into every target: bump it when shared build code
// changes in a way the declared inputs do not capture.
const recipeVersion = "1"

// Input is one declared input of a target: a pinned version, a build flag,
// a package list, the digest of a source file...
type Input struct {
	Key   string
	Value string
}

// in is shorthand for an Input.
func in(key, value string) Input { return Input{Key: key, Value: value} }

// hashInputs returns the hex sha256 of inputs and of the hashes of deps
// (name → hash), independent of their order. Keys must be unique.
func hashInputs(name string, inputs []Input, deps map[string]string) (string, error) {
	seen := make(map[string]bool, len(inputs))
	lines := make([]string, 0, len(inputs)+len(deps)+2)
	lines = append(lines, "recipe="+recipeVersion, "target="+name)
	for _, i := range inputs {
		if i.Key == "" || strings.ContainsAny(i.Key, "=\n") {
			return "", fmt.Errorf("target %s: invalid input key %q", name, i.Key)
		}
		if seen[i.Key] {
			return "", fmt.Errorf("target %s: duplicate input %q", name, i.Key)
		}
		seen[i.Key] = true
		lines = append(lines, "in:"+i.Key+"="+quote(i.Value))
	}
	for dep, h := range deps {
		lines = append(lines, "dep:"+dep+"="+h)
	}
	sort.Strings(lines[2:])
	sum := sha256.Sum256([]byte(strings.Join(lines, "\n")))
	return hex.EncodeToString(sum[:]), nil
}

// quote makes a value single-line so that hashed lines cannot be forged by
// values containing newlines.
func quote(s string) string { return fmt.Sprintf("%q", s) }

// hashAll hashes every target in dependency order, with the common
// inputs and the target's extra inputs. It fails on unknown dependencies
// and cycles.
func hashAll(targets []*Target, common []Input, extra map[string][]Input) (map[string]string, error) {
	byName, err := index(targets)
	if err != nil {
		return nil, err
	}
	hashes := make(map[string]string, len(targets))
	visiting := map[string]bool{}
	var visit func(t *Target) error
	visit = func(t *Target) error {
		if _, ok := hashes[t.Name]; ok {
			return nil
		}
		if visiting[t.Name] {
			return fmt.Errorf("dependency cycle through %s", t.Name)
		}
		visiting[t.Name] = true
		deps := make(map[string]string, len(t.Deps))
		for _, d := range t.Deps {
			dt, ok := byName[d]
			if !ok {
				return fmt.Errorf("target %s: unknown dependency %s", t.Name, d)
			}
			if err := visit(dt); err != nil {
				return err
			}
			deps[d] = hashes[d]
		}
		ins := append(append(append([]Input{}, common...), t.Inputs...), extra[t.Name]...)
		h, err := hashInputs(t.Name, ins, deps)
		if err != nil {
			return err
		}
		hashes[t.Name] = h
		visiting[t.Name] = false
		return nil
	}
	for _, t := range targets {
		if err := visit(t); err != nil {
			return nil, err
		}
	}
	return hashes, nil
}

// index maps targets by name, rejecting duplicates.
func index(targets []*Target) (map[string]*Target, error) {
	byName := make(map[string]*Target, len(targets))
	for _, t := range targets {
		if _, dup := byName[t.Name]; dup {
			return nil, fmt.Errorf("duplicate target %s", t.Name)
		}
		byName[t.Name] = t
	}
	return byName, nil
}

// fileDigest is the Input value for a file's content.
func fileDigest(b []byte) string {
	sum := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(sum[:])
}
