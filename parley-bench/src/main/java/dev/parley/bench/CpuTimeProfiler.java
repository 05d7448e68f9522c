package dev.parley.bench;

import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * CPU time per operation ({@code cpu.time.norm}, ns/op): the benchmark JVM's process CPU time over an iteration —
 * the benchmark thread, and the GC and JIT threads working for it — divided by the operations it completed.
 *
 * <p>Why: on a shared machine other tenants take the CPU away for stretches, so ops/s of two benchmarks run a
 * minute apart can differ by more than the effect measured. CPU time counts only while the benchmark actually
 * runs, so its ratio between two benchmarks holds under load where the ops/s ratio does not. Use with
 * {@code -prof dev.parley.bench.CpuTimeProfiler} and one benchmark thread.
 */
public final class CpuTimeProfiler implements InternalProfiler {
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private long startNanos;

    @Override
    public String getDescription() {
        return "process CPU time per operation (ns/op), robust to other load on the machine";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        startNanos = os.getProcessCpuTime();
    }

    @Override
    public Collection<? extends Result<?>> afterIteration(BenchmarkParams benchmarkParams,
            IterationParams iterationParams, IterationResult result) {
        long cpuNanos = os.getProcessCpuTime() - startNanos;
        // all ops, not only the measured ones: the CPU time spans the whole iteration, synchronisation included
        long ops = result.getMetadata().getAllOps();
        if (ops <= 0 || cpuNanos < 0) {
            return List.of();
        }
        return List.of(new ScalarResult("cpu.time.norm", (double) cpuNanos / ops, "ns/op", AggregationPolicy.AVG));
    }
}
