package io.sampan.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * Request bodies in Kubernetes' protobuf encoding ({@code application/vnd.kubernetes.protobuf}),
 * which kubectl's typed commands ({@code kubectl create namespace|configmap|secret|deployment|service|
 * job|cronjob|serviceaccount|quota|poddisruptionbudget|ingress}, {@code kubectl autoscale}, {@code kubectl create token}) send: the envelope {@code k8s\0}
 * followed by a {@code runtime.Unknown} (typeMeta, raw), whose raw bytes are the object's message.
 * A small wire-format reader turns the fields these kinds use into the JSON the API server would
 * have decoded; fields it does not know are skipped. Go's encoding writes every non-pointer field,
 * so empty strings, zeros and false are left out (as JSON's {@code omitempty} would), except for
 * the pointer fields where zero means something ({@code replicas: 0}).
 */
final class ProtobufBodies {
    private static final byte[] MAGIC = {'k', '8', 's', 0};

    private ProtobufBodies() {
    }

    enum Kind { STRING, BYTES, INT, INT_KEEP_ZERO, BOOL, MESSAGE, INLINE, STRING_MAP, BYTES_MAP, QUANTITY_MAP, INT_OR_STRING }

    /** A field of a message: its JSON name, how it is encoded, whether repeated, and its message's schema. */
    record Field(String name, Kind kind, boolean repeated, Schema message) {
    }

    /** The fields of a message by number. */
    static final class Schema {
        final Map<Integer, Field> fields = new HashMap<>();

        Schema f(int number, String name, Kind kind) {
            fields.put(number, new Field(name, kind, false, null));
            return this;
        }

        Schema list(int number, String name, Kind kind) {
            fields.put(number, new Field(name, kind, true, null));
            return this;
        }

        Schema m(int number, String name, Schema message) {
            fields.put(number, new Field(name, Kind.MESSAGE, false, message));
            return this;
        }

        Schema ms(int number, String name, Schema message) {
            fields.put(number, new Field(name, Kind.MESSAGE, true, message));
            return this;
        }

        Schema inline(int number, Schema message) {
            fields.put(number, new Field(null, Kind.INLINE, false, message));
            return this;
        }
    }

    private static Schema s() {
        return new Schema();
    }

    static final Schema OBJECT_META = s().f(1, "name", Kind.STRING).f(2, "generateName", Kind.STRING).f(3, "namespace", Kind.STRING)
            .f(5, "uid", Kind.STRING).f(6, "resourceVersion", Kind.STRING).f(11, "labels", Kind.STRING_MAP).f(12, "annotations", Kind.STRING_MAP)
            .ms(13, "ownerReferences", s().f(5, "apiVersion", Kind.STRING).f(1, "kind", Kind.STRING).f(3, "name", Kind.STRING)
                    .f(4, "uid", Kind.STRING).f(6, "controller", Kind.BOOL).f(7, "blockOwnerDeletion", Kind.BOOL))
            .list(14, "finalizers", Kind.STRING);
    static final Schema LABEL_SELECTOR = s().f(1, "matchLabels", Kind.STRING_MAP)
            .ms(2, "matchExpressions", s().f(1, "key", Kind.STRING).f(2, "operator", Kind.STRING).list(3, "values", Kind.STRING));
    static final Schema CONTAINER = s().f(1, "name", Kind.STRING).f(2, "image", Kind.STRING).list(3, "command", Kind.STRING)
            .list(4, "args", Kind.STRING).f(5, "workingDir", Kind.STRING)
            .ms(6, "ports", s().f(1, "name", Kind.STRING).f(2, "hostPort", Kind.INT).f(3, "containerPort", Kind.INT).f(4, "protocol", Kind.STRING)
                    .f(5, "hostIP", Kind.STRING))
            .ms(7, "env", s().f(1, "name", Kind.STRING).f(2, "value", Kind.STRING))
            .m(8, "resources", s().f(1, "limits", Kind.QUANTITY_MAP).f(2, "requests", Kind.QUANTITY_MAP))
            .f(13, "terminationMessagePath", Kind.STRING).f(14, "imagePullPolicy", Kind.STRING).f(16, "stdin", Kind.BOOL)
            .f(17, "stdinOnce", Kind.BOOL).f(18, "tty", Kind.BOOL).f(20, "terminationMessagePolicy", Kind.STRING);
    static final Schema POD_SPEC = s().ms(2, "containers", CONTAINER).f(3, "restartPolicy", Kind.STRING)
            .f(4, "terminationGracePeriodSeconds", Kind.INT_KEEP_ZERO).f(5, "activeDeadlineSeconds", Kind.INT_KEEP_ZERO).f(6, "dnsPolicy", Kind.STRING)
            .f(7, "nodeSelector", Kind.STRING_MAP).f(8, "serviceAccountName", Kind.STRING).f(10, "nodeName", Kind.STRING)
            .f(11, "hostNetwork", Kind.BOOL).f(16, "hostname", Kind.STRING).f(17, "subdomain", Kind.STRING).f(19, "schedulerName", Kind.STRING)
            .ms(20, "initContainers", CONTAINER).f(24, "priorityClassName", Kind.STRING);
    static final Schema POD_TEMPLATE = s().m(1, "metadata", OBJECT_META).m(2, "spec", POD_SPEC);
    static final Schema JOB_SPEC = s().f(1, "parallelism", Kind.INT_KEEP_ZERO).f(2, "completions", Kind.INT_KEEP_ZERO)
            .f(3, "activeDeadlineSeconds", Kind.INT_KEEP_ZERO).m(4, "selector", LABEL_SELECTOR).f(5, "manualSelector", Kind.BOOL)
            .m(6, "template", POD_TEMPLATE).f(7, "backoffLimit", Kind.INT_KEEP_ZERO).f(8, "ttlSecondsAfterFinished", Kind.INT_KEEP_ZERO)
            .f(9, "completionMode", Kind.STRING).f(10, "suspend", Kind.BOOL);
    static final Schema SERVICE_BACKEND = s().m(4, "service", s().f(1, "name", Kind.STRING)
            .m(2, "port", s().f(1, "name", Kind.STRING).f(2, "number", Kind.INT)));

    /** The kinds kubectl's typed commands create, by {@code apiVersion/kind}. */
    static final Map<String, Schema> KINDS = Map.ofEntries(
            Map.entry("v1/Namespace", s().m(1, "metadata", OBJECT_META).m(2, "spec", s().list(1, "finalizers", Kind.STRING))),
            Map.entry("v1/ConfigMap", s().m(1, "metadata", OBJECT_META).f(2, "data", Kind.STRING_MAP).f(3, "binaryData", Kind.BYTES_MAP)
                    .f(4, "immutable", Kind.BOOL)),
            Map.entry("v1/Secret", s().m(1, "metadata", OBJECT_META).f(2, "data", Kind.BYTES_MAP).f(3, "type", Kind.STRING)
                    .f(4, "stringData", Kind.STRING_MAP).f(5, "immutable", Kind.BOOL)),
            Map.entry("v1/ServiceAccount", s().m(1, "metadata", OBJECT_META).ms(3, "imagePullSecrets", s().f(1, "name", Kind.STRING))
                    .f(4, "automountServiceAccountToken", Kind.BOOL)),
            Map.entry("v1/ResourceQuota", s().m(1, "metadata", OBJECT_META).m(2, "spec", s().f(1, "hard", Kind.QUANTITY_MAP)
                    .list(2, "scopes", Kind.STRING))),
            Map.entry("v1/Service", s().m(1, "metadata", OBJECT_META).m(2, "spec", s()
                    .ms(1, "ports", s().f(1, "name", Kind.STRING).f(2, "protocol", Kind.STRING).f(3, "port", Kind.INT)
                            .f(4, "targetPort", Kind.INT_OR_STRING).f(5, "nodePort", Kind.INT).f(6, "appProtocol", Kind.STRING))
                    .f(2, "selector", Kind.STRING_MAP).f(3, "clusterIP", Kind.STRING).f(4, "type", Kind.STRING).list(5, "externalIPs", Kind.STRING)
                    .f(7, "sessionAffinity", Kind.STRING).f(10, "externalName", Kind.STRING).list(18, "clusterIPs", Kind.STRING))),
            Map.entry("v1/Pod", s().m(1, "metadata", OBJECT_META).m(2, "spec", POD_SPEC)),
            Map.entry("apps/v1/Deployment", s().m(1, "metadata", OBJECT_META).m(2, "spec", s().f(1, "replicas", Kind.INT_KEEP_ZERO)
                    .m(2, "selector", LABEL_SELECTOR).m(3, "template", POD_TEMPLATE)
                    .m(4, "strategy", s().f(1, "type", Kind.STRING).m(2, "rollingUpdate", s().f(1, "maxUnavailable", Kind.INT_OR_STRING)
                            .f(2, "maxSurge", Kind.INT_OR_STRING)))
                    .f(5, "minReadySeconds", Kind.INT).f(6, "revisionHistoryLimit", Kind.INT_KEEP_ZERO).f(7, "paused", Kind.BOOL)
                    .f(9, "progressDeadlineSeconds", Kind.INT_KEEP_ZERO))),
            Map.entry("batch/v1/Job", s().m(1, "metadata", OBJECT_META).m(2, "spec", JOB_SPEC)),
            Map.entry("batch/v1/CronJob", s().m(1, "metadata", OBJECT_META).m(2, "spec", s().f(1, "schedule", Kind.STRING)
                    .f(2, "startingDeadlineSeconds", Kind.INT_KEEP_ZERO).f(3, "concurrencyPolicy", Kind.STRING).f(4, "suspend", Kind.BOOL)
                    .m(5, "jobTemplate", s().m(1, "metadata", OBJECT_META).m(2, "spec", JOB_SPEC))
                    .f(6, "successfulJobsHistoryLimit", Kind.INT_KEEP_ZERO).f(7, "failedJobsHistoryLimit", Kind.INT_KEEP_ZERO)
                    .f(8, "timeZone", Kind.STRING))),
            Map.entry("autoscaling/v1/HorizontalPodAutoscaler", s().m(1, "metadata", OBJECT_META).m(2, "spec", s()
                    .m(1, "scaleTargetRef", s().f(1, "kind", Kind.STRING).f(2, "name", Kind.STRING).f(3, "apiVersion", Kind.STRING))
                    .f(2, "minReplicas", Kind.INT_KEEP_ZERO).f(3, "maxReplicas", Kind.INT).f(4, "targetCPUUtilizationPercentage", Kind.INT_KEEP_ZERO))),
            Map.entry("authentication.k8s.io/v1/TokenRequest", s().m(1, "metadata", OBJECT_META).m(2, "spec", s()
                    .list(1, "audiences", Kind.STRING).f(4, "expirationSeconds", Kind.INT_KEEP_ZERO)
                    .m(3, "boundObjectRef", s().f(1, "kind", Kind.STRING).f(2, "apiVersion", Kind.STRING).f(3, "name", Kind.STRING)
                            .f(4, "uid", Kind.STRING)))),
            Map.entry("policy/v1/PodDisruptionBudget", s().m(1, "metadata", OBJECT_META).m(2, "spec", s()
                    .f(1, "minAvailable", Kind.INT_OR_STRING).m(2, "selector", LABEL_SELECTOR).f(3, "maxUnavailable", Kind.INT_OR_STRING)
                    .f(4, "unhealthyPodEvictionPolicy", Kind.STRING))),
            Map.entry("networking.k8s.io/v1/Ingress", s().m(1, "metadata", OBJECT_META).m(2, "spec", s()
                    .m(1, "defaultBackend", SERVICE_BACKEND)
                    .ms(2, "tls", s().list(1, "hosts", Kind.STRING).f(2, "secretName", Kind.STRING))
                    .ms(3, "rules", s().f(1, "host", Kind.STRING).inline(2, s().m(1, "http", s()
                            .ms(1, "paths", s().f(1, "path", Kind.STRING).m(2, "backend", SERVICE_BACKEND).f(3, "pathType", Kind.STRING)))))
                    .f(4, "ingressClassName", Kind.STRING))));

    /** Whether a body starts with the protobuf envelope's magic. */
    static boolean isEnvelope(byte[] raw) {
        return raw.length >= 4 && raw[0] == MAGIC[0] && raw[1] == MAGIC[1] && raw[2] == MAGIC[2] && raw[3] == MAGIC[3];
    }

    /** Decodes an enveloped object of a kind in {@link #KINDS} to its JSON; other kinds are 415. */
    static ObjectNode decode(byte[] raw) {
        if (!isEnvelope(raw)) {
            throw ApiError.badRequest("the protobuf body does not start with the Kubernetes envelope (k8s\\x00)");
        }
        Reader unknown = new Reader(raw, 4, raw.length);
        String apiVersion = "";
        String kind = "";
        byte[] object = null;
        int objectFrom = 0;
        int objectTo = 0;
        while (unknown.more()) {
            int tag = (int) unknown.varint();
            switch (tag >>> 3) {
                case 1 -> {
                    Reader typeMeta = unknown.sub();
                    while (typeMeta.more()) {
                        int t = (int) typeMeta.varint();
                        if (t >>> 3 == 1) {
                            apiVersion = typeMeta.string();
                        } else if (t >>> 3 == 2) {
                            kind = typeMeta.string();
                        } else {
                            typeMeta.skip(t & 7);
                        }
                    }
                }
                case 2 -> {
                    int len = (int) unknown.varint();
                    object = raw;
                    objectFrom = unknown.pos;
                    objectTo = unknown.pos + len;
                    unknown.pos += len;
                }
                default -> unknown.skip(tag & 7);
            }
        }
        Schema schema = KINDS.get(apiVersion + "/" + kind);
        if (schema == null || object == null) {
            throw new ApiError(415, "UnsupportedMediaType", "the sandbox decodes protobuf bodies of " + String.join(", ",
                    KINDS.keySet().stream().sorted().toList()) + " only, not " + apiVersion + "/" + kind + "; send JSON or YAML");
        }
        ObjectNode o = message(new Reader(object, objectFrom, objectTo), schema);
        ObjectNode out = ApiServer.JSON.createObjectNode().put("apiVersion", apiVersion).put("kind", kind);
        out.setAll(o);
        return out;
    }

    private static ObjectNode message(Reader r, Schema schema) {
        ObjectNode o = ApiServer.JSON.createObjectNode();
        while (r.more()) {
            int tag = (int) r.varint();
            Field f = schema.fields.get(tag >>> 3);
            if (f == null) {
                r.skip(tag & 7);
                continue;
            }
            JsonNode value = switch (f.kind()) {
                case STRING -> text(r.string());
                case BYTES -> text(Base64.getEncoder().encodeToString(r.bytes()));
                case INT -> {
                    long v = (int) r.varint(); // int32 fields: negative values are sign-extended varints
                    yield v == 0 ? null : ApiServer.JSON.getNodeFactory().numberNode(v);
                }
                case INT_KEEP_ZERO -> ApiServer.JSON.getNodeFactory().numberNode(r.varint());
                case BOOL -> r.varint() != 0 ? ApiServer.JSON.getNodeFactory().booleanNode(true) : null;
                case MESSAGE -> {
                    ObjectNode m = message(r.sub(), f.message());
                    yield m.isEmpty() && !f.repeated() ? null : m;
                }
                case INLINE -> {
                    o.setAll(message(r.sub(), f.message()));
                    yield null;
                }
                case STRING_MAP, BYTES_MAP, QUANTITY_MAP -> {
                    mapEntry(r.sub(), f.kind(), o.with(f.name()));
                    yield null;
                }
                case INT_OR_STRING -> intOrString(r.sub());
            };
            if (value == null) {
                continue;
            }
            if (f.repeated()) {
                o.withArray(f.name()).add(value);
            } else {
                o.set(f.name(), value);
            }
        }
        return o;
    }

    private static JsonNode text(String s) {
        return s.isEmpty() ? null : ApiServer.JSON.getNodeFactory().textNode(s);
    }

    private static void mapEntry(Reader r, Kind kind, ObjectNode into) {
        String key = "";
        JsonNode value = ApiServer.JSON.getNodeFactory().textNode("");
        while (r.more()) {
            int tag = (int) r.varint();
            if (tag >>> 3 == 1) {
                key = r.string();
            } else if (tag >>> 3 == 2) {
                value = switch (kind) {
                    case BYTES_MAP -> ApiServer.JSON.getNodeFactory().textNode(Base64.getEncoder().encodeToString(r.bytes()));
                    case QUANTITY_MAP -> {
                        Reader q = r.sub();
                        String s = "";
                        while (q.more()) {
                            int t = (int) q.varint();
                            if (t >>> 3 == 1) {
                                s = q.string();
                            } else {
                                q.skip(t & 7);
                            }
                        }
                        yield ApiServer.JSON.getNodeFactory().textNode(s);
                    }
                    default -> ApiServer.JSON.getNodeFactory().textNode(r.string());
                };
            } else {
                r.skip(tag & 7);
            }
        }
        into.set(key, value);
    }

    /** {@code intstr.IntOrString}: type (0 int, 1 string), intVal, strVal. */
    private static JsonNode intOrString(Reader r) {
        long type = 0;
        long intVal = 0;
        String strVal = "";
        while (r.more()) {
            int tag = (int) r.varint();
            switch (tag >>> 3) {
                case 1 -> type = r.varint();
                case 2 -> intVal = (int) r.varint();
                case 3 -> strVal = r.string();
                default -> r.skip(tag & 7);
            }
        }
        return type == 1 ? ApiServer.JSON.getNodeFactory().textNode(strVal) : ApiServer.JSON.getNodeFactory().numberNode(intVal);
    }

    /** The protobuf wire format over a slice of bytes. */
    private static final class Reader {
        private final byte[] buf;
        private final int end;
        private int pos;

        Reader(byte[] buf, int from, int to) {
            this.buf = buf;
            this.pos = from;
            this.end = to;
        }

        boolean more() {
            return pos < end;
        }

        long varint() {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (pos >= end) {
                    throw ApiError.badRequest("the protobuf body is truncated");
                }
                byte b = buf[pos++];
                v |= (long) (b & 0x7f) << shift;
                if ((b & 0x80) == 0) {
                    return v;
                }
            }
            throw ApiError.badRequest("the protobuf body has a malformed varint");
        }

        Reader sub() {
            int len = (int) varint();
            if (len < 0 || pos + len > end) {
                throw ApiError.badRequest("the protobuf body is truncated");
            }
            Reader r = new Reader(buf, pos, pos + len);
            pos += len;
            return r;
        }

        byte[] bytes() {
            Reader r = sub();
            byte[] out = new byte[r.end - r.pos];
            System.arraycopy(buf, r.pos, out, 0, out.length);
            return out;
        }

        String string() {
            Reader r = sub();
            return new String(buf, r.pos, r.end - r.pos, StandardCharsets.UTF_8);
        }

        void skip(int wireType) {
            switch (wireType) {
                case 0 -> varint();
                case 1 -> pos += 8;
                case 2 -> sub();
                case 5 -> pos += 4;
                default -> throw ApiError.badRequest("the protobuf body has an unsupported wire type " + wireType);
            }
        }
    }
}
