package io.sampan.sandbox;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** A refusal, answered as a Kubernetes {@code Status} with the reason and code a real API server uses. */
public final class ApiError extends RuntimeException {
    private final int code;
    private final String reason;
    private String causeReason;
    private String causeMessage;
    private ObjectNode details;

    public ApiError(int code, String reason, String message) {
        super(message);
        this.code = code;
        this.reason = reason;
    }

    public int code() {
        return code;
    }

    /** The Status reason: {@code NotFound}, {@code AlreadyExists}, {@code Conflict}, ... */
    public String reason() {
        return reason;
    }

    public static ApiError notFound(ResourceType t, String name) {
        return new ApiError(404, "NotFound", t.plural() + (t.group().isEmpty() ? "" : "." + t.group()) + " \"" + name + "\" not found");
    }

    public static ApiError alreadyExists(ResourceType t, String name) {
        return new ApiError(409, "AlreadyExists", t.plural() + (t.group().isEmpty() ? "" : "." + t.group()) + " \"" + name + "\" already exists");
    }

    public static ApiError conflict(ResourceType t, String name) {
        return new ApiError(409, "Conflict", "Operation cannot be fulfilled on " + t.plural() + " \"" + name
                + "\": the object has been modified; please apply your changes to the latest version and try again");
    }

    public static ApiError invalid(ResourceType t, String name, String message) {
        return new ApiError(422, "Invalid", t.kind() + " \"" + name + "\" is invalid: " + message);
    }

    public static ApiError badRequest(String message) {
        return new ApiError(400, "BadRequest", message);
    }

    /** Adds a {@code details.causes} entry, as the API server gives for a refused eviction. */
    public ApiError withCause(String reason, String message) {
        this.causeReason = reason;
        this.causeMessage = message;
        return this;
    }

    /** Sets {@code details} (kind, name, group, causes with fields), from which kubectl words "The Widget "w" is invalid: ...". */
    public ApiError withDetails(ObjectNode details) {
        this.details = details;
        return this;
    }

    public ObjectNode status() {
        ObjectNode s = JsonNodeFactory.instance.objectNode();
        s.put("kind", "Status").put("apiVersion", "v1").putObject("metadata");
        s.put("status", "Failure").put("message", getMessage()).put("reason", reason).put("code", code);
        if (causeReason != null) {
            s.putObject("details").putArray("causes").addObject().put("reason", causeReason).put("message", causeMessage);
        }
        if (details != null) {
            s.set("details", details);
        }
        return s;
    }
}
