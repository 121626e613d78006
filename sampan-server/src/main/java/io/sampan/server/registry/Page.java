package io.sampan.server.registry;

import java.util.List;

/** One page of a list, ordered by name; {@code next} is the cursor of the following page or null. */
public record Page<T>(List<T> items, String next) {
    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 500;

    static <T> Page<T> of(List<T> fetched, int limit, java.util.function.Function<T, String> key) {
        if (fetched.size() <= limit) {
            return new Page<>(fetched, null);
        }
        List<T> items = fetched.subList(0, limit);
        return new Page<>(List.copyOf(items), key.apply(items.get(items.size() - 1)));
    }

    static int limit(Integer requested) {
        if (requested == null) {
            return DEFAULT_LIMIT;
        }
        if (requested < 1 || requested > MAX_LIMIT) {
            throw new RegistryException.Invalid("limit", "limit must be between 1 and " + MAX_LIMIT);
        }
        return requested;
    }
}
