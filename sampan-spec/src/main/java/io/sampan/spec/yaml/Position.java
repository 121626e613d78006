package io.sampan.spec.yaml;

/** A place in a source file, 1-based, as editors show it. */
public record Position(int line, int column) {
    public static final Position UNKNOWN = new Position(0, 0);

    public boolean known() {
        return line > 0;
    }

    @Override
    public String toString() {
        return known() ? line + ":" + column : "";
    }
}
