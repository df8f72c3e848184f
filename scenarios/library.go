package scenarios

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
)

// library holds the named scenarios and strategies, so that
// `coalmine run peak-only-bug` works from any directory.
//
//go:embed library/scenarios/*.yaml library/strategies/*.yaml
var library embed.FS

const (
	scenarioDir = "library/scenarios"
	strategyDir = "library/strategies"
	// libraryPrefix marks sources that come from the embedded library.
	libraryPrefix = "library:"
)

// LibraryEntry is one named scenario or strategy of the library.
type LibraryEntry struct {
	Name string
	// Description is metadata.description for scenarios and the leading
	// comment for strategies.
	Description string
}

// List returns the library's scenarios, sorted by name.
func List() []LibraryEntry { return listDir(scenarioDir) }

// ListStrategies returns the library's strategies, sorted by name.
func ListStrategies() []LibraryEntry { return listDir(strategyDir) }

// LibraryYAML returns a library file as written: kind is "scenario" or
// "strategy".
func LibraryYAML(kind, name string) ([]byte, error) {
	dir := scenarioDir
	if kind == "strategy" {
		dir = strategyDir
	}
	b, err := library.ReadFile(path.Join(dir, name+".yaml"))
	if err != nil {
		return nil, fmt.Errorf("no library %s %q", kind, name)
	}
	return b, nil
}

func listDir(dir string) []LibraryEntry {
	ents, _ := fs.ReadDir(library, dir) // embedded: cannot fail
	var out []LibraryEntry
	for _, e := range ents {
		name := strings.TrimSuffix(e.Name(), ".yaml")
		data, _ := library.ReadFile(path.Join(dir, e.Name()))
		out = append(out, LibraryEntry{Name: name, Description: describeFile(dir, data)})
	}
	slices.SortFunc(out, func(a, b LibraryEntry) int { return strings.Compare(a.Name, b.Name) })
	return out
}

func describeFile(dir string, data []byte) string {
	if dir == strategyDir {
		return leadingComment(data)
	}
	var s struct {
		Metadata Metadata `json:"metadata"`
	}
	root, err := parseOneDocument(data, "")
	if err != nil {
		return ""
	}
	d := newDecoder("")
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value == "metadata" {
			d.decode(root.Content[i+1], reflectValue(&s.Metadata), "metadata")
		}
	}
	return s.Metadata.Description
}

// leadingComment returns the first paragraph of the file's leading '#'
// comment, joined into one line.
func leadingComment(data []byte) string {
	var parts []string
	for _, line := range bytes.Split(data, []byte("\n")) {
		t := strings.TrimSpace(string(line))
		if !strings.HasPrefix(t, "#") {
			break
		}
		t = strings.TrimSpace(strings.TrimPrefix(t, "#"))
		if t == "" {
			if len(parts) > 0 {
				break
			}
			continue
		}
		parts = append(parts, t)
	}
	return strings.Join(parts, " ")
}

// isLibraryName reports whether s looks like a library name rather than a
// path: no separator and no YAML extension.
func isLibraryName(s string) bool {
	return s != "" && !strings.ContainsAny(s, `/\`) && filepath.Ext(s) != ".yaml" && filepath.Ext(s) != ".yml"
}

// readSource reads a library entry (from dir) or a file. It returns the
// data, the source for messages ("library:NAME" or the path) and the
// directory relative paths inside it resolve against ("" for the library).
func readSource(nameOrPath, dir string) (data []byte, source, baseDir string, err error) {
	if isLibraryName(nameOrPath) {
		b, err := library.ReadFile(path.Join(dir, nameOrPath+".yaml"))
		if err == nil {
			return b, libraryPrefix + nameOrPath, "", nil
		}
		if _, statErr := os.Stat(nameOrPath); statErr != nil {
			return nil, "", "", fmt.Errorf("%q is neither a library name (%s) nor a file", nameOrPath, strings.Join(names(listDir(dir)), ", "))
		}
	}
	b, err := os.ReadFile(nameOrPath)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, "", "", fmt.Errorf("%s: no such file", nameOrPath)
		}
		return nil, "", "", err
	}
	return b, nameOrPath, filepath.Dir(nameOrPath), nil
}

func names(es []LibraryEntry) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.Name
	}
	return out
}
