package scenarios

import (
	"encoding/json"
	"fmt"

	"github.com/coalmine/coalmine/faults"
	"go.yaml.in/yaml/v3"
)

// UnmarshalYAML keeps the fault's node and decodes it; problems are
// reported by validation, with the scenario file's lines.
func (f *Fault) UnmarshalYAML(n *yaml.Node) error {
	*f = Fault{}
	if n.Tag == "!!null" {
		return nil
	}
	if n.Kind != yaml.MappingNode {
		return fmt.Errorf("want a mapping (the fault model)")
	}
	f.Node = n
	f.decoded, f.err = faults.DecodeNode(n)
	return nil
}

// IsZero reports whether no fault is set (absent, null or {}).
func (f Fault) IsZero() bool { return f.Node == nil || len(f.Node.Content) == 0 }

// YAML returns the fault as a standalone YAML document ("{}\n" when empty),
// the form faults.Decode and faultapp's --faults flag take.
func (f Fault) YAML() []byte {
	if f.IsZero() {
		return []byte("{}\n")
	}
	b, err := yaml.Marshal(f.Node)
	if err != nil { // a node produced by the parser always marshals
		return []byte("{}\n")
	}
	return b
}

// MarshalJSON encodes the fault as plain JSON data.
func (f Fault) MarshalJSON() ([]byte, error) {
	if f.IsZero() {
		return []byte("{}"), nil
	}
	var v any
	if err := f.Node.Decode(&v); err != nil {
		return nil, fmt.Errorf("fault: %w", err)
	}
	return json.Marshal(jsonCompatible(v))
}

// UnmarshalJSON reads a fault from JSON (JSON is YAML).
func (f *Fault) UnmarshalJSON(b []byte) error {
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return fmt.Errorf("fault: %w", err)
	}
	if len(doc.Content) == 0 {
		*f = Fault{}
		return nil
	}
	return f.UnmarshalYAML(doc.Content[0])
}
