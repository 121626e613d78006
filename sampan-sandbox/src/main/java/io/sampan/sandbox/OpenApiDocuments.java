package io.sampan.sandbox;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code /openapi/v3}: the index of group-versions and, per group-version, a document listing each
 * resource's paths and a schema per kind carrying {@code x-kubernetes-group-version-kind}. The
 * paths declare the {@code fieldValidation} parameter, from which kubectl learns that the server
 * validates fields itself, so {@code kubectl apply} works without {@code --validate=false}. The
 * schemas are open (no property list): kubectl falls back to its built-in types for strategic merge
 * metadata.
 */
final class OpenApiDocuments {
    private OpenApiDocuments() {
    }

    static ObjectNode serve(ResourceTypes types, String rest) {
        if (rest.isEmpty() || rest.equals("/")) {
            ObjectNode index = ApiServer.JSON.createObjectNode();
            ObjectNode paths = index.putObject("paths");
            for (String gv : types.groupVersions()) {
                String p = gv.contains("/") ? "apis/" + gv : "api/" + gv;
                paths.putObject(p).put("serverRelativeURL", "/openapi/v3/" + p + "?hash=" + Integer.toHexString(gv.hashCode()));
            }
            return index;
        }
        String p = rest.substring(1);
        String gv = p.startsWith("apis/") ? p.substring(5) : p.startsWith("api/") ? p.substring(4) : null;
        if (gv == null || !types.groupVersions().contains(gv)) {
            throw new ApiError(404, "NotFound", "no OpenAPI document for " + p);
        }
        ObjectNode doc = ApiServer.JSON.createObjectNode().put("openapi", "3.0.0");
        doc.putObject("info").put("title", "Kubernetes (Sampan sandbox)").put("version", "v1.32.0");
        ObjectNode paths = doc.putObject("paths");
        ObjectNode schemas = doc.putObject("components").putObject("schemas");
        for (ResourceType t : types.all()) {
            if (!t.groupVersion().equals(gv)) {
                continue;
            }
            String schemaName = "io.k8s.api." + (t.group().isEmpty() ? "core" : t.group().split("\\.")[0]) + "." + t.version() + "." + t.kind();
            ObjectNode schema = schemas.putObject(schemaName).put("type", "object");
            schema.putObject("additionalProperties").put("x-kubernetes-preserve-unknown-fields", true);
            gvk(schema.putArray("x-kubernetes-group-version-kind"), t);
            String base = "/" + p + (t.namespaced() ? "/namespaces/{namespace}/" : "/") + t.plural();
            ObjectNode collection = paths.putObject(base);
            operation(collection.putObject("post"), t, schemaName, "post");
            operation(collection.putObject("get"), t, schemaName, "list");
            ObjectNode item = paths.putObject(base + "/{name}");
            operation(item.putObject("get"), t, schemaName, "get");
            operation(item.putObject("put"), t, schemaName, "put");
            operation(item.putObject("patch"), t, schemaName, "patch");
            operation(item.putObject("delete"), t, schemaName, "delete");
        }
        return doc;
    }

    private static void gvk(ArrayNode arr, ResourceType t) {
        arr.addObject().put("group", t.group()).put("version", t.version()).put("kind", t.kind());
    }

    private static void operation(ObjectNode op, ResourceType t, String schemaName, String action) {
        op.put("operationId", action + t.kind());
        op.put("x-kubernetes-action", action);
        op.putObject("x-kubernetes-group-version-kind").put("group", t.group()).put("version", t.version()).put("kind", t.kind());
        ArrayNode params = op.putArray("parameters");
        if (action.equals("post") || action.equals("put") || action.equals("patch")) {
            params.addObject().put("name", "fieldValidation").put("in", "query").put("description",
                    "how the server treats unknown or duplicate fields: Ignore, Warn or Strict").putObject("schema").put("type", "string")
                    .put("uniqueItems", true);
            params.addObject().put("name", "fieldManager").put("in", "query").putObject("schema").put("type", "string");
            params.addObject().put("name", "dryRun").put("in", "query").putObject("schema").put("type", "string");
        }
        ObjectNode ok = op.putObject("responses").putObject("200");
        ok.put("description", "OK");
        ok.putObject("content").putObject("application/json").putObject("schema").put("$ref", "#/components/schemas/" + schemaName);
    }
}
