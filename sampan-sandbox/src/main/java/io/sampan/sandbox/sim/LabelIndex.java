package io.sampan.sandbox.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Index keys ({@code namespace/key=value}) that let a controller find the pods a selector may match,
 * or the selectors that may match a pod, without scanning a namespace: with a thousand apps in one
 * namespace a scan per pod event is what stalls a cluster. A selector with no {@code matchLabels}
 * is indexed under {@code namespace/*} and is a candidate for every pod of its namespace.
 */
final class LabelIndex {
    private LabelIndex() {
    }

    /** The keys of a pod (or anything labelled): one per label. */
    static List<String> ofLabels(String namespace, Map<String, String> labels) {
        List<String> out = new ArrayList<>(labels.size());
        labels.forEach((k, v) -> out.add(key(namespace, k, v)));
        return out;
    }

    /** The keys of a Service's selector (a plain map); none for a selector-less Service. */
    static List<String> ofServiceSelector(ObjectNode service) {
        return ofLabels(Meta.namespace(service), Meta.strings(service.path("spec").path("selector")));
    }

    /** The keys of an object's {@code spec.selector} LabelSelector (PodDisruptionBudget and the like). */
    static List<String> ofLabelSelector(ObjectNode o) {
        Map<String, String> match = Meta.strings(o.path("spec").path("selector").path("matchLabels"));
        return match.isEmpty() ? List.of(Meta.namespace(o) + "/*") : ofLabels(Meta.namespace(o), match);
    }

    static String key(String namespace, String key, String value) {
        return namespace + "/" + key + "=" + value;
    }

    /** The objects of {@code selectors} (indexed by {@link Simulation#BY_LABEL}) that may select {@code pod}. */
    static Collection<ObjectNode> candidates(Informer selectors, JsonNode pod) {
        String ns = Meta.namespace(pod);
        Map<String, ObjectNode> out = new LinkedHashMap<>();
        for (ObjectNode o : selectors.byIndex(Simulation.BY_LABEL, ns + "/*")) {
            out.put(Meta.key(o), o);
        }
        for (Map.Entry<String, String> label : Meta.labels(pod).entrySet()) {
            for (ObjectNode o : selectors.byIndex(Simulation.BY_LABEL, key(ns, label.getKey(), label.getValue()))) {
                out.put(Meta.key(o), o);
            }
        }
        return out.values();
    }

    /** Pods (indexed by {@link Simulation#BY_LABEL} and {@link Simulation#BY_NAMESPACE}) that may carry all of {@code matchLabels}. */
    static List<ObjectNode> pods(Informer pods, String namespace, Map<String, String> matchLabels) {
        if (matchLabels.isEmpty()) {
            return pods.byIndex(Simulation.BY_NAMESPACE, namespace);
        }
        Map.Entry<String, String> first = matchLabels.entrySet().iterator().next();
        return pods.byIndex(Simulation.BY_LABEL, key(namespace, first.getKey(), first.getValue()));
    }
}
