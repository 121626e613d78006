package io.sampan.spec.read;

import io.sampan.spec.yaml.YamlNode;
import io.sampan.spec.yaml.YamlNode.ListNode;
import io.sampan.spec.yaml.YamlNode.MapNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Merges an environment's overrides over the base spec: mappings merge key by key, everything else
 * (scalars, lists) is replaced. The environment's {@code env} merges into {@code spec.env}.
 */
final class EnvironmentOverlay {
    private EnvironmentOverlay() {
    }

    static MapNode apply(MapNode base, MapNode override, Set<YamlNode> overrideNodes) {
        collect(override, overrideNodes);
        overrideNodes.remove(override);
        return merge(base, override, true);
    }

    private static MapNode merge(MapNode base, MapNode over, boolean top) {
        Map<String, YamlNode.Entry> entries = new LinkedHashMap<>(base.entries());
        for (YamlNode.Entry e : over.entries().values()) {
            if (top && !AppReader.ENVIRONMENT_FIELDS.contains(e.key())) {
                continue; // reported once, by AppReader
            }
            YamlNode.Entry existing = entries.get(e.key());
            if (existing != null && existing.value() instanceof MapNode b && e.value() instanceof MapNode o) {
                entries.put(e.key(), new YamlNode.Entry(e.key(), existing.keyPosition(), merge(b, o, false)));
            } else {
                entries.put(e.key(), e);
            }
        }
        return new MapNode(entries, base.position());
    }

    private static void collect(YamlNode node, Set<YamlNode> into) {
        into.add(node);
        if (node instanceof MapNode m) {
            m.entries().values().forEach(e -> collect(e.value(), into));
        } else if (node instanceof ListNode l) {
            l.items().forEach(i -> collect(i, into));
        }
    }
}
