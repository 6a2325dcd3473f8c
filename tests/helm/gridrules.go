package main

// grid's own rules for its pods: what the coordinator and the probes must be
// started with, and how they must be confined. The flag tables are the
// command lines of grid-coordinator and grid-probe.

import (
	"net"
	"path"
	"sort"
	"strconv"
	"strings"
)

// Flags of each binary; true means the flag takes a value.
var (
	coordinatorFlags = map[string]bool{
		"--listen": true, "--data": true, "--retention-days": true, "--heartbeat": true,
		"--target-rate": true, "--operator-rate": true, "--allow-target": true,
		"--tls-cert": true, "--tls-key": true, "--tls-ca": true,
		"--sync": false, "--allow-private": false, "--insecure": false,
	}
	probeFlags = map[string]bool{
		"--coordinator": true, "--name": true, "--label": true, "--serves": true,
		"--allow-target": true, "--tls-cert": true, "--tls-key": true, "--tls-ca": true,
		"--tls-server-name": true, "--pps": true, "--router-pps": true, "--probers": true,
		"--allow-private": false, "--insecure": false, "--quiet": false,
	}
	// repeatable flags; every other flag may be given once.
	repeatable = map[string]bool{"--label": true, "--serves": true, "--allow-target": true}
	// numericFlags take a number.
	numericFlags = map[string]bool{"--retention-days": true, "--heartbeat": true,
		"--target-rate": true, "--operator-rate": true, "--pps": true, "--router-pps": true,
		"--probers": true}
	// tlsFiles maps each TLS flag to its key in a kubernetes.io/tls Secret.
	tlsFiles = map[string]string{"--tls-cert": "tls.crt", "--tls-key": "tls.key", "--tls-ca": "ca.crt"}
)

// container is the single container of a grid pod, with what the rules
// look up in its pod.
type container struct {
	w       *workload
	f       Field
	flags   map[string][]string
	env     map[string]string // name -> downward API fieldPath ("" for other sources)
	mounts  map[string]map[string]interface{}
	volumes map[string]map[string]interface{}
}

func checkGridRules(v *Validator) {
	modes := map[string][]string{}
	patterns := map[string]string{} // probe Secret -> CN pattern its probes need
	for _, w := range v.workloads {
		f := rootField(v.p, w.obj)
		kind := str(w.obj.Body["kind"])
		list, _ := w.podSpec.Get("containers").List(false)
		if len(list) != 1 {
			w.podSpec.Get("containers").Errorf("a grid pod runs exactly one container, has %d", len(list))
			continue
		}
		component := w.podLabels["app.kubernetes.io/component"]
		var c *container
		switch component {
		case "coordinator":
			c = newContainer(w, list[0], coordinatorFlags)
			if kind != "StatefulSet" {
				f.Get("kind").Errorf("the coordinator must be a StatefulSet (stable storage), not %s", kind)
			}
			if n, _ := f.Path("spec.replicas").value.(int); n != 1 {
				f.Path("spec.replicas").Errorf("the coordinator is RocksDB's single writer: replicas must be 1")
			}
			c.checkSecurity(nil)
			c.checkCoordinator()
		case "probe":
			c = newContainer(w, list[0], probeFlags)
			if kind != "DaemonSet" && kind != "Deployment" {
				f.Get("kind").Errorf("probes run as a DaemonSet or Deployment, not %s", kind)
			}
			c.checkSecurity([]string{"NET_RAW"})
			c.checkProbe(v)
		default:
			f.Path("spec.template.metadata.labels").Errorf(
				"app.kubernetes.io/component is %q; grid's rules know coordinator and probe", component)
			continue
		}
		mode := c.checkTLS()
		modes[mode] = append(modes[mode], w.obj.ID())
		if component == "probe" && mode == "tls" {
			secret, pattern := c.certSecret(), c.certPattern()
			if prev, ok := patterns[secret]; ok && prev != pattern {
				f.Errorf("shares the probe Secret %q with probes named %s, but its probes are named %s: a certificate has one CN pattern",
					secret, prev, pattern)
			}
			patterns[secret] = pattern
		}
	}
	if len(modes["tls"]) > 0 && len(modes["insecure"]) > 0 {
		v.p.Addf("TLS is mixed: %s use TLS but %s run --insecure",
			strings.Join(modes["tls"], ", "), strings.Join(modes["insecure"], ", "))
	}
	enabled, _ := get(v.values, "tls", "enabled").(bool)
	if enabled && len(modes["insecure"]) > 0 {
		v.p.Addf("tls.enabled is true but %s run --insecure", strings.Join(modes["insecure"], ", "))
	}
	if !enabled && len(modes["tls"]) > 0 {
		v.p.Addf("tls.enabled is false but %s use TLS", strings.Join(modes["tls"], ", "))
	}
}

func newContainer(w *workload, f Field, table map[string]bool) *container {
	c := &container{w: w, f: f, env: map[string]string{},
		mounts: map[string]map[string]interface{}{}, volumes: map[string]map[string]interface{}{}}
	envs, _ := f.value.(map[string]interface{})["env"].([]interface{})
	for _, e := range envs {
		m, _ := e.(map[string]interface{})
		c.env[str(m["name"])] = str(get(m, "valueFrom", "fieldRef", "fieldPath"))
	}
	mounts, _ := f.value.(map[string]interface{})["volumeMounts"].([]interface{})
	for _, e := range mounts {
		m, _ := e.(map[string]interface{})
		c.mounts[path.Clean(str(m["mountPath"]))] = m
	}
	vols, _ := w.podSpec.value.(map[string]interface{})["volumes"].([]interface{})
	for _, e := range vols {
		m, _ := e.(map[string]interface{})
		c.volumes[str(m["name"])] = m
	}
	c.flags = parseFlags(f.Get("args"), table)
	return c
}

// parseFlags reads a grid command line (--flag VALUE or --flag=VALUE).
func parseFlags(args Field, table map[string]bool) map[string][]string {
	flags := map[string][]string{}
	items, _ := args.List(true)
	for i := 0; i < len(items); i++ {
		arg, ok := items[i].value.(string)
		if !ok {
			continue // checkContainer reports it
		}
		name, value, hasValue := strings.Cut(arg, "=")
		takesValue, known := table[name]
		switch {
		case !strings.HasPrefix(arg, "--"):
			items[i].Errorf("%q is not a flag (a flag's value must follow it)", arg)
			continue
		case !known:
			items[i].Errorf("the binary has no flag %s", name)
			continue
		case !takesValue && hasValue:
			items[i].Errorf("%s takes no value", name)
		case takesValue && !hasValue:
			if i+1 >= len(items) {
				items[i].Errorf("%s needs a value", name)
				continue
			}
			i++
			value, _ = items[i].value.(string)
			if strings.HasPrefix(value, "--") {
				items[i].Errorf("%s needs a value, got the flag %s", name, value)
			}
		}
		if len(flags[name]) > 0 && !repeatable[name] {
			items[i].Errorf("%s is given twice", name)
		}
		if numericFlags[name] {
			if _, err := strconv.ParseFloat(value, 64); err != nil {
				items[i].Errorf("%s needs a number, got %q", name, value)
			}
		}
		flags[name] = append(flags[name], value)
	}
	return flags
}

// one returns the single value of a required flag.
func (c *container) one(name string) (string, bool) {
	if len(c.flags[name]) == 0 {
		c.f.Get("args").Errorf("%s is required", name)
		return "", false
	}
	return c.flags[name][0], true
}

// checkSecurity: non-root, no privilege escalation, read-only root, every
// capability dropped and exactly `add` added back.
func (c *container) checkSecurity(add []string) {
	sc := c.f.Get("securityContext")
	pod := c.w.podSpec.Get("securityContext")
	effective := func(key string) interface{} {
		if v := sc.Get(key); v.Present() {
			return v.value
		}
		return pod.Get(key).value
	}
	if effective("runAsNonRoot") != true {
		sc.Get("runAsNonRoot").Errorf("grid containers must set runAsNonRoot: true")
	}
	if uid, ok := effective("runAsUser").(int); !ok || uid == 0 {
		sc.Get("runAsUser").Errorf("grid containers need a numeric non-root runAsUser")
	}
	if sc.Get("allowPrivilegeEscalation").value != false {
		sc.Get("allowPrivilegeEscalation").Errorf("must be false")
	}
	if sc.Get("readOnlyRootFilesystem").value != true {
		sc.Get("readOnlyRootFilesystem").Errorf("must be true")
	}
	if sc.Get("privileged").value == true {
		sc.Get("privileged").Errorf("grid containers are never privileged")
	}
	if !sameStrings(sc.Path("capabilities.drop").value, []string{"ALL"}) {
		sc.Path("capabilities.drop").Errorf("must be [ALL]")
	}
	if !sameStrings(sc.Path("capabilities.add").value, add) {
		sc.Path("capabilities.add").Errorf("must be %v (only what the binary needs)", add)
	}
	if c.w.podSpec.Get("hostPID").value == true || c.w.podSpec.Get("hostIPC").value == true {
		c.w.podSpec.Errorf("grid pods never share the host's PID or IPC namespace")
	}
}

func sameStrings(v interface{}, want []string) bool {
	list, _ := v.([]interface{})
	got := make([]string, 0, len(list))
	for _, x := range list {
		got = append(got, str(x))
	}
	sort.Strings(got)
	w := append([]string(nil), want...)
	sort.Strings(w)
	return strings.Join(got, ",") == strings.Join(w, ",")
}

// checkCoordinator: --listen on the grpc port, --data on the claim.
func (c *container) checkCoordinator() {
	if listen, ok := c.one("--listen"); ok {
		if port, ok := c.hostPort("--listen", listen); ok && port != c.grpcPort() {
			c.f.Get("args").Errorf("--listen port %d is not the container port named grpc (%d)", port, c.grpcPort())
		}
	}
	if data, ok := c.one("--data"); ok {
		m, mounted := c.mounts[path.Clean(data)]
		if !mounted || !c.w.claimNames[str(m["name"])] {
			c.f.Get("args").Errorf("--data %s is not a mounted volume claim template: the store would not persist", data)
		}
	}
	for _, cidr := range c.flags["--allow-target"] {
		c.checkCIDR("--allow-target", cidr)
	}
}

// grpcPort is the container port named grpc, or 0.
func (c *container) grpcPort() int {
	ports, _ := c.f.value.(map[string]interface{})["ports"].([]interface{})
	for _, p := range ports {
		m, _ := p.(map[string]interface{})
		if m["name"] == "grpc" {
			n, _ := m["containerPort"].(int)
			return n
		}
	}
	return 0
}

// checkProbe: a unique --name per pod, a reachable --coordinator, and
// well-formed labels and ranges.
func (c *container) checkProbe(v *Validator) {
	kind := str(c.w.obj.Body["kind"])
	if name, ok := c.one("--name"); ok {
		want := map[string]string{"DaemonSet": "spec.nodeName", "Deployment": "metadata.name"}[kind]
		unique := false
		for _, m := range varRef.FindAllStringSubmatch(name, -1) {
			unique = unique || c.env[m[1]] == want
		}
		if !unique {
			c.f.Get("args").Errorf("--name %q is the same in every pod of the %s: it must use an env variable from %s",
				name, kind, want)
		}
	}
	if addr, ok := c.one("--coordinator"); ok {
		host, _, _ := net.SplitHostPort(addr)
		port, ok := c.hostPort("--coordinator", addr)
		if ok && strings.HasSuffix(host, ".svc") {
			c.checkServiceAddress(v, host, port)
			if c.w.podSpec.Get("hostNetwork").value == true &&
				c.w.podSpec.Get("dnsPolicy").value != "ClusterFirstWithHostNet" {
				c.w.podSpec.Get("dnsPolicy").Errorf("a hostNetwork probe needs ClusterFirstWithHostNet to resolve %s", host)
			}
		}
	}
	for _, label := range c.flags["--label"] {
		if k, _, ok := strings.Cut(label, "="); !ok || k == "" {
			c.f.Get("args").Errorf("--label %q is not KEY=VALUE", label)
		}
	}
	for _, flag := range []string{"--serves", "--allow-target"} {
		for _, cidr := range c.flags[flag] {
			c.checkCIDR(flag, cidr)
		}
	}
}

// checkServiceAddress: NAME.NAMESPACE.svc:PORT must be a Service of the chart.
func (c *container) checkServiceAddress(v *Validator, host string, port int) {
	parts := strings.Split(host, ".")
	svc, ok := v.services[parts[0]]
	if len(parts) != 3 || !ok {
		c.f.Get("args").Errorf("--coordinator %s is no Service of the chart", host)
		return
	}
	if ns := str(get(svc.Body, "metadata", "namespace")); ns != "" && ns != parts[1] {
		c.f.Get("args").Errorf("--coordinator %s: the Service is in namespace %s", host, ns)
	}
	ports, _ := get(svc.Body, "spec", "ports").([]interface{})
	for _, p := range ports {
		if m, _ := p.(map[string]interface{}); m["port"] == port {
			return
		}
	}
	c.f.Get("args").Errorf("--coordinator %s: Service %s has no port %d", host, parts[0], port)
}

func (c *container) hostPort(flag, addr string) (int, bool) {
	host, portText, err := net.SplitHostPort(addr)
	port, perr := strconv.Atoi(portText)
	if err != nil || perr != nil || host == "" || port < 1 || port > 65535 {
		c.f.Get("args").Errorf("%s %q is not HOST:PORT", flag, addr)
		return 0, false
	}
	return port, true
}

func (c *container) checkCIDR(flag, cidr string) {
	if _, _, err := net.ParseCIDR(cidr); err != nil {
		c.f.Get("args").Errorf("%s %q is not a CIDR range", flag, cidr)
	}
}

// checkTLS: either --insecure alone, or --tls-cert/--tls-key/--tls-ca each
// naming its file in a read-only mounted Secret. Returns "tls" or "insecure".
func (c *container) checkTLS() string {
	args := c.f.Get("args")
	if len(c.flags["--insecure"]) > 0 {
		for flag := range tlsFiles {
			if len(c.flags[flag]) > 0 {
				args.Errorf("%s together with --insecure", flag)
			}
		}
		return "insecure"
	}
	for flag, key := range tlsFiles {
		file, ok := c.one(flag)
		if !ok {
			continue
		}
		mount, mounted := c.mounts[path.Dir(file)]
		switch {
		case !mounted:
			args.Errorf("%s %s is in no mounted volume", flag, file)
		case mount["readOnly"] != true:
			args.Errorf("%s %s: mount the TLS Secret read-only", flag, file)
		case get(c.volumes[str(mount["name"])], "secret") == nil:
			args.Errorf("%s %s is not in a Secret volume", flag, file)
		case path.Base(file) != key:
			args.Errorf("%s %s: the Kubernetes TLS layout keeps it in %s", flag, file, key)
		}
	}
	return "tls"
}

// certSecret is the Secret the --tls-cert file comes from.
func (c *container) certSecret() string {
	if len(c.flags["--tls-cert"]) == 0 {
		return ""
	}
	mount := c.mounts[path.Dir(c.flags["--tls-cert"][0])]
	return str(get(c.volumes[str(mount["name"])], "secret", "secretName"))
}

// certPattern is the CN pattern covering every --name the pods can have:
// a node name becomes *, a pod name WORKLOAD-*; cut after the first *.
func (c *container) certPattern() string {
	if len(c.flags["--name"]) == 0 {
		return ""
	}
	pattern := varRef.ReplaceAllStringFunc(c.flags["--name"][0], func(ref string) string {
		switch c.env[ref[2:len(ref)-1]] {
		case "metadata.name":
			return str(get(c.w.obj.Body, "metadata", "name")) + "-*"
		default:
			return "*"
		}
	})
	if star := strings.Index(pattern, "*"); star >= 0 {
		pattern = pattern[:star+1]
	}
	return pattern
}
