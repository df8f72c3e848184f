package images

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
)

// aptSource is one Debian archive entry of the machine's apt sources.
type aptSource struct {
	URI        string
	Suites     []string
	Components []string
	// SignedBy is the keyring file that signs the archive, if declared.
	SignedBy string
	// File is where the entry came from, for error messages.
	File string
}

// errNoMirror means no apt source serves the wanted suite.
var errNoMirror = errors.New("no apt source serves the suite")

// findMirror returns the first binary ("deb") source of the suite in the
// apt configuration under etcApt (normally /etc/apt): sources.list, then
// sources.list.d/*.list and *.sources in name order. The mirror is
// always the machine's own; coalmine never names an archive host.
func findMirror(etcApt, suite string) (aptSource, error) {
	srcs, err := readAptSources(etcApt)
	if err != nil {
		return aptSource{}, err
	}
	for _, s := range srcs {
		if slices.Contains(s.Suites, suite) {
			return s, nil
		}
	}
	return aptSource{}, fmt.Errorf("%w %s in %s", errNoMirror, suite, etcApt)
}

// readAptSources reads every enabled "deb" entry with an http, https or
// file URI.
func readAptSources(etcApt string) ([]aptSource, error) {
	files := []string{filepath.Join(etcApt, "sources.list")}
	more, err := filepath.Glob(filepath.Join(etcApt, "sources.list.d", "*"))
	if err != nil {
		return nil, err
	}
	sort.Strings(more)
	files = append(files, more...)
	var all []aptSource
	for _, f := range files {
		var parse func([]byte, string) ([]aptSource, error)
		switch {
		case strings.HasSuffix(f, ".sources"):
			parse = parseDeb822Sources
		case strings.HasSuffix(f, ".list"):
			parse = parseOneLineSources
		default:
			continue
		}
		b, err := os.ReadFile(f)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		srcs, err := parse(b, f)
		if err != nil {
			return nil, err
		}
		all = append(all, srcs...)
	}
	return all, nil
}

// usableURI reports whether debootstrap can fetch from uri.
func usableURI(uri string) bool {
	for _, p := range []string{"http://", "https://", "file:/"} {
		if strings.HasPrefix(uri, p) {
			return true
		}
	}
	return false
}

// parseOneLineSources parses the classic format:
// deb [option=value ...] uri suite [component...]
func parseOneLineSources(b []byte, file string) ([]aptSource, error) {
	var out []aptSource
	sc := bufio.NewScanner(bytes.NewReader(b))
	for n := 1; sc.Scan(); n++ {
		line, _, _ := strings.Cut(sc.Text(), "#")
		fields := strings.Fields(line)
		if len(fields) == 0 || fields[0] != "deb" {
			continue
		}
		s := aptSource{File: fmt.Sprintf("%s:%d", file, n)}
		fields = fields[1:]
		if len(fields) > 0 && strings.HasPrefix(fields[0], "[") {
			end := slices.IndexFunc(fields, func(f string) bool { return strings.HasSuffix(f, "]") })
			if end < 0 {
				return nil, fmt.Errorf("%s: unterminated [options]", s.File)
			}
			opts := strings.Fields(strings.Trim(strings.Join(fields[:end+1], " "), "[]"))
			for _, o := range opts {
				if k, v, ok := strings.Cut(o, "="); ok && k == "signed-by" {
					s.SignedBy = v
				}
			}
			fields = fields[end+1:]
		}
		if len(fields) < 2 {
			return nil, fmt.Errorf("%s: want \"deb uri suite [component...]\"", s.File)
		}
		s.URI, s.Suites, s.Components = fields[0], []string{fields[1]}, fields[2:]
		if usableURI(s.URI) {
			out = append(out, s)
		}
	}
	return out, sc.Err()
}

// parseDeb822Sources parses the deb822 format: stanzas of "Field: value"
// lines separated by blank lines; continuation lines start with a space.
func parseDeb822Sources(b []byte, file string) ([]aptSource, error) {
	var out []aptSource
	for _, st := range deb822Stanzas(b) {
		f := st.fields
		if !slices.Contains(strings.Fields(f["types"]), "deb") || strings.EqualFold(f["enabled"], "no") {
			continue
		}
		for _, uri := range strings.Fields(f["uris"]) {
			if !usableURI(uri) {
				continue
			}
			s := aptSource{
				URI:        uri,
				Suites:     strings.Fields(f["suites"]),
				Components: strings.Fields(f["components"]),
				File:       fmt.Sprintf("%s:%d", file, st.line),
			}
			// Signed-By is a keyring path, or an inline key (multi-line).
			if sb := strings.TrimSpace(f["signed-by"]); sb != "" && !strings.Contains(sb, "\n") {
				s.SignedBy = sb
			}
			out = append(out, s)
		}
	}
	return out, nil
}

type deb822Stanza struct {
	line   int
	fields map[string]string // lower-cased field name → value
}

func deb822Stanzas(b []byte) []deb822Stanza {
	var out []deb822Stanza
	var cur *deb822Stanza
	var last string
	sc := bufio.NewScanner(bytes.NewReader(b))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "#"):
			continue
		case strings.TrimSpace(line) == "":
			cur, last = nil, ""
			continue
		}
		if cur == nil {
			out = append(out, deb822Stanza{line: n, fields: map[string]string{}})
			cur = &out[len(out)-1]
		}
		if (line[0] == ' ' || line[0] == '\t') && last != "" {
			cur.fields[last] += "\n" + strings.TrimSpace(line)
			continue
		}
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		last = strings.ToLower(strings.TrimSpace(k))
		cur.fields[last] = strings.TrimSpace(v)
	}
	return out
}
