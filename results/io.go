package results

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/coalmine/coalmine/internal/atomicfile"
)

// FileName is the name of the results file inside a result directory.
const FileName = "results.json"

// ErrSchemaVersion is returned (wrapped) when a results file declares a
// schemaVersion this build does not know.
var ErrSchemaVersion = errors.New("unsupported results schemaVersion")

// Read reads results.json from dir. dir may also name the file itself.
func Read(dir string) (*Results, error) {
	path := dir
	if st, err := os.Stat(dir); err == nil && st.IsDir() {
		path = filepath.Join(dir, FileName)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read results: %w", err)
	}
	defer f.Close()
	r, err := Decode(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return r, nil
}

// ReadAll reads the results of each dir (see Read), in order.
func ReadAll(dirs []string) ([]*Results, error) {
	runs := make([]*Results, 0, len(dirs))
	for _, dir := range dirs {
		r, err := Read(dir)
		if err != nil {
			return nil, err
		}
		runs = append(runs, r)
	}
	return runs, nil
}

// Decode reads one results document strictly: the schemaVersion must be
// SchemaVersion and unknown fields are errors.
func Decode(rd io.Reader) (*Results, error) {
	data, err := io.ReadAll(rd)
	if err != nil {
		return nil, fmt.Errorf("read results: %w", err)
	}
	var head struct {
		SchemaVersion string `json:"schemaVersion"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return nil, fmt.Errorf("decode results: %w", err)
	}
	if head.SchemaVersion != SchemaVersion {
		if head.SchemaVersion == "" {
			return nil, fmt.Errorf("%w: schemaVersion is missing (want %q)", ErrSchemaVersion, SchemaVersion)
		}
		return nil, fmt.Errorf("%w: %q (this coalmine reads %q)", ErrSchemaVersion, head.SchemaVersion, SchemaVersion)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var r Results
	if err := dec.Decode(&r); err != nil {
		return nil, fmt.Errorf("decode results%s: %w", lineOf(data, dec.InputOffset()), err)
	}
	return &r, nil
}

// lineOf renders the line of byte offset off in data as " (line N)".
func lineOf(data []byte, off int64) string {
	if off <= 0 || off > int64(len(data)) {
		return ""
	}
	return fmt.Sprintf(" (line %d)", 1+bytes.Count(data[:off], []byte("\n")))
}

// Encode writes r as indented JSON, setting SchemaVersion when empty.
func Encode(w io.Writer, r *Results) error {
	if r.SchemaVersion == "" {
		r.SchemaVersion = SchemaVersion
	}
	if r.SchemaVersion != SchemaVersion {
		return fmt.Errorf("%w: %q", ErrSchemaVersion, r.SchemaVersion)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(r); err != nil {
		return fmt.Errorf("encode results: %w", err)
	}
	return nil
}

// Write writes r to dir/results.json atomically (temporary file + rename),
// creating dir if needed.
func Write(dir string, r *Results) error {
	return writeFile(dir, FileName, func(w io.Writer) error { return Encode(w, r) })
}

// writeFile writes dir/name atomically with encode, creating dir.
func writeFile(dir, name string, encode func(io.Writer) error) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	return atomicfile.Write(filepath.Join(dir, name), 0o644, encode)
}

// Label names a run in comparisons: the scenario name and its start time.
func (r *Results) Label() string {
	var b strings.Builder
	b.WriteString(r.Scenario.Name)
	if !r.StartedAt.IsZero() {
		b.WriteString(" @ ")
		b.WriteString(r.StartedAt.UTC().Format("2006-01-02 15:04Z"))
	}
	return b.String()
}
