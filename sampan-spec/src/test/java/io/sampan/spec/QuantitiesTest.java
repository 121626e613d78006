package io.sampan.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** CPU and memory amounts and durations: parsing, canonical Kubernetes form, division by an overcommit ratio. */
class QuantitiesTest {

    @ParameterizedTest(name = "{0} = {1}m -> {2}")
    @CsvSource({
        "2, 2000, 2",
        "0.5, 500, 500m",
        "1.5, 1500, 1500m",
        "0.001, 1, 1m",
        "250m, 250, 250m",
        "1000m, 1000, 1",
        "' 4 ', 4000, 4",
        "256, 256000, 256",
        "0, 0, 0"})
    void cpuAmounts(String text, long millis, String canonical) {
        Cpu cpu = Cpu.parse(text).orElseThrow();
        assertThat(cpu.millis()).isEqualTo(millis);
        assertThat(cpu.toKubernetes()).isEqualTo(canonical).isEqualTo(cpu.toString());
        assertThat(Cpu.parse(canonical)).contains(cpu); // round trip
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "two", "-1", "1.2345", "0.0005", "1e3", "2 cores", "m", "1.5m", "2c", "1234567"})
    void notCpuAmounts(String text) {
        assertThat(Cpu.parse(text)).isEmpty();
        assertThat(Cpu.parse(null)).isEmpty();
    }

    @Test
    void cpuDividedByARatioRoundsUpToAWholeMillicore() {
        assertThat(Cpu.parse("2").orElseThrow().dividedBy(4).toKubernetes()).isEqualTo("500m");
        assertThat(Cpu.parse("1").orElseThrow().dividedBy(3).toKubernetes()).isEqualTo("334m");
        assertThat(Cpu.parse("1").orElseThrow().dividedBy(1).toKubernetes()).isEqualTo("1");
        assertThat(Cpu.ofMillis(1).dividedBy(10).millis()).isEqualTo(1);
        assertThat(Cpu.parse("0.3").orElseThrow().dividedBy(1.5).toKubernetes()).isEqualTo("200m");
    }

    @Test
    void cpuWholeCoresRoundUpAndAreAtLeastOne() {
        assertThat(Cpu.ofMillis(1500).wholeCores()).isEqualTo(2);
        assertThat(Cpu.ofMillis(2000).wholeCores()).isEqualTo(2);
        assertThat(Cpu.ofMillis(100).wholeCores()).isEqualTo(1);
        assertThat(Cpu.ofMillis(2001).wholeCores()).isEqualTo(3);
        assertThat(Cpu.ofMillis(500).compareTo(Cpu.ofMillis(600))).isNegative();
        assertThatThrownBy(() -> Cpu.ofMillis(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "{0} = {1} bytes -> {2}")
    @CsvSource({
        "512Mi, 536870912, 512Mi",
        "2Gi, 2147483648, 2Gi",
        "1.5Gi, 1610612736, 1536Mi",
        "0.5Mi, 524288, 512Ki",
        "1Ti, 1099511627776, 1Ti",
        "1Pi, 1125899906842624, 1024Ti",
        "64Ki, 65536, 64Ki",
        "1024, 1024, 1Ki",
        "100, 100, 100",
        "1G, 1000000000, 1000000000",
        "1k, 1000, 1000",
        "1K, 1000, 1000",
        "2M, 2000000, 2000000",
        "1T, 1000000000000, 976562500Ki",
        "0.5, 0.5, 1",
        "0, 0, 0"})
    void memoryAmounts(String text, String bytes, String canonical) {
        Memory memory = Memory.parse(text).orElseThrow();
        assertThat(memory.bytes()).isEqualTo(new java.math.BigDecimal(bytes).setScale(0, java.math.RoundingMode.CEILING).longValue());
        assertThat(memory.toKubernetes()).isEqualTo(canonical).isEqualTo(memory.toString());
        assertThat(Memory.parse(canonical)).contains(memory); // round trip
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "2GB", "2 Gi", "-1Mi", "1e9", "Mi", "2gi", "2mi", "1.2.3Gi", "2Ei"})
    void notMemoryAmounts(String text) {
        assertThat(Memory.parse(text)).isEmpty();
        assertThat(Memory.parse(null)).isEmpty();
    }

    @Test
    void memoryDividedByARatioRoundsUpToAWholeMebibyte() {
        assertThat(Memory.parse("2Gi").orElseThrow().dividedBy(2).toKubernetes()).isEqualTo("1Gi");
        assertThat(Memory.parse("1000Mi").orElseThrow().dividedBy(3).toKubernetes()).isEqualTo("334Mi");
        assertThat(Memory.parse("1Gi").orElseThrow().dividedBy(1.5).toKubernetes()).isEqualTo("683Mi");
        Memory odd = Memory.parse("1G").orElseThrow();
        assertThat(odd.dividedBy(1.0)).isSameAs(odd); // ratio 1 keeps the amount as written
        assertThat(Memory.parse("1Mi").orElseThrow().dividedBy(100).toKubernetes()).isEqualTo("1Mi");
        assertThat(Memory.ofMebibytes(1536).mebibytes()).isEqualTo(1536);
        assertThat(Memory.ofMebibytes(1).compareTo(Memory.ofMebibytes(2))).isNegative();
        assertThatThrownBy(() -> new Memory(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "{0} = {1}s")
    @CsvSource({"30s, 30", "5m, 300", "1h30m, 5400", "2h, 7200", "90s, 90", "1h1s, 3601", "1m30s, 90", "' 5m ', 300", "0s, 0", "100000s, 100000"})
    void durations(String text, long seconds) {
        assertThat(DurationText.parse(text)).contains(Duration.ofSeconds(seconds));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "5", "m", "5 m", "1d", "30m1h", "1.5h", "-5m", "5min", "PT5M"})
    void notDurations(String text) {
        assertThat(DurationText.parse(text)).isEmpty();
        assertThat(DurationText.parse(null)).isEmpty();
    }
}
