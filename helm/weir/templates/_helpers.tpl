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

{{/* The namespaces Secrets for analysis are readable in, with rbac.namespacedSecrets. */}}
{{- define "weir.secretNamespaces" -}}
{{- if not .Values.watchNamespaces -}}
{{- fail "rbac.namespacedSecrets needs watchNamespaces: the namespaces whose Secrets Weir may read" -}}
{{- end -}}
{{- join "," .Values.watchNamespaces -}}
{{- end -}}

{{/* Whether a CA for Prometheus is mounted; only one of its two sources may be named. */}}
{{- define "weir.prometheusCa" -}}
{{- $tls := .Values.prometheus.tls -}}
{{- if and $tls.caConfigMap.name $tls.caSecret.name -}}
{{- fail "prometheus.tls: name caConfigMap or caSecret, not both" -}}
{{- end -}}
{{- if or $tls.caConfigMap.name $tls.caSecret.name -}}true{{- end -}}
{{- end -}}
