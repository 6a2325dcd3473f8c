package main

// Checks of the rendered objects against the Kubernetes API rules the chart
// relies on: object identity, workloads, Services, and the references
// between them. Pod and container rules are in podspec.go, grid's own in
// gridrules.go.

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
)

var (
	dns1123Label     = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`)
	dns1123Subdomain = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`)
	dns1035Label     = regexp.MustCompile(`^[a-z]([-a-z0-9]*[a-z0-9])?$`)
	labelName        = regexp.MustCompile(`^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$`)
	ianaSvcName      = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]*[a-z0-9])?$`)
)

// apiVersionOf lists the kinds the checker knows, with their API version.
var apiVersionOf = map[string]string{
	"StatefulSet": "apps/v1", "DaemonSet": "apps/v1", "Deployment": "apps/v1",
	"Service": "v1",
}

// workload is a rendered StatefulSet, DaemonSet or Deployment.
type workload struct {
	obj        *Object
	selector   map[string]string
	podLabels  map[string]string
	podSpec    Field
	claimNames map[string]bool // StatefulSet volumeClaimTemplates
}

// Validator checks one render. values are the merged values, used to tell
// that referenced Secrets are ones the operator names in them.
type Validator struct {
	p         *Problems
	objects   []*Object
	values    map[string]interface{}
	workloads []*workload
	services  map[string]*Object
}

// Validate returns every problem found in objects, in a fixed order.
func Validate(objects []*Object, values map[string]interface{}) []string {
	v := &Validator{p: &Problems{}, objects: objects, values: values, services: map[string]*Object{}}
	seen := map[string]*Object{}
	for _, o := range objects {
		f := rootField(v.p, o)
		f.OnlyKeys("apiVersion", "kind", "metadata", "spec")
		kind, okKind := f.Get("kind").String(true)
		api, okAPI := f.Get("apiVersion").String(true)
		name := v.checkMetadata(f.Get("metadata"), kind)
		if !okKind || !okAPI {
			continue
		}
		want, known := apiVersionOf[kind]
		if !known {
			f.Get("kind").Errorf("kind %q is not one the checker knows; add its rules to tests/helm", kind)
			continue
		}
		if api != want {
			f.Get("apiVersion").Errorf("%s is served as %s, not %s", kind, want, api)
		}
		key := kind + "/" + name
		if prev, dup := seen[key]; dup {
			f.Errorf("same kind and name as %s", prev.ID())
		}
		seen[key] = o
		switch kind {
		case "Service":
			v.services[name] = o
			v.checkService(f)
		default:
			if w := v.checkWorkload(f, kind); w != nil {
				v.workloads = append(v.workloads, w)
			}
		}
	}
	v.checkReferences()
	checkGridRules(v)
	sort.Strings(v.p.list)
	return v.p.list
}

// checkMetadata checks metadata and returns the object's name.
func (v *Validator) checkMetadata(f Field, kind string) string {
	if _, ok := f.Map(true); !ok {
		return ""
	}
	f.OnlyKeys("name", "namespace", "labels", "annotations")
	name, ok := f.Get("name").String(true)
	if ok {
		switch kind {
		case "Service":
			if len(name) > 63 || !dns1035Label.MatchString(name) {
				f.Get("name").Errorf("%q is not a DNS-1035 label (a-z0-9-, starts with a letter, at most 63)", name)
			}
		case "StatefulSet":
			if len(name) > 52 || !dns1123Label.MatchString(name) {
				f.Get("name").Errorf("%q is not a DNS label of at most 52 characters (its revision label must fit 63)", name)
			}
		default:
			if len(name) > 253 || !dns1123Subdomain.MatchString(name) {
				f.Get("name").Errorf("%q is not a DNS subdomain", name)
			}
		}
	}
	if ns, ok := f.Get("namespace").String(false); ok && !dns1123Label.MatchString(ns) {
		f.Get("namespace").Errorf("%q is not a DNS label", ns)
	}
	checkLabels(f.Get("labels"), false)
	f.Get("annotations").StringMap(false)
	return name
}

// checkLabels checks label keys and values; required also wants one label.
func checkLabels(f Field, required bool) map[string]string {
	labels, ok := f.StringMap(required)
	if !ok {
		return labels
	}
	if required && len(labels) == 0 {
		f.Errorf("must not be empty")
	}
	for k, val := range labels {
		name := k
		if slash := strings.LastIndex(k, "/"); slash >= 0 {
			prefix := k[:slash]
			name = k[slash+1:]
			if len(prefix) > 253 || !dns1123Subdomain.MatchString(prefix) {
				f.Get(k).Errorf("label key prefix %q is not a DNS subdomain", prefix)
			}
		}
		if len(name) > 63 || !labelName.MatchString(name) {
			f.Get(k).Errorf("label key name %q is invalid", name)
		}
		if val != "" && (len(val) > 63 || !labelName.MatchString(val)) {
			f.Get(k).Errorf("label value %q is invalid (at most 63 of A-Za-z0-9-_. , alphanumeric at both ends)", val)
		}
	}
	return labels
}

// checkWorkload checks a StatefulSet, DaemonSet or Deployment.
func (v *Validator) checkWorkload(f Field, kind string) *workload {
	spec := f.Get("spec")
	if _, ok := spec.Map(true); !ok {
		return nil
	}
	switch kind {
	case "StatefulSet":
		spec.OnlyKeys("replicas", "selector", "template", "serviceName", "volumeClaimTemplates",
			"podManagementPolicy", "updateStrategy", "revisionHistoryLimit", "minReadySeconds",
			"persistentVolumeClaimRetentionPolicy")
	case "Deployment":
		spec.OnlyKeys("replicas", "selector", "template", "strategy", "minReadySeconds",
			"revisionHistoryLimit", "progressDeadlineSeconds", "paused")
	case "DaemonSet":
		spec.OnlyKeys("selector", "template", "updateStrategy", "minReadySeconds", "revisionHistoryLimit")
	}
	spec.Get("replicas").Int(false, 0, 1<<20)
	w := &workload{obj: f.obj, claimNames: map[string]bool{}}
	sel := spec.Get("selector")
	if _, ok := sel.Map(true); ok {
		sel.OnlyKeys("matchLabels")
		w.selector = checkLabels(sel.Get("matchLabels"), true)
	}
	tmpl := spec.Get("template")
	if _, ok := tmpl.Map(true); ok {
		tmpl.OnlyKeys("metadata", "spec")
		meta := tmpl.Get("metadata")
		meta.Map(true)
		meta.OnlyKeys("labels", "annotations")
		w.podLabels = checkLabels(meta.Get("labels"), true)
		meta.Get("annotations").StringMap(false)
		for k, val := range w.selector {
			if got, ok := w.podLabels[k]; !ok || got != val {
				sel.Get("matchLabels").Get(k).Errorf("selects %s=%s but the pod template has %q: the controller would own no pods", k, val, got)
			}
		}
	}
	if kind == "StatefulSet" {
		spec.Get("serviceName").String(true)
		claims, _ := spec.Get("volumeClaimTemplates").List(true)
		for _, c := range claims {
			if name := checkClaimTemplate(c); name != "" {
				if w.claimNames[name] {
					c.Errorf("claim name %q is used twice", name)
				}
				w.claimNames[name] = true
			}
		}
	}
	w.podSpec = tmpl.Get("spec")
	checkPodSpec(w.podSpec, w.claimNames, v.values)
	return w
}

// checkClaimTemplate checks one volumeClaimTemplates entry; returns its name.
func checkClaimTemplate(c Field) string {
	if _, ok := c.Map(true); !ok {
		return ""
	}
	c.OnlyKeys("metadata", "spec")
	c.Get("metadata").OnlyKeys("name", "labels", "annotations")
	name, _ := c.Path("metadata.name").String(true)
	checkLabels(c.Path("metadata.labels"), false)
	spec := c.Get("spec")
	spec.Map(true)
	spec.OnlyKeys("accessModes", "storageClassName", "resources", "selector", "volumeMode")
	modes, _ := spec.Get("accessModes").List(true)
	if len(modes) == 0 {
		spec.Get("accessModes").Errorf("needs at least one access mode")
	}
	for _, m := range modes {
		m.OneOf(true, "ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod")
	}
	spec.Get("storageClassName").String(false)
	spec.Get("resources").OnlyKeys("requests", "limits")
	checkQuantity(spec.Path("resources.requests.storage"), true)
	return name
}

// checkService checks a Service's spec and ports.
func (v *Validator) checkService(f Field) {
	spec := f.Get("spec")
	if _, ok := spec.Map(true); !ok {
		return
	}
	spec.OnlyKeys("type", "selector", "ports", "clusterIP", "publishNotReadyAddresses",
		"sessionAffinity", "externalTrafficPolicy", "internalTrafficPolicy",
		"loadBalancerSourceRanges", "ipFamilyPolicy", "ipFamilies")
	typ, _ := spec.Get("type").OneOf(false, "ClusterIP", "NodePort", "LoadBalancer")
	if typ == "" {
		typ = "ClusterIP"
	}
	if ip, ok := spec.Get("clusterIP").String(false); ok && ip != "None" {
		spec.Get("clusterIP").Errorf("only \"None\" (headless) is expected from the chart, not %q", ip)
	}
	spec.Get("publishNotReadyAddresses").Bool(false)
	checkLabels(spec.Get("selector"), true)
	ports, _ := spec.Get("ports").List(true)
	if len(ports) == 0 {
		spec.Get("ports").Errorf("a Service needs at least one port")
	}
	names, numbers := map[string]bool{}, map[int]bool{}
	for _, p := range ports {
		if _, ok := p.Map(true); !ok {
			continue
		}
		p.OnlyKeys("name", "port", "targetPort", "protocol", "nodePort", "appProtocol")
		name, hasName := p.Get("name").String(len(ports) > 1)
		if hasName {
			checkPortName(p.Get("name"), name)
			if names[name] {
				p.Get("name").Errorf("port name %q is used twice", name)
			}
			names[name] = true
		}
		if n, ok := p.Get("port").Int(true, 1, 65535); ok {
			if numbers[n] {
				p.Get("port").Errorf("port %d is used twice", n)
			}
			numbers[n] = true
		}
		checkTargetPort(p.Get("targetPort"))
		p.Get("protocol").OneOf(false, "TCP", "UDP", "SCTP")
		if p.Get("nodePort").Present() {
			p.Get("nodePort").Int(true, 30000, 32767)
			if typ == "ClusterIP" {
				p.Get("nodePort").Errorf("a ClusterIP Service cannot have a nodePort")
			}
		}
	}
}

// checkTargetPort accepts a port number or a container port name.
func checkTargetPort(f Field) {
	if !f.Present() {
		return
	}
	if s, ok := f.value.(string); ok {
		checkPortName(f, s)
		return
	}
	f.Int(true, 1, 65535)
}

// checkPortName checks an IANA_SVC_NAME: at most 15 of a-z0-9-, one letter.
func checkPortName(f Field, name string) {
	if len(name) > 15 || !ianaSvcName.MatchString(name) || strings.Contains(name, "--") ||
		!strings.ContainsAny(name, "abcdefghijklmnopqrstuvwxyz") {
		f.Errorf("port name %q is not an IANA service name (at most 15 of a-z0-9-, with a letter)", name)
	}
}

// selects reports whether selector matches labels.
func selects(selector, labels map[string]string) bool {
	if len(selector) == 0 {
		return false
	}
	for k, v := range selector {
		if labels[k] != v {
			return false
		}
	}
	return true
}

// checkReferences checks what refers across objects: Services select pods
// and name their ports, StatefulSets have their headless Service, and no two
// workloads claim each other's pods.
func (v *Validator) checkReferences() {
	for _, svc := range v.services {
		f := rootField(v.p, svc)
		selector, _ := f.Path("spec.selector").StringMap(false)
		var matched []*workload
		for _, w := range v.workloads {
			if selects(selector, w.podLabels) {
				matched = append(matched, w)
			}
		}
		if len(matched) == 0 {
			f.Path("spec.selector").Errorf("selects no pods of the chart")
			continue
		}
		ports, _ := f.Path("spec.ports").List(false)
		for _, p := range ports {
			target := p.Get("targetPort")
			name, isName := target.value.(string)
			if !isName {
				continue
			}
			for _, w := range matched {
				if !containerPortNames(w.podSpec)[name] {
					target.Errorf("%s has no container port named %q", w.obj.ID(), name)
				}
			}
		}
	}
	for i, w := range v.workloads {
		f := rootField(v.p, w.obj)
		if str(w.obj.Body["kind"]) == "StatefulSet" {
			name := str(get(w.obj.Body, "spec", "serviceName"))
			svc, ok := v.services[name]
			switch {
			case name == "":
			case !ok:
				f.Path("spec.serviceName").Errorf("no Service %q in the chart", name)
			case str(get(svc.Body, "spec", "clusterIP")) != "None":
				f.Path("spec.serviceName").Errorf("Service %q must be headless (clusterIP: None)", name)
			default:
				sel, _ := get(svc.Body, "spec", "selector").(map[string]interface{})
				if !selects(toStringMap(sel), w.podLabels) {
					f.Path("spec.serviceName").Errorf("Service %q does not select this StatefulSet's pods", name)
				}
			}
		}
		for _, other := range v.workloads[i+1:] {
			if selects(w.selector, other.podLabels) || selects(other.selector, w.podLabels) {
				f.Path("spec.selector").Errorf("overlaps with %s: both controllers would claim the same pods", other.obj.ID())
			}
		}
	}
}

func toStringMap(m map[string]interface{}) map[string]string {
	out := map[string]string{}
	for k, v := range m {
		out[k] = fmt.Sprint(v)
	}
	return out
}

// valueStrings lists every string in the values (for Secret references).
func valueStrings(v interface{}, out map[string]bool) {
	switch t := v.(type) {
	case string:
		out[t] = true
	case map[string]interface{}:
		for _, x := range t {
			valueStrings(x, out)
		}
	case []interface{}:
		for _, x := range t {
			valueStrings(x, out)
		}
	}
}
