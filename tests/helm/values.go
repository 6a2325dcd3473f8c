package main

// Values the way Helm builds them: the chart's values.yaml, then -f files,
// then --set expressions, merged key by key (a null deletes the key).

import (
	"fmt"
	"strconv"
	"strings"

	yaml "gopkg.in/yaml.v3"
)

// parseYAMLMap decodes one YAML mapping as Helm does: through JSON, so every
// number becomes a float64 and every key a string.
func parseYAMLMap(data []byte, source string) (map[string]interface{}, error) {
	var raw interface{}
	if err := yaml.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("%s: %v", source, err)
	}
	if raw == nil {
		return map[string]interface{}{}, nil
	}
	m, ok := jsonLike(raw).(map[string]interface{})
	if !ok {
		return nil, fmt.Errorf("%s: the document is not a mapping", source)
	}
	return m, nil
}

// jsonLike converts decoded YAML to what encoding/json would produce.
func jsonLike(v interface{}) interface{} {
	switch t := v.(type) {
	case map[string]interface{}:
		for k, x := range t {
			t[k] = jsonLike(x)
		}
		return t
	case map[interface{}]interface{}:
		m := make(map[string]interface{}, len(t))
		for k, x := range t {
			m[fmt.Sprint(k)] = jsonLike(x)
		}
		return m
	case []interface{}:
		for i, x := range t {
			t[i] = jsonLike(x)
		}
		return t
	case int:
		return float64(t)
	case int64:
		return float64(t)
	case uint64:
		return float64(t)
	}
	return v
}

// mergeValues writes override into base: maps merge key by key, anything
// else replaces. A null removes the key, or with keepNull is stored (user
// values keep it so that it later removes the chart's default).
func mergeValues(base, override map[string]interface{}, keepNull bool) {
	for k, v := range override {
		if v == nil && !keepNull {
			delete(base, k)
			continue
		}
		if om, ok := v.(map[string]interface{}); ok {
			if bm, ok := base[k].(map[string]interface{}); ok {
				mergeValues(bm, om, keepNull)
				continue
			}
		}
		base[k] = v
	}
}

// applySet applies one --set expression: KEY=VALUE[,KEY=VALUE]..., KEY a
// dotted path with optional [N] indexes, VALUE a scalar or {a,b,c}.
// Scalars are typed like Helm's: true/false, null, integers (int64),
// anything else a string. A backslash escapes , . = { }.
func applySet(dst map[string]interface{}, expr string) error {
	for _, assignment := range splitTopLevel(expr) {
		eq := indexUnescaped(assignment, '=')
		if eq < 0 {
			return fmt.Errorf("--set %q: %q has no '='", expr, assignment)
		}
		path, err := parseKeyPath(assignment[:eq])
		if err != nil {
			return fmt.Errorf("--set %q: %v", expr, err)
		}
		raw := assignment[eq+1:]
		var value interface{}
		if strings.HasPrefix(raw, "{") && strings.HasSuffix(raw, "}") {
			list := []interface{}{}
			if inner := raw[1 : len(raw)-1]; inner != "" {
				for _, item := range splitUnescaped(inner, ',') {
					list = append(list, typedValue(unescape(item)))
				}
			}
			value = list
		} else {
			value = typedValue(unescape(raw))
		}
		if err := setPath(dst, path, value); err != nil {
			return fmt.Errorf("--set %q: %v", expr, err)
		}
	}
	return nil
}

func typedValue(s string) interface{} {
	switch {
	case strings.EqualFold(s, "true"):
		return true
	case strings.EqualFold(s, "false"):
		return false
	case s == "null":
		return nil
	case s == "0":
		return int64(0)
	}
	if s != "" && s[0] != '0' {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			return n
		}
	}
	return s
}

// keyStep is one step of a --set path: a map key, then optional list indexes.
type keyStep struct {
	key     string
	indexes []int
}

func parseKeyPath(key string) ([]keyStep, error) {
	var steps []keyStep
	for _, part := range splitUnescaped(key, '.') {
		step := keyStep{}
		name := part
		for strings.HasSuffix(name, "]") {
			open := strings.LastIndex(name, "[")
			if open < 0 {
				return nil, fmt.Errorf("key %q: unbalanced ']'", key)
			}
			n, err := strconv.Atoi(name[open+1 : len(name)-1])
			if err != nil || n < 0 {
				return nil, fmt.Errorf("key %q: bad index %q", key, name[open:])
			}
			step.indexes = append([]int{n}, step.indexes...)
			name = name[:open]
		}
		step.key = unescape(name)
		if step.key == "" {
			return nil, fmt.Errorf("key %q has an empty part", key)
		}
		steps = append(steps, step)
	}
	return steps, nil
}

// setPath stores value at path, creating maps and lists (padded with nulls).
func setPath(m map[string]interface{}, path []keyStep, value interface{}) error {
	step := path[0]
	last := len(path) == 1
	if len(step.indexes) == 0 {
		if last {
			m[step.key] = value
			return nil
		}
		child, ok := m[step.key].(map[string]interface{})
		if !ok {
			child = map[string]interface{}{}
			m[step.key] = child
		}
		return setPath(child, path[1:], value)
	}
	// Walk the indexes; the innermost slot gets value or the next map.
	var slot func(container interface{}, idx []int) (interface{}, error)
	slot = func(container interface{}, idx []int) (interface{}, error) {
		list, _ := container.([]interface{})
		for len(list) <= idx[0] {
			list = append(list, nil)
		}
		if len(idx) > 1 {
			inner, err := slot(list[idx[0]], idx[1:])
			if err != nil {
				return nil, err
			}
			list[idx[0]] = inner
			return list, nil
		}
		if last {
			list[idx[0]] = value
			return list, nil
		}
		child, ok := list[idx[0]].(map[string]interface{})
		if !ok {
			child = map[string]interface{}{}
			list[idx[0]] = child
		}
		return list, setPath(child, path[1:], value)
	}
	list, err := slot(m[step.key], step.indexes)
	m[step.key] = list
	return err
}

// splitTopLevel splits a --set expression on commas outside {...}.
func splitTopLevel(s string) []string {
	var parts []string
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '{':
			depth++
		case '}':
			depth--
		case ',':
			if depth == 0 {
				parts = append(parts, s[start:i])
				start = i + 1
			}
		}
	}
	return append(parts, s[start:])
}

func splitUnescaped(s string, sep byte) []string {
	var parts []string
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' {
			i++
		} else if s[i] == sep {
			parts = append(parts, s[start:i])
			start = i + 1
		}
	}
	return append(parts, s[start:])
}

func indexUnescaped(s string, c byte) int {
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' {
			i++
		} else if s[i] == c {
			return i
		}
	}
	return -1
}

func unescape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
