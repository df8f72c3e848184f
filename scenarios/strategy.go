package scenarios

import (
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/argoproj/argo-rollouts/pkg/apis/rollouts/v1alpha1"

	"go.yaml.in/yaml/v3"
)

// LoadStrategy returns the validated strategy named by nameOrPath: a
// library strategy name (see ListStrategies) or a path to a strategy file.
func LoadStrategy(nameOrPath string) (*Strategy, error) {
	data, source, _, err := readSource(nameOrPath, strategyDir)
	if err != nil {
		return nil, fmt.Errorf("load strategy: %w", err)
	}
	s, err := parseStrategy(data, source, strategyName(nameOrPath))
	if err != nil {
		return nil, fmt.Errorf("load strategy %s: %w", nameOrPath, err)
	}
	return s, nil
}

// ParseStrategy decodes and validates a strategy file's content; file
// names it in messages and name becomes Strategy.Name.
func ParseStrategy(data []byte, file, name string) (*Strategy, error) {
	return parseStrategy(data, file, name)
}

// strategyName is the name a strategy reference runs under: the library
// name, or a file's base name without its extension.
func strategyName(ref string) string {
	if isLibraryName(ref) {
		return ref
	}
	base := filepath.Base(ref)
	return strings.TrimSuffix(base, filepath.Ext(base))
}

// isStrategyFile reports whether data's first document has a top-level
// `strategy` key (rather than being a Scenario).
func isStrategyFile(data []byte) bool {
	var first struct {
		Strategy any    `yaml:"strategy"`
		Kind     string `yaml:"kind"`
	}
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	if err := dec.Decode(&first); err != nil {
		return false
	}
	return first.Strategy != nil && first.Kind == ""
}

// templatePath is the path prefix of the i-th AnalysisTemplate document.
func templatePath(i int) string { return fmt.Sprintf("AnalysisTemplate[%d]", i) }

func parseStrategy(data []byte, file, name string) (*Strategy, error) {
	docs, err := parseDocuments(data, file)
	if err != nil {
		return nil, err
	}
	if len(docs) == 0 {
		return nil, ErrorList{{File: file, Msg: "empty file: want a `strategy:` document followed by AnalysisTemplates"}}
	}
	d := newDecoder(file)
	st := &Strategy{Name: name, Source: file, YAML: data, Description: leadingComment(data)}

	var doc rolloutFragment
	d.decode(docs[0], reflectValue(&doc), "")
	if !hasKey(docs[0], "strategy") {
		d.errorf(docs[0], "strategy", "required: the first document is a Rollout.spec fragment with `strategy:`")
	}
	st.Spec = doc.Strategy
	st.ProgressDeadlineSeconds, st.ProgressDeadlineAbort = doc.ProgressDeadlineSeconds, doc.ProgressDeadlineAbort
	if pd := doc.ProgressDeadlineSeconds; pd != nil && *pd <= 0 {
		(&validator{d: d}).errorf("progressDeadlineSeconds", "must be positive")
	}
	st.Templates = make([]v1alpha1.AnalysisTemplate, len(docs)-1)
	for i, n := range docs[1:] {
		d.decode(n, reflectValue(&st.Templates[i]), templatePath(i))
	}
	// Semantic checks run even after decoding problems, like a scenario's:
	// every problem at once, including the consequences of a typo.
	sv := &strategyValidator{validator: validator{d: d}, tmpls: st.Templates}
	sv.validate(&st.Spec)
	if len(d.errs) == 0 {
		argoValidate(d, st)
	}
	if err := d.errs.errOrNil(); err != nil {
		return nil, err
	}
	return st, nil
}

func hasKey(n *yaml.Node, key string) bool {
	if n.Kind != yaml.MappingNode {
		return false
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return true
		}
	}
	return false
}

// rolloutFragment is the first document of a strategy file: the part of
// Rollout.spec a strategy sets.
type rolloutFragment struct {
	Strategy                v1alpha1.RolloutStrategy `json:"strategy"`
	ProgressDeadlineSeconds *int32                   `json:"progressDeadlineSeconds,omitempty"`
	ProgressDeadlineAbort   bool                     `json:"progressDeadlineAbort,omitempty"`
}

// Type returns "canary" or "blueGreen".
func (s *Strategy) Type() string {
	if s.Spec.BlueGreen != nil {
		return "blueGreen"
	}
	return "canary"
}

// strategies resolves spec.strategies (library names or paths relative to
// dir) into s.Strategies, reporting problems at the reference's line.
func (v *validator) strategies(s *Scenario, dir string) {
	seen := map[string]int{}
	for i, ref := range s.Spec.Strategies {
		p := fmt.Sprintf("spec.strategies[%d]", i)
		if ref == "" {
			v.errorf(p, "empty strategy reference")
			continue
		}
		name := strategyName(ref)
		if j, dup := seen[name]; dup {
			v.errorf(p, "strategy name %q is already used by spec.strategies[%d]", name, j)
			continue
		}
		seen[name] = i
		target := ref
		if !isLibraryName(ref) && !filepath.IsAbs(ref) && dir != "" {
			target = filepath.Join(dir, ref)
		}
		st, err := LoadStrategy(target)
		var list ErrorList
		switch {
		case errors.As(err, &list):
			v.errorf(p, "strategy %q is invalid (problems follow)", ref)
			v.d.errs = append(v.d.errs, list...)
			continue
		case err != nil:
			v.errorf(p, "%v", err)
			continue
		}
		st.Name = name
		s.Strategies = append(s.Strategies, st)
	}
}

// Documents splits the file as written into its strategy document and its
// AnalysisTemplate documents (joined by "---").
func (s *Strategy) Documents() (strategy, templates string) {
	var docs []string
	for _, d := range docSep.Split(string(s.YAML), -1) {
		if strings.TrimSpace(d) != "" {
			docs = append(docs, d)
		}
	}
	if len(docs) == 0 {
		return "", ""
	}
	return docs[0], strings.Join(docs[1:], "---\n")
}

var docSep = regexp.MustCompile(`(?m)^---[ \t]*\n`)
