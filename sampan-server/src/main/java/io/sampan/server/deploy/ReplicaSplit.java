package io.sampan.server.deploy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Splits an app's instances over an environment's clusters by weight (largest remainder), so
 * {@code replicas: 5} on clusters weighted 2:1 runs 3 and 2 (never fewer than one where the weight
 * is above zero and there are instances enough).
 */
final class ReplicaSplit {
    private ReplicaSplit() {
    }

    static List<Integer> split(int total, List<Integer> weights) {
        int sum = weights.stream().mapToInt(Integer::intValue).sum();
        List<Integer> out = new ArrayList<>();
        if (sum == 0) {
            weights.forEach(w -> out.add(0));
            return out;
        }
        List<double[]> remainders = new ArrayList<>();
        int assigned = 0;
        for (int i = 0; i < weights.size(); i++) {
            double exact = (double) total * weights.get(i) / sum;
            int floor = (int) Math.floor(exact);
            out.add(floor);
            assigned += floor;
            remainders.add(new double[] {exact - floor, i});
        }
        remainders.sort(Comparator.comparingDouble((double[] r) -> -r[0]).thenComparingDouble(r -> r[1]));
        for (int k = 0; k < total - assigned; k++) {
            int i = (int) remainders.get(k)[1];
            out.set(i, out.get(i) + 1);
        }
        return out;
    }
}
