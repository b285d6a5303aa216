{{- define "weir.labels" -}}
app.kubernetes.io/name: weir
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "weir.selectorLabels" -}}
app.kubernetes.io/name: weir
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* The namespaces a namespaced install grants Weir its rules in. */}}
{{- define "weir.rbacNamespaces" -}}
{{- if not .Values.watchNamespaces -}}
{{- fail "rbac.namespaced needs watchNamespaces: the namespaces to grant Weir's Role in" -}}
{{- end -}}
{{- join "," .Values.watchNamespaces -}}
{{- end -}}
