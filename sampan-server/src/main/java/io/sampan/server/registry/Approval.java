package io.sampan.server.registry;

import io.sampan.server.access.Role;

/**
 * An environment's rule that a release waits for approval before it starts.
 *
 * @param role the least role that may approve
 * @param separateApprover whether the one who asked for the release may not approve it
 */
public record Approval(Role role, boolean separateApprover) {
}
