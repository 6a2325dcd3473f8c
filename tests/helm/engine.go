package main

// The subset of Helm's template engine the chart uses: Go text/template with
// sprig, Helm's own functions and the built-in objects.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"path"
	"strings"
	"text/template"

	sprig "github.com/Masterminds/sprig"
	yaml "gopkg.in/yaml.v3"
)

// Release is .Release of the render.
type Release struct {
	Name, Namespace string
}

// apiVersions is .Capabilities.APIVersions.
type apiVersions []string

// Has reports whether the cluster serves an API version (GROUP/VERSION or
// GROUP/VERSION/KIND), as Helm's VersionSet.Has.
func (v apiVersions) Has(s string) bool {
	for _, x := range v {
		if x == s {
			return true
		}
	}
	return false
}

// capabilities stands for a current cluster, like `helm template` without
// --kube-version.
var capabilities = map[string]interface{}{
	"KubeVersion": map[string]interface{}{
		"Version": "v1.28.0", "Major": "1", "Minor": "28", "GitVersion": "v1.28.0",
	},
	"APIVersions": apiVersions{"v1", "apps/v1", "policy/v1", "networking.k8s.io/v1",
		"apps/v1/StatefulSet", "apps/v1/DaemonSet", "apps/v1/Deployment", "v1/Service"},
	"HelmVersion": map[string]interface{}{"Version": "v3.12.0"},
}

// Render executes every template of the chart whose name does not start with
// "_" and returns the outputs by template name. strict makes a missing map
// key an error (helm lint --strict); otherwise it renders empty as in Helm.
func Render(chart *Chart, values map[string]interface{}, rel Release, strict bool) (map[string]string, error) {
	root := template.New("gotpl")
	if strict {
		root.Option("missingkey=error")
	} else {
		root.Option("missingkey=zero")
	}
	root.Funcs(funcMap(root))
	names := chart.TemplateNames()
	for _, name := range names {
		if _, err := root.New(name).Parse(chart.Templates[name]); err != nil {
			return nil, err
		}
	}
	out := map[string]string{}
	for _, name := range names {
		if strings.HasPrefix(path.Base(name), "_") {
			continue
		}
		top := map[string]interface{}{
			"Values": values,
			"Release": map[string]interface{}{
				"Name": rel.Name, "Namespace": rel.Namespace, "Service": "Helm",
				"IsInstall": true, "IsUpgrade": false, "Revision": 1,
			},
			"Chart":        chart.Metadata,
			"Capabilities": capabilities,
			"Template": map[string]interface{}{
				"Name": name, "BasePath": chart.Metadata["Name"].(string) + "/templates",
			},
		}
		var buf bytes.Buffer
		if err := root.ExecuteTemplate(&buf, name, top); err != nil {
			return nil, err
		}
		out[name] = strings.ReplaceAll(buf.String(), "<no value>", "")
	}
	return out, nil
}

// funcMap is sprig's function map as Helm changes it: no env/expandenv, and
// Helm's include, tpl, required, toYaml, fromYaml, toJson, fromJson, lookup.
func funcMap(root *template.Template) template.FuncMap {
	f := sprig.TxtFuncMap()
	delete(f, "env")
	delete(f, "expandenv")
	depth := map[string]int{}
	f["include"] = func(name string, data interface{}) (string, error) {
		if depth[name] > 1000 {
			return "", fmt.Errorf("rendering template has a nested reference name: %s", name)
		}
		depth[name]++
		defer func() { depth[name]-- }()
		var buf bytes.Buffer
		err := root.ExecuteTemplate(&buf, name, data)
		return buf.String(), err
	}
	f["tpl"] = func(text string, data interface{}) (string, error) {
		clone, err := root.Clone()
		if err != nil {
			return "", err
		}
		t, err := clone.New("tpl").Parse(text)
		if err != nil {
			return "", err
		}
		var buf bytes.Buffer
		if err := t.Execute(&buf, data); err != nil {
			return "", err
		}
		return strings.ReplaceAll(buf.String(), "<no value>", ""), nil
	}
	f["required"] = func(msg string, v interface{}) (interface{}, error) {
		if v == nil {
			return v, errors.New(msg)
		}
		if s, ok := v.(string); ok && s == "" {
			return v, errors.New(msg)
		}
		return v, nil
	}
	f["toYaml"] = func(v interface{}) string {
		var buf bytes.Buffer
		enc := yaml.NewEncoder(&buf)
		enc.SetIndent(2)
		if err := enc.Encode(v); err != nil {
			return ""
		}
		return strings.TrimSuffix(buf.String(), "\n")
	}
	f["fromYaml"] = func(s string) map[string]interface{} {
		m, err := parseYAMLMap([]byte(s), "fromYaml")
		if err != nil {
			return map[string]interface{}{"Error": err.Error()}
		}
		return m
	}
	f["toJson"] = func(v interface{}) string {
		data, err := json.Marshal(v)
		if err != nil {
			return ""
		}
		return string(data)
	}
	f["fromJson"] = func(s string) map[string]interface{} {
		m := map[string]interface{}{}
		if err := json.Unmarshal([]byte(s), &m); err != nil {
			m["Error"] = err.Error()
		}
		return m
	}
	f["lookup"] = func(apiVersion, kind, namespace, name string) (map[string]interface{}, error) {
		return map[string]interface{}{}, nil
	}
	return f
}
