package io.sampan.sandbox;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The API's discovery documents, from the kinds served: the classic ones ({@code APIGroupList} at
 * {@code /apis}, an {@code APIResourceList} per group-version) and the aggregated ones
 * ({@code apidiscovery.k8s.io/v2 APIGroupDiscoveryList} at {@code /api} and {@code /apis}), which
 * kubectl asks for first and which spare it a request per group-version.
 */
final class Discovery {
    /** The Accept and Content-Type of aggregated discovery. */
    static final String AGGREGATED = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";
    /** The built-in resources in the {@code all} category ({@code kubectl get all}). */
    private static final Set<String> ALL = Set.of("pods", "services", "daemonsets", "deployments", "replicasets", "statefulsets",
            "horizontalpodautoscalers", "cronjobs", "jobs", "replicationcontrollers");
    private static final List<String> VERBS = List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");
    private final ResourceTypes types;
    private final CustomResources customs;

    Discovery(ResourceTypes types, CustomResources customs) {
        this.types = types;
        this.customs = customs;
    }

    /** A resource of a group-version, with its subresources. */
    private record Resource(ResourceType type, String singular, List<String> categories, List<Subresource> subresources) {
    }

    /** A subresource; its kind is in {@code groupVersion} (the parent's when null). */
    private record Subresource(String name, String groupVersion, String kind, List<String> verbs) {
    }

    static boolean aggregatedWanted(String accept) {
        return accept != null && accept.contains("g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList");
    }

    private List<Resource> resources(String groupVersion) {
        List<Resource> out = new ArrayList<>();
        for (ResourceType t : types.all()) {
            if (!t.groupVersion().equals(groupVersion)) {
                continue;
            }
            CustomResources.Definition custom = customs.of(t).orElse(null);
            List<String> categories = custom != null ? custom.categories()
                    : ALL.contains(t.plural()) && !t.group().equals("events.k8s.io") ? List.of("all") : List.of();
            List<Subresource> subs = new ArrayList<>();
            if (t.hasStatus()) {
                subs.add(new Subresource("status", null, t.kind(), List.of("get", "patch", "update")));
            }
            if (t.hasScale()) {
                subs.add(new Subresource("scale", "autoscaling/v1", "Scale", List.of("get", "patch", "update")));
            }
            if (t.kind().equals("Pod") && t.group().isEmpty()) {
                subs.add(new Subresource("eviction", "policy/v1", "Eviction", List.of("create")));
                subs.add(new Subresource("log", null, "Pod", List.of("get")));
                subs.add(new Subresource("binding", null, "Binding", List.of("create")));
            }
            if (t.kind().equals("ServiceAccount") && t.group().isEmpty()) {
                subs.add(new Subresource("token", "authentication.k8s.io/v1", "TokenRequest", List.of("create")));
            }
            out.add(new Resource(t, custom != null ? custom.singular() : t.kind().toLowerCase(java.util.Locale.ROOT), categories, subs));
        }
        return out;
    }

    /** {@code /apis}: the groups and their versions, the preferred (first served) first. */
    ObjectNode groupList() {
        ObjectNode list = ApiServer.JSON.createObjectNode().put("kind", "APIGroupList").put("apiVersion", "v1");
        ArrayNode groups = list.putArray("groups");
        groupVersions().forEach((g, vs) -> {
            if (g.isEmpty()) {
                return;
            }
            ObjectNode group = groups.addObject().put("name", g);
            ArrayNode arr = group.putArray("versions");
            vs.forEach(v -> arr.addObject().put("groupVersion", g + "/" + v).put("version", v));
            group.putObject("preferredVersion").put("groupVersion", g + "/" + vs.get(0)).put("version", vs.get(0));
        });
        return list;
    }

    private Map<String, List<String>> groupVersions() {
        Map<String, List<String>> versions = new LinkedHashMap<>();
        for (ResourceType t : types.all()) {
            List<String> vs = versions.computeIfAbsent(t.group(), g -> new ArrayList<>());
            if (!vs.contains(t.version())) {
                vs.add(t.version());
            }
        }
        return versions;
    }

    /** {@code /api/v1}, {@code /apis/<group>/<version>}: the classic {@code APIResourceList}. */
    ObjectNode resourceList(String groupVersion) {
        List<Resource> resources = resources(groupVersion);
        if (resources.isEmpty()) {
            throw new ApiError(404, "NotFound", "the server could not find the requested resource");
        }
        ObjectNode list = ApiServer.JSON.createObjectNode().put("kind", "APIResourceList").put("apiVersion", "v1").put("groupVersion", groupVersion);
        ArrayNode out = list.putArray("resources");
        for (Resource r : resources) {
            ResourceType t = r.type();
            ObjectNode o = out.addObject().put("name", t.plural()).put("singularName", r.singular()).put("namespaced", t.namespaced())
                    .put("kind", t.kind());
            strings(o, "categories", r.categories(), false);
            strings(o, "verbs", VERBS, true);
            strings(o, "shortNames", t.shortNames(), true);
            for (Subresource s : r.subresources()) {
                ObjectNode so = out.addObject().put("name", t.plural() + "/" + s.name()).put("singularName", "").put("namespaced", t.namespaced());
                if (s.groupVersion() != null) {
                    String[] gv = s.groupVersion().split("/");
                    so.put("group", gv[0]).put("version", gv[1]);
                }
                so.put("kind", s.kind());
                strings(so, "verbs", s.verbs(), true);
            }
        }
        return list;
    }

    /** {@code /api} ({@code core}) or {@code /apis} as one {@code APIGroupDiscoveryList}: every group, version and resource. */
    ObjectNode aggregated(boolean core) {
        ObjectNode list = ApiServer.JSON.createObjectNode().put("kind", "APIGroupDiscoveryList").put("apiVersion", "apidiscovery.k8s.io/v2");
        list.putObject("metadata");
        ArrayNode items = list.putArray("items");
        groupVersions().forEach((g, vs) -> {
            if (g.isEmpty() != core) {
                return;
            }
            ObjectNode group = items.addObject();
            ObjectNode meta = group.putObject("metadata");
            if (!g.isEmpty()) {
                meta.put("name", g);
            }
            ArrayNode versions = group.putArray("versions");
            for (String v : vs) {
                ObjectNode version = versions.addObject().put("version", v);
                ArrayNode resources = version.putArray("resources");
                for (Resource r : resources(g.isEmpty() ? v : g + "/" + v)) {
                    ResourceType t = r.type();
                    ObjectNode o = resources.addObject().put("resource", t.plural());
                    kind(o, t.groupVersion(), t.kind());
                    o.put("scope", t.namespaced() ? "Namespaced" : "Cluster").put("singularResource", r.singular());
                    strings(o, "verbs", VERBS, true);
                    strings(o, "shortNames", t.shortNames(), false);
                    strings(o, "categories", r.categories(), false);
                    if (!r.subresources().isEmpty()) {
                        ArrayNode subs = o.putArray("subresources");
                        for (Subresource s : r.subresources()) {
                            ObjectNode so = subs.addObject().put("subresource", s.name());
                            kind(so, s.groupVersion() != null ? s.groupVersion() : t.groupVersion(), s.kind());
                            strings(so, "verbs", s.verbs(), true);
                        }
                    }
                }
                version.put("freshness", "Current");
            }
        });
        return list;
    }

    private static void kind(ObjectNode o, String groupVersion, String kind) {
        int slash = groupVersion.indexOf('/');
        o.putObject("responseKind").put("group", slash < 0 ? "" : groupVersion.substring(0, slash))
                .put("version", groupVersion.substring(slash + 1)).put("kind", kind);
    }

    private static void strings(ObjectNode o, String field, List<String> values, boolean evenEmpty) {
        if (values.isEmpty() && !evenEmpty) {
            return;
        }
        ArrayNode arr = o.putArray(field);
        values.forEach(arr::add);
    }
}
