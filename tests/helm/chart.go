package main

// Loading a chart directory: Chart.yaml, values.yaml and templates/.

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Chart is a loaded chart: metadata as Helm exposes it in .Chart, the
// default values and the templates keyed by CHARTNAME/templates/PATH.
type Chart struct {
	Metadata  map[string]interface{}
	Values    map[string]interface{}
	Templates map[string]string
}

// chartFields maps Chart.yaml keys to the field names of Helm's .Chart.
var chartFields = map[string]string{
	"apiVersion": "APIVersion", "name": "Name", "version": "Version",
	"kubeVersion": "KubeVersion", "description": "Description", "type": "Type",
	"keywords": "Keywords", "home": "Home", "sources": "Sources",
	"dependencies": "Dependencies", "maintainers": "Maintainers", "icon": "Icon",
	"appVersion": "AppVersion", "deprecated": "Deprecated",
	"annotations": "Annotations",
}

// LoadChart reads the chart in dir and checks Chart.yaml's required fields.
func LoadChart(dir string) (*Chart, error) {
	data, err := os.ReadFile(filepath.Join(dir, "Chart.yaml"))
	if err != nil {
		return nil, err
	}
	raw, err := parseYAMLMap(data, filepath.Join(dir, "Chart.yaml"))
	if err != nil {
		return nil, err
	}
	meta := map[string]interface{}{}
	for key, value := range raw {
		field, ok := chartFields[key]
		if !ok {
			return nil, fmt.Errorf("%s/Chart.yaml: unknown field %q", dir, key)
		}
		meta[field] = value
	}
	for _, f := range []string{"APIVersion", "Name", "Version"} {
		if s, ok := meta[f].(string); !ok || s == "" {
			return nil, fmt.Errorf("%s/Chart.yaml: %s must be a non-empty string", dir, f)
		}
	}
	if meta["APIVersion"] != "v2" {
		return nil, fmt.Errorf("%s/Chart.yaml: apiVersion must be v2", dir)
	}
	if _, ok := meta["AppVersion"].(string); !ok && meta["AppVersion"] != nil {
		return nil, fmt.Errorf("%s/Chart.yaml: appVersion must be a string (quote it)", dir)
	}
	chart := &Chart{Metadata: meta, Templates: map[string]string{}}

	data, err = os.ReadFile(filepath.Join(dir, "values.yaml"))
	if err != nil {
		return nil, err
	}
	if chart.Values, err = parseYAMLMap(data, filepath.Join(dir, "values.yaml")); err != nil {
		return nil, err
	}

	root := filepath.Join(dir, "templates")
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		text, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		chart.Templates[meta["Name"].(string)+"/"+filepath.ToSlash(rel)] = string(text)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(chart.Templates) == 0 {
		return nil, fmt.Errorf("%s: no templates", dir)
	}
	return chart, nil
}

// TemplateNames lists the templates in a fixed order.
func (c *Chart) TemplateNames() []string {
	names := make([]string, 0, len(c.Templates))
	for n := range c.Templates {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Mutate replaces the one occurrence of from in a template (named by its
// path under templates/) with to: a broken copy of the chart, for showing
// that the checks catch breakage. It fails unless from occurs exactly once.
func (c *Chart) Mutate(spec string) error {
	parts := strings.SplitN(spec, "::", 3)
	if len(parts) != 3 {
		return fmt.Errorf("--mutate %q: want TEMPLATE::FROM::TO", spec)
	}
	name := c.Metadata["Name"].(string) + "/templates/" + parts[0]
	text, ok := c.Templates[name]
	if !ok {
		return fmt.Errorf("--mutate: no template %s", name)
	}
	if n := strings.Count(text, parts[1]); n != 1 {
		return fmt.Errorf("--mutate: %q occurs %d times in %s, want once", parts[1], n, name)
	}
	c.Templates[name] = strings.Replace(text, parts[1], parts[2], 1)
	return nil
}
