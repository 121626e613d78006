package io.sampan.server.e2e;

import io.sampan.server.deploy.MutableClock;
import java.time.Duration;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/** The server's clock for a test that imports it: the wall clock, which the test may move ahead. */
@TestConfiguration
class TickingServerClock {
    @Bean
    @Primary
    MutableClock serverClock() {
        return MutableClock.ticking(Duration.ZERO);
    }
}
