{{/* Names and labels (Kubernetes recommended labels). */}}
{{- define "pact.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "pact.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 50 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "pact.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ include "pact.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: pact-referral-hub
pact.example.org/hub: {{ .Values.hub.prefix }}
{{- end -}}

{{/* Selects every pod of the release (NetworkPolicy). */}}
{{- define "pact.instanceSelector" -}}
app.kubernetes.io/name: {{ include "pact.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* Component labels: include "pact.componentLabels" (dict "root" $ "component" "intake") */}}
{{- define "pact.componentSelector" -}}
{{ include "pact.instanceSelector" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "pact.componentLabels" -}}
{{ include "pact.labels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "pact.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end -}}

{{- define "pact.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{ .Values.serviceAccount.name | default (include "pact.fullname" .) }}
{{- else -}}
{{ .Values.serviceAccount.name | default "default" }}
{{- end -}}
{{- end -}}

{{/*
What each service is, as the binaries declare it: its command, the consumer groups it runs (group
and topic without the hub prefix) and the consumers per pod when <service>.consumer_threads is not
set (as in each service main.cpp, its settings and libs/platform/kafka/topics.cc).
deploy/validate/check-config-keys.py checks the groups against the sources.
*/}}
{{- define "pact.components" -}}
intake:
  command: pact-intake
  consumers: []
screening:
  command: pact-screening
  consumerThreads: 4
  consumers:
    - {group: screening, topic: pact.case.v1}
routing:
  command: pact-routing
  consumerThreads: 2
  consumers:
    - {group: routing, topic: pact.screening.v1}
    - {group: routing-reports, topic: pact.notification.v1}
notification:
  command: pact-notification
  ackPort: 8090
  consumerThreads: 4
  consumers:
    - {group: notification, topic: pact.referral.v1}
diagnostics:
  command: pact-diagnostics
  consumerThreads: 1
  consumers:
    - {group: diagnostics, topic: pact.diagnostics.v1}
situation:
  command: pact-situation
  # Follows pact.case.v1, pact.screening.v1 and pact.referral.v1 itself (every partition, no
  # consumer group membership): KEDA has no lag to scale on, and more pods would not share work.
  consumers: []
  # One process issues the CAP alerts: a second replica would publish each alert twice.
  singleton: true
  # The EOC console (HTTP/HTTPS, server-sent events, the page); its port is situation.console.listen's.
  console: true
{{- end -}}

{{/* The services, in the order the per-service templates render them. */}}
{{- define "pact.componentNames" -}}
{{- toJson (list "intake" "screening" "routing" "notification" "diagnostics" "situation") -}}
{{- end -}}

{{/* The EOC console's container port: the port of situation.console.listen ("0.0.0.0:8080" -> 8080). */}}
{{- define "pact.consolePort" -}}
{{- int (last (splitList ":" .Values.situation.console.listen)) -}}
{{- end -}}

{{/* "true" when the console serves HTTPS itself: production mode (the service has a certificate)
and situation.console.tls. */}}
{{- define "pact.consoleTls" -}}
{{- and (eq .Values.securityMode "production") .Values.situation.console.tls -}}
{{- end -}}

{{/*
Partitions of the four main topics as the binaries declare them (libs/platform/kafka/topics.cc;
`pactctl topics list`). The topic Job creates exactly these; deploy/validate/check-config-keys.py
compares this number with the binary's.
*/}}
{{- define "pact.mainTopicPartitions" -}}12{{- end -}}

{{/* The ports of kafka.bootstrapServers ("a:9093,b:9093" -> [9093]) and of redis.address. */}}
{{- define "pact.kafkaPorts" -}}
{{- $ports := list -}}
{{- range splitList "," .Values.kafka.bootstrapServers -}}
{{- $ports = append $ports (int (last (splitList ":" (trim .)))) -}}
{{- end -}}
{{- toJson (uniq $ports) -}}
{{- end -}}

{{- define "pact.redisPort" -}}
{{- last (splitList ":" .Values.redis.address) -}}
{{- end -}}

{{/* The least replicas a component runs with (for PodDisruptionBudgets). */}}
{{- define "pact.minReplicas" -}}
{{- if eq .autoscaling.mode "none" -}}{{ .replicas }}{{- else -}}{{ .autoscaling.minReplicas }}{{- end -}}
{{- end -}}

{{/* Kafka SASL credentials, expanded into PACT__KAFKA__PROPERTIES / PACT_KAFKA_PROPERTIES. */}}
{{- define "pact.kafkaSaslEnv" -}}
{{- if .Values.kafka.sasl.existingSecret }}
- name: PACT_KAFKA_SASL_USERNAME
  valueFrom:
    secretKeyRef: {name: {{ .Values.kafka.sasl.existingSecret }}, key: {{ .Values.kafka.sasl.usernameKey }}}
- name: PACT_KAFKA_SASL_PASSWORD
  valueFrom:
    secretKeyRef: {name: {{ .Values.kafka.sasl.existingSecret }}, key: {{ .Values.kafka.sasl.passwordKey }}}
- name: {{ .variable }}
  value: "sasl.username=$(PACT_KAFKA_SASL_USERNAME);sasl.password=$(PACT_KAFKA_SASL_PASSWORD)"
{{- end }}
{{- end -}}

{{/* Pod- and container-level restrictions (the "restricted" Pod Security Standard). */}}
{{- define "pact.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 10001
runAsGroup: 10001
fsGroup: 10001
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "pact.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
runAsNonRoot: true
capabilities:
  drop: [ALL]
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "pact.kafkaTlsMount" -}}
{{- if .Values.kafka.tlsSecret }}
- name: kafka-tls
  mountPath: /var/run/secrets/pact/kafka-tls
  readOnly: true
{{- end }}
{{- end -}}

{{- define "pact.kafkaTlsVolume" -}}
{{- if .Values.kafka.tlsSecret }}
- name: kafka-tls
  secret:
    secretName: {{ .Values.kafka.tlsSecret }}
    defaultMode: 0440
{{- end }}
{{- end -}}
