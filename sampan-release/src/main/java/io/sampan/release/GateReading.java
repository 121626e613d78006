package io.sampan.release;

/** What a gate's probe read: a Prometheus value over some samples, no data, a webhook's answer, or an error. */
public sealed interface GateReading {
    record Value(double value, int samples) implements GateReading {
    }

    record NoData(String why) implements GateReading {
    }

    /** A webhook answered 2xx. */
    record Passed(String detail) implements GateReading {
    }

    /** A webhook answered something else. */
    record Refused(String detail) implements GateReading {
    }

    record Error(String why) implements GateReading {
    }
}
