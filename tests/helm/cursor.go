package main

// Typed access to decoded objects that records a problem, with the field's
// path, whenever a field is missing or of the wrong type.

import (
	"fmt"
	"sort"
	"strings"
)

// Problems collects what is wrong with the rendered chart.
type Problems struct{ list []string }

func (p *Problems) Addf(format string, args ...interface{}) {
	p.list = append(p.list, fmt.Sprintf(format, args...))
}

// Field is one value inside an object, with its path for messages.
type Field struct {
	p       *Problems
	obj     *Object
	path    string
	value   interface{}
	present bool
}

func rootField(p *Problems, o *Object) Field {
	return Field{p: p, obj: o, path: "", value: o.Body, present: true}
}

func (f Field) Errorf(format string, args ...interface{}) {
	where := f.path
	if where == "" {
		where = "(object)"
	}
	f.p.Addf("%s: %s: %s", f.obj.ID(), where, fmt.Sprintf(format, args...))
}

func (f Field) Present() bool { return f.present && f.value != nil }

// Get is the field key of a mapping (absent when f is not a mapping).
func (f Field) Get(key string) Field {
	sub := f.path + "." + key
	if f.path == "" {
		sub = key
	}
	m, _ := f.value.(map[string]interface{})
	v, ok := m[key]
	return Field{p: f.p, obj: f.obj, path: sub, value: v, present: ok}
}

// Path follows dotted keys.
func (f Field) Path(keys string) Field {
	for _, k := range strings.Split(keys, ".") {
		f = f.Get(k)
	}
	return f
}

func (f Field) typeName() string {
	switch f.value.(type) {
	case map[string]interface{}:
		return "a mapping"
	case []interface{}:
		return "a list"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case int, float64:
		return "a number"
	case nil:
		return "null"
	}
	return fmt.Sprintf("%T", f.value)
}

// Map returns the mapping, recording a problem if it is absent (when
// required) or not a mapping.
func (f Field) Map(required bool) (map[string]interface{}, bool) {
	if !f.Present() {
		if required {
			f.Errorf("required mapping is missing")
		}
		return nil, false
	}
	m, ok := f.value.(map[string]interface{})
	if !ok {
		f.Errorf("must be a mapping, is %s", f.typeName())
	}
	return m, ok
}

// List returns the list's elements as fields.
func (f Field) List(required bool) ([]Field, bool) {
	if !f.Present() {
		if required {
			f.Errorf("required list is missing")
		}
		return nil, false
	}
	l, ok := f.value.([]interface{})
	if !ok {
		f.Errorf("must be a list, is %s", f.typeName())
		return nil, false
	}
	items := make([]Field, len(l))
	for i, v := range l {
		items[i] = Field{p: f.p, obj: f.obj, path: fmt.Sprintf("%s[%d]", f.path, i), value: v, present: true}
	}
	return items, true
}

// String returns the string; required also rejects "".
func (f Field) String(required bool) (string, bool) {
	if !f.Present() {
		if required {
			f.Errorf("required string is missing")
		}
		return "", false
	}
	s, ok := f.value.(string)
	if !ok {
		f.Errorf("must be a string, is %s (%v)", f.typeName(), f.value)
		return "", false
	}
	if required && s == "" {
		f.Errorf("must not be empty")
		return "", false
	}
	return s, true
}

// Int returns the integer, checking it lies in [min, max].
func (f Field) Int(required bool, min, max int) (int, bool) {
	if !f.Present() {
		if required {
			f.Errorf("required integer is missing")
		}
		return 0, false
	}
	n, ok := f.value.(int)
	if !ok {
		f.Errorf("must be an integer, is %s (%v)", f.typeName(), f.value)
		return 0, false
	}
	if n < min || n > max {
		f.Errorf("%d is outside [%d, %d]", n, min, max)
		return n, false
	}
	return n, true
}

// Bool returns the boolean.
func (f Field) Bool(required bool) (bool, bool) {
	if !f.Present() {
		if required {
			f.Errorf("required boolean is missing")
		}
		return false, false
	}
	b, ok := f.value.(bool)
	if !ok {
		f.Errorf("must be a boolean, is %s (%v)", f.typeName(), f.value)
	}
	return b, ok
}

// StringMap returns a mapping of strings to strings (labels, selectors).
func (f Field) StringMap(required bool) (map[string]string, bool) {
	m, ok := f.Map(required)
	if !ok {
		return nil, false
	}
	out := map[string]string{}
	for k, v := range m {
		s, isString := v.(string)
		if !isString {
			f.Get(k).Errorf("must be a string, is %s (%v)", f.Get(k).typeName(), v)
			ok = false
			continue
		}
		out[k] = s
	}
	return out, ok
}

// OnlyKeys records a problem for every key of a mapping not in allowed:
// Kubernetes rejects unknown fields, and a typo would silently do nothing.
func (f Field) OnlyKeys(allowed ...string) {
	m, ok := f.value.(map[string]interface{})
	if !ok {
		return
	}
	set := map[string]bool{}
	for _, a := range allowed {
		set[a] = true
	}
	var unknown []string
	for k := range m {
		if !set[k] {
			unknown = append(unknown, k)
		}
	}
	sort.Strings(unknown)
	for _, k := range unknown {
		f.Get(k).Errorf("unknown field (known here: %s)", strings.Join(allowed, ", "))
	}
}

// OneOf records a problem unless the string is one of the choices.
func (f Field) OneOf(required bool, choices ...string) (string, bool) {
	s, ok := f.String(required)
	if !ok {
		return s, false
	}
	for _, c := range choices {
		if s == c {
			return s, true
		}
	}
	f.Errorf("%q is not one of %s", s, strings.Join(choices, ", "))
	return s, false
}

func get(m map[string]interface{}, keys ...string) interface{} {
	var v interface{} = m
	for _, k := range keys {
		mm, ok := v.(map[string]interface{})
		if !ok {
			return nil
		}
		v = mm[k]
	}
	return v
}

func str(v interface{}) string {
	s, _ := v.(string)
	return s
}
