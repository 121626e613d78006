package io.sampan.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.lang.ref.SoftReference;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;

/**
 * The form the store keeps its objects in: ordinary Jackson trees (so the simulation's informers and
 * everything else read them as before) built to take about half the heap of parsed ones. An object's
 * fields are kept in one array of keys and values ({@link Fields}) instead of a {@code LinkedHashMap}
 * (an entry of 40 bytes per field, a table, an entry-set view), arrays are sized exactly, and
 * repeated strings (field names, label values, images, {@code "True"}, timestamps...) and small
 * numbers are shared through small direct-mapped caches, which forget as they go (they keep at most
 * a few thousand short strings alive, whatever the store holds). A copy made
 * of such a tree ({@code deepCopy()}) is an ordinary one. Not thread-safe: the store uses it under
 * its lock.
 */
final class CompactTrees {
    private static final int TEXT_SLOTS = 1 << 15;
    private static final int KEY_SLOTS = 1 << 12;
    private static final int INT_SLOTS = 1 << 10;
    /** Longer strings (a last-applied configuration, a file in a ConfigMap) are rarely repeated, and the cache would keep one alive. */
    private static final int SHARED_TEXT_MAX = 256;
    private final TextNode[] texts = new TextNode[TEXT_SLOTS];
    private final String[] keys = new String[KEY_SLOTS];
    private final IntNode[] ints = new IntNode[INT_SLOTS];

    /** A compact copy of {@code object}. */
    Stored copy(ObjectNode object) {
        return new Stored(fields(object));
    }

    /**
     * A stored object: a compact tree that also keeps its JSON once it has been serialised (for an
     * HTTP answer, a list, a watch event), so every later reader of this version sends bytes. The
     * bytes are softly held: the collector takes them back before the heap runs short.
     */
    static final class Stored extends ObjectNode {
        private static final long serialVersionUID = 1L;
        private transient volatile SoftReference<byte[]> json;

        private Stored(Map<String, JsonNode> fields) {
            super(JsonNodeFactory.instance, fields);
        }

        /** This object as JSON (the caller must not change the array). */
        byte[] json(ObjectMapper mapper) throws JsonProcessingException {
            SoftReference<byte[]> ref = json;
            byte[] bytes = ref == null ? null : ref.get();
            if (bytes == null) {
                bytes = mapper.writeValueAsBytes(this);
                json = new SoftReference<>(bytes);
            }
            return bytes;
        }
    }

    /** An object's fields, copied compactly. */
    private Map<String, JsonNode> fields(ObjectNode o) {
        int size = o.size();
        if (size > Fields.MAX) {
            Map<String, JsonNode> big = LinkedHashMap.newLinkedHashMap(size);
            o.properties().forEach(e -> big.put(key(e.getKey()), copyNode(e.getValue())));
            return big;
        }
        Object[] kv = new Object[size * 2];
        int i = 0;
        for (Map.Entry<String, JsonNode> e : o.properties()) {
            kv[i++] = key(e.getKey());
            kv[i++] = copyNode(e.getValue());
        }
        return new Fields(kv, size);
    }

    private JsonNode copyNode(JsonNode n) {
        if (n instanceof ObjectNode o) {
            return new ObjectNode(JsonNodeFactory.instance, fields(o));
        }
        if (n instanceof ArrayNode a) {
            List<JsonNode> items = new ArrayList<>(a.size());
            for (JsonNode item : a) {
                items.add(copyNode(item));
            }
            return new ArrayNode(JsonNodeFactory.instance, items);
        }
        if (n instanceof TextNode t) {
            return text(t);
        }
        if (n instanceof IntNode i) {
            return integer(i);
        }
        return n.deepCopy(); // other values are immutable and small (deepCopy returns them)
    }

    private String key(String k) {
        int slot = spread(k.hashCode()) & (KEY_SLOTS - 1);
        String cached = keys[slot];
        if (k.equals(cached)) {
            return cached;
        }
        String canonical = k.intern(); // what Jackson's parser and string literals use: lookups find it by identity
        keys[slot] = canonical;
        return canonical;
    }

    private TextNode text(TextNode t) {
        String s = t.textValue();
        if (s.length() > SHARED_TEXT_MAX) {
            return t;
        }
        int slot = spread(s.hashCode()) & (TEXT_SLOTS - 1);
        TextNode cached = texts[slot];
        if (cached != null && cached.textValue().equals(s)) {
            return cached;
        }
        texts[slot] = t;
        return t;
    }

    private IntNode integer(IntNode i) {
        int slot = spread(i.intValue()) & (INT_SLOTS - 1);
        IntNode cached = ints[slot];
        if (cached != null && cached.intValue() == i.intValue()) {
            return cached;
        }
        ints[slot] = i;
        return i;
    }

    private static int spread(int h) {
        return h ^ (h >>> 16);
    }

    /**
     * An object's fields as one array of alternating keys and values, in insertion order: found by a
     * linear scan (objects of Kubernetes resources have a handful of fields; bigger ones get a
     * {@code LinkedHashMap}). It is a complete, mutable map, so a tree holding it behaves as any other.
     */
    static final class Fields extends AbstractMap<String, JsonNode> {
        /** Above this many fields an object keeps a hash map: a scan would cost more than it saves. */
        static final int MAX = 32;
        private Object[] kv;
        private int size;
        private int modCount;

        Fields(Object[] kv, int size) {
            this.kv = kv;
            this.size = size;
        }

        private int indexOf(Object key) {
            for (int i = 0; i < size * 2; i += 2) {
                if (kv[i] == key) {
                    return i;
                }
            }
            if (key != null) {
                for (int i = 0; i < size * 2; i += 2) {
                    if (key.equals(kv[i])) {
                        return i;
                    }
                }
            }
            return -1;
        }

        @Override
        public int size() {
            return size;
        }

        @Override
        public boolean containsKey(Object key) {
            return indexOf(key) >= 0;
        }

        @Override
        public JsonNode get(Object key) {
            int i = indexOf(key);
            return i < 0 ? null : (JsonNode) kv[i + 1];
        }

        @Override
        public JsonNode put(String key, JsonNode value) {
            Objects.requireNonNull(key);
            int i = indexOf(key);
            if (i >= 0) {
                JsonNode old = (JsonNode) kv[i + 1];
                kv[i + 1] = value;
                return old;
            }
            if (size * 2 == kv.length) {
                kv = Arrays.copyOf(kv, Math.max(4, kv.length * 2));
            }
            kv[size * 2] = key;
            kv[size * 2 + 1] = value;
            size++;
            modCount++;
            return null;
        }

        @Override
        public JsonNode remove(Object key) {
            int i = indexOf(key);
            if (i < 0) {
                return null;
            }
            JsonNode old = (JsonNode) kv[i + 1];
            removeAt(i);
            return old;
        }

        private void removeAt(int i) {
            System.arraycopy(kv, i + 2, kv, i, size * 2 - i - 2);
            size--;
            kv[size * 2] = null;
            kv[size * 2 + 1] = null;
            modCount++;
        }

        @Override
        public void clear() {
            Arrays.fill(kv, null);
            size = 0;
            modCount++;
        }

        @Override
        public Set<Entry<String, JsonNode>> entrySet() {
            return new AbstractSet<>() {
                @Override
                public int size() {
                    return size;
                }

                @Override
                public Iterator<Entry<String, JsonNode>> iterator() {
                    return new Iterator<>() {
                        private int next;
                        private int last = -1;
                        private int expected = modCount;

                        @Override
                        public boolean hasNext() {
                            return next < size * 2;
                        }

                        @Override
                        public Entry<String, JsonNode> next() {
                            if (expected != modCount) {
                                throw new ConcurrentModificationException();
                            }
                            if (next >= size * 2) {
                                throw new NoSuchElementException();
                            }
                            last = next;
                            next += 2;
                            return new FieldEntry(last);
                        }

                        @Override
                        public void remove() {
                            if (last < 0) {
                                throw new IllegalStateException();
                            }
                            if (expected != modCount) {
                                throw new ConcurrentModificationException();
                            }
                            removeAt(last);
                            next = last;
                            last = -1;
                            expected = modCount;
                        }
                    };
                }
            };
        }

        /** An entry that reads and writes the field at its index. */
        private final class FieldEntry implements Entry<String, JsonNode> {
            private final int at;

            FieldEntry(int at) {
                this.at = at;
            }

            @Override
            public String getKey() {
                return (String) kv[at];
            }

            @Override
            public JsonNode getValue() {
                return (JsonNode) kv[at + 1];
            }

            @Override
            public JsonNode setValue(JsonNode value) {
                JsonNode old = getValue();
                kv[at + 1] = value;
                return old;
            }

            @Override
            public boolean equals(Object o) {
                return o instanceof Entry<?, ?> e && Objects.equals(getKey(), e.getKey()) && Objects.equals(getValue(), e.getValue());
            }

            @Override
            public int hashCode() {
                return Objects.hashCode(getKey()) ^ Objects.hashCode(getValue());
            }

            @Override
            public String toString() {
                return getKey() + "=" + getValue();
            }
        }
    }
}
