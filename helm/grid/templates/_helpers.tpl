{{/*
Names, labels and the shared pieces of the coordinator's and the probes' pod
specs. Helpers taking a dict say so; the others take the root context.
*/}}

{{/* The chart name, or nameOverride. */}}
{{- define "grid.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* RELEASE-grid (or RELEASE when it contains the chart name), or fullnameOverride. */}}
{{- define "grid.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* Value of the helm.sh/chart label. */}}
{{- define "grid.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Name of one component's resources, FULLNAME-SUFFIX; cut to 52 characters so a
StatefulSet's controller-revision-hash label still fits in 63.
dict: ctx (root), suffix.
*/}}
{{- define "grid.componentName" -}}
{{- printf "%s-%s" (include "grid.fullname" .ctx) .suffix | trunc 52 | trimSuffix "-" }}
{{- end }}

{{/* Name of the coordinator's StatefulSet and Service. */}}
{{- define "grid.coordinator.fullname" -}}
{{- include "grid.componentName" (dict "ctx" . "suffix" "coordinator") }}
{{- end }}

{{/* Name of the StatefulSet's governing (headless) Service. */}}
{{- define "grid.coordinator.headlessName" -}}
{{- printf "%s-headless" (include "grid.coordinator.fullname" .) }}
{{- end }}

{{/* HOST:PORT of this release's coordinator Service inside the cluster. */}}
{{- define "grid.coordinator.address" -}}
{{- printf "%s.%s.svc:%v" (include "grid.coordinator.fullname" .) .Release.Namespace .Values.coordinator.service.port }}
{{- end }}

{{/*
Labels that select one component's pods.
dict: ctx (root), component, group (probes only).
*/}}
{{- define "grid.selectorLabels" -}}
app.kubernetes.io/name: {{ include "grid.name" .ctx | quote }}
app.kubernetes.io/instance: {{ .ctx.Release.Name | quote }}
app.kubernetes.io/component: {{ .component }}
{{- with get . "group" }}
grid/probe-group: {{ . | quote }}
{{- end }}
{{- end }}

{{/* Every label of one component's resources. dict as grid.selectorLabels. */}}
{{- define "grid.labels" -}}
helm.sh/chart: {{ include "grid.chart" .ctx }}
{{ include "grid.selectorLabels" . }}
app.kubernetes.io/version: {{ .ctx.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .ctx.Release.Service }}
app.kubernetes.io/part-of: grid
{{- end }}

{{/*
REPOSITORY:TAG of an image; the tag defaults to the chart's appVersion.
dict: ctx (root), image (the values map), what (its values path, for errors).
*/}}
{{- define "grid.image" -}}
{{- $repo := required (printf "%s.repository is required" .what) .image.repository }}
{{- printf "%s:%s" $repo (toString (default .ctx.Chart.AppVersion .image.tag)) }}
{{- end }}

{{/* Pod securityContext of every grid pod: non-root, volumes owned by runAsGroup. */}}
{{- define "grid.podSecurityContext" -}}
{{- $uid := required "podSecurity.runAsUser is required" .Values.podSecurity.runAsUser }}
{{- if eq (int64 $uid) 0 }}
{{- fail "podSecurity.runAsUser must not be 0: grid runs as non-root" }}
{{- end }}
runAsNonRoot: true
runAsUser: {{ int64 $uid }}
runAsGroup: {{ int64 .Values.podSecurity.runAsGroup }}
fsGroup: {{ int64 .Values.podSecurity.runAsGroup }}
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{/*
Container securityContext: no privilege escalation, read-only root, every
capability dropped but those in `add`.
dict: ctx (root), add (list of capability names, may be empty).
*/}}
{{- define "grid.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
runAsNonRoot: true
runAsUser: {{ int64 .ctx.Values.podSecurity.runAsUser }}
runAsGroup: {{ int64 .ctx.Values.podSecurity.runAsGroup }}
capabilities:
  drop:
    - ALL
  {{- with .add }}
  add:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end }}

{{/* Pod placement from a component's values: nodeSelector, tolerations, affinity. */}}
{{- define "grid.scheduling" -}}
{{- range $key := list "nodeSelector" "tolerations" "affinity" }}
{{- with get $ $key }}
{{ $key }}:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}
{{- end }}

{{/* Path the TLS Secret is mounted at, read-only. */}}
{{- define "grid.tlsDir" -}}
/etc/grid/tls
{{- end }}

{{/* TLS arguments of grid-coordinator and grid-probe (a YAML list). */}}
{{- define "grid.tlsArgs" -}}
{{- if .Values.tls.enabled }}
- --tls-cert
- {{ include "grid.tlsDir" . }}/tls.crt
- --tls-key
- {{ include "grid.tlsDir" . }}/tls.key
- --tls-ca
- {{ include "grid.tlsDir" . }}/ca.crt
{{- else }}
- --insecure
{{- end }}
{{- end }}

{{/*
Target policy arguments (a YAML list, possibly empty).
dict: allowTargets, allowPrivate (a component's values).
*/}}
{{- define "grid.policyArgs" -}}
{{- range .allowTargets }}
- --allow-target
- {{ . | quote }}
{{- end }}
{{- if .allowPrivate }}
- --allow-private
{{- end }}
{{- end }}

{{/* volumeMounts of every grid container: the TLS Secret and a writable /tmp. */}}
{{- define "grid.volumeMounts" -}}
{{- if .Values.tls.enabled }}
- name: tls
  mountPath: {{ include "grid.tlsDir" . }}
  readOnly: true
{{- end }}
- name: tmp
  mountPath: /tmp
{{- end }}

{{/*
volumes of every grid pod: the TLS Secret (key readable by the group only)
and an emptyDir for /tmp. dict: ctx (root), secret (the Secret's name).
*/}}
{{- define "grid.volumes" -}}
{{- if .ctx.Values.tls.enabled }}
- name: tls
  secret:
    secretName: {{ required "the TLS Secret's name is required when tls.enabled" .secret }}
    defaultMode: 288 # 0440
{{- end }}
- name: tmp
  emptyDir:
    sizeLimit: 64Mi
{{- end }}

{{/*
The probe groups to deploy as YAML `groups: [...]`: probe (when enabled,
name "") then every probeGroups entry over a copy of probe. Fails on values a
group cannot be deployed with.
*/}}
{{- define "grid.probeGroups" -}}
{{- $groups := list }}
{{- if .Values.probe.enabled }}
{{- $groups = append $groups (set (deepCopy .Values.probe) "name" "") }}
{{- end }}
{{- $seen := dict "default" true }}
{{- range $i, $over := .Values.probeGroups }}
{{- if not (kindIs "map" $over) }}
{{- fail (printf "probeGroups[%d] must be a map" $i) }}
{{- end }}
{{- $name := toString (required (printf "probeGroups[%d].name is required" $i) $over.name) }}
{{- if not (regexMatch "^[a-z0-9]([-a-z0-9]{0,18}[a-z0-9])?$" $name) }}
{{- fail (printf "probeGroups[%d].name %q must be a DNS label of at most 20 characters" $i $name) }}
{{- end }}
{{- if hasKey $seen $name }}
{{- fail (printf "probeGroups[%d].name %q is used twice (or is the reserved \"default\")" $i $name) }}
{{- end }}
{{- $_ := set $seen $name true }}
{{- $g := deepCopy $.Values.probe }}
{{- range $k, $v := $over }}
{{- $_ := set $g $k $v }}
{{- end }}
{{- $groups = append $groups $g }}
{{- end }}
{{- range $groups }}
{{- $where := ternary "probe" (printf "probeGroups %q" .name) (eq .name "") }}
{{- if not (has .kind (list "DaemonSet" "Deployment")) }}
{{- fail (printf "%s: kind must be DaemonSet or Deployment, not %q" $where (toString .kind)) }}
{{- end }}
{{- if and (eq .kind "DaemonSet") (not .namePrefix) }}
{{- fail (printf "%s: a DaemonSet needs namePrefix (probes are named NAMEPREFIX-NODENAME)" $where) }}
{{- end }}
{{- end }}
{{- dict "groups" $groups | toYaml }}
{{- end }}

{{/* Name of a probe group's DaemonSet or Deployment. dict: ctx (root), group. */}}
{{- define "grid.probe.workloadName" -}}
{{- $suffix := ternary "probe" (printf "probe-%s" .group.name) (eq .group.name "") }}
{{- include "grid.componentName" (dict "ctx" .ctx "suffix" $suffix) }}
{{- end }}

{{/*
Secret with a probe group's certificate: its tlsSecret, else tls.probeSecret
for the default group and tls.probeSecret-NAME for the others (a certificate
carries one CN pattern, so groups with other names need their own).
dict: ctx (root), group.
*/}}
{{- define "grid.probe.secretName" -}}
{{- if .group.tlsSecret }}
{{- .group.tlsSecret }}
{{- else if eq .group.name "" }}
{{- .ctx.Values.tls.probeSecret }}
{{- else }}
{{- printf "%s-%s" .ctx.Values.tls.probeSecret .group.name }}
{{- end }}
{{- end }}

{{/*
CN pattern a probe group's certificate must carry (see NOTES.txt).
dict: ctx (root), group.
*/}}
{{- define "grid.probe.certName" -}}
{{- if eq .group.kind "DaemonSet" }}
{{- printf "%s-*" .group.namePrefix }}
{{- else }}
{{- printf "%s-*" (include "grid.probe.workloadName" .) }}
{{- end }}
{{- end }}
