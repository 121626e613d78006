package io.sampan.spec;

import io.sampan.spec.yaml.Position;

/**
 * One thing wrong (or worth a warning) in a user's input: which file, which field, where, what was
 * expected, and what to do about it.
 */
public record Problem(Severity severity, String file, String path, Position position, String message, String hint) {

    public enum Severity { ERROR, WARNING }

    public static Problem error(String file, String path, Position position, String message, String hint) {
        return new Problem(Severity.ERROR, file, path, position == null ? Position.UNKNOWN : position, message, hint);
    }

    public static Problem warning(String file, String path, Position position, String message, String hint) {
        return new Problem(Severity.WARNING, file, path, position == null ? Position.UNKNOWN : position, message, hint);
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    /** {@code app.yaml:12:11: error: spec.services.web.port: expected ...} and an indented hint line. */
    public String format() {
        StringBuilder sb = new StringBuilder();
        sb.append(file == null || file.isEmpty() ? "<input>" : file);
        if (position.known()) {
            sb.append(':').append(position.line()).append(':').append(position.column());
        }
        sb.append(": ").append(severity == Severity.ERROR ? "error" : "warning").append(": ");
        if (path != null && !path.isEmpty()) {
            sb.append(path).append(": ");
        }
        sb.append(message);
        if (hint != null && !hint.isEmpty()) {
            sb.append("\n    hint: ").append(hint);
        }
        return sb.toString();
    }
}
