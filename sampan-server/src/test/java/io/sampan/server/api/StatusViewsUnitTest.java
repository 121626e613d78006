package io.sampan.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class StatusViewsUnitTest {
    static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");
    final StatusViews views = new StatusViews(JsonMapper.builder().build());
    final AtomicInteger builds = new AtomicInteger();

    StatusViews.Built build(String what, Instant until) {
        builds.incrementAndGet();
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("app", "shop");
        status.put("shows", what);
        return new StatusViews.Built(status, until);
    }

    String get(Object from, Instant now, String what) {
        return new String(views.get("app-1/env-1", from, now, () -> build(what, T0.plusSeconds(60))), StandardCharsets.UTF_8);
    }

    @Test
    void keptWhileMadeFromTheSameAndBeforeItsAgesChange() {
        Object from = List.of("release-1", 3L, "mirror@7");
        assertThat(get(from, T0, "first")).isEqualTo("{\"app\":\"shop\",\"shows\":\"first\"}");
        assertThat(get(List.of("release-1", 3L, "mirror@7"), T0.plusSeconds(59), "second")).as("an equal key, before the ages change")
                .contains("first");
        assertThat(builds).hasValue(1);
        assertThat(get(from, T0.plusSeconds(60), "third")).as("when the ages change").contains("third");
        assertThat(get(List.of("release-1", 3L, "mirror@8"), T0.plusSeconds(61), "fourth")).as("the mirror moved").contains("fourth");
        assertThat(get(List.of("release-1", 4L, "mirror@8"), T0.plusSeconds(61), "fifth")).as("the release moved").contains("fifth");
        assertThat(builds).hasValue(4);
    }

    @Test
    void withoutAKeyAlwaysBuiltAndNeverKept() {
        assertThat(get(null, T0, "first")).contains("first");
        assertThat(get(null, T0, "second")).contains("second");
        assertThat(views.size()).isZero();
    }
}
