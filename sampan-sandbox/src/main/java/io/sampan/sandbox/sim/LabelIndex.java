package io.sampan.sandbox.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Finds the pods a selector may match, and the selectors that may match a pod, without scanning a
 * namespace: with a thousand apps in one namespace a scan per pod event is what stalls a cluster.
 * Pods are indexed by each {@code namespace/key=value} label; selectors by their whole
 * {@code matchLabels} ({@code namespace/k1=v1,k2=v2}), and a pod's candidates are looked up once per
 * distinct set of selector keys in use — exact even when every selector shares a pair such as
 * {@code service=front}. A selector with no {@code matchLabels} is a candidate for every pod of its
 * namespace ({@code namespace/*}); callers still check the whole selector.
 */
final class LabelIndex {
    private final Function<ObjectNode, Map<String, String>> matchLabels;
    private final boolean emptySelectsAll;
    private final Set<List<String>> keySets = ConcurrentHashMap.newKeySet();

    private LabelIndex(Function<ObjectNode, Map<String, String>> matchLabels, boolean emptySelectsAll) {
        this.matchLabels = matchLabels;
        this.emptySelectsAll = emptySelectsAll;
    }

    /** For Services: {@code spec.selector} is a plain map, and an empty one selects nothing. */
    static LabelIndex serviceSelectors() {
        return new LabelIndex(o -> Meta.strings(o.path("spec").path("selector")), false);
    }

    /** For objects with a {@code spec.selector} LabelSelector (PodDisruptionBudgets and the like). */
    static LabelIndex labelSelectors() {
        return new LabelIndex(o -> Meta.strings(o.path("spec").path("selector").path("matchLabels")), true);
    }

    /** The index keys of a selector-bearing object (for {@link Informer#index}). */
    Collection<String> keys(ObjectNode o) {
        Map<String, String> match = new TreeMap<>(matchLabels.apply(o));
        if (match.isEmpty()) {
            return emptySelectsAll ? List.of(Meta.namespace(o) + "/*") : List.of();
        }
        keySets.add(List.copyOf(match.keySet()));
        return List.of(composite(Meta.namespace(o), match.keySet(), match));
    }

    /** The objects of {@code selectors} (indexed with {@link #keys} under {@link Simulation#BY_LABEL}) that may select {@code pod}. */
    Collection<ObjectNode> candidates(Informer selectors, JsonNode pod) {
        String ns = Meta.namespace(pod);
        Map<String, String> labels = Meta.labels(pod);
        List<ObjectNode> out = new ArrayList<>(selectors.byIndex(Simulation.BY_LABEL, ns + "/*"));
        for (List<String> keys : keySets) {
            if (labels.keySet().containsAll(keys)) {
                out.addAll(selectors.byIndex(Simulation.BY_LABEL, composite(ns, keys, labels)));
            }
        }
        return out;
    }

    private static String composite(String namespace, Collection<String> keys, Map<String, String> values) {
        StringBuilder b = new StringBuilder(namespace).append('/');
        for (String k : keys) {
            b.append(k).append('=').append(values.get(k)).append(',');
        }
        return b.toString();
    }

    /** The index keys of a pod (or anything labelled): one per label. */
    static List<String> ofLabels(String namespace, Map<String, String> labels) {
        List<String> out = new ArrayList<>(labels.size());
        labels.forEach((k, v) -> out.add(namespace + "/" + k + "=" + v));
        return out;
    }

    /** Pods (indexed with {@link #ofLabels} and by namespace) that may carry all of {@code matchLabels}: those with its rarest pair. */
    static List<ObjectNode> pods(Informer pods, String namespace, Map<String, String> matchLabels) {
        if (matchLabels.isEmpty()) {
            return pods.byIndex(Simulation.BY_NAMESPACE, namespace);
        }
        String rarest = null;
        int fewest = Integer.MAX_VALUE;
        for (Map.Entry<String, String> e : matchLabels.entrySet()) {
            String key = namespace + "/" + e.getKey() + "=" + e.getValue();
            int n = pods.indexSize(Simulation.BY_LABEL, key);
            if (n < fewest) {
                fewest = n;
                rarest = key;
            }
        }
        return pods.byIndex(Simulation.BY_LABEL, rarest);
    }
}
