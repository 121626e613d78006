package io.sampan.sandbox.sim;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Why a pod fits on no node, told as kube-scheduler tells it: the nodes' filter reasons counted
 * and sorted as strings ({@code "0/12 nodes are available: 3 node(s) had untolerated taint
 * {node-role.kubernetes.io/control-plane: }, 9 Insufficient cpu."}), then what preemption found.
 * No pod here has a lower priority than another, so preemption finds no victims on the nodes
 * whose failure it could resolve, and is "not helpful" on the others.
 */
final class FitError {
    /** A node's filter failure: its reasons, and whether evicting pods could not help (UnschedulableAndUnresolvable). */
    record Status(List<String> reasons, boolean unresolvable) {
        static Status of(String reason, boolean unresolvable) {
            return new Status(List.of(reason), unresolvable);
        }
    }

    private final int allNodes;
    private final Map<String, Integer> reasons = new HashMap<>();
    private int unresolvable;
    private int resolvable;
    private String preFilterMessage;

    FitError(int allNodes) {
        this.allNodes = allNodes;
    }

    void add(Status s) {
        for (String r : s.reasons()) {
            reasons.merge(r, 1, Integer::sum);
        }
        if (s.unresolvable()) {
            unresolvable++;
        } else {
            resolvable++;
        }
    }

    /** Nodes a PreFilter plugin ruled out before filtering. */
    void absent(int count, String reason) {
        if (count > 0) {
            reasons.merge(reason, count, Integer::sum);
            unresolvable += count;
        }
    }

    /** A PreFilter failure: the pod fits no node at all, for one reason. */
    void preFilter(String message) {
        preFilterMessage = message;
        unresolvable = allNodes;
        resolvable = 0;
    }

    String message(boolean preemptionNever) {
        StringBuilder b = new StringBuilder("0/").append(allNodes).append(" nodes are available:");
        if (preFilterMessage != null) {
            b.append(' ').append(preFilterMessage).append('.');
        } else {
            List<String> histogram = new ArrayList<>();
            reasons.forEach((r, n) -> histogram.add(n + " " + r));
            histogram.sort(null);
            if (!histogram.isEmpty()) {
                b.append(' ').append(String.join(", ", histogram)).append('.');
            }
        }
        if (preemptionNever) {
            return b.append(" preemption: not eligible due to preemptionPolicy=Never.").toString();
        }
        List<String> preemption = new ArrayList<>();
        if (unresolvable > 0) {
            preemption.add(unresolvable + " Preemption is not helpful for scheduling");
        }
        if (resolvable > 0) {
            preemption.add(resolvable + " No preemption victims found for incoming pod");
        }
        preemption.sort(null);
        return b.append(" preemption: 0/").append(allNodes).append(" nodes are available: ").append(String.join(", ", preemption)).append('.').toString();
    }
}
