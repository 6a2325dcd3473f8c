// grid-chart-check renders a Helm chart the way `helm template` does (the
// subset of Helm the grid chart uses) and validates the objects: Kubernetes
// API rules, references between objects, and grid's own rules for its pods.
//
//	grid-chart-check --chart helm/grid [-f values.yaml]... [--set K=V]...
//	                 [--release NAME] [--namespace NS] [--strict] [--show]
//	                 [--mutate TEMPLATE::FROM::TO]... [--expect-error TEXT]
//
// Exit status: 0 the chart renders and passes (with --expect-error: it
// failed with TEXT in the message), 1 it does not, 2 usage error.
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"
)

type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, " ") }
func (m *multiFlag) Set(s string) error { *m = append(*m, s); return nil }

func usageError(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "grid-chart-check: "+format+"\n", args...)
	os.Exit(2)
}

func main() {
	var valueFiles, sets, mutations multiFlag
	chartDir := flag.String("chart", "", "chart directory (required)")
	flag.Var(&valueFiles, "f", "values file merged over the chart's (repeatable)")
	flag.Var(&valueFiles, "values", "same as -f")
	flag.Var(&sets, "set", "KEY=VALUE[,KEY=VALUE] like helm --set (repeatable)")
	release := flag.String("release", "grid", "release name")
	namespace := flag.String("namespace", "grid", "release namespace")
	strict := flag.Bool("strict", false, "a missing map key is an error (helm lint --strict)")
	show := flag.Bool("show", false, "print the rendered manifests and NOTES.txt")
	flag.Var(&mutations, "mutate", "TEMPLATE::FROM::TO: render a copy of the chart with FROM replaced once (repeatable)")
	expectError := flag.String("expect-error", "", "succeed only if the chart fails with this text in the message")
	flag.Parse()
	expecting := false
	flag.Visit(func(f *flag.Flag) { expecting = expecting || f.Name == "expect-error" })
	if *chartDir == "" || flag.NArg() > 0 {
		usageError("usage: grid-chart-check --chart DIR [-f FILE]... [--set K=V]... (see -h)")
	}

	chart, err := LoadChart(*chartDir)
	if err == nil {
		for _, m := range mutations {
			if err := chart.Mutate(m); err != nil {
				usageError("%v", err)
			}
		}
	}
	var values map[string]interface{}
	if err == nil {
		values, err = mergedValues(chart, valueFiles, sets)
	}
	var objects []*Object
	var notes string
	if err == nil {
		objects, notes, err = renderObjects(chart, values, Release{*release, *namespace}, *strict, *show)
	}
	var problems []string
	if err == nil {
		problems = Validate(objects, values)
	} else {
		problems = []string{err.Error()}
	}

	failure := strings.Join(problems, "\n")
	switch {
	case expecting && len(problems) == 0:
		fmt.Printf("FAIL: the chart passed, but a failure containing %q was expected\n", *expectError)
		os.Exit(1)
	case expecting && strings.Contains(failure, *expectError):
		fmt.Printf("ok: the chart fails as expected:\n%s\n", failure)
	case len(problems) > 0:
		fmt.Printf("FAIL: %s: %d problem(s):\n%s\n", *chartDir, len(problems), failure)
		if expecting {
			fmt.Printf("(a failure containing %q was expected)\n", *expectError)
		}
		os.Exit(1)
	default:
		fmt.Printf("ok: %s (release %s, namespace %s): %d objects\n", *chartDir, *release, *namespace, len(objects))
		for _, o := range objects {
			fmt.Printf("  %s\n", o.ID())
		}
		fmt.Printf("  NOTES.txt: %d lines\n", strings.Count(notes, "\n"))
	}
}

// mergedValues builds .Values as Helm does: the -f files merged in order,
// each --set applied into that (so [N] edits a list from a file), and the
// result over the chart's values.
func mergedValues(chart *Chart, files, sets []string) (map[string]interface{}, error) {
	user := map[string]interface{}{}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			usageError("%v", err)
		}
		override, err := parseYAMLMap(data, file)
		if err != nil {
			return nil, err
		}
		mergeValues(user, override, true)
	}
	for _, s := range sets {
		if err := applySet(user, s); err != nil {
			usageError("%v", err)
		}
	}
	values := chart.Values
	mergeValues(values, user, false)
	return values, nil
}

// renderObjects renders the chart and decodes its objects; NOTES.txt must
// render too. show prints everything like `helm template` would.
func renderObjects(chart *Chart, values map[string]interface{}, rel Release, strict, show bool) ([]*Object, string, error) {
	rendered, err := Render(chart, values, rel, strict)
	if err != nil {
		return nil, "", err
	}
	names := chart.TemplateNames()
	notes := rendered[chart.Metadata["Name"].(string)+"/templates/NOTES.txt"]
	if show {
		for _, name := range names {
			if text, ok := rendered[name]; ok && strings.TrimSpace(text) != "" && !strings.HasSuffix(name, "NOTES.txt") {
				fmt.Printf("---\n# Source: %s\n%s\n", name, strings.TrimSpace(text))
			}
		}
		fmt.Printf("\nNOTES:\n%s\n", notes)
	}
	objects, err := SplitObjects(rendered, names)
	return objects, notes, err
}
