package io.sampan.sandbox.sim;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sampan.sandbox.sim.PodRequirements.AffinityTerm;
import io.sampan.sandbox.sim.PodRequirements.SpreadConstraint;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A placement that decides as kube-scheduler's default profile does. Filters, in its order, the
 * first failing one giving the node's reason: NodeUnschedulable, TaintToleration (NoSchedule and
 * NoExecute; a node that is not Ready carries its not-ready/unreachable taint), NodeAffinity
 * (nodeSelector and required terms), NodePorts, NodeResourcesFit (pods, cpu, memory,
 * ephemeral-storage, extended resources), PodTopologySpread (DoNotSchedule) and InterPodAffinity
 * (required affinity, anti-affinity, and existing pods' anti-affinity against this pod). Scores,
 * weighted as there: LeastAllocated and BalancedAllocation (1), TaintToleration's
 * PreferNoSchedule (3), preferred node affinity (2), PodTopologySpread's ScheduleAnyway and
 * system default constraints — per host, skew 3, and per zone, skew 5, over a ReplicaSet's,
 * ReplicationController's or StatefulSet's pods — (2), preferred pod (anti-)affinity (2). The
 * highest score wins, the first in scan order on a tie; the scan starts where the last one stopped
 * and, on big clusters, stops once enough feasible nodes are found (percentageOfNodesToScore:
 * adaptive, 50% less 1% per 125 nodes, at least 5% and 100 nodes). A pod that fits nowhere gets
 * kube-scheduler's FitError message.
 *
 * <p>Nodes and bound pods are parsed once into {@link SchedulingNode} and {@link PodRequirements};
 * per-node totals, pods by namespace and label, and pods per node of each owner are kept as they
 * change, so a plain pod costs a little arithmetic per sampled node. All methods are synchronized:
 * informer handlers and the scheduler's thread share the cache.
 *
 * <p>Scheduling gates are the controller's ({@link SchedulerController}). Not modelled: volumes (binding, zones, limits), preemption (the message says what it would
 * find among pods of equal priority), image locality, and namespaceSelector terms
 * other than {@code {}} (they would need namespace labels).
 */
public final class KubeScheduler implements SchedulerController.Placement {
    static final String HOSTNAME = "kubernetes.io/hostname";
    static final String ZONE = "topology.kubernetes.io/zone";
    static final int MIN_FEASIBLE_NODES_TO_FIND = 100;
    static final int MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5;
    private static final Taints.Taint UNSCHEDULABLE_TAINT = new Taints.Taint(SchedulingNode.UNSCHEDULABLE, "", Taints.NO_SCHEDULE);
    private static final FitError.Status WERE_UNSCHEDULABLE = FitError.Status.of("node(s) were unschedulable", true);
    private static final FitError.Status NODE_AFFINITY = FitError.Status.of("node(s) didn't match Pod's node affinity/selector", true);
    private static final FitError.Status PORTS = FitError.Status.of("node(s) didn't have free ports for the requested pod ports", false);
    private static final FitError.Status SPREAD_LABEL = FitError.Status.of("node(s) didn't match pod topology spread constraints (missing required label)", true);
    private static final FitError.Status SPREAD = FitError.Status.of("node(s) didn't match pod topology spread constraints", false);
    private static final FitError.Status AFFINITY = FitError.Status.of("node(s) didn't match pod affinity rules", true);
    private static final FitError.Status ANTI_AFFINITY = FitError.Status.of("node(s) didn't match pod anti-affinity rules", false);
    private static final FitError.Status EXISTING_ANTI_AFFINITY = FitError.Status.of("node(s) didn't satisfy existing pods anti-affinity rules", false);

    private final int percentageOfNodesToScore;
    private final Map<String, SchedulingNode> nodesByName = new HashMap<>();
    private final List<SchedulingNode> nodes = new ArrayList<>();
    private final Map<String, PodRequirements> bound = new HashMap<>();
    private final Map<String, Set<PodRequirements>> byNamespace = new HashMap<>();
    private final Map<String, Set<PodRequirements>> byLabel = new HashMap<>();
    private final Set<PodRequirements> withAffinity = new LinkedHashSet<>();
    private final Set<PodRequirements> withRequiredAntiAffinity = new LinkedHashSet<>();
    private final Map<String, OwnerCounts> byOwner = new HashMap<>();
    private int nextStartNodeIndex;
    private PodRequirements lastPlaced;

    /** The default profile, with the adaptive percentage of nodes to score. */
    public KubeScheduler() {
        this(0);
    }

    /** {@code percentageOfNodesToScore} as in KubeSchedulerConfiguration: 0 is adaptive, 100 scores all nodes. */
    public KubeScheduler(int percentageOfNodesToScore) {
        this.percentageOfNodesToScore = percentageOfNodesToScore;
    }

    @Override
    public synchronized void upsertNode(ObjectNode node) {
        SchedulingNode n = nodesByName.computeIfAbsent(Meta.name(node), SchedulingNode::new);
        String zone = n.zone;
        n.update(node);
        if (!Objects.equals(zone, n.zone)) {
            for (PodRequirements p : n.pods) {
                OwnerCounts oc = p.owner == null || p.terminating ? null : byOwner.get(p.owner);
                if (oc != null) {
                    oc.add(n, zone, -1);
                    oc.add(n, n.zone, 1);
                }
            }
        }
        if (!n.live) {
            n.live = true;
            nodes.add(n);
        }
    }

    @Override
    public synchronized void removeNode(String name) {
        SchedulingNode n = nodesByName.get(name);
        if (n != null && n.live) {
            n.live = false;
            nodes.remove(n);
            if (n.pods.isEmpty()) {
                nodesByName.remove(name);
            }
        }
    }

    @Override
    public synchronized void assign(ObjectNode pod) {
        String key = Meta.key(pod);
        String nodeName = pod.path("spec").path("nodeName").asText("");
        PodRequirements old = bound.get(key);
        if (old != null) {
            boolean terminating = pod.path("metadata").has("deletionTimestamp");
            if (old.node.name.equals(nodeName) && old.terminating == terminating && old.labelsNode.equals(pod.path("metadata").path("labels"))) {
                return;
            }
            remove(old);
        }
        PodRequirements p = lastPlaced;
        lastPlaced = null;
        if (p == null || !p.key.equals(key) || p.terminating || !p.labelsNode.equals(pod.path("metadata").path("labels"))
                || pod.path("metadata").has("deletionTimestamp")) {
            p = PodRequirements.of(pod);
        }
        add(p, nodeName);
    }

    @Override
    public synchronized void unassign(ObjectNode pod) {
        PodRequirements old = bound.get(Meta.key(pod));
        if (old != null) {
            remove(old);
        }
    }

    private void add(PodRequirements p, String nodeName) {
        SchedulingNode n = nodesByName.computeIfAbsent(nodeName, SchedulingNode::new);
        p.node = n;
        n.add(p);
        bound.put(p.key, p);
        byNamespace.computeIfAbsent(p.namespace, k -> new LinkedHashSet<>()).add(p);
        for (Map.Entry<String, String> l : p.labels.entrySet()) {
            byLabel.computeIfAbsent(labelKey(p.namespace, l.getKey() + "=" + l.getValue()), k -> new LinkedHashSet<>()).add(p);
        }
        if (p.hasPodAffinityTerms()) {
            withAffinity.add(p);
        }
        if (!p.requiredAntiAffinity.isEmpty()) {
            withRequiredAntiAffinity.add(p);
        }
        if (p.owner != null && !p.terminating) {
            byOwner.computeIfAbsent(p.owner, k -> new OwnerCounts()).add(n, n.zone, 1);
        }
    }

    private void remove(PodRequirements p) {
        SchedulingNode n = p.node;
        n.remove(p);
        bound.remove(p.key);
        removeFrom(byNamespace, p.namespace, p);
        for (Map.Entry<String, String> l : p.labels.entrySet()) {
            removeFrom(byLabel, labelKey(p.namespace, l.getKey() + "=" + l.getValue()), p);
        }
        withAffinity.remove(p);
        withRequiredAntiAffinity.remove(p);
        if (p.owner != null && !p.terminating) {
            OwnerCounts counts = byOwner.get(p.owner);
            if (counts != null && counts.add(n, n.zone, -1)) {
                byOwner.remove(p.owner);
            }
        }
        if (!n.live && n.pods.isEmpty() && nodesByName.get(n.name) == n) {
            nodesByName.remove(n.name);
        }
    }

    private static String labelKey(String namespace, String label) {
        return namespace + "/" + label;
    }

    private static void removeFrom(Map<String, Set<PodRequirements>> index, String key, PodRequirements p) {
        Set<PodRequirements> set = index.get(key);
        if (set != null && set.remove(p) && set.isEmpty()) {
            index.remove(key);
        }
    }

    @Override
    public synchronized Decision place(ObjectNode pod) {
        PodRequirements p = PodRequirements.of(pod);
        Decision d = schedule(p);
        lastPlaced = d.node() != null ? p : null;
        return d;
    }

    /** How many feasible nodes to look for among {@code all} before scoring (kube-scheduler's numFeasibleNodesToFind). */
    int numFeasibleNodesToFind(int all) {
        if (all < MIN_FEASIBLE_NODES_TO_FIND) {
            return all;
        }
        int percentage = percentageOfNodesToScore;
        if (percentage <= 0) {
            percentage = Math.max(MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND, 50 - all / 125);
        }
        if (percentage >= 100) {
            return all;
        }
        return Math.max(MIN_FEASIBLE_NODES_TO_FIND, all * percentage / 100);
    }

    private Decision schedule(PodRequirements p) {
        int all = nodes.size();
        if (all == 0) {
            return new Decision(null, "no nodes available to schedule pods");
        }
        FitError diagnosis = new FitError(all);
        List<SchedulingNode> candidates = nodes;
        Set<String> names = p.nodeAffinity.nodeNames();
        if (names != null) {
            if (names.isEmpty()) {
                diagnosis.preFilter("pod affinity terms conflict");
                return new Decision(null, diagnosis.message(p.preemptNever));
            }
            candidates = new ArrayList<>(names.size());
            for (String name : names) {
                SchedulingNode n = nodesByName.get(name);
                if (n != null && n.live) {
                    candidates.add(n);
                }
            }
            diagnosis.absent(all - candidates.size(), "node(s) didn't satisfy plugin(s) [NodeAffinity]");
        }
        List<SchedulingNode> feasible = candidates.isEmpty() ? List.of() : findFeasible(new Cycle(p), candidates, diagnosis);
        if (feasible.isEmpty()) {
            return new Decision(null, diagnosis.message(p.preemptNever));
        }
        if (feasible.size() == 1) {
            return new Decision(feasible.get(0).name, null);
        }
        return new Decision(feasible.get(best(p, feasible)).name, null);
    }

    private List<SchedulingNode> findFeasible(Cycle cycle, List<SchedulingNode> candidates, FitError diagnosis) {
        int size = candidates.size();
        int toFind = numFeasibleNodesToFind(size);
        List<SchedulingNode> feasible = new ArrayList<>(Math.min(toFind, size));
        int start = nextStartNodeIndex % size;
        int processed = 0;
        for (int i = 0; i < size && feasible.size() < toFind; i++) {
            SchedulingNode n = candidates.get((start + i) % size);
            processed++;
            FitError.Status s = filter(cycle, n);
            if (s == null) {
                feasible.add(n);
            } else {
                diagnosis.add(s);
            }
        }
        nextStartNodeIndex = (start + processed) % size;
        return feasible;
    }

    private FitError.Status filter(Cycle cycle, SchedulingNode n) {
        PodRequirements p = cycle.pod;
        if (n.unschedulable && !Taints.tolerated(p.tolerations, UNSCHEDULABLE_TAINT)) {
            return WERE_UNSCHEDULABLE;
        }
        if (!n.taints.isEmpty()) {
            Taints.Taint t = Taints.firstUntolerated(n.taints, p.tolerations);
            if (t != null) {
                return FitError.Status.of("node(s) had untolerated taint {" + t.key() + ": " + t.value() + "}", true);
            }
        }
        if (!p.nodeAffinity.isNone() && !p.nodeAffinity.requiredMatches(n.name, n.labels)) {
            return NODE_AFFINITY;
        }
        if (!p.hostPorts.isEmpty() && n.portsConflict(p)) {
            return PORTS;
        }
        List<String> insufficient = n.insufficient(p);
        if (insufficient != null) {
            return new FitError.Status(insufficient, false);
        }
        if (cycle.spread != null) {
            FitError.Status s = cycle.spread.filter(n);
            if (s != null) {
                return s;
            }
        }
        if (cycle.interPod != null) {
            return cycle.interPod.filter(n);
        }
        return null;
    }

    // ---- scoring ----

    private int best(PodRequirements p, List<SchedulingNode> feasible) {
        int m = feasible.size();
        long[] total = new long[m];
        boolean balanced = p.milliCpu != 0 || p.memory != 0;
        boolean preferNoSchedule = false;
        for (int i = 0; i < m; i++) {
            SchedulingNode n = feasible.get(i);
            total[i] = n.leastAllocatedScore(p) + (balanced ? n.balancedAllocationScore(p) : 0);
            preferNoSchedule |= n.preferNoScheduleTaints;
        }
        if (preferNoSchedule) {
            long[] s = new long[m];
            for (int i = 0; i < m; i++) {
                s[i] = Taints.intolerablePreferNoSchedule(feasible.get(i).taints, p.tolerations);
            }
            addNormalized(total, s, true, 3);
        }
        if (p.nodeAffinity.hasPreferred()) {
            long[] s = new long[m];
            for (int i = 0; i < m; i++) {
                s[i] = p.nodeAffinity.preferredScore(feasible.get(i).name, feasible.get(i).labels);
            }
            addNormalized(total, s, false, 2);
        }
        spreadScore(p, feasible, total);
        interPodAffinityScore(p, feasible, total);
        int best = 0;
        for (int i = 1; i < m; i++) {
            if (total[i] > total[best]) {
                best = i;
            }
        }
        return best;
    }

    /** kube-scheduler's DefaultNormalizeScore to 0–100 (reversed: fewer is better), then weighted into {@code total}. */
    private static void addNormalized(long[] total, long[] s, boolean reverse, int weight) {
        long max = 0;
        for (long v : s) {
            max = Math.max(max, v);
        }
        for (int i = 0; i < s.length; i++) {
            long v;
            if (max == 0) {
                v = reverse ? 100 : 0;
            } else {
                v = 100 * s[i] / max;
                if (reverse) {
                    v = 100 - v;
                }
            }
            total[i] += weight * v;
        }
    }

    private void spreadScore(PodRequirements p, List<SchedulingNode> feasible, long[] total) {
        List<SpreadConstraint> cs = new ArrayList<>();
        boolean systemDefault = p.spread.isEmpty();
        if (systemDefault) {
            if (p.owner == null) {
                return;
            }
            cs.add(new SpreadConstraint(3, HOSTNAME, false, null, null, true, false, p.owner));
            cs.add(new SpreadConstraint(5, ZONE, false, null, null, true, false, p.owner));
        } else {
            for (SpreadConstraint c : p.spread) {
                if (!c.doNotSchedule()) {
                    cs.add(c);
                }
            }
            if (cs.isEmpty()) {
                return;
            }
        }
        int m = feasible.size();
        boolean[] ignored = new boolean[m];
        int scored = 0;
        for (int i = 0; i < m; i++) {
            ignored[i] = !systemDefault && !hasAllKeys(feasible.get(i), cs);
            scored += ignored[i] ? 0 : 1;
        }
        int k = cs.size();
        List<Map<SchedulingNode, int[]>> perNode = new ArrayList<>(k);
        List<Map<String, long[]>> perDomain = new ArrayList<>(k);
        double[] weights = new double[k];
        for (int c = 0; c < k; c++) {
            SpreadConstraint sc = cs.get(c);
            OwnerCounts owned = sc.owner() != null ? byOwner.getOrDefault(sc.owner(), OwnerCounts.NONE) : null;
            Map<SchedulingNode, int[]> counts = owned != null ? owned.perNode : countsPerNode(sc.selector(), Set.of(p.namespace), true);
            perNode.add(counts);
            if (sc.topologyKey().equals(HOSTNAME)) {
                perDomain.add(null);
                weights[c] = Math.log(scored + 2);
                continue;
            }
            Map<String, long[]> domains = new HashMap<>();
            for (int i = 0; i < m; i++) {
                String v = label(feasible.get(i), sc.topologyKey());
                if (!ignored[i] && v != null) {
                    domains.computeIfAbsent(v, x -> new long[1]);
                }
            }
            weights[c] = Math.log(domains.size() + 2);
            if (owned != null && sc.topologyKey().equals(ZONE) && p.nodeAffinity.isNone()) {
                perDomain.add(owned.perZone); // kept as pods come and go; only the feasible nodes' zones are looked up
                continue;
            }
            for (Map.Entry<SchedulingNode, int[]> e : counts.entrySet()) {
                SchedulingNode n = e.getKey();
                if (!n.live || (!systemDefault && !hasAllKeys(n, cs)) || !included(sc, p, n)) {
                    continue;
                }
                long[] d = domains.get(label(n, sc.topologyKey()));
                if (d != null) {
                    d[0] += e.getValue()[0];
                }
            }
            perDomain.add(domains);
        }
        long[] s = new long[m];
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < m; i++) {
            if (ignored[i]) {
                continue;
            }
            SchedulingNode n = feasible.get(i);
            double score = 0;
            for (int c = 0; c < k; c++) {
                SpreadConstraint sc = cs.get(c);
                String v = label(n, sc.topologyKey());
                if (v == null) {
                    continue;
                }
                long cnt;
                if (perDomain.get(c) == null) {
                    int[] x = perNode.get(c).get(n);
                    cnt = x == null ? 0 : x[0];
                } else {
                    long[] x = perDomain.get(c).get(v);
                    cnt = x == null ? 0 : x[0];
                }
                score += cnt * weights[c] + (sc.maxSkew() - 1);
            }
            s[i] = Math.round(score);
            min = Math.min(min, s[i]);
            max = Math.max(max, s[i]);
        }
        for (int i = 0; i < m; i++) {
            long v;
            if (ignored[i]) {
                v = 0;
            } else if (max == 0) {
                v = 100;
            } else {
                v = 100 * (max + min - s[i]) / max;
            }
            total[i] += 2 * v;
        }
    }

    private void interPodAffinityScore(PodRequirements p, List<SchedulingNode> feasible, long[] total) {
        if (p.preferredAffinity.isEmpty() && p.preferredAntiAffinity.isEmpty() && withAffinity.isEmpty()) {
            return;
        }
        Map<String, Map<String, long[]>> topology = new HashMap<>();
        for (AffinityTerm t : p.preferredAffinity) {
            addMatching(topology, t, t.weight());
        }
        for (AffinityTerm t : p.preferredAntiAffinity) {
            addMatching(topology, t, -t.weight());
        }
        for (PodRequirements q : withAffinity) {
            if (!q.node.live) {
                continue;
            }
            for (AffinityTerm t : q.preferredAffinity) {
                if (t.matches(p)) {
                    addAt(topology, t.topologyKey(), q.node, t.weight());
                }
            }
            for (AffinityTerm t : q.requiredAffinity) {
                if (t.matches(p)) {
                    addAt(topology, t.topologyKey(), q.node, 1); // hardPodAffinityWeight
                }
            }
            for (AffinityTerm t : q.preferredAntiAffinity) {
                if (t.matches(p)) {
                    addAt(topology, t.topologyKey(), q.node, -t.weight());
                }
            }
        }
        if (topology.isEmpty()) {
            return;
        }
        int m = feasible.size();
        long[] s = new long[m];
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int i = 0; i < m; i++) {
            SchedulingNode n = feasible.get(i);
            for (Map.Entry<String, Map<String, long[]>> e : topology.entrySet()) {
                String v = n.labels.get(e.getKey());
                long[] x = v == null ? null : e.getValue().get(v);
                s[i] += x == null ? 0 : x[0];
            }
            min = Math.min(min, s[i]);
            max = Math.max(max, s[i]);
        }
        long diff = max - min;
        for (int i = 0; i < m; i++) {
            total[i] += 2 * (diff > 0 ? (long) (100.0 * (s[i] - min) / diff) : 0);
        }
    }

    private void addMatching(Map<String, Map<String, long[]>> topology, AffinityTerm t, long weight) {
        for (PodRequirements q : candidates(t.selector(), t.namespaces())) {
            if (q.node.live && t.matches(q)) {
                addAt(topology, t.topologyKey(), q.node, weight);
            }
        }
    }

    private static void addAt(Map<String, Map<String, long[]>> topology, String key, SchedulingNode n, long weight) {
        String v = n.labels.get(key);
        if (v != null) {
            topology.computeIfAbsent(key, k -> new HashMap<>()).computeIfAbsent(v, k -> new long[1])[0] += weight;
        }
    }

    // ---- lookups ----

    private static String label(SchedulingNode n, String key) {
        if (key == ZONE || key == HOSTNAME) {
            return key == ZONE ? n.zone : n.hostname;
        }
        return ZONE.equals(key) ? n.zone : HOSTNAME.equals(key) ? n.hostname : n.labels.get(key);
    }

    private static boolean hasAllKeys(SchedulingNode n, List<SpreadConstraint> cs) {
        for (SpreadConstraint c : cs) {
            if (label(n, c.topologyKey()) == null) {
                return false;
            }
        }
        return true;
    }

    /** Whether a node's pods count for a constraint (nodeAffinityPolicy, nodeTaintsPolicy). */
    private static boolean included(SpreadConstraint c, PodRequirements p, SchedulingNode n) {
        if (c.honorNodeAffinity() && !p.nodeAffinity.isNone() && !p.nodeAffinity.requiredMatches(n.name, n.labels)) {
            return false;
        }
        return !c.honorTaints() || Taints.firstUntolerated(n.taints, p.tolerations) == null;
    }

    /** Bound pods that may match the selector in those namespaces (null: all), through the label index when it can. */
    private Collection<PodRequirements> candidates(LabelSelector selector, Set<String> namespaces) {
        if (selector.matchesNothing()) {
            return List.of();
        }
        String anchor = selector.anchor();
        Collection<String> nss = namespaces != null ? namespaces : byNamespace.keySet();
        if (nss.size() == 1) {
            String ns = nss.iterator().next();
            Set<PodRequirements> set = anchor != null ? byLabel.get(labelKey(ns, anchor)) : byNamespace.get(ns);
            return set == null ? List.of() : set;
        }
        List<PodRequirements> out = new ArrayList<>();
        for (String ns : nss) {
            Set<PodRequirements> set = anchor != null ? byLabel.get(labelKey(ns, anchor)) : byNamespace.get(ns);
            if (set != null) {
                out.addAll(set);
            }
        }
        return out;
    }

    /** How many bound pods matching the selector each node holds. */
    private Map<SchedulingNode, int[]> countsPerNode(LabelSelector selector, Set<String> namespaces, boolean skipTerminating) {
        Map<SchedulingNode, int[]> counts = new HashMap<>();
        for (PodRequirements q : candidates(selector, namespaces)) {
            if ((!skipTerminating || !q.terminating) && (namespaces == null || namespaces.contains(q.namespace)) && selector.matches(q.labels)) {
                counts.computeIfAbsent(q.node, k -> new int[1])[0]++;
            }
        }
        return counts;
    }

    /** How many pods (not terminating) of one owner each node and each zone holds: the default spreading's counts, kept as pods come and go. */
    private static final class OwnerCounts {
        static final OwnerCounts NONE = new OwnerCounts();
        final Map<SchedulingNode, int[]> perNode = new HashMap<>();
        final Map<String, long[]> perZone = new HashMap<>();
        int total;

        /** Adds {@code delta} pods on the node in the zone; true when the owner has none left. */
        boolean add(SchedulingNode n, String zone, int delta) {
            int[] c = perNode.computeIfAbsent(n, k -> new int[1]);
            c[0] += delta;
            if (c[0] <= 0) {
                perNode.remove(n);
            }
            if (zone != null) {
                long[] z = perZone.computeIfAbsent(zone, k -> new long[1]);
                z[0] += delta;
                if (z[0] <= 0) {
                    perZone.remove(zone);
                }
            }
            total += delta;
            return total <= 0;
        }
    }

    /** What PreFilter computes for one pod: spread counts per domain and inter-pod (anti-)affinity counts. */
    private final class Cycle {
        final PodRequirements pod;
        final SpreadFilter spread;
        final InterPodFilter interPod;

        Cycle(PodRequirements pod) {
            this.pod = pod;
            List<SpreadConstraint> hard = new ArrayList<>();
            for (SpreadConstraint c : pod.spread) {
                if (c.doNotSchedule()) {
                    hard.add(c);
                }
            }
            spread = hard.isEmpty() ? null : new SpreadFilter(pod, hard);
            interPod = !withRequiredAntiAffinity.isEmpty() || !pod.requiredAffinity.isEmpty() || !pod.requiredAntiAffinity.isEmpty() ? new InterPodFilter(pod) : null;
        }
    }

    /** PodTopologySpread's filter: pods matching each DoNotSchedule constraint per domain, and the least loaded domain. */
    private final class SpreadFilter {
        final List<SpreadConstraint> constraints;
        final List<Map<String, long[]>> domains = new ArrayList<>();
        final long[] min;
        final int[] self;

        SpreadFilter(PodRequirements p, List<SpreadConstraint> cs) {
            constraints = cs;
            min = new long[cs.size()];
            self = new int[cs.size()];
            for (int c = 0; c < cs.size(); c++) {
                SpreadConstraint sc = cs.get(c);
                self[c] = sc.selector().matches(p.labels) ? 1 : 0;
                Map<SchedulingNode, int[]> counts = countsPerNode(sc.selector(), Set.of(p.namespace), true);
                Map<String, long[]> d = new HashMap<>();
                for (SchedulingNode n : nodes) {
                    if (!hasAllKeys(n, cs) || !included(sc, p, n)) {
                        continue;
                    }
                    int[] x = counts.get(n);
                    d.computeIfAbsent(label(n, sc.topologyKey()), k -> new long[1])[0] += x == null ? 0 : x[0];
                }
                long least = Integer.MAX_VALUE;
                for (long[] v : d.values()) {
                    least = Math.min(least, v[0]);
                }
                if (sc.minDomains() != null && d.size() < sc.minDomains()) {
                    least = 0;
                }
                min[c] = least;
                domains.add(d);
            }
        }

        FitError.Status filter(SchedulingNode n) {
            for (int c = 0; c < constraints.size(); c++) {
                SpreadConstraint sc = constraints.get(c);
                String v = label(n, sc.topologyKey());
                if (v == null) {
                    return SPREAD_LABEL;
                }
                long[] x = domains.get(c).get(v);
                long skew = (x == null ? 0 : x[0]) + self[c] - min[c];
                if (skew > sc.maxSkew()) {
                    return SPREAD;
                }
            }
            return null;
        }
    }

    /** InterPodAffinity's filter: matching pods per topology domain for the pod's terms, and existing pods' anti-affinity against it. */
    private final class InterPodFilter {
        final PodRequirements pod;
        final Map<String, Map<String, int[]>> existingAnti = new HashMap<>();
        final Map<String, Map<String, int[]>> affinity = new HashMap<>();
        final Map<String, Map<String, int[]>> anti = new HashMap<>();
        final boolean selfMatch;

        InterPodFilter(PodRequirements p) {
            pod = p;
            for (PodRequirements q : withRequiredAntiAffinity) {
                if (!q.node.live) {
                    continue;
                }
                for (AffinityTerm t : q.requiredAntiAffinity) {
                    if (t.matches(p)) {
                        count(existingAnti, t.topologyKey(), q.node);
                    }
                }
            }
            if (!p.requiredAffinity.isEmpty()) {
                AffinityTerm first = p.requiredAffinity.get(0);
                for (PodRequirements q : candidates(first.selector(), first.namespaces())) {
                    if (q.node.live && matchesAll(p.requiredAffinity, q)) {
                        for (AffinityTerm t : p.requiredAffinity) {
                            count(affinity, t.topologyKey(), q.node);
                        }
                    }
                }
            }
            for (AffinityTerm t : p.requiredAntiAffinity) {
                for (PodRequirements q : candidates(t.selector(), t.namespaces())) {
                    if (q.node.live && t.matches(q)) {
                        count(anti, t.topologyKey(), q.node);
                    }
                }
            }
            selfMatch = matchesAll(p.requiredAffinity, p);
        }

        private static boolean matchesAll(List<AffinityTerm> terms, PodRequirements q) {
            for (AffinityTerm t : terms) {
                if (!t.matches(q)) {
                    return false;
                }
            }
            return true;
        }

        private static void count(Map<String, Map<String, int[]>> counts, String key, SchedulingNode n) {
            String v = n.labels.get(key);
            if (v != null) {
                counts.computeIfAbsent(key, k -> new HashMap<>()).computeIfAbsent(v, k -> new int[1])[0]++;
            }
        }

        private static int get(Map<String, Map<String, int[]>> counts, String key, String value) {
            Map<String, int[]> m = counts.get(key);
            int[] x = m == null ? null : m.get(value);
            return x == null ? 0 : x[0];
        }

        FitError.Status filter(SchedulingNode n) {
            if (!pod.requiredAffinity.isEmpty()) {
                boolean podsExist = true;
                for (AffinityTerm t : pod.requiredAffinity) {
                    String v = n.labels.get(t.topologyKey());
                    if (v == null) {
                        return AFFINITY;
                    }
                    if (get(affinity, t.topologyKey(), v) <= 0) {
                        podsExist = false;
                    }
                }
                if (!podsExist && !(affinity.isEmpty() && selfMatch)) {
                    return AFFINITY;
                }
            }
            for (AffinityTerm t : pod.requiredAntiAffinity) {
                String v = n.labels.get(t.topologyKey());
                if (v != null && get(anti, t.topologyKey(), v) > 0) {
                    return ANTI_AFFINITY;
                }
            }
            for (Map.Entry<String, Map<String, int[]>> e : existingAnti.entrySet()) {
                String v = n.labels.get(e.getKey());
                int[] x = v == null ? null : e.getValue().get(v);
                if (x != null && x[0] > 0) {
                    return EXISTING_ANTI_AFFINITY;
                }
            }
            return null;
        }
    }

    /** How many pods the cache holds as bound (for tests and figures). */
    synchronized int boundPods() {
        return bound.size();
    }
}
