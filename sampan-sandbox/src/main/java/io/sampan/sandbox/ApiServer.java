package io.sampan.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The sandbox's Kubernetes API over HTTP: discovery, and for every kind create, get, list (label
 * and field selectors, paging), update, patch (merge, JSON, strategic merge, server-side apply),
 * delete and watch (from a resourceVersion, with bookmarks), with the status subresource, errors as
 * {@code Status} objects. One virtual thread per request.
 */
public final class ApiServer implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final Duration BOOKMARK_EVERY = Duration.ofSeconds(1);
    /** How many times a patch is computed when other writes keep coming between its read and its write (the API server's 5). */
    static final int PATCH_ATTEMPTS = 5;
    /**
     * How the objects of this request are served when the version asked for is not the stored one (a custom resource's other
     * version, autoscaling/v1); exchange attributes are the context's, shared.
     */
    private static final ThreadLocal<VersionView> VIEW = new ThreadLocal<>();
    private static final byte[] ITEMS = ",\"items\":[".getBytes(StandardCharsets.UTF_8);
    private static final byte[] EVENT_TYPE = "{\"type\":".getBytes(StandardCharsets.UTF_8);
    private static final byte[] EVENT_OBJECT = ",\"object\":".getBytes(StandardCharsets.UTF_8);
    private final Store store;
    private final ResourceTypes types;
    private final HttpServer http;
    private final io.sampan.sandbox.sim.Simulation sim;
    private final Faults faults = new Faults();
    private final CustomResources customs;
    private final Discovery discovery;
    private final ServiceAccountTokens tokens = new ServiceAccountTokens();
    private final AutoscalingV1 autoscalingV1 = new AutoscalingV1();
    /** The threads serving a stream (a watch, a followed log): ended when the server closes. */
    private final java.util.Set<Thread> streaming = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    static {
        // TCP_NODELAY on the JDK server's connections (as Go's servers have it): without it a watch event written right after
        // another waits for the client's delayed ACK (up to 40 ms); read once, when the JVM's first HttpServer starts
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    public ApiServer(Store store, ResourceTypes types, int port, io.sampan.sandbox.sim.Simulation sim) throws IOException {
        this.store = store;
        this.types = types;
        this.sim = sim;
        this.customs = new CustomResources(store, types);
        this.discovery = new Discovery(types, customs);
        this.http = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 256);
        http.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        http.createContext("/", this::handle);
        http.start();
    }

    public int port() {
        return http.getAddress().getPort();
    }

    /** Stops serving: open watches and followed logs end (their threads let go of the store), then the listener closes. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        streaming.forEach(Thread::interrupt);
        http.stop(0);
    }

    /** The faults injected into this server's answers. */
    public Faults faults() {
        return faults;
    }

    private void handle(HttpExchange ex) throws IOException {
        boolean dropped = false;
        try {
            Faults.Rule fault = faults.take(ex.getRequestMethod(), ex.getRequestURI().getRawPath());
            if (fault != null) {
                switch (fault.effect()) {
                    case ERROR -> throw new ApiError(fault.code(), fault.code() == 503 ? "ServiceUnavailable" : fault.code() == 429
                            ? "TooManyRequests" : "InternalError", "injected fault: " + fault.code());
                    case DROP -> {
                        dropped = true;
                        throw new IOException("injected fault: connection dropped"); // the server closes the connection, no answer
                    }
                    case DELAY -> Thread.sleep(fault.delay().toMillis());
                }
            }
            route(ex);
        } catch (ApiError e) {
            send(ex, e.code(), e.status());
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            send(ex, 400, ApiError.badRequest("the request body cannot be read: " + e.getOriginalMessage()).status());
        } catch (IOException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            send(ex, 500, new ApiError(500, "InternalError", e.toString()).status());
        } finally {
            VIEW.remove();
            if (!dropped) {
                ex.close();
            }
        }
    }

    private void route(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getRawPath();
        Map<String, String> q = query(ex.getRequestURI().getRawQuery());
        String method = ex.getRequestMethod();
        if (path.equals("/version")) {
            send(ex, 200, JSON.createObjectNode().put("major", "1").put("minor", "32").put("gitVersion", "v1.32.0-sampan-sandbox")
                    .put("platform", "linux/amd64"));
            return;
        }
        if ((path.equals("/api") || path.equals("/apis")) && Discovery.aggregatedWanted(ex.getRequestHeaders().getFirst("Accept"))) {
            send(ex, 200, discovery.aggregated(path.equals("/api")), Discovery.AGGREGATED);
            return;
        }
        if (path.equals("/api")) {
            ObjectNode v = JSON.createObjectNode().put("kind", "APIVersions");
            v.putArray("versions").add("v1");
            v.putArray("serverAddressByClientCIDRs").addObject().put("clientCIDR", "0.0.0.0/0").put("serverAddress", "127.0.0.1:" + port());
            send(ex, 200, v);
            return;
        }
        if (path.equals("/apis")) {
            send(ex, 200, discovery.groupList());
            return;
        }
        if (path.startsWith("/openapi/v3")) {
            send(ex, 200, OpenApiDocuments.serve(types, path.substring("/openapi/v3".length())));
            return;
        }
        List<String> parts = new ArrayList<>(List.of(path.substring(1).split("/")));
        String groupVersion;
        if (parts.size() >= 2 && parts.get(0).equals("api")) {
            groupVersion = parts.get(1);
            parts = parts.subList(2, parts.size());
        } else if (parts.size() >= 3 && parts.get(0).equals("apis")) {
            groupVersion = parts.get(1) + "/" + parts.get(2);
            parts = parts.subList(3, parts.size());
        } else {
            throw new ApiError(404, "NotFound", "the server could not find the requested resource");
        }
        if (parts.isEmpty()) {
            send(ex, 200, discovery.resourceList(groupVersion));
            return;
        }
        String namespace = null;
        // namespaces/NAME/finalize and namespaces/NAME/status are the namespace's subresources, not kinds in a namespace
        boolean namespaceSubresource = groupVersion.equals("v1") && parts.size() == 3 && types.find(groupVersion, parts.get(2)).isEmpty();
        if (parts.get(0).equals("namespaces") && parts.size() >= 3 && !namespaceSubresource) {
            namespace = parts.get(1);
            parts = parts.subList(2, parts.size());
        }
        String plural = parts.get(0);
        ResourceType requested = types.find(groupVersion, plural)
                .orElseThrow(() -> new ApiError(404, "NotFound", "the server could not find the requested resource (" + groupVersion + " " + plural + ")"));
        ResourceType t;
        if (AutoscalingV1.served(requested)) {
            t = types.find("autoscaling/v2", requested.plural()).orElseThrow();
            VIEW.set(autoscalingV1);
        } else {
            t = customs.storageOf(requested);
            if (!t.equals(requested)) {
                VIEW.set(VersionView.apiVersionOnly(requested.groupVersion())); // objects answered in the requested version
            }
        }
        String name = parts.size() > 1 ? URLDecoder.decode(parts.get(1), StandardCharsets.UTF_8) : null;
        String sub = parts.size() > 2 ? parts.get(2) : null;
        if (name == null) {
            collection(ex, method, t, namespace, q);
        } else {
            item(ex, method, t, namespace, name, sub, q);
        }
    }

    private void collection(HttpExchange ex, String method, ResourceType t, String namespace, Map<String, String> q) throws IOException {
        Predicate<JsonNode> filter = Selectors.labels(q.get("labelSelector")).and(Selectors.fields(q.get("fieldSelector")));
        switch (method) {
            case "GET" -> {
                if ("true".equals(q.get("watch")) || "1".equals(q.get("watch"))) {
                    watch(ex, t, namespace, filter, q);
                    return;
                }
                Store.Listing listing = store.list(t, namespace, filter, true); // only serialised below
                int offset = q.containsKey("continue") ? Integer.parseInt(new String(Base64.getUrlDecoder().decode(q.get("continue")),
                        StandardCharsets.UTF_8)) : 0;
                int limit = q.containsKey("limit") ? Integer.parseInt(q.get("limit")) : 0;
                List<ObjectNode> items = listing.items();
                int end = limit > 0 ? Math.min(items.size(), offset + limit) : items.size();
                ObjectNode list = JSON.createObjectNode().put("apiVersion", t.groupVersion()).put("kind", t.listKind());
                ObjectNode meta = list.putObject("metadata").put("resourceVersion", Long.toString(listing.revision()));
                if (end < items.size()) {
                    meta.put("continue", Base64.getUrlEncoder().encodeToString(Integer.toString(end).getBytes(StandardCharsets.UTF_8)));
                    meta.put("remainingItemCount", items.size() - end);
                }
                if (Tables.wanted(ex.getRequestHeaders().getFirst("Accept"))) {
                    ObjectNode table = table(t, items.subList(Math.min(offset, items.size()), end), listing.revision());
                    table.set("metadata", meta);
                    send(ex, 200, table);
                    return;
                }
                sendList(ex, list, items.subList(Math.min(offset, items.size()), end));
            }
            case "POST" -> {
                requireNamespace(t, namespace);
                ObjectNode body = stored(body(ex), null);
                checkFields(ex, t, body, q);
                ManagedFields.track(t, null, body, manager(ex, q), null, store.now());
                send(ex, 201, store.create(t, namespace, body, DryRun.requested(q)));
            }
            case "DELETE" -> {
                DeleteOptions options = DeleteOptions.from(q, optionalBody(ex));
                for (ObjectNode o : store.list(t, namespace, filter, true).items()) {
                    try {
                        store.delete(t, o.path("metadata").path("namespace").asText(null), o.path("metadata").path("name").asText(), options);
                    } catch (ApiError e) {
                        if (e.code() != 404) {
                            throw e;
                        }
                    }
                }
                send(ex, 200, success());
            }
            default -> throw new ApiError(405, "MethodNotAllowed", method + " is not supported on " + t.plural());
        }
    }

    private void item(HttpExchange ex, String method, ResourceType t, String namespace, String name, String sub, Map<String, String> q)
            throws IOException {
        boolean status = "status".equals(sub);
        if (t.kind().equals("Pod") && sub != null && !status) {
            podSubresource(ex, method, namespace, name, sub, q);
            return;
        }
        if ("finalize".equals(sub) && NamespaceLifecycle.isNamespace(t) && method.equals("PUT")) {
            // namespaces/NAME/finalize: sets spec.finalizers only (how a stuck namespace is let go)
            ObjectNode body = body(ex);
            send(ex, 200, store.finalizeNamespace(t, name, body.path("spec").path("finalizers"), DryRun.requested(q)));
            return;
        }
        if ("token".equals(sub) && t.kind().equals("ServiceAccount") && t.group().isEmpty()) {
            if (!method.equals("POST")) {
                throw new ApiError(405, "MethodNotAllowed", method + " is not supported on serviceaccounts/token");
            }
            ObjectNode request = body(ex);
            send(ex, 201, tokens.issue(store.shared(t, namespace, name), request, store.now()));
            return;
        }
        if (sub != null && !status && !"scale".equals(sub)) {
            throw new ApiError(404, "NotFound", t.plural() + " has no subresource " + sub);
        }
        switch (method) {
            case "GET" -> {
                if (sub == null && Tables.wanted(ex.getRequestHeaders().getFirst("Accept"))) {
                    send(ex, 200, table(t, List.of(store.shared(t, namespace, name)), store.revision()));
                    return;
                }
                send(ex, 200, "scale".equals(sub) ? scale(t, store.shared(t, namespace, name)) : store.shared(t, namespace, name)); // only serialised
            }
            case "PUT" -> {
                ObjectNode body = body(ex);
                if ("scale".equals(sub)) {
                    ObjectNode current = store.get(t, namespace, name);
                    CustomResources.put(current, replicasPaths(t)[0], body.path("spec").path("replicas"));
                    send(ex, 200, scale(t, store.update(t, namespace, name, current, false, DryRun.requested(q))));
                    return;
                }
                checkName(t, name, body);
                checkFields(ex, t, body, q);
                ObjectNode current = store.get(t, namespace, name);
                body = stored(body, current);
                ManagedFields.track(t, current, body, manager(ex, q), status ? "status" : null, store.now());
                send(ex, 200, store.update(t, namespace, name, body, status, DryRun.requested(q)));
            }
            case "PATCH" -> {
                if ("scale".equals(sub)) {
                    ObjectNode current = store.get(t, namespace, name);
                    JsonNode patched = Patches.merge(scale(t, current), JSON.readTree(ex.getRequestBody().readAllBytes()));
                    CustomResources.put(current, replicasPaths(t)[0], patched.path("spec").path("replicas"));
                    current.with("metadata").remove("resourceVersion");
                    send(ex, 200, scale(t, store.update(t, namespace, name, current, false, DryRun.requested(q))));
                    return;
                }
                boolean[] created = {false};
                ObjectNode patched = patch(ex, t, namespace, name, status, q, created);
                send(ex, created[0] ? 201 : 200, patched); // server-side apply creates what is absent
            }
            case "DELETE" -> {
                Store.Deletion deletion = store.delete(t, namespace, name, DeleteOptions.from(q, optionalBody(ex)));
                send(ex, deletion.gone() ? 200 : 202, deletion.object());
            }
            default -> throw new ApiError(405, "MethodNotAllowed", method + " is not supported");
        }
    }

    /** {@code log} (with {@code follow}), {@code eviction} and {@code binding}, served by the simulation. */
    private void podSubresource(HttpExchange ex, String method, String namespace, String name, String sub, Map<String, String> q)
            throws IOException {
        if (sim == null) {
            throw new ApiError(404, "NotFound", "pods has no subresource " + sub + " without a simulation");
        }
        switch (sub + " " + method) {
            case "log GET" -> {
                int tail = q.containsKey("tailLines") ? Integer.parseInt(q.get("tailLines")) : -1;
                boolean previous = "true".equals(q.get("previous"));
                String container = q.get("container");
                List<String> lines = sim.logs().lines(namespace, name, container, previous, tail);
                ex.getResponseHeaders().set("Content-Type", "text/plain");
                boolean follow = "true".equals(q.get("follow"));
                ex.sendResponseHeaders(200, 0);
                streaming.add(Thread.currentThread());
                try (OutputStream out = ex.getResponseBody()) {
                    for (String l : lines) {
                        out.write((l + "\n").getBytes(StandardCharsets.UTF_8));
                    }
                    out.flush();
                    String last = lines.isEmpty() ? null : lines.get(lines.size() - 1);
                    while (follow && !closed) {
                        Thread.sleep(1000);
                        List<String> now;
                        try {
                            now = sim.logs().lines(namespace, name, container, previous, -1);
                        } catch (ApiError gone) {
                            break;
                        }
                        int from = last == null ? 0 : now.lastIndexOf(last) + 1;
                        for (String l : now.subList(Math.max(0, from), now.size())) {
                            out.write((l + "\n").getBytes(StandardCharsets.UTF_8));
                        }
                        out.flush();
                        last = now.isEmpty() ? last : now.get(now.size() - 1);
                    }
                } catch (IOException | InterruptedException gone) {
                    // the client went away, or the server is closing
                } finally {
                    streaming.remove(Thread.currentThread());
                }
            }
            case "eviction POST" -> {
                body(ex);
                sim.evict(namespace, name);
                send(ex, 201, success());
            }
            case "binding POST" -> {
                ObjectNode binding = body(ex);
                ObjectNode pod = store.get(types.find("v1", "pods").orElseThrow(), namespace, name);
                if (!pod.path("spec").path("nodeName").asText("").isEmpty()) {
                    throw new ApiError(409, "Conflict", "pod " + name + " is already assigned to node \"" + pod.path("spec").path("nodeName").asText()
                            + "\"");
                }
                pod.with("spec").put("nodeName", binding.path("target").path("name").asText());
                store.update(types.find("v1", "pods").orElseThrow(), namespace, name, pod, false);
                send(ex, 201, success());
            }
            default -> throw new ApiError(405, "MethodNotAllowed", method + " is not supported on pods/" + sub);
        }
    }

    /**
     * A PATCH, computed from the object as stored and written only over that same version: when
     * another write came between (or, for an apply, another request created the object first), it is
     * computed again from the new one, up to {@link #PATCH_ATTEMPTS} times, as the API server's patch
     * handler does; so concurrent patches never lose each other's changes. A resourceVersion in the
     * patch itself is the client's precondition, and a conflict with it is the client's answer.
     */
    private ObjectNode patch(HttpExchange ex, ResourceType t, String namespace, String name, boolean status, Map<String, String> q,
            boolean[] created) throws IOException {
        String type = ex.getRequestHeaders().getFirst("Content-Type");
        type = type == null ? "" : type.split(";")[0].trim();
        byte[] raw = ex.getRequestBody().readAllBytes();
        for (int attempt = 1;; attempt++) {
            try {
                return patchOnce(ex, t, namespace, name, status, q, type, raw, created);
            } catch (Raced raced) {
                if (attempt >= PATCH_ATTEMPTS) {
                    throw raced.error;
                }
            }
        }
    }

    /** Another write came between reading an object and writing it back. */
    private static final class Raced extends RuntimeException {
        final ApiError error;

        Raced(ApiError error) {
            super(error.getMessage(), null, false, false);
            this.error = error;
        }
    }

    /** One try of a patch; {@code created[0]} is set when an apply created the object. */
    private ObjectNode patchOnce(HttpExchange ex, ResourceType t, String namespace, String name, boolean status, Map<String, String> q,
            String type, byte[] raw, boolean[] created) throws IOException {
        boolean dryRun = DryRun.requested(q);
        if (type.equals("application/apply-patch+yaml")) {
            ObjectNode applied = (ObjectNode) YAML.readTree(raw);
            if (q.get("fieldManager") == null) {
                throw ApiError.badRequest("PATCH with server-side apply needs a fieldManager");
            }
            checkName(t, name, applied);
            checkFields(ex, t, applied, q);
            String manager = q.get("fieldManager");
            if (!store.exists(t, namespace, name)) {
                requireNamespace(t, namespace);
                applied = stored(applied, null);
                applied.with("metadata").put("name", name);
                ObjectNode fresh = applied.deepCopy();
                Apply.remember(t, fresh, manager, applied, store.now());
                try {
                    ObjectNode stored = store.create(t, namespace, fresh, dryRun);
                    created[0] = true;
                    return stored;
                } catch (ApiError e) {
                    throw "AlreadyExists".equals(e.reason()) ? new Raced(e) : e;
                }
            }
            ObjectNode current = store.get(t, namespace, name);
            applied = stored(applied, current);
            ObjectNode next = Apply.apply(t, current, manager, applied, "true".equals(q.get("force")), store.now());
            return writeOver(t, namespace, name, current, next, status, dryRun);
        }
        ObjectNode current = store.get(t, namespace, name);
        ObjectNode viewed = (ObjectNode) served(current); // patched as the client sees it
        JsonNode patch = JSON.readTree(raw);
        JsonNode next = switch (type) {
            case "application/merge-patch+json" -> Patches.merge(viewed, patch);
            case "application/strategic-merge-patch+json" -> {
                if (customs.of(t).isPresent()) {
                    throw new ApiError(415, "UnsupportedMediaType", "the body of the request was in an unknown format - accepted media types "
                            + "include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml");
                }
                yield Patches.strategic(viewed, patch, null);
            }
            case "application/json-patch+json" -> Patches.jsonPatch(viewed, patch);
            default -> throw new ApiError(415, "UnsupportedMediaType", "the body of the request was in an unknown format - accepted media "
                    + "types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, "
                    + "application/strategic-merge-patch+json");
        };
        if (!next.isObject()) {
            throw ApiError.invalid(t, name, "a patch must leave an object");
        }
        ObjectNode result = stored((ObjectNode) next, current);
        checkFields(ex, t, result, q);
        ManagedFields.track(t, current, result, manager(ex, q), status ? "status" : null, store.now());
        if (patch.path("metadata").has("resourceVersion")) {
            return store.update(t, namespace, name, result, status, dryRun); // the client's own precondition
        }
        return writeOver(t, namespace, name, current, result, status, dryRun);
    }

    /** Writes {@code next} only if the object is still at {@code current}'s version; else the patch is tried again. */
    private ObjectNode writeOver(ResourceType t, String namespace, String name, ObjectNode current, ObjectNode next, boolean status,
            boolean dryRun) {
        next.with("metadata").put("resourceVersion", current.path("metadata").path("resourceVersion").asText());
        try {
            return store.update(t, namespace, name, next, status, dryRun);
        } catch (ApiError e) {
            throw e.code() == 409 && "Conflict".equals(e.reason()) ? new Raced(e) : e;
        }
    }

    private void watch(HttpExchange ex, ResourceType t, String namespace, Predicate<JsonNode> filter, Map<String, String> q) throws IOException {
        if ("websocket".equalsIgnoreCase(ex.getRequestHeaders().getFirst("Upgrade"))) {
            // watches are served as HTTP streams only; clients such as fabric8 fall back to one on 503
            throw new ApiError(503, "ServiceUnavailable", "watches are served over HTTP streaming, not WebSocket");
        }
        long from = q.containsKey("resourceVersion") && !q.get("resourceVersion").isEmpty() && !q.get("resourceVersion").equals("0")
                ? Long.parseLong(q.get("resourceVersion")) : -1;
        boolean bookmarks = "true".equals(q.get("allowWatchBookmarks"));
        long timeout = q.containsKey("timeoutSeconds") ? Long.parseLong(q.get("timeoutSeconds")) : 1800;
        BlockingQueue<ObjectNode> events = new LinkedBlockingQueue<>();
        Runnable cancel;
        long start;
        synchronized (store) {
            start = store.revision();
            if (from < 0) {
                for (ObjectNode o : store.list(t, namespace, filter, true).items()) {
                    events.add(event("ADDED", o)); // the stored instances: only serialised
                }
                from = start;
            }
            try {
                cancel = store.watch(from, change -> {
                    boolean sameType = change.resource().plural().equals(t.plural()) && change.resource().groupVersion().equals(t.groupVersion());
                    if (sameType && (namespace == null || namespace.equals(change.object().path("metadata").path("namespace").asText()))
                            && filter.test(change.object())) {
                        events.add(event(change.type(), change.object()));
                    }
                });
            } catch (ApiError gone) {
                ex.getResponseHeaders().set("Content-Type", "application/json");
                ex.sendResponseHeaders(200, 0);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(JSON.writeValueAsBytes(JSON.createObjectNode().put("type", "ERROR").set("object", gone.status())));
                    out.write('\n');
                }
                return;
            }
        }
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(200, 0);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeout);
        boolean asTable = Tables.wanted(ex.getRequestHeaders().getFirst("Accept"));
        boolean first = true;
        streaming.add(Thread.currentThread());
        try (OutputStream out = ex.getResponseBody()) {
            // the JDK server sends the status line and headers with the first bytes of the body, not on a flush: one space
            // (JSON streams skip it) tells the client at once that the watch is established, as a real API server's flush does
            out.write(' ');
            out.flush();
            while (System.nanoTime() < deadline && !closed) {
                ObjectNode e = events.poll(BOOKMARK_EVERY.toMillis(), TimeUnit.MILLISECONDS);
                if (e == null) {
                    if (!bookmarks) {
                        // a space between events (JSON streams skip it; a line-reading client sees it before the next event): the
                        // write fails once the client has gone, which the server cannot notice otherwise
                        out.write(' ');
                        out.flush();
                        continue;
                    }
                    ObjectNode o = JSON.createObjectNode().put("apiVersion", t.groupVersion()).put("kind", t.kind());
                    o.putObject("metadata").put("resourceVersion", Long.toString(store.revision()));
                    e = event("BOOKMARK", o);
                } else if (asTable) {
                    // kubectl get -w: each event's object is a table of one row, the columns given once
                    ObjectNode object = (ObjectNode) e.get("object");
                    ObjectNode row = table(t, List.of(object), object.path("metadata").path("resourceVersion").asLong());
                    if (!first) {
                        row.putArray("columnDefinitions");
                    }
                    first = false;
                    e.set("object", row);
                }
                out.write(eventJson(e));
                out.write('\n');
                out.flush();
            }
        } catch (IOException | InterruptedException gone) {
            // the client went away, or the server is closing
        } finally {
            streaming.remove(Thread.currentThread());
            cancel.run();
        }
    }

    private static ObjectNode event(String type, ObjectNode object) {
        ObjectNode e = JSON.createObjectNode().put("type", type);
        e.set("object", object);
        return e;
    }

    private void requireNamespace(ResourceType t, String namespace) {
        if (t.namespaced() && !store.exists(types.find("v1", "namespaces").orElseThrow(), null, namespace)) {
            throw new ApiError(404, "NotFound", "namespaces \"" + namespace + "\" not found");
        }
    }

    private static void checkName(ResourceType t, String name, ObjectNode body) {
        String inBody = body.path("metadata").path("name").asText(name);
        if (!inBody.equals(name)) {
            throw ApiError.badRequest("the name of the object (" + inBody + ") does not match the name on the URL (" + name + ")");
        }
    }

    /** Where the replicas are: {@code .spec.replicas} and {@code .status.replicas}, or a CRD's scale paths. */
    private String[] replicasPaths(ResourceType t) {
        return customs.of(t).map(d -> new String[] {d.specReplicasPath(), d.statusReplicasPath()})
                .orElse(new String[] {".spec.replicas", ".status.replicas"});
    }

    private ObjectNode scale(ResourceType t, ObjectNode o) {
        String[] paths = replicasPaths(t);
        ObjectNode s = JSON.createObjectNode().put("apiVersion", "autoscaling/v1").put("kind", "Scale");
        s.putObject("metadata").put("name", o.path("metadata").path("name").asText()).put("namespace", o.path("metadata").path("namespace").asText())
                .put("resourceVersion", o.path("metadata").path("resourceVersion").asText());
        JsonNode want = CustomResources.at(o, paths[0]);
        JsonNode have = CustomResources.at(o, paths[1]);
        s.putObject("spec").put("replicas", want == null ? (customs.of(t).isPresent() ? 0 : 1) : want.asInt());
        s.putObject("status").put("replicas", have == null ? 0 : have.asInt());
        customs.of(t).map(CustomResources.Definition::labelSelectorPath).map(p -> CustomResources.at(o, p))
                .ifPresent(selector -> s.with("status").put("selector", selector.asText()));
        return s;
    }

    private ObjectNode table(ResourceType t, List<ObjectNode> items, long revision) {
        return customs.of(t).map(d -> Tables.custom(d.columns(), items, revision, store.now())).orElseGet(() -> Tables.of(t, items, revision, store.now()));
    }

    /**
     * {@code fieldValidation} for custom resources: fields the schema does not declare are refused
     * with {@code Strict}, reported in a {@code Warning} header with {@code Warn} (the default), and
     * pruned either way.
     */
    private void checkFields(HttpExchange ex, ResourceType t, ObjectNode object, Map<String, String> q) {
        CustomResources.Definition d = customs.of(t).orElse(null);
        String mode = q.getOrDefault("fieldValidation", "Warn");
        if (d == null || mode.equals("Ignore")) {
            return;
        }
        List<String> unknown = d.schema().unknownFields(object);
        if (unknown.isEmpty()) {
            return;
        }
        if (mode.equals("Strict")) {
            throw ApiError.badRequest(t.kind() + " in version \"" + t.version() + "\" cannot be handled as a " + t.kind() + ": strict decoding error: "
                    + String.join(", ", unknown.stream().map(f -> "unknown field \"" + f + "\"").toList()));
        }
        unknown.forEach(f -> ex.getResponseHeaders().add("Warning", "299 - \"unknown field \\\"" + f + "\\\"\""));
    }

    private static ObjectNode success() {
        return JSON.createObjectNode().put("kind", "Status").put("apiVersion", "v1").put("status", "Success");
    }

    private static ObjectNode body(HttpExchange ex) throws IOException {
        byte[] raw = ex.getRequestBody().readAllBytes();
        String type = ex.getRequestHeaders().getFirst("Content-Type");
        if (type != null && type.contains("protobuf")) {
            return ProtobufBodies.decode(raw); // kubectl's typed commands (kubectl create namespace|configmap|deployment...)
        }
        JsonNode n = type != null && type.contains("yaml") ? YAML.readTree(raw) : JSON.readTree(raw);
        if (n == null || !n.isObject()) {
            throw ApiError.badRequest("the request body is not a JSON object");
        }
        return (ObjectNode) n;
    }

    /** The field manager of a write: {@code fieldManager}, else the client's User-Agent up to its first '/', as the API server does. */
    private static String manager(HttpExchange ex, Map<String, String> q) {
        String m = q.get("fieldManager");
        if (m != null && !m.isEmpty()) {
            return m;
        }
        String agent = ex.getRequestHeaders().getFirst("User-Agent");
        return agent == null || agent.isEmpty() ? "unknown" : agent.split("/")[0];
    }

    /** A DELETE's body ({@code DeleteOptions}), or null when there is none. */
    private static JsonNode optionalBody(HttpExchange ex) throws IOException {
        byte[] raw = ex.getRequestBody().readAllBytes();
        if (raw.length == 0) {
            return null;
        }
        String type = ex.getRequestHeaders().getFirst("Content-Type");
        if (type != null && type.contains("protobuf")) {
            throw new ApiError(415, "UnsupportedMediaType", "the sandbox speaks JSON and YAML, not protobuf");
        }
        return type != null && type.contains("yaml") ? YAML.readTree(raw) : JSON.readTree(raw);
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new HashMap<>();
        if (raw == null) {
            return q;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            q.put(k, v);
        }
        return q;
    }

    /** An object as the requested version shows it (see {@link #VIEW}); tables, Status and Scale objects are as they are. */
    private static JsonNode served(JsonNode body) {
        VersionView view = VIEW.get();
        if (view == null || !(body instanceof ObjectNode o) || o.path("kind").asText().equals("Status") || o.path("kind").asText().equals("Scale")
                || o.path("apiVersion").asText().startsWith("meta.k8s.io")) {
            return body;
        }
        return view.toServed(o);
    }

    /** A written object in the stored version (see {@link #VIEW}); {@code current} is the stored object it replaces, null on create. */
    private static ObjectNode stored(ObjectNode written, ObjectNode current) {
        VersionView view = VIEW.get();
        return view == null ? written : view.toStored(written, current);
    }

    /**
     * A list sent from the items' JSON, each a stored object's bytes (serialised once per version),
     * without a tree of the list or a buffer of the body: a namespace's 10,000 pods are 35 MiB.
     */
    private static void sendList(HttpExchange ex, ObjectNode list, List<ObjectNode> items) throws IOException {
        byte[] head = JSON.writeValueAsBytes(served(list)); // {"apiVersion":...,"metadata":{...}}: the items go before its '}'
        byte[][] bodies = new byte[items.size()][];
        long length = head.length - 1 + ITEMS.length + 2 + Math.max(0, items.size() - 1);
        for (int i = 0; i < bodies.length; i++) {
            bodies[i] = json(items.get(i));
            length += bodies[i].length;
        }
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(200, length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(head, 0, head.length - 1);
            out.write(ITEMS);
            for (int i = 0; i < bodies.length; i++) {
                if (i > 0) {
                    out.write(',');
                }
                out.write(bodies[i]);
            }
            out.write(']');
            out.write('}');
        }
    }

    /** A body as JSON: a stored object's bytes as serialised once for its version, anything else serialised now. */
    private static byte[] json(JsonNode body) throws IOException {
        JsonNode b = served(body);
        return b instanceof CompactTrees.Stored stored ? stored.json(JSON) : JSON.writeValueAsBytes(b);
    }

    /** A watch event's line (without its newline): the object's JSON is its stored bytes, shared by every watcher. */
    private static byte[] eventJson(ObjectNode event) throws IOException {
        byte[] type = JSON.writeValueAsBytes(event.get("type"));
        byte[] object = json(event.get("object"));
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(object.length + type.length + 20);
        out.write(EVENT_TYPE);
        out.write(type);
        out.write(EVENT_OBJECT);
        out.write(object);
        out.write('}');
        return out.toByteArray();
    }

    private static void send(HttpExchange ex, int code, JsonNode body) throws IOException {
        send(ex, code, body, "application/json");
    }

    private static void send(HttpExchange ex, int code, JsonNode body, String contentType) throws IOException {
        byte[] bytes = json(body);
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.sendResponseHeaders(code, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }
}
