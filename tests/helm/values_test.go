package main

import (
	"reflect"
	"testing"
)

func TestApplySetTypesPathsAndLists(t *testing.T) {
	got := map[string]interface{}{}
	for _, expr := range []string{
		"probe.kind=Deployment,probe.replicas=3",
		"tls.enabled=false,x=null,zero=0,octal=010",
		"probe.serves={198.18.3.0/24,2001:2::/64}",
		`probeGroups[1].name=eu,a\.b=c\,d`,
	} {
		if err := applySet(got, expr); err != nil {
			t.Fatalf("applySet(%q): %v", expr, err)
		}
	}
	want := map[string]interface{}{
		"probe": map[string]interface{}{
			"kind": "Deployment", "replicas": int64(3),
			"serves": []interface{}{"198.18.3.0/24", "2001:2::/64"},
		},
		"tls":         map[string]interface{}{"enabled": false},
		"x":           nil,
		"zero":        int64(0),
		"octal":       "010",
		"probeGroups": []interface{}{nil, map[string]interface{}{"name": "eu"}},
		"a.b":         "c,d",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %#v\nwant %#v", got, want)
	}
}

func TestApplySetRejectsMissingValue(t *testing.T) {
	if err := applySet(map[string]interface{}{}, "probe.kind"); err == nil {
		t.Error("accepted an expression without '='")
	}
}

func TestMergeValuesMergesMapsAndNullDeletes(t *testing.T) {
	base, err := parseYAMLMap([]byte("a: {b: 1, c: 2}\nd: [1]\ne: x\n"), "base")
	if err != nil {
		t.Fatal(err)
	}
	override, _ := parseYAMLMap([]byte("a: {c: 3}\nd: [2, 3]\ne: null\n"), "override")
	mergeValues(base, override, false)
	want := map[string]interface{}{
		"a": map[string]interface{}{"b": 1.0, "c": 3.0},
		"d": []interface{}{2.0, 3.0},
	}
	if !reflect.DeepEqual(base, want) {
		t.Errorf("got %#v, want %#v", base, want)
	}
}
