package io.sampan.sandbox.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The revision history StatefulSets and DaemonSets keep as apps/v1 ControllerRevisions: one per
 * pod template they have had, named {@code <owner>-<hash>}, holding the template as a patch
 * ({@code kubectl rollout history/undo} read it), numbered in the order they were last made
 * current, and trimmed to {@code spec.revisionHistoryLimit} (10 by default) of those no pod uses.
 */
final class ControllerRevisions {
    /** The label a revision carries with its hash. */
    static final String HASH_LABEL = "controller.kubernetes.io/hash";
    /** The label on pods naming the revision they were made from. */
    static final String POD_LABEL = "controller-revision-hash";

    private final Api api;
    private final Informer revisions;

    /** The revision a controller should make pods from, and the collision count it took to name it. */
    record Current(ObjectNode revision, int collisionCount) {
        String name() {
            return Meta.name(revision);
        }

        String hash() {
            return revision.path("metadata").path("labels").path(HASH_LABEL).asText();
        }

        long number() {
            return revision.path("revision").asLong();
        }
    }

    ControllerRevisions(Api api, Informer revisions) {
        this.api = api;
        this.revisions = revisions;
    }

    /** The revisions {@code owner} controls, oldest number first. */
    List<ObjectNode> of(JsonNode owner) {
        List<ObjectNode> out = new ArrayList<>(revisions.byIndex(Simulation.BY_OWNER, Meta.uid(owner)));
        out.sort(Comparator.comparingLong((ObjectNode r) -> r.path("revision").asLong()).thenComparing(Meta::name));
        return out;
    }

    /** What a revision stores of a template: the patch that puts it back. */
    static ObjectNode data(JsonNode template) {
        ObjectNode data = Meta.JSON.createObjectNode();
        ObjectNode t = template.isObject() ? ((ObjectNode) template).deepCopy() : Meta.JSON.createObjectNode();
        t.put("$patch", "replace");
        data.putObject("spec").set("template", t);
        return data;
    }

    /** The pod template a revision holds. */
    static ObjectNode template(JsonNode revision) {
        ObjectNode t = ((ObjectNode) revision.path("data").path("spec").path("template")).deepCopy();
        t.remove("$patch");
        return t;
    }

    /** The hash of a template, as Kubernetes names revisions: FNV-32a of the data and the collision count, safe-encoded. */
    static String hash(JsonNode data, int collisionCount) {
        ObjectNode input = Meta.JSON.createObjectNode();
        input.set("data", data);
        input.put("collisionCount", collisionCount);
        return Meta.safeEncode(Meta.fnv32a(input));
    }

    /**
     * The revision of the owner's current {@code spec.template}: an existing one with the same
     * template (renumbered as the newest when it was not, as on a rollback), or a new one. A name
     * taken by a different template is a collision: the count goes up and the hash changes.
     */
    Current ensure(ObjectNode owner, Map<String, String> labels) {
        JsonNode template = owner.path("spec").path("template");
        ObjectNode data = data(template);
        List<ObjectNode> existing = of(owner);
        long newest = existing.isEmpty() ? 0 : existing.get(existing.size() - 1).path("revision").asLong();
        for (ObjectNode r : existing) {
            if (r.path("data").equals(data)) {
                if (r.path("revision").asLong() != newest) {
                    ObjectNode update = r.deepCopy();
                    update.put("revision", newest + 1);
                    r = api.update(Kinds.CONTROLLER_REVISION, update);
                }
                return new Current(r, owner.path("status").path("collisionCount").asInt(0));
            }
        }
        int collisions = owner.path("status").path("collisionCount").asInt(0);
        while (true) {
            String hash = hash(data, collisions);
            String name = Meta.name(owner) + "-" + hash;
            ObjectNode taken = api.get(Kinds.CONTROLLER_REVISION, Meta.namespace(owner), name).orElse(null);
            if (taken != null) {
                if (taken.path("data").equals(data) && Meta.uid(owner).equals(Meta.controllerUid(taken))) {
                    return new Current(taken, collisions);
                }
                collisions++;
                continue;
            }
            ObjectNode r = Meta.JSON.createObjectNode();
            ObjectNode meta = r.putObject("metadata").put("name", name).put("namespace", Meta.namespace(owner));
            ObjectNode l = meta.putObject("labels");
            labels.forEach(l::put);
            l.put(HASH_LABEL, hash);
            Meta.setController(r, owner);
            r.set("data", data);
            r.put("revision", newest + 1);
            return new Current(api.create(Kinds.CONTROLLER_REVISION, r), collisions);
        }
    }

    /** Deletes the oldest revisions beyond {@code spec.revisionHistoryLimit} among those not in {@code live} (current, updated or used by a pod). */
    void trim(JsonNode owner, Set<String> live) {
        int limit = owner.path("spec").path("revisionHistoryLimit").asInt(10);
        List<ObjectNode> unused = new ArrayList<>();
        for (ObjectNode r : of(owner)) {
            if (!live.contains(Meta.name(r))) {
                unused.add(r);
            }
        }
        for (int i = 0; i < unused.size() - limit; i++) {
            api.delete(Kinds.CONTROLLER_REVISION, Meta.namespace(unused.get(i)), Meta.name(unused.get(i)));
        }
    }

    /** The revision of that name among the owner's, or null. */
    ObjectNode named(JsonNode owner, String name) {
        for (ObjectNode r : of(owner)) {
            if (Meta.name(r).equals(name)) {
                return r;
            }
        }
        return null;
    }
}
