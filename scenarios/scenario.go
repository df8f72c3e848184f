package scenarios

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"

	"go.yaml.in/yaml/v3"
	sigyaml "sigs.k8s.io/yaml"
)

// Load returns the defaulted, validated scenario named by nameOrPath: a
// library scenario name (see List) or a path to a scenario file. Its
// strategies are resolved into Scenario.Strategies. Every problem is
// reported at once as an ErrorList wrapped in the returned error.
func Load(nameOrPath string) (*Scenario, error) {
	data, source, dir, err := readSource(nameOrPath, scenarioDir)
	if err != nil {
		return nil, fmt.Errorf("load scenario: %w", err)
	}
	s, err := parseScenario(data, source, dir)
	if err != nil {
		return nil, fmt.Errorf("load scenario %s: %w", nameOrPath, err)
	}
	return s, nil
}

// Parse decodes, defaults and validates a scenario from data; file names it
// in messages and relative strategy paths resolve against dir (library
// strategy names resolve regardless).
func Parse(data []byte, file, dir string) (*Scenario, error) {
	return parseScenario(data, file, dir)
}

// Lint checks a scenario or strategy file (decided by its content: a
// document with `kind: Scenario` is a scenario, one with a `strategy:` key a
// strategy) and returns every problem, nil when it is clean.
func Lint(path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("lint: %w", err)
	}
	if isStrategyFile(data) {
		_, err = parseStrategy(data, path, strategyName(path))
	} else {
		_, err = parseScenario(data, path, filepath.Dir(path))
	}
	return err
}

func parseScenario(data []byte, file, dir string) (*Scenario, error) {
	root, err := parseOneDocument(data, file)
	if err != nil {
		return nil, err
	}
	d := newDecoder(file)
	s := &Scenario{Source: file}
	d.decode(root, reflectValue(s), "")
	SetDefaults(s)
	v := &validator{d: d}
	v.scenario(s)
	v.strategies(s, dir)
	v.expectations(s)
	if err := d.errs.errOrNil(); err != nil {
		return nil, err
	}
	return s, nil
}

// parseOneDocument parses data as exactly one YAML document.
func parseOneDocument(data []byte, file string) (*yaml.Node, error) {
	docs, err := parseDocuments(data, file)
	if err != nil {
		return nil, err
	}
	switch len(docs) {
	case 0:
		return nil, ErrorList{{File: file, Msg: "empty document"}}
	case 1:
		return docs[0], nil
	default:
		return nil, ErrorList{{File: file, Line: docs[1].Line, Msg: "want one YAML document, found more"}}
	}
}

// parseDocuments parses every YAML document in data. Syntax errors carry
// the line yaml reports.
func parseDocuments(data []byte, file string) ([]*yaml.Node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var docs []*yaml.Node
	for {
		var n yaml.Node
		err := dec.Decode(&n)
		if errors.Is(err, io.EOF) {
			return docs, nil
		}
		if err != nil {
			return nil, ErrorList{syntaxError(file, err)}
		}
		if len(n.Content) == 0 || isNull(n.Content[0]) {
			continue // empty document, e.g. a trailing "---"
		}
		docs = append(docs, n.Content[0])
	}
}

var yamlLineRE = regexp.MustCompile(`^yaml: (?:line (\d+): )?(.*)$`)

// yamlParserProblems are the problems yaml.v3 reports as parser (not
// scanner) errors. For those it prints the 0-based line of the mark (a
// known quirk: scanner errors get +1, parser errors do not), so one is
// added to make every reported line 1-based and exact.
var yamlParserProblems = map[string]bool{
	"did not find expected ',' or ']'":       true,
	"did not find expected ',' or '}'":       true,
	"did not find expected '-' indicator":    true,
	"did not find expected <document start>": true,
	"did not find expected <stream-start>":   true,
	"did not find expected key":              true,
	"did not find expected node content":     true,
	"found duplicate %TAG directive":         true,
	"found duplicate %YAML directive":        true,
	"found incompatible YAML document":       true,
	"found undefined tag handle":             true,
}

func syntaxError(file string, err error) *FieldError {
	m := yamlLineRE.FindStringSubmatch(err.Error())
	if m == nil {
		return &FieldError{File: file, Msg: "YAML syntax: " + err.Error()}
	}
	line, _ := strconv.Atoi(m[1]) // 0 when yaml gave no line
	if yamlParserProblems[m[2]] {
		line++
	}
	return &FieldError{File: file, Line: line, Msg: "YAML syntax: " + m[2]}
}

// YAML renders the scenario (as defaulted) in its file format.
func (s *Scenario) YAML() ([]byte, error) {
	b, err := sigyaml.Marshal(s)
	if err != nil {
		return nil, fmt.Errorf("scenario %s: %w", s.Metadata.Name, err)
	}
	return b, nil
}
