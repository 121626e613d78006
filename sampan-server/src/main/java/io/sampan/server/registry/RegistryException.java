package io.sampan.server.registry;

/** Something a caller asked of the registry cannot be done; each kind maps to one HTTP status. */
public sealed class RegistryException extends RuntimeException
        permits RegistryException.NotFound, RegistryException.AlreadyExists, RegistryException.Conflict, RegistryException.Invalid {

    RegistryException(String message) {
        super(message);
    }

    /** No such thing, or one the caller may not learn of. */
    public static final class NotFound extends RegistryException {
        public NotFound(String kind, String name) {
            super(kind + " \"" + name + "\" not found");
        }
    }

    public static final class AlreadyExists extends RegistryException {
        public AlreadyExists(String kind, String name) {
            super(kind + " \"" + name + "\" already exists");
        }
    }

    /** A write based on a stale version, or one that clashes with the current state. */
    public static final class Conflict extends RegistryException {
        public Conflict(String message) {
            super(message);
        }
    }

    /** Input that names a field and says what was expected. */
    public static final class Invalid extends RegistryException {
        private final String field;

        public Invalid(String field, String message) {
            super(message);
            this.field = field;
        }

        public String field() {
            return field;
        }
    }
}
