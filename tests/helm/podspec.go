package main

// Checks of pod specs and containers.

import (
	"path"
	"regexp"
	"strconv"
	"strings"
)

var (
	envName    = regexp.MustCompile(`^[-._a-zA-Z][-._a-zA-Z0-9]*$`)
	varRef     = regexp.MustCompile(`\$\(([^)]*)\)`)
	imageTag   = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$`)
	imageRepo  = regexp.MustCompile(`^[a-z0-9]+([._-][a-z0-9]+)*(/[a-z0-9]+([._-][a-z0-9]+)*)*$`)
	capability = regexp.MustCompile(`^[A-Z][A-Z_]*$`)
	quantity   = regexp.MustCompile(`^([0-9]+(\.[0-9]*)?|\.[0-9]+)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$`)
)

// fieldPaths a downward-API fieldRef may name (without labels/annotations).
var fieldPaths = map[string]bool{
	"metadata.name": true, "metadata.namespace": true, "metadata.uid": true,
	"spec.nodeName": true, "spec.serviceAccountName": true,
	"status.hostIP": true, "status.podIP": true, "status.podIPs": true,
}

// checkPodSpec checks a pod template's spec. claimNames are a StatefulSet's
// volume claim templates, which containers may mount like volumes.
func checkPodSpec(f Field, claimNames map[string]bool, values map[string]interface{}) {
	if _, ok := f.Map(true); !ok {
		return
	}
	f.OnlyKeys("containers", "volumes", "hostNetwork", "dnsPolicy", "securityContext",
		"imagePullSecrets", "nodeSelector", "tolerations", "affinity",
		"automountServiceAccountToken", "serviceAccountName", "terminationGracePeriodSeconds",
		"priorityClassName", "topologySpreadConstraints")
	hostNetwork, _ := f.Get("hostNetwork").Bool(false)
	f.Get("dnsPolicy").OneOf(false, "ClusterFirst", "ClusterFirstWithHostNet", "Default", "None")
	f.Get("automountServiceAccountToken").Bool(false)
	f.Get("terminationGracePeriodSeconds").Int(false, 0, 3600)
	f.Get("nodeSelector").StringMap(false)
	f.Get("tolerations").List(false)
	f.Get("affinity").Map(false)
	secrets, _ := f.Get("imagePullSecrets").List(false)
	for _, s := range secrets {
		s.OnlyKeys("name")
		s.Get("name").String(true)
	}
	checkPodSecurityContext(f.Get("securityContext"), hostNetwork)

	volumes := map[string]bool{}
	for name := range claimNames {
		volumes[name] = true
	}
	known := map[string]bool{}
	valueStrings(values, known)
	list, _ := f.Get("volumes").List(false)
	for _, vol := range list {
		name := checkVolume(vol, known)
		if name == "" {
			continue
		}
		if volumes[name] {
			vol.Get("name").Errorf("volume %q is defined twice (or is also a claim template)", name)
		}
		volumes[name] = true
	}
	containers, _ := f.Get("containers").List(true)
	if len(containers) == 0 {
		f.Get("containers").Errorf("a pod needs at least one container")
	}
	names := map[string]bool{}
	for _, c := range containers {
		if name := checkContainer(c, volumes); name != "" {
			if names[name] {
				c.Get("name").Errorf("container name %q is used twice", name)
			}
			names[name] = true
		}
	}
}

func checkPodSecurityContext(f Field, hostNetwork bool) {
	if _, ok := f.Map(false); !ok {
		return
	}
	f.OnlyKeys("runAsNonRoot", "runAsUser", "runAsGroup", "fsGroup", "sysctls",
		"seccompProfile", "supplementalGroups", "fsGroupChangePolicy")
	f.Get("runAsNonRoot").Bool(false)
	for _, k := range []string{"runAsUser", "runAsGroup", "fsGroup"} {
		f.Get(k).Int(false, 0, 1<<31-1)
	}
	f.Get("seccompProfile").OnlyKeys("type", "localhostProfile")
	if f.Get("seccompProfile").Present() {
		f.Path("seccompProfile.type").OneOf(true, "RuntimeDefault", "Localhost", "Unconfined")
	}
	sysctls, _ := f.Get("sysctls").List(false)
	for _, s := range sysctls {
		s.OnlyKeys("name", "value")
		name, _ := s.Get("name").String(true)
		s.Get("value").String(true)
		if hostNetwork && strings.HasPrefix(name, "net.") {
			s.Errorf("Kubernetes rejects the namespaced sysctl %s in a hostNetwork pod", name)
		}
	}
}

// checkVolume checks one volume and returns its name. known are the strings
// of the values: a Secret the chart does not create must be named there.
func checkVolume(f Field, known map[string]bool) string {
	if _, ok := f.Map(true); !ok {
		return ""
	}
	f.OnlyKeys("name", "secret", "emptyDir", "configMap", "persistentVolumeClaim", "hostPath")
	name, ok := f.Get("name").String(true)
	if ok && (len(name) > 63 || !dns1123Label.MatchString(name)) {
		f.Get("name").Errorf("volume name %q is not a DNS label", name)
	}
	sources := 0
	for _, k := range []string{"secret", "emptyDir", "configMap", "persistentVolumeClaim", "hostPath"} {
		if f.Get(k).Present() {
			sources++
		}
	}
	if sources != 1 {
		f.Errorf("a volume needs exactly one source, has %d", sources)
	}
	if s := f.Get("secret"); s.Present() {
		s.OnlyKeys("secretName", "defaultMode", "items", "optional")
		secret, ok := s.Get("secretName").String(true)
		if ok && !namedInValues(secret, known) {
			s.Get("secretName").Errorf("Secret %q is not named in the values (nor NAME-SUFFIX of a name there)", secret)
		}
		s.Get("defaultMode").Int(false, 0, 0777)
	}
	if e := f.Get("emptyDir"); e.Present() {
		e.OnlyKeys("medium", "sizeLimit")
		checkQuantity(e.Get("sizeLimit"), false)
	}
	return name
}

// namedInValues: name is a string of the values, or one of them plus
// "-SUFFIX" (a name the chart derives, like tls.probeSecret-GROUP).
func namedInValues(name string, known map[string]bool) bool {
	for i := len(name); i > 0; i = strings.LastIndex(name[:i], "-") {
		if known[name[:i]] {
			return true
		}
	}
	return false
}

// checkContainer checks one container and returns its name.
func checkContainer(c Field, volumes map[string]bool) string {
	if _, ok := c.Map(true); !ok {
		return ""
	}
	c.OnlyKeys("name", "image", "imagePullPolicy", "command", "args", "env", "ports",
		"securityContext", "resources", "volumeMounts", "readinessProbe", "livenessProbe",
		"startupProbe", "workingDir")
	name, ok := c.Get("name").String(true)
	if ok && (len(name) > 63 || !dns1123Label.MatchString(name)) {
		c.Get("name").Errorf("container name %q is not a DNS label", name)
	}
	if image, ok := c.Get("image").String(true); ok {
		checkImage(c.Get("image"), image)
	}
	c.Get("imagePullPolicy").OneOf(false, "Always", "IfNotPresent", "Never")

	env := map[string]bool{}
	vars, _ := c.Get("env").List(false)
	for _, e := range vars {
		if n := checkEnvVar(e); n != "" {
			env[n] = true
		}
	}
	for _, key := range []string{"command", "args"} {
		items, _ := c.Get(key).List(false)
		for _, item := range items {
			s, ok := item.String(false)
			if !ok {
				continue
			}
			for _, m := range varRef.FindAllStringSubmatch(strings.ReplaceAll(s, "$$", ""), -1) {
				if !env[m[1]] {
					item.Errorf("$(%s) names no env variable of the container: Kubernetes would pass it literally", m[1])
				}
			}
		}
	}
	portNames := map[string]bool{}
	ports, _ := c.Get("ports").List(false)
	for _, p := range ports {
		p.OnlyKeys("name", "containerPort", "protocol", "hostPort")
		p.Get("containerPort").Int(true, 1, 65535)
		p.Get("protocol").OneOf(false, "TCP", "UDP", "SCTP")
		if n, ok := p.Get("name").String(false); ok {
			checkPortName(p.Get("name"), n)
			if portNames[n] {
				p.Get("name").Errorf("port name %q is used twice", n)
			}
			portNames[n] = true
		}
	}
	mounts := map[string]bool{}
	list, _ := c.Get("volumeMounts").List(false)
	for _, m := range list {
		m.OnlyKeys("name", "mountPath", "readOnly", "subPath")
		if n, ok := m.Get("name").String(true); ok && !volumes[n] {
			m.Get("name").Errorf("no volume or claim template %q in the pod", n)
		}
		if p, ok := m.Get("mountPath").String(true); ok {
			if !path.IsAbs(p) {
				m.Get("mountPath").Errorf("%q is not absolute", p)
			}
			if mounts[p] {
				m.Get("mountPath").Errorf("%q is mounted twice", p)
			}
			mounts[p] = true
		}
		m.Get("readOnly").Bool(false)
	}
	for _, k := range []string{"readinessProbe", "livenessProbe", "startupProbe"} {
		checkProbe(c.Get(k), portNames)
	}
	checkResources(c.Get("resources"))
	checkContainerSecurityContext(c.Get("securityContext"))
	return name
}

// checkImage checks REPOSITORY[:TAG][@DIGEST] (the registry may have a port).
func checkImage(f Field, image string) {
	rest := image
	if at := strings.Index(rest, "@"); at >= 0 {
		if !regexp.MustCompile(`^sha256:[0-9a-f]{64}$`).MatchString(rest[at+1:]) {
			f.Errorf("image %q has a malformed digest", image)
		}
		rest = rest[:at]
	}
	repo := rest
	if colon := strings.LastIndex(rest, ":"); colon > strings.LastIndex(rest, "/") {
		repo = rest[:colon]
		if tag := rest[colon+1:]; !imageTag.MatchString(tag) {
			f.Errorf("image %q has an invalid tag %q", image, tag)
		}
	}
	// A first component with a dot or a port is a registry host.
	if slash := strings.Index(repo, "/"); slash >= 0 && strings.ContainsAny(repo[:slash], ".:") {
		repo = repo[slash+1:]
	}
	if !imageRepo.MatchString(repo) {
		f.Errorf("image %q has an invalid repository %q", image, repo)
	}
}

// checkEnvVar checks one env entry and returns its name.
func checkEnvVar(e Field) string {
	if _, ok := e.Map(true); !ok {
		return ""
	}
	e.OnlyKeys("name", "value", "valueFrom")
	name, ok := e.Get("name").String(true)
	if ok && !envName.MatchString(name) {
		e.Get("name").Errorf("%q is not a valid env variable name", name)
	}
	if e.Get("value").Present() == e.Get("valueFrom").Present() {
		e.Errorf("needs exactly one of value and valueFrom")
	}
	e.Get("value").String(false)
	if from := e.Get("valueFrom"); from.Present() {
		from.OnlyKeys("fieldRef", "secretKeyRef", "configMapKeyRef")
		if ref := from.Get("fieldRef"); ref.Present() {
			ref.OnlyKeys("fieldPath", "apiVersion")
			if p, ok := ref.Get("fieldPath").String(true); ok && !fieldPaths[p] {
				ref.Get("fieldPath").Errorf("%q is not a downward API field", p)
			}
		}
		for _, k := range []string{"secretKeyRef", "configMapKeyRef"} {
			if ref := from.Get(k); ref.Present() {
				ref.OnlyKeys("name", "key", "optional")
				ref.Get("name").String(true)
				ref.Get("key").String(true)
			}
		}
	}
	return name
}

// checkProbe checks a readiness/liveness/startup probe.
func checkProbe(f Field, portNames map[string]bool) {
	if _, ok := f.Map(false); !ok {
		return
	}
	f.OnlyKeys("tcpSocket", "httpGet", "exec", "grpc", "initialDelaySeconds", "periodSeconds",
		"timeoutSeconds", "successThreshold", "failureThreshold")
	handlers := 0
	for _, k := range []string{"tcpSocket", "httpGet", "exec", "grpc"} {
		if f.Get(k).Present() {
			handlers++
		}
	}
	if handlers != 1 {
		f.Errorf("needs exactly one handler, has %d", handlers)
	}
	for _, k := range []string{"tcpSocket", "httpGet", "grpc"} {
		port := f.Get(k).Get("port")
		if name, ok := port.value.(string); ok && !portNames[name] {
			port.Errorf("the container has no port named %q", name)
		} else if f.Get(k).Present() {
			checkTargetPort(port)
		}
	}
	for _, k := range []string{"initialDelaySeconds", "periodSeconds", "timeoutSeconds", "successThreshold", "failureThreshold"} {
		f.Get(k).Int(false, 0, 86400)
	}
}

// checkResources wants requests and limits of cpu and memory, requests not
// above limits.
func checkResources(f Field) {
	if _, ok := f.Map(true); !ok {
		return
	}
	f.OnlyKeys("requests", "limits")
	amounts := map[string]float64{}
	for _, kind := range []string{"requests", "limits"} {
		r := f.Get(kind)
		if _, ok := r.Map(true); !ok {
			continue
		}
		r.OnlyKeys("cpu", "memory", "ephemeral-storage")
		for _, res := range []string{"cpu", "memory"} {
			if q, ok := checkQuantity(r.Get(res), true); ok {
				amounts[kind+"."+res] = q
			}
		}
	}
	for _, res := range []string{"cpu", "memory"} {
		req, okReq := amounts["requests."+res]
		lim, okLim := amounts["limits."+res]
		if okReq && okLim && req > lim {
			f.Get("requests").Get(res).Errorf("request is above the limit")
		}
	}
}

// checkQuantity parses a Kubernetes quantity (a number or a string).
func checkQuantity(f Field, required bool) (float64, bool) {
	if !f.Present() {
		if required {
			f.Errorf("required quantity is missing")
		}
		return 0, false
	}
	var s string
	switch v := f.value.(type) {
	case string:
		s = v
	case int:
		return float64(v), true
	case float64:
		return v, true
	default:
		f.Errorf("must be a quantity, is %s", f.typeName())
		return 0, false
	}
	m := quantity.FindStringSubmatch(s)
	if m == nil {
		f.Errorf("%q is not a quantity (e.g. 100m, 1, 128Mi, 10Gi)", s)
		return 0, false
	}
	n, _ := strconv.ParseFloat(m[1], 64)
	scale := map[string]float64{"": 1, "m": 1e-3, "k": 1e3, "M": 1e6, "G": 1e9, "T": 1e12,
		"P": 1e15, "E": 1e18, "Ki": 1 << 10, "Mi": 1 << 20, "Gi": 1 << 30, "Ti": 1 << 40,
		"Pi": 1 << 50, "Ei": 1 << 60}
	return n * scale[m[3]], true
}

func checkContainerSecurityContext(f Field) {
	if _, ok := f.Map(false); !ok {
		return
	}
	f.OnlyKeys("allowPrivilegeEscalation", "readOnlyRootFilesystem", "runAsNonRoot",
		"runAsUser", "runAsGroup", "capabilities", "privileged", "seccompProfile")
	f.Get("allowPrivilegeEscalation").Bool(false)
	f.Get("readOnlyRootFilesystem").Bool(false)
	f.Get("runAsNonRoot").Bool(false)
	f.Get("privileged").Bool(false)
	f.Get("runAsUser").Int(false, 0, 1<<31-1)
	f.Get("runAsGroup").Int(false, 0, 1<<31-1)
	caps := f.Get("capabilities")
	caps.OnlyKeys("add", "drop")
	for _, k := range []string{"add", "drop"} {
		items, _ := caps.Get(k).List(false)
		for _, item := range items {
			if s, ok := item.String(true); ok && !capability.MatchString(s) {
				item.Errorf("%q is not a capability name (e.g. NET_RAW, ALL)", s)
			}
		}
	}
	if p, _ := f.Get("privileged").value.(bool); p {
		if ape, set := f.Get("allowPrivilegeEscalation").value.(bool); set && !ape {
			f.Errorf("Kubernetes rejects privileged with allowPrivilegeEscalation: false")
		}
	}
}

// containerPortNames are the named ports of a pod spec's containers.
func containerPortNames(podSpec Field) map[string]bool {
	names := map[string]bool{}
	spec, _ := podSpec.value.(map[string]interface{})
	containers, _ := spec["containers"].([]interface{})
	for _, c := range containers {
		cm, _ := c.(map[string]interface{})
		ports, _ := cm["ports"].([]interface{})
		for _, p := range ports {
			if m, ok := p.(map[string]interface{}); ok {
				if n, ok := m["name"].(string); ok {
					names[n] = true
				}
			}
		}
	}
	return names
}
