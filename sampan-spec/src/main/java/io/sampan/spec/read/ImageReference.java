package io.sampan.spec.read;

import java.util.regex.Pattern;

/** Checks container image references: registry/repository, and a pinned tag or digest. */
final class ImageReference {
    private static final Pattern REFERENCE = Pattern.compile(
            "(?:[a-zA-Z0-9]([-a-zA-Z0-9.]*[a-zA-Z0-9])?(?::[0-9]{1,5})?/)?"        // registry host[:port]/
                    + "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*" // path
                    + "(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?"                          // :tag
                    + "(?:@sha256:[a-f0-9]{64})?");                                      // @digest

    private ImageReference() {
    }

    /** {@code null} when fine, else what is wrong with it. */
    static String problem(String image) {
        if (!Fields.matches(REFERENCE, image)) {
            return "\"" + image + "\" is not a valid image reference";
        }
        boolean digest = image.contains("@sha256:");
        int slash = image.lastIndexOf('/');
        String last = slash < 0 ? image : image.substring(slash + 1);
        boolean tagged = last.contains(":");
        if (!digest && !tagged) {
            return "image \"" + image + "\" has no tag";
        }
        if (!digest && last.endsWith(":latest")) {
            return "image \"" + image + "\" uses the moving tag \"latest\"";
        }
        return null;
    }
}
