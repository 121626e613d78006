package io.sampan.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sampan.sandbox.sim.Meta;
import io.sampan.sandbox.sim.Quantities;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The API server's validation of the built-in kinds, run on every create and update (patches
 * included) before the other admission steps: a body whose JSON types do not fit the Go types is 400
 * BadRequest ({@code json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of
 * type int32}), a malformed object is 422 Invalid with a cause per field. Covered: names, labels and
 * annotations; pods and pod templates (containers, ports, resources, restartPolicy); Deployments,
 * ReplicaSets, StatefulSets and DaemonSets (selector, replicas); Services; ConfigMaps and Secrets;
 * Ingresses; HorizontalPodAutoscalers. Jobs' restartPolicy and CronJobs' schedule are checked by
 * their controllers' admission.
 */
final class BuiltinValidation implements Admission {
    private static final String LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    private static final Pattern DNS1123_LABEL = Pattern.compile(LABEL_FMT);
    private static final Pattern DNS1123_SUBDOMAIN = Pattern.compile(LABEL_FMT + "(\\." + LABEL_FMT + ")*");
    private static final Pattern DNS1035_LABEL = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern QUALIFIED_NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
    private static final Pattern CONFIG_KEY = Pattern.compile("[-._a-zA-Z0-9]+");
    private static final Pattern QUANTITY = Pattern.compile("^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$");
    private static final Pattern PORT_NAME = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Set<String> BUILT_IN = new HashSet<>();

    static {
        new ResourceTypes().all().forEach(t -> BUILT_IN.add(t.groupVersion() + "/" + t.plural()));
    }

    @Override
    public void admitCreate(Store store, ResourceType type, String namespace, ObjectNode object) {
        if (type.kind().equals("Secret") && type.group().isEmpty() && object.path("type").asText("").isEmpty()) {
            object.put("type", "Opaque"); // the API server's default
        }
        validate(type, object);
    }

    @Override
    public void admitUpdate(Store store, ResourceType type, ObjectNode next, ObjectNode current) {
        validate(type, next);
        if (!BUILT_IN.contains(type.groupVersion() + "/" + type.plural())) {
            return;
        }
        FieldErrors errors = new FieldErrors();
        JsonNode spec = next.path("spec");
        JsonNode was = current.path("spec");
        if (type.group().equals("apps") && spec.has("selector") && was.has("selector") && !spec.get("selector").equals(was.get("selector"))) {
            errors.immutable("spec.selector", goSelector(spec.get("selector")));
        }
        if (type.kind().equals("StatefulSet") && errors.isEmpty()) {
            for (String field : List.of("serviceName", "podManagementPolicy", "volumeClaimTemplates")) {
                if (spec.has(field) && !claimsView(spec.get(field)).equals(claimsView(was.path(field)))) {
                    errors.forbidden("spec", "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', "
                            + "'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden");
                    break;
                }
            }
        }
        if (!errors.isEmpty()) {
            throw errors.toError(type, next.path("metadata").path("name").asText(""));
        }
    }

    /** What a client sets of a value: for claim templates, their names, access modes, class and requests (the server adds the rest). */
    private static JsonNode claimsView(JsonNode v) {
        if (!v.isArray()) {
            return v;
        }
        com.fasterxml.jackson.databind.node.ArrayNode out = ApiServer.JSON.createArrayNode();
        for (JsonNode claim : v) {
            ObjectNode c = out.addObject();
            c.set("name", claim.path("metadata").path("name"));
            c.set("accessModes", claim.path("spec").path("accessModes"));
            c.set("storageClassName", claim.path("spec").path("storageClassName"));
            c.set("requests", claim.path("spec").path("resources").path("requests"));
        }
        return out;
    }

    /** A LabelSelector as Go prints it in an immutable-field error. */
    private static String goSelector(JsonNode selector) {
        List<String> pairs = new java.util.ArrayList<>();
        selector.path("matchLabels").fields().forEachRemaining(e -> pairs.add("\"" + e.getKey() + "\":\"" + e.getValue().asText() + "\""));
        return "v1.LabelSelector{MatchLabels:map[string]string{" + String.join(", ", pairs) + "}, MatchExpressions:"
                + (selector.path("matchExpressions").isEmpty() ? "[]v1.LabelSelectorRequirement(nil)" : selector.path("matchExpressions").toString())
                + "}";
    }

    /** Throws the API server's 400 (JSON types) or 422 (field errors) for a malformed built-in object. */
    static void validate(ResourceType t, ObjectNode o) {
        if (!BUILT_IN.contains(t.groupVersion() + "/" + t.plural())) {
            return; // custom resources are validated against their CRD's schema
        }
        Check c = new Check(t);
        c.metadata(o.path("metadata"));
        JsonNode spec = o.path("spec");
        switch (t.kind()) {
            case "Pod" -> c.podSpec(spec, "spec", null);
            case "Deployment", "ReplicaSet", "StatefulSet", "DaemonSet" -> c.workload(spec);
            case "Job" -> c.template(spec.path("template"), "spec.template", "JobSpec", null);
            case "CronJob" -> c.template(spec.path("jobTemplate").path("spec").path("template"), "spec.jobTemplate.spec.template", "JobSpec", null);
            case "Service" -> c.service(spec);
            case "ConfigMap" -> c.configMap(o);
            case "Secret" -> c.secret(o);
            case "Ingress" -> c.ingress(spec);
            case "HorizontalPodAutoscaler" -> c.hpa(spec);
            default -> {
            }
        }
        if (!c.errors.isEmpty()) {
            throw c.errors.toError(t, o.path("metadata").path("name").asText(""));
        }
    }

    /** The checks of one object, collecting field errors; JSON type errors are thrown at once. */
    private static final class Check {
        final ResourceType t;
        final FieldErrors errors = new FieldErrors();

        Check(ResourceType t) {
            this.t = t;
        }

        /** 400: the body does not decode into the Go types, worded as encoding/json words it. */
        ApiError decode(JsonNode value, String goField, String goType) {
            String jsonType = value.isTextual() ? "string" : value.isNumber() ? "number" : value.isBoolean() ? "bool" : value.isArray() ? "array"
                    : "object";
            return ApiError.badRequest(t.kind() + " in version \"" + t.version() + "\" cannot be handled as a " + t.kind()
                    + ": json: cannot unmarshal " + jsonType + " into Go struct field " + goField + " of type " + goType);
        }

        void integer(JsonNode v, String goField, String goType) {
            if (!v.isMissingNode() && !v.isNull() && !v.isIntegralNumber()) {
                throw decode(v, goField, goType);
            }
        }

        void string(JsonNode v, String goField) {
            if (!v.isMissingNode() && !v.isNull() && !v.isTextual()) {
                throw decode(v, goField, "string");
            }
        }

        void object(JsonNode v, String goField, String goType) {
            if (!v.isMissingNode() && !v.isNull() && !v.isObject()) {
                throw decode(v, goField, goType);
            }
        }

        void array(JsonNode v, String goField, String goType) {
            if (!v.isMissingNode() && !v.isNull() && !v.isArray()) {
                throw decode(v, goField, goType);
            }
        }

        void stringMap(JsonNode map, String goField) {
            object(map, goField, "map[string]string");
            map.fields().forEachRemaining(e -> string(e.getValue(), goField));
        }

        void metadata(JsonNode meta) {
            object(meta, t.kind() + ".metadata", "v1.ObjectMeta");
            string(meta.path("name"), "ObjectMeta.metadata.name");
            stringMap(meta.path("labels"), "ObjectMeta.metadata.labels");
            stringMap(meta.path("annotations"), "ObjectMeta.metadata.annotations");
            String name = meta.path("name").asText("");
            if (!name.isEmpty()) {
                switch (t.kind()) {
                    case "Namespace" -> dns1123Label("metadata.name", name);
                    case "Service" -> dns1035Label("metadata.name", name);
                    default -> subdomain("metadata.name", name);
                }
            }
            labels(meta.path("labels"), "metadata.labels");
            meta.path("annotations").fieldNames().forEachRemaining(k -> qualifiedKey("metadata.annotations", k));
        }

        void labels(JsonNode labels, String field) {
            labels.fields().forEachRemaining(e -> {
                qualifiedKey(field, e.getKey());
                String v = e.getValue().asText();
                if (!v.isEmpty() && (v.length() > 63 || !QUALIFIED_NAME.matcher(v).matches())) {
                    errors.invalid(field, v, "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and "
                            + "must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for "
                            + "validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')");
                }
            });
        }

        void qualifiedKey(String field, String key) {
            int slash = key.indexOf('/');
            String prefix = slash < 0 ? null : key.substring(0, slash);
            String name = slash < 0 ? key : key.substring(slash + 1);
            if (prefix != null && (prefix.isEmpty() || prefix.length() > 253 || !DNS1123_SUBDOMAIN.matcher(prefix).matches())) {
                errors.invalid(field, key, "prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or "
                        + "'.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '"
                        + DNS1123_SUBDOMAIN.pattern() + "')");
            } else if (name.isEmpty() || name.length() > 63 || !QUALIFIED_NAME.matcher(name).matches()) {
                errors.invalid(field, key, "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
                        + "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
                        + "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')");
            }
        }

        void subdomain(String field, String v) {
            if (v.length() > 253 || !DNS1123_SUBDOMAIN.matcher(v).matches()) {
                errors.invalid(field, v, "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must "
                        + "start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '"
                        + DNS1123_SUBDOMAIN.pattern() + "')");
            }
        }

        void dns1123Label(String field, String v) {
            if (v.length() > 63 || !DNS1123_LABEL.matcher(v).matches()) {
                errors.invalid(field, v, "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start "
                        + "and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '" + LABEL_FMT + "')");
            }
        }

        void dns1035Label(String field, String v) {
            if (v.length() > 63 || !DNS1035_LABEL.matcher(v).matches()) {
                errors.invalid(field, v, "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic "
                        + "character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is "
                        + "'[a-z]([-a-z0-9]*[a-z0-9])?')");
            }
        }

        void port(String field, JsonNode v) {
            int p = v.asInt();
            if (p < 1 || p > 65535) {
                errors.invalid(field, v, "must be between 1 and 65535, inclusive");
            }
        }

        /** A pod template: labels, and its pod spec; {@code restartPolicies} limits restartPolicy (null: any). */
        void template(JsonNode template, String field, String goParent, List<String> restartPolicies) {
            object(template, goParent + "." + field, "v1.PodTemplateSpec");
            if (template.isMissingNode() || template.isNull()) {
                errors.required(field, null);
                return;
            }
            stringMap(template.path("metadata").path("labels"), "ObjectMeta." + field + ".metadata.labels");
            labels(template.path("metadata").path("labels"), field + ".metadata.labels");
            podSpec(template.path("spec"), field + ".spec", restartPolicies);
        }

        void podSpec(JsonNode spec, String field, List<String> restartPolicies) {
            object(spec, "PodSpec." + field, "v1.PodSpec");
            array(spec.path("containers"), "PodSpec." + field + ".containers", "[]v1.Container");
            array(spec.path("initContainers"), "PodSpec." + field + ".initContainers", "[]v1.Container");
            if (spec.path("containers").isEmpty()) {
                errors.required(field + ".containers", null);
            }
            Set<String> names = new HashSet<>();
            containers(spec.path("initContainers"), field + ".initContainers", names);
            containers(spec.path("containers"), field + ".containers", names);
            String policy = spec.path("restartPolicy").asText("");
            List<String> allowed = restartPolicies != null ? restartPolicies : List.of("Always", "OnFailure", "Never");
            if (!policy.isEmpty() && !allowed.contains(policy)) {
                errors.unsupported(field + ".restartPolicy", policy, allowed);
            }
        }

        void containers(JsonNode list, String field, Set<String> names) {
            int i = 0;
            for (JsonNode c : list) {
                String f = field + "[" + i++ + "]";
                object(c, "PodSpec." + field, "v1.Container");
                string(c.path("name"), "Container." + f + ".name");
                string(c.path("image"), "Container." + f + ".image");
                String name = c.path("name").asText("");
                if (name.isEmpty()) {
                    errors.required(f + ".name", null);
                } else {
                    dns1123Label(f + ".name", name);
                    if (!names.add(name)) {
                        errors.duplicate(f + ".name", name);
                    }
                }
                if (c.path("image").asText("").isBlank()) {
                    errors.required(f + ".image", null);
                }
                array(c.path("ports"), "Container." + f + ".ports", "[]v1.ContainerPort");
                int j = 0;
                for (JsonNode p : c.path("ports")) {
                    String pf = f + ".ports[" + j++ + "]";
                    integer(p.path("containerPort"), "ContainerPort." + pf + ".containerPort", "int32");
                    integer(p.path("hostPort"), "ContainerPort." + pf + ".hostPort", "int32");
                    if (!p.has("containerPort")) {
                        errors.required(pf + ".containerPort", null);
                    } else {
                        port(pf + ".containerPort", p.path("containerPort"));
                    }
                    String protocol = p.path("protocol").asText("");
                    if (!protocol.isEmpty() && !List.of("TCP", "UDP", "SCTP").contains(protocol)) {
                        errors.unsupported(pf + ".protocol", protocol, List.of("SCTP", "TCP", "UDP"));
                    }
                }
                for (String which : List.of("requests", "limits")) {
                    JsonNode r = c.path("resources").path(which);
                    object(r, "ResourceRequirements." + f + ".resources." + which, "v1.ResourceList");
                    r.fields().forEachRemaining(e -> quantity(e.getValue()));
                }
                array(c.path("env"), "Container." + f + ".env", "[]v1.EnvVar");
                int k = 0;
                for (JsonNode env : c.path("env")) {
                    String ef = f + ".env[" + k++ + "]";
                    string(env.path("value"), "EnvVar." + ef + ".value");
                    if (env.path("name").asText("").isEmpty()) {
                        errors.required(ef + ".name", null);
                    }
                }
            }
        }

        /** A quantity that does not parse is a decoding error (400), as in the API server. */
        void quantity(JsonNode v) {
            String s = v.isNumber() ? v.asText() : v.isTextual() ? v.asText() : null;
            boolean ok = s != null && QUANTITY.matcher(s).matches();
            if (ok) {
                try {
                    Quantities.value(s);
                } catch (RuntimeException e) {
                    ok = false;
                }
            }
            if (!ok) {
                throw ApiError.badRequest(t.kind() + " in version \"" + t.version() + "\" cannot be handled as a " + t.kind()
                        + ": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
            }
        }

        void workload(JsonNode spec) {
            String goSpec = t.kind() + "Spec";
            object(spec, t.kind() + ".spec", "v1." + goSpec);
            integer(spec.path("replicas"), goSpec + ".spec.replicas", "int32");
            integer(spec.path("minReadySeconds"), goSpec + ".spec.minReadySeconds", "int32");
            integer(spec.path("revisionHistoryLimit"), goSpec + ".spec.revisionHistoryLimit", "int32");
            object(spec.path("selector"), goSpec + ".spec.selector", "v1.LabelSelector");
            if (spec.has("replicas") && spec.path("replicas").asLong() < 0) {
                errors.invalid("spec.replicas", spec.path("replicas"), "must be greater than or equal to 0");
            }
            JsonNode selector = spec.path("selector");
            JsonNode labels = spec.path("template").path("metadata").path("labels");
            if (selector.isMissingNode() || selector.isNull()) {
                errors.required("spec.selector", null);
            } else {
                stringMap(selector.path("matchLabels"), "LabelSelector.spec.selector.matchLabels");
                labels(selector.path("matchLabels"), "spec.selector.matchLabels");
                if (selector.path("matchLabels").isEmpty() && selector.path("matchExpressions").isEmpty()) {
                    errors.invalid("spec.selector", selector, "empty selector is invalid for " + t.kind().toLowerCase());
                } else if (labels.isObject() && !Meta.selects(selector, Meta.strings(labels))) {
                    errors.invalid("spec.template.metadata.labels", labels, "`selector` does not match template `labels`");
                }
            }
            template(spec.path("template"), "spec.template", goSpec, List.of("Always"));
        }

        void service(JsonNode spec) {
            object(spec, "Service.spec", "v1.ServiceSpec");
            array(spec.path("ports"), "ServiceSpec.spec.ports", "[]v1.ServicePort");
            String type = spec.path("type").asText("ClusterIP");
            List<String> types = List.of("ClusterIP", "ExternalName", "LoadBalancer", "NodePort");
            if (!types.contains(type)) {
                errors.unsupported("spec.type", type, types);
            }
            boolean headless = "None".equals(spec.path("clusterIP").asText());
            if (type.equals("ExternalName")) {
                if (spec.path("externalName").asText("").isEmpty()) {
                    errors.required("spec.externalName", null);
                }
            } else if (spec.path("ports").isEmpty() && !headless) {
                errors.required("spec.ports", null);
            }
            JsonNode ports = spec.path("ports");
            Set<String> names = new HashSet<>();
            int i = 0;
            for (JsonNode p : ports) {
                String f = "spec.ports[" + i++ + "]";
                integer(p.path("port"), "ServicePort." + f + ".port", "int32");
                integer(p.path("nodePort"), "ServicePort." + f + ".nodePort", "int32");
                string(p.path("name"), "ServicePort." + f + ".name");
                if (!p.has("port")) {
                    errors.required(f + ".port", null);
                } else {
                    port(f + ".port", p.path("port"));
                }
                String name = p.path("name").asText("");
                if (name.isEmpty() && ports.size() > 1) {
                    errors.required(f + ".name", null);
                } else if (!name.isEmpty()) {
                    dns1123Label(f + ".name", name);
                    if (!names.add(name)) {
                        errors.duplicate(f + ".name", name);
                    }
                }
                JsonNode target = p.path("targetPort");
                if (target.isIntegralNumber()) {
                    port(f + ".targetPort", target);
                } else if (target.isTextual() && !target.asText().isEmpty()
                        && (target.asText().length() > 15 || !PORT_NAME.matcher(target.asText()).matches()
                        || !target.asText().matches(".*[a-z].*"))) {
                    errors.invalid(f + ".targetPort", target.asText(), "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
                } else if (!target.isMissingNode() && !target.isNull() && !target.isIntegralNumber() && !target.isTextual()) {
                    throw decode(target, "ServicePort." + f + ".targetPort", "intstr.IntOrString");
                }
                String protocol = p.path("protocol").asText("");
                if (!protocol.isEmpty() && !List.of("TCP", "UDP", "SCTP").contains(protocol)) {
                    errors.unsupported(f + ".protocol", protocol, List.of("SCTP", "TCP", "UDP"));
                }
            }
            stringMap(spec.path("selector"), "ServiceSpec.spec.selector");
        }

        void configMap(JsonNode cm) {
            stringMap(cm.path("data"), "ConfigMap.data");
            object(cm.path("binaryData"), "ConfigMap.binaryData", "map[string][]uint8");
            keys(cm.path("data"), "data");
            keys(cm.path("binaryData"), "binaryData");
            cm.path("binaryData").fields().forEachRemaining(e -> base64(e.getValue(), "ConfigMap.binaryData"));
        }

        void secret(JsonNode secret) {
            object(secret.path("data"), "Secret.data", "map[string][]uint8");
            stringMap(secret.path("stringData"), "Secret.stringData");
            keys(secret.path("data"), "data");
            keys(secret.path("stringData"), "stringData");
            secret.path("data").fields().forEachRemaining(e -> base64(e.getValue(), "Secret.data"));
        }

        void base64(JsonNode v, String goField) {
            string(v, goField);
            if (v.isTextual()) {
                try {
                    Base64.getDecoder().decode(v.asText());
                } catch (IllegalArgumentException e) {
                    throw ApiError.badRequest(t.kind() + " in version \"" + t.version() + "\" cannot be handled as a " + t.kind()
                            + ": illegal base64 data at input byte " + badBase64At(v.asText()));
                }
            }
        }

        static int badBase64At(String s) {
            for (int i = 0; i < s.length(); i++) {
                char ch = s.charAt(i);
                if (!(Character.isLetterOrDigit(ch) && ch < 128 || ch == '+' || ch == '/' || ch == '=')) {
                    return i;
                }
            }
            return s.length() - s.length() % 4;
        }

        void keys(JsonNode map, String field) {
            map.fieldNames().forEachRemaining(k -> {
                if (k.length() > 253 || !CONFIG_KEY.matcher(k).matches()) {
                    errors.invalid(field + "[" + k + "]", k, "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. "
                            + "'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')");
                }
            });
        }

        void ingress(JsonNode spec) {
            object(spec, "Ingress.spec", "v1.IngressSpec");
            array(spec.path("rules"), "IngressSpec.spec.rules", "[]v1.IngressRule");
            if (spec.path("rules").isEmpty() && !spec.has("defaultBackend")) {
                errors.invalid("spec", spec, "either `defaultBackend` or `rules` must be specified");
            }
            if (spec.has("defaultBackend")) {
                backend(spec.path("defaultBackend"), "spec.defaultBackend");
            }
            int i = 0;
            for (JsonNode rule : spec.path("rules")) {
                String f = "spec.rules[" + i++ + "]";
                String host = rule.path("host").asText("");
                if (!host.isEmpty()) {
                    String h = host.startsWith("*.") ? host.substring(2) : host;
                    if (host.matches("[0-9.]+")) {
                        errors.invalid(f + ".host", host, "must be a DNS name, not an IP address");
                    } else {
                        subdomain(f + ".host", h);
                    }
                }
                if (!rule.has("http")) {
                    continue;
                }
                array(rule.path("http").path("paths"), "HTTPIngressRuleValue." + f + ".http.paths", "[]v1.HTTPIngressPath");
                if (rule.path("http").path("paths").isEmpty()) {
                    errors.required(f + ".http.paths", null);
                }
                int j = 0;
                for (JsonNode path : rule.path("http").path("paths")) {
                    String pf = f + ".http.paths[" + j++ + "]";
                    String pathType = path.path("pathType").asText("");
                    if (pathType.isEmpty()) {
                        errors.required(pf + ".pathType", "pathType must be specified");
                    } else if (!List.of("Exact", "Prefix", "ImplementationSpecific").contains(pathType)) {
                        errors.unsupported(pf + ".pathType", pathType, List.of("Exact", "ImplementationSpecific", "Prefix"));
                    } else if (!pathType.equals("ImplementationSpecific") && !path.path("path").asText("").startsWith("/")) {
                        errors.invalid(pf + ".path", path.path("path").asText(""), "must be an absolute path");
                    }
                    backend(path.path("backend"), pf + ".backend");
                }
            }
        }

        void backend(JsonNode backend, String field) {
            JsonNode service = backend.path("service");
            if (service.isMissingNode() && !backend.has("resource")) {
                errors.invalid(field, "", "resource or service must be specified");
                return;
            }
            if (service.isMissingNode()) {
                return;
            }
            if (service.path("name").asText("").isEmpty()) {
                errors.required(field + ".service.name", null);
            }
            JsonNode port = service.path("port");
            integer(port.path("number"), "ServiceBackendPort." + field + ".service.port.number", "int32");
            boolean number = port.has("number");
            boolean named = !port.path("name").asText("").isEmpty();
            if (number && named) {
                errors.invalid(field + ".service.port", port, "cannot set both port name & port number");
            } else if (number) {
                port(field + ".service.port.number", port.path("number"));
            } else if (!named) {
                errors.invalid(field + ".service.port", port, "port name or number is required");
            }
        }

        void hpa(JsonNode spec) {
            object(spec, "HorizontalPodAutoscaler.spec", "v2.HorizontalPodAutoscalerSpec");
            integer(spec.path("minReplicas"), "HorizontalPodAutoscalerSpec.spec.minReplicas", "int32");
            integer(spec.path("maxReplicas"), "HorizontalPodAutoscalerSpec.spec.maxReplicas", "int32");
            JsonNode ref = spec.path("scaleTargetRef");
            if (ref.path("kind").asText("").isEmpty()) {
                errors.required("spec.scaleTargetRef.kind", null);
            }
            if (ref.path("name").asText("").isEmpty()) {
                errors.required("spec.scaleTargetRef.name", null);
            }
            long max = spec.path("maxReplicas").asLong(0);
            if (max < 1) {
                errors.invalid("spec.maxReplicas", spec.path("maxReplicas").isMissingNode() ? ApiServer.JSON.getNodeFactory().numberNode(0)
                        : spec.path("maxReplicas"), "must be greater than 0");
            }
            if (spec.has("minReplicas")) {
                long min = spec.path("minReplicas").asLong();
                if (min < 1) {
                    errors.invalid("spec.minReplicas", spec.path("minReplicas"), "must be greater than or equal to 1");
                } else if (max >= 1 && min > max) {
                    errors.invalid("spec.minReplicas", spec.path("minReplicas"), "must be less than or equal to maxReplicas");
                }
            }
        }
    }
}
