package io.sampan.compiler;

/** Image references as the cluster should pull them. */
public final class Images {
    private Images() {
    }

    /**
     * Replaces the registry of {@code image} with {@code mirror}: {@code registry.local/shop/web:1}
     * becomes {@code mirror.local/shop/web:1}; an image of Docker Hub ({@code nginx:1.27}) becomes
     * {@code mirror.local/library/nginx:1.27}.
     */
    public static String mirror(String image, String mirror) {
        if (mirror == null || mirror.isBlank()) {
            return image;
        }
        int slash = image.indexOf('/');
        String first = slash < 0 ? "" : image.substring(0, slash);
        boolean hasRegistry = first.contains(".") || first.contains(":") || first.equals("localhost");
        if (hasRegistry) {
            return mirror + image.substring(slash);
        }
        return mirror + "/" + (slash < 0 ? "library/" : "") + image;
    }
}
