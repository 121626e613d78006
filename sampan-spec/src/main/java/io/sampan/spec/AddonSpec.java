package io.sampan.spec;

/**
 * A middleware instance the app needs (a MySQL, a Redis...), provisioned by the platform or bound
 * to an existing one.
 *
 * @param externalSecret when set, the addon is an existing instance whose connection details are in this Secret
 * @param shared whether the instance is shared by name with other apps of the project and environment
 */
public record AddonSpec(String name, String type, String version, String plan, String externalSecret, boolean shared) {
    public boolean isExternal() {
        return externalSecret != null;
    }
}
