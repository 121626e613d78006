package io.sampan.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The durable copy of a {@link Store} in a data directory, as etcd keeps one: {@code snapshot.jsonl}
 * (the objects at one revision) and {@code changes.jsonl}, an append-only log of every committed
 * change after it, one JSON line each. Every change is written to the file as it is committed (so a
 * killed process loses nothing the OS has), and the log is fsynced every {@link #SYNC_EVERY_MS} ms.
 * Opening reads the snapshot, replays the log (a torn last line, left by a kill in the middle of a
 * write, is dropped), then compacts: a new snapshot, an empty log. Closing compacts too. One sandbox
 * at a time uses a directory (a lock on {@code DIR/lock}, released by the OS if the process dies).
 */
final class StoreLog implements AutoCloseable {
    static final long SYNC_EVERY_MS = 50;
    private static final Logger LOG = Logger.getLogger(StoreLog.class.getName());
    private static final String SNAPSHOT = "snapshot.jsonl";
    private static final String CHANGES = "changes.jsonl";
    private final Path dir;
    /** A stream, not a channel: an interrupted writer (a controller thread being stopped) must not close the log. */
    private FileOutputStream changes;
    private final FileChannel lock;
    private final ScheduledExecutorService syncer;
    private volatile boolean dirty;

    /** What a data directory held: every object by store key, with its type, and the last revision. */
    record Restored(Map<String, Entry> objects, long revision) {
    }

    /** A stored object and the type it is stored under. */
    record Entry(ResourceType type, ObjectNode object) {
    }

    private StoreLog(Path dir, FileOutputStream changes, FileChannel lock) {
        this.dir = dir;
        this.changes = changes;
        this.lock = lock;
        this.syncer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sandbox-store-fsync");
            t.setDaemon(true);
            return t;
        });
        syncer.scheduleWithFixedDelay(this::sync, SYNC_EVERY_MS, SYNC_EVERY_MS, TimeUnit.MILLISECONDS);
    }

    /** Reads what {@code dir} holds (nothing if it is new), compacts it and opens the log for appending. */
    static StoreLog open(Path dir, Map<String, Entry> into, long[] revision) {
        try {
            Files.createDirectories(dir);
            FileChannel lock = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            boolean locked;
            try {
                locked = lock.tryLock() != null;
            } catch (java.nio.channels.OverlappingFileLockException e) {
                locked = false;
            }
            if (!locked) {
                lock.close();
                throw new IllegalStateException("the sandbox data directory " + dir + " is in use by another sandbox");
            }
            Restored restored = read(dir);
            into.putAll(restored.objects());
            revision[0] = restored.revision();
            writeSnapshot(dir, restored.objects(), restored.revision());
            FileOutputStream log = new FileOutputStream(dir.resolve(CHANGES).toFile(), false);
            log.getFD().sync();
            return new StoreLog(dir, log, lock);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the sandbox data directory " + dir, e);
        }
    }

    /** The snapshot, then the log's changes after it; a line that cannot be read ends the log. */
    static Restored read(Path dir) throws IOException {
        Map<String, Entry> objects = new LinkedHashMap<>();
        long revision = 0;
        Path snapshot = dir.resolve(SNAPSHOT);
        if (Files.exists(snapshot)) {
            for (String line : Files.readAllLines(snapshot, StandardCharsets.UTF_8)) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode n = ApiServer.JSON.readTree(line);
                if (n.has("revision")) {
                    revision = n.get("revision").asLong();
                } else {
                    objects.put(n.get("key").asText(), new Entry(type(n.get("type")), (ObjectNode) n.get("object")));
                }
            }
        }
        Path log = dir.resolve(CHANGES);
        if (!Files.exists(log)) {
            return new Restored(objects, revision);
        }
        byte[] bytes = Files.readAllBytes(log);
        int start = 0;
        while (start < bytes.length) {
            int end = start;
            while (end < bytes.length && bytes[end] != '\n') {
                end++;
            }
            if (end == bytes.length) {
                LOG.warning("dropping a torn last change (" + (end - start) + " bytes) in " + log);
                break;
            }
            JsonNode n;
            try {
                n = ApiServer.JSON.readTree(new String(bytes, start, end - start, StandardCharsets.UTF_8));
            } catch (IOException e) {
                LOG.warning("the change log " + log + " cannot be read after byte " + start + ": " + e.getMessage());
                break;
            }
            start = end + 1;
            if (n == null || !n.has("rv")) {
                continue;
            }
            long rv = n.get("rv").asLong();
            if (rv <= revision) {
                continue; // already in the snapshot (a compaction stopped before emptying the log)
            }
            revision = rv;
            String key = n.get("key").asText();
            if (n.path("op").asText().equals("DELETED")) {
                objects.remove(key);
            } else {
                objects.put(key, new Entry(type(n.get("type")), (ObjectNode) n.get("object")));
            }
        }
        return new Restored(objects, revision);
    }

    /** Appends a committed change; called inside the store's lock, in revision order. */
    void append(Store.Change change, String key) {
        ObjectNode line = ApiServer.JSON.createObjectNode().put("rv", change.revision()).put("op", change.type()).put("key", key);
        if (!change.type().equals("DELETED")) {
            line.set("type", ApiServer.JSON.valueToTree(change.resource()));
            line.set("object", change.object());
        }
        try {
            changes.write((ApiServer.JSON.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8));
            dirty = true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the sandbox change log in " + dir, e);
        }
    }

    private void sync() {
        if (!dirty) {
            return;
        }
        dirty = false;
        try {
            synchronized (this) {
                changes.getFD().sync();
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot fsync the sandbox change log", e);
        }
    }

    /** Writes a snapshot of {@code objects} at {@code revision} and empties the log; called inside the store's lock. */
    void compact(Map<String, Entry> objects, long revision) {
        try {
            writeSnapshot(dir, objects, revision);
            synchronized (this) {
                changes.close();
                changes = new FileOutputStream(dir.resolve(CHANGES).toFile(), false); // emptied
                changes.getFD().sync();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot compact the sandbox data directory " + dir, e);
        }
    }

    private static void writeSnapshot(Path dir, Map<String, Entry> objects, long revision) throws IOException {
        Path tmp = dir.resolve(SNAPSHOT + ".tmp");
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            StringBuilder sb = new StringBuilder();
            sb.append(ApiServer.JSON.writeValueAsString(ApiServer.JSON.createObjectNode().put("revision", revision))).append('\n');
            for (Map.Entry<String, Entry> e : objects.entrySet()) {
                ObjectNode line = ApiServer.JSON.createObjectNode().put("key", e.getKey());
                line.set("type", ApiServer.JSON.valueToTree(e.getValue().type()));
                line.set("object", e.getValue().object());
                sb.append(ApiServer.JSON.writeValueAsString(line)).append('\n');
            }
            ByteBuffer buf = ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.UTF_8));
            while (buf.hasRemaining()) {
                out.write(buf);
            }
            out.force(true);
        }
        Files.move(tmp, dir.resolve(SNAPSHOT), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static ResourceType type(JsonNode n) {
        try {
            return ApiServer.JSON.treeToValue(n, ResourceType.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        syncer.shutdown();
        try {
            syncer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            synchronized (this) {
                changes.getFD().sync();
                changes.close();
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot close the sandbox change log", e);
        } finally {
            try {
                lock.close(); // releases the directory's lock
            } catch (IOException e) {
                LOG.log(Level.WARNING, "cannot release the lock of " + dir, e);
            }
        }
    }
}
