package main

// Splitting rendered templates into YAML documents and decoding them.

import (
	"fmt"
	"regexp"
	"strings"

	yaml "gopkg.in/yaml.v3"
)

// Object is one rendered Kubernetes object.
type Object struct {
	Source string // template name
	Doc    int    // document number within the template's output, from 1
	Body   map[string]interface{}
}

// ID names an object in messages: Kind/name (template #doc).
func (o *Object) ID() string {
	return fmt.Sprintf("%s/%s (%s #%d)", str(o.Body["kind"]), str(get(o.Body, "metadata", "name")), o.Source, o.Doc)
}

var docSeparator = regexp.MustCompile(`(?m)^---[ \t]*(#.*)?$`)

// yaml11Bool matches plain scalars that YAML 1.1 (which Kubernetes' decoder
// follows) reads as booleans while YAML 1.2 reads them as strings.
var yaml11Bool = regexp.MustCompile(`^(y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$`)

// SplitObjects decodes every non-empty document of the rendered templates.
func SplitObjects(rendered map[string]string, names []string) ([]*Object, error) {
	var objects []*Object
	for _, name := range names {
		text, ok := rendered[name]
		if !ok || strings.HasSuffix(name, "NOTES.txt") {
			continue
		}
		for i, doc := range docSeparator.Split(text, -1) {
			var node yaml.Node
			if err := yaml.Unmarshal([]byte(doc), &node); err != nil {
				return nil, fmt.Errorf("%s document %d: %v\n%s", name, i+1, err, numbered(doc))
			}
			if len(node.Content) == 0 {
				continue // empty or comments only
			}
			if err := checkYAML11(&node); err != nil {
				return nil, fmt.Errorf("%s document %d: %v", name, i+1, err)
			}
			var body interface{}
			if err := node.Decode(&body); err != nil {
				return nil, fmt.Errorf("%s document %d: %v", name, i+1, err)
			}
			m, ok := body.(map[string]interface{})
			if !ok {
				return nil, fmt.Errorf("%s document %d: not a mapping:\n%s", name, i+1, numbered(doc))
			}
			objects = append(objects, &Object{Source: name, Doc: i + 1, Body: m})
		}
	}
	return objects, nil
}

// checkYAML11 rejects unquoted scalars whose type differs between YAML 1.2
// and the YAML 1.1 Kubernetes reads.
func checkYAML11(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode && n.Style == 0 && n.Tag == "!!str" && yaml11Bool.MatchString(n.Value) {
		return fmt.Errorf("line %d: unquoted %q is a boolean to Kubernetes (YAML 1.1); quote it", n.Line, n.Value)
	}
	for _, c := range n.Content {
		if err := checkYAML11(c); err != nil {
			return err
		}
	}
	return nil
}

// numbered returns text with line numbers, for showing a broken document.
func numbered(text string) string {
	var b strings.Builder
	for i, line := range strings.Split(text, "\n") {
		fmt.Fprintf(&b, "%4d  %s\n", i+1, line)
	}
	return b.String()
}
