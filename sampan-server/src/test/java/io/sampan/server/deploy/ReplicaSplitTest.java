package io.sampan.server.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReplicaSplitTest {
    @Test
    void instancesFollowTheWeightsAndAddUpToTheTotal() {
        assertThat(ReplicaSplit.split(3, List.of(2, 1))).containsExactly(2, 1);
        assertThat(ReplicaSplit.split(5, List.of(1, 1))).containsExactly(3, 2);
        assertThat(ReplicaSplit.split(10, List.of(1, 1, 1))).containsExactly(4, 3, 3);
        assertThat(ReplicaSplit.split(1, List.of(1, 1))).containsExactly(1, 0);
        assertThat(ReplicaSplit.split(6, List.of(0, 1))).containsExactly(0, 6);
        assertThat(ReplicaSplit.split(4, List.of(0, 0))).containsExactly(0, 0);
        for (int total = 0; total < 50; total++) {
            assertThat(ReplicaSplit.split(total, List.of(3, 2, 7)).stream().mapToInt(Integer::intValue).sum()).isEqualTo(total);
        }
    }
}
