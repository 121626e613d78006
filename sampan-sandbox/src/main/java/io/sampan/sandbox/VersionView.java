package io.sampan.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * How a kind is served in a version other than the one the store keeps it in: each object is
 * converted on the way out and each written object on the way in, as the API server converts
 * through its internal version (a custom resource's other versions, autoscaling/v1 HPAs).
 */
interface VersionView {
    /** The stored object as the served version shows it (a new object: the stored one is shared). */
    ObjectNode toServed(ObjectNode stored);

    /** A written object of the served version in the stored version; {@code current} is the stored object it replaces (null on create). */
    ObjectNode toStored(ObjectNode served, ObjectNode current);

    /** A version that differs by {@code apiVersion} only (custom resources' {@code None} conversion). */
    static VersionView apiVersionOnly(String apiVersion) {
        return new VersionView() {
            @Override
            public ObjectNode toServed(ObjectNode stored) {
                ObjectNode copy = stored.deepCopy();
                copy.put("apiVersion", apiVersion);
                return copy;
            }

            @Override
            public ObjectNode toStored(ObjectNode served, ObjectNode current) {
                return served; // the store sets its own apiVersion
            }
        };
    }
}
