package io.sampan.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An admission step run on every create, inside the store's write, before the object is stored:
 * it may default fields (as LimitRanger does) or refuse the object with an {@link ApiError} (as
 * ResourceQuota does). It may read the store, never write it.
 */
public interface Admission {
    void admitCreate(Store store, ResourceType type, String namespace, ObjectNode object);

    /** Checks (or defaults) the object an update would store; {@code current} is what is stored now. */
    default void admitUpdate(Store store, ResourceType type, ObjectNode next, ObjectNode current) {
    }
}
