package io.sampan.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CustomResourceDefinitions ({@code apiextensions.k8s.io/v1}) as the apiextensions server handles
 * them: a new CRD is checked, gets the {@code customresourcecleanup} finalizer, its served versions
 * become resource types (group, plural, singular, kind, short names, categories, scope, status and
 * scale subresources) and its status says {@code NamesAccepted} and {@code Established}; custom
 * resources are pruned and validated against the version's structural schema; deleting the CRD
 * deletes its objects, then the types go.
 */
final class CustomResources implements Admission {
    static final String CLEANUP_FINALIZER = "customresourcecleanup.apiextensions.k8s.io";
    private static final Pattern VERSION = Pattern.compile("v(\\d+)(?:(alpha|beta)(\\d+))?");
    private static final Pattern SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    /** A printer column of {@code additionalPrinterColumns}. */
    record PrinterColumn(String name, String type, String format, String description, int priority, String jsonPath) {
    }

    /**
     * What a version of a CRD adds to a resource type; {@code storage} is the type of the storage
     * version, under which the objects of every version are kept (served is false for a storage
     * version that is not served).
     */
    record Definition(String crd, ResourceType type, String singular, List<String> categories, StructuralSchema schema,
            List<PrinterColumn> columns, String specReplicasPath, String statusReplicasPath, String labelSelectorPath, ResourceType storage,
            boolean served) {
    }

    private final Store store;
    private final ResourceTypes types;
    private final ResourceType crds;
    private final Map<String, Definition> byPath = new ConcurrentHashMap<>();

    CustomResources(Store store, ResourceTypes types) {
        this.store = store;
        this.types = types;
        this.crds = types.find("apiextensions.k8s.io/v1", "customresourcedefinitions").orElseThrow();
        store.addAdmission(this);
        store.addReaction(this::react);
        synchronized (store) {
            for (ObjectNode crd : store.list(crds, null, x -> true).items()) {
                react(new Store.Change("MODIFIED", crds, store.revision(), crd)); // restored from a data directory: served again
            }
        }
    }

    Optional<Definition> of(ResourceType t) {
        return Optional.ofNullable(byPath.get(t.groupVersion() + "/" + t.plural()));
    }

    /**
     * The type whose objects a request for {@code t} reads and writes: the storage version of a
     * custom resource (each version is a view of the same objects, converted by their apiVersion
     * alone, as with the {@code None} conversion strategy), {@code t} itself otherwise.
     */
    ResourceType storageOf(ResourceType t) {
        return of(t).map(Definition::storage).orElse(t);
    }

    private static String qualifiedKind(ResourceType t) {
        return t.kind() + "." + t.group();
    }

    @Override
    public void admitCreate(Store s, ResourceType type, String namespace, ObjectNode object) {
        if (type.equals(crds)) {
            checkDefinition(object);
            List<String> finalizers = Finalizers.of(object);
            if (!finalizers.contains(CLEANUP_FINALIZER)) {
                finalizers.add(CLEANUP_FINALIZER);
                Finalizers.set(object, finalizers);
            }
            object.remove("status");
            return;
        }
        of(type).ifPresent(d -> {
            String name = object.path("metadata").path("name").asText();
            if (!SUBDOMAIN.matcher(name).matches() || name.length() > 253) {
                throw new ApiError(422, "Invalid", qualifiedKind(type) + " \"" + name + "\" is invalid: metadata.name: Invalid value: \"" + name
                        + "\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end "
                        + "with an alphanumeric character (e.g. 'example.com', regex used for validation is '" + SUBDOMAIN.pattern() + "')");
            }
            if (type.hasStatus()) {
                object.remove("status"); // set through the status subresource only
            }
            admit(d, object);
        });
    }

    @Override
    public void admitUpdate(Store s, ResourceType type, ObjectNode next, ObjectNode current) {
        if (type.equals(crds) && !Finalizers.deleting(current)) {
            checkDefinition(next);
            return;
        }
        of(type).ifPresent(d -> admit(d, next));
    }

    private static void admit(Definition d, ObjectNode object) {
        d.schema().prune(object);
        d.schema().applyDefaults(object);
        List<StructuralSchema.Violation> errors = d.schema().validate(object);
        if (!errors.isEmpty()) {
            String name = object.path("metadata").path("name").asText();
            List<String> messages = errors.stream().map(StructuralSchema.Violation::toString).toList();
            ObjectNode details = ApiServer.JSON.createObjectNode().put("name", name).put("group", d.type().group()).put("kind", d.type().kind());
            ArrayNode causes = details.putArray("causes");
            errors.forEach(e -> causes.addObject().put("reason", e.reason()).put("message", e.detail()).put("field", e.field()));
            throw new ApiError(422, "Invalid", qualifiedKind(d.type()) + " \"" + name + "\" is invalid: "
                    + (messages.size() == 1 ? messages.get(0) : "[" + String.join(", ", messages) + "]")).withDetails(details);
        }
    }

    /** The checks of the apiextensions validation that matter to a user writing a CRD by hand. */
    private void checkDefinition(ObjectNode crd) {
        JsonNode spec = crd.path("spec");
        String name = crd.path("metadata").path("name").asText();
        String group = spec.path("group").asText("");
        String plural = spec.path("names").path("plural").asText("");
        List<String> errors = new ArrayList<>();
        if (group.isEmpty()) {
            errors.add("spec.group: Required value");
        }
        if (plural.isEmpty()) {
            errors.add("spec.names.plural: Required value");
        }
        if (spec.path("names").path("kind").asText("").isEmpty()) {
            errors.add("spec.names.kind: Required value");
        }
        if (!name.equals(plural + "." + group)) {
            errors.add("metadata.name: Invalid value: \"" + name + "\": must be spec.names.plural+\".\"+spec.group");
        }
        String scope = spec.path("scope").asText("");
        if (!scope.equals("Namespaced") && !scope.equals("Cluster")) {
            errors.add("spec.scope: Unsupported value: \"" + scope + "\": supported values: \"Cluster\", \"Namespaced\"");
        }
        int storage = 0;
        JsonNode versions = spec.path("versions");
        if (versions.isEmpty()) {
            errors.add("spec.versions: Invalid value: []: must have exactly one version marked as storage version");
        }
        for (int i = 0; i < versions.size(); i++) {
            JsonNode v = versions.get(i);
            storage += v.path("storage").asBoolean(false) ? 1 : 0;
            JsonNode schema = v.path("schema").path("openAPIV3Schema");
            if (schema.isMissingNode()) {
                errors.add("spec.versions[" + i + "].schema.openAPIV3Schema: Required value: schemas are required");
            } else if (!schema.path("type").asText("").equals("object")) {
                errors.add("spec.versions[" + i + "].schema.openAPIV3Schema.type: Required value: must not be empty at the root");
            }
        }
        if (!versions.isEmpty() && storage != 1) {
            errors.add("spec.versions: Invalid value: " + versions.size() + ": must have exactly one version marked as storage version");
        }
        if (!errors.isEmpty()) {
            throw new ApiError(422, "Invalid", "CustomResourceDefinition.apiextensions.k8s.io \"" + name + "\" is invalid: "
                    + (errors.size() == 1 ? errors.get(0) : "[" + String.join(", ", errors) + "]"));
        }
    }

    private void react(Store.Change change) {
        if (change.resource().equals(crds)) {
            String name = change.object().path("metadata").path("name").asText();
            if (change.type().equals("DELETED")) {
                unregister(name);
            } else if (Finalizers.deleting(change.object())) {
                cleanUp(change.object());
            } else {
                establish(change.object());
            }
        } else if (change.type().equals("DELETED")) {
            of(change.resource()).ifPresent(d -> {
                if (store.exists(crds, null, d.crd())) {
                    ObjectNode crd = store.get(crds, null, d.crd());
                    if (Finalizers.deleting(crd)) {
                        cleanUp(crd);
                    }
                }
            });
        }
    }

    private void unregister(String crdName) {
        byPath.values().removeIf(d -> {
            if (d.crd().equals(crdName)) {
                types.unregister(d.type());
                return true;
            }
            return false;
        });
    }

    /** Registers the served versions and reports NamesAccepted and Established. */
    private void establish(ObjectNode crd) {
        String name = crd.path("metadata").path("name").asText();
        JsonNode spec = crd.path("spec");
        JsonNode names = spec.path("names");
        String group = spec.path("group").asText();
        String plural = names.path("plural").asText();
        String conflict = null;
        for (ResourceType t : types.all()) {
            if (t.group().equals(group) && t.plural().equals(plural) && of(t).map(d -> !d.crd().equals(name)).orElse(true)) {
                conflict = "\"" + plural + "\" is already in use";
            }
        }
        if (conflict == null) {
            List<JsonNode> versions = new ArrayList<>();
            ResourceType storage = null;
            for (JsonNode v : spec.path("versions")) {
                if (v.path("served").asBoolean(false) || v.path("storage").asBoolean(false)) {
                    versions.add(v);
                }
                if (v.path("storage").asBoolean(false)) {
                    storage = typeOf(spec, v);
                }
            }
            versions.sort(Comparator.comparing((JsonNode v) -> priority(v.path("name").asText())).reversed());
            Map<String, Definition> now = new java.util.LinkedHashMap<>();
            for (JsonNode v : versions) {
                Definition d = definition(name, spec, v, storage);
                now.put(d.type().groupVersion() + "/" + d.type().plural(), d);
            }
            byPath.entrySet().removeIf(e -> {
                boolean gone = e.getValue().crd().equals(name) && !now.containsKey(e.getKey());
                if (gone) {
                    types.unregister(e.getValue().type());
                }
                return gone;
            });
            now.forEach((path, d) -> {
                byPath.put(path, d);
                if (d.served()) {
                    types.register(d.type());
                } else {
                    types.unregister(d.type());
                }
            });
        }
        ObjectNode status = crd.deepCopy().with("status");
        ObjectNode accepted = status.putObject("acceptedNames");
        if (conflict == null) {
            accepted.setAll((ObjectNode) names.deepCopy());
            accepted.put("singular", names.path("singular").asText(names.path("kind").asText().toLowerCase()));
            accepted.put("listKind", names.path("listKind").asText(names.path("kind").asText() + "List"));
        } else {
            accepted.put("plural", "").put("kind", "");
        }
        String now = store.now().truncatedTo(ChronoUnit.SECONDS).toString();
        ArrayNode conditions = status.putArray("conditions");
        JsonNode old = crd.path("status").path("conditions");
        condition(conditions, old, "NamesAccepted", conflict == null, conflict == null ? "NoConflicts" : "PluralConflict",
                conflict == null ? "no conflicts found" : conflict, now);
        condition(conditions, old, "Established", conflict == null, conflict == null ? "InitialNamesAccepted" : "NotAccepted",
                conflict == null ? "the initial names have been accepted" : "not all names are accepted", now);
        ArrayNode stored = status.putArray("storedVersions");
        spec.path("versions").forEach(v -> {
            if (v.path("storage").asBoolean(false)) {
                stored.add(v.path("name").asText());
            }
        });
        if (!status.equals(crd.path("status"))) {
            ObjectNode next = crd.deepCopy();
            next.set("status", status);
            next.with("metadata").remove("resourceVersion");
            store.update(crds, null, name, next, true);
        }
    }

    private static void condition(ArrayNode conditions, JsonNode old, String type, boolean ok, String reason, String message, String now) {
        String transition = now;
        for (JsonNode c : old) {
            if (c.path("type").asText().equals(type) && c.path("status").asText().equals(ok ? "True" : "False")) {
                transition = c.path("lastTransitionTime").asText(now);
            }
        }
        conditions.addObject().put("type", type).put("status", ok ? "True" : "False").put("lastTransitionTime", transition).put("reason", reason)
                .put("message", message);
    }

    private static ResourceType typeOf(JsonNode spec, JsonNode version) {
        JsonNode names = spec.path("names");
        JsonNode sub = version.path("subresources");
        List<String> shortNames = new ArrayList<>();
        names.path("shortNames").forEach(n -> shortNames.add(n.asText()));
        return new ResourceType(spec.path("group").asText(), version.path("name").asText(), names.path("kind").asText(),
                names.path("plural").asText(), spec.path("scope").asText().equals("Namespaced"), List.copyOf(shortNames), sub.has("status"),
                sub.has("scale"));
    }

    private static Definition definition(String crd, JsonNode spec, JsonNode version, ResourceType storage) {
        JsonNode names = spec.path("names");
        JsonNode sub = version.path("subresources");
        List<String> categories = new ArrayList<>();
        names.path("categories").forEach(n -> categories.add(n.asText()));
        ResourceType t = typeOf(spec, version);
        List<PrinterColumn> columns = new ArrayList<>();
        JsonNode printer = version.has("additionalPrinterColumns") ? version.get("additionalPrinterColumns") : null;
        if (printer == null) {
            columns.add(new PrinterColumn("Age", "date", "", "", 0, ".metadata.creationTimestamp"));
        } else {
            printer.forEach(c -> columns.add(new PrinterColumn(c.path("name").asText(), c.path("type").asText("string"), c.path("format").asText(""),
                    c.path("description").asText(""), c.path("priority").asInt(0), c.path("jsonPath").asText())));
        }
        JsonNode scale = sub.path("scale");
        return new Definition(crd, t, names.path("singular").asText(names.path("kind").asText().toLowerCase()), List.copyOf(categories),
                new StructuralSchema(version.path("schema").path("openAPIV3Schema")), List.copyOf(columns),
                scale.path("specReplicasPath").asText(".spec.replicas"), scale.path("statusReplicasPath").asText(".status.replicas"),
                scale.path("labelSelectorPath").asText(null), storage == null ? t : storage, version.path("served").asBoolean(false));
    }

    /** Kubernetes' version priority: GA over beta over alpha, higher numbers first, others last. */
    static int priority(String version) {
        Matcher m = VERSION.matcher(version);
        if (!m.matches()) {
            return 0;
        }
        int major = Integer.parseInt(m.group(1));
        if (m.group(2) == null) {
            return 300_000 + major;
        }
        int minor = Integer.parseInt(m.group(3));
        return (m.group(2).equals("beta") ? 200_000 : 100_000) + major * 100 + minor;
    }

    /** Deletes the CRD's objects; once none is left the cleanup finalizer goes, and the CRD with it. */
    private void cleanUp(ObjectNode crd) {
        String name = crd.path("metadata").path("name").asText();
        boolean left = false;
        for (Definition d : List.copyOf(byPath.values())) {
            if (!d.crd().equals(name) || !d.type().equals(d.storage())) {
                continue;
            }
            for (ObjectNode o : store.list(d.type(), null, x -> true).items()) {
                if (!Finalizers.deleting(o)) {
                    try {
                        store.delete(d.type(), o.path("metadata").path("namespace").asText(null), o.path("metadata").path("name").asText(),
                                DeleteOptions.propagation(DeleteOptions.BACKGROUND));
                    } catch (ApiError gone) {
                        // already deleted
                    }
                }
            }
            left |= store.any(d.type(), null);
        }
        if (!left) {
            ObjectNode next = store.get(crds, null, name);
            if (Finalizers.remove(next, CLEANUP_FINALIZER)) {
                next.with("metadata").remove("resourceVersion");
                store.update(crds, null, name, next, false);
            }
        }
    }

    /** The value at a simple JSONPath ({@code .spec.x}, {@code .status.conditions[0].type}), or null. */
    static JsonNode at(JsonNode object, String jsonPath) {
        JsonNode n = object;
        String p = jsonPath.startsWith("{") && jsonPath.endsWith("}") ? jsonPath.substring(1, jsonPath.length() - 1) : jsonPath;
        for (String part : p.split("\\.")) {
            if (part.isEmpty()) {
                continue;
            }
            Matcher m = Pattern.compile("([^\\[]*)((?:\\[\\d+])*)").matcher(part);
            if (!m.matches()) {
                return null;
            }
            if (!m.group(1).isEmpty()) {
                n = n.path(m.group(1));
            }
            Matcher idx = Pattern.compile("\\[(\\d+)]").matcher(m.group(2));
            while (idx.find()) {
                n = n.path(Integer.parseInt(idx.group(1)));
            }
        }
        return n.isMissingNode() || n.isNull() ? null : n;
    }

    /** Sets the value at a simple JSONPath of objects ({@code .spec.replicas}). */
    static void put(ObjectNode object, String jsonPath, JsonNode value) {
        String[] parts = jsonPath.substring(1).split("\\.");
        ObjectNode n = object;
        for (int i = 0; i < parts.length - 1; i++) {
            n = n.with(parts[i]);
        }
        n.set(parts[parts.length - 1], value);
    }
}
