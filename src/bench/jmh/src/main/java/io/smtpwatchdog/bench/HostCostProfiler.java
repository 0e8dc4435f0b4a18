package io.smtpwatchdog.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * Two figures per operation that a loaded machine disturbs less than wall time, measured in the benchmark JVM:
 *
 * <ul>
 *   <li>{@code cpu.time.norm}: the whole process's CPU time per operation, so the agent's own threads (reaper, JMX
 *       registrar) count too. Time spent waiting for a core, which on a shared machine dwarfs the agent's cost, does
 *       not.</li>
 *   <li>{@code alloc.worker.norm}: bytes allocated per operation by the benchmark's own threads only, the host thread
 *       whose connect or read the agent's hook runs in. {@code gc.alloc.rate.norm} of {@code -prof gc} counts every
 *       thread of the JVM, the agent's background threads included.</li>
 *   <li>{@code cpu.worker.norm}: CPU time per operation of the benchmark's own threads only, where the agent's hooks
 *       run: neither the agent's background threads, the JIT nor the collector count, nor time spent waiting for a
 *       core. The steadiest of the figures for a hook's cost.</li>
 *   <li>{@code cpu.agent.norm}: CPU time per operation of the agent's own threads (named {@code smtp-watchdog-*}):
 *       work the agent does off the host's thread, which wall time on a second core would not show.</li>
 * </ul>
 */
public final class HostCostProfiler implements InternalProfiler {
    private static final String WORKER = "-jmh-worker-";
    private static final String AGENT = "smtp-watchdog-";

    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private long cpuBefore;
    private Map<Long, Long> workerBytesBefore = new HashMap<>();
    private Map<Long, Long> agentCpuBefore = new HashMap<>();
    private Map<Long, Long> workerCpuBefore = new HashMap<>();

    @Override
    public String getDescription() {
        return "process CPU time and benchmark-thread allocation per operation";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        workerBytesBefore = workerBytes();
        agentCpuBefore = agentCpu();
        workerCpuBefore = workerCpu();
        cpuBefore = os.getProcessCpuTime();
    }

    @Override
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams,
                                                       IterationParams iterationParams, IterationResult result) {
        long cpu = os.getProcessCpuTime() - cpuBefore;
        long bytes = 0;
        for (Map.Entry<Long, Long> e : workerBytes().entrySet()) {
            bytes += e.getValue() - workerBytesBefore.getOrDefault(e.getKey(), 0L);
        }
        long agentCpu = 0;
        for (Map.Entry<Long, Long> e : agentCpu().entrySet()) {
            agentCpu += e.getValue() - agentCpuBefore.getOrDefault(e.getKey(), 0L);
        }
        long workerCpu = 0;
        for (Map.Entry<Long, Long> e : workerCpu().entrySet()) {
            workerCpu += e.getValue() - workerCpuBefore.getOrDefault(e.getKey(), 0L);
        }
        long ops = Math.max(1, result.getMetadata().getAllOps());
        List<Result> out = new ArrayList<>();
        out.add(new ScalarResult("cpu.time.norm", (double) cpu / ops, "ns/op", AggregationPolicy.AVG));
        out.add(new ScalarResult("cpu.worker.norm", (double) workerCpu / ops, "ns/op", AggregationPolicy.AVG));
        out.add(new ScalarResult("cpu.agent.norm", (double) agentCpu / ops, "ns/op", AggregationPolicy.AVG));
        out.add(new ScalarResult("alloc.worker.norm", (double) bytes / ops, "B/op", AggregationPolicy.AVG));
        return out;
    }

    /** Bytes allocated so far by each live benchmark thread, by thread id. */
    private Map<Long, Long> workerBytes() {
        Map<Long, Long> out = new HashMap<>();
        for (ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (t != null && t.getThreadName().contains(WORKER)) {
                long b = threads.getThreadAllocatedBytes(t.getThreadId());
                if (b >= 0) {
                    out.put(t.getThreadId(), b);
                }
            }
        }
        return out;
    }

    /** CPU time so far of each live agent thread, by thread id; empty without the agent. */
    private Map<Long, Long> agentCpu() {
        return cpuOf(AGENT, true);
    }

    /** CPU time so far of each live benchmark thread, by thread id. */
    private Map<Long, Long> workerCpu() {
        return cpuOf(WORKER, false);
    }

    private Map<Long, Long> cpuOf(String name, boolean prefix) {
        Map<Long, Long> out = new HashMap<>();
        for (ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (t != null && (prefix ? t.getThreadName().startsWith(name) : t.getThreadName().contains(name))) {
                long ns = threads.getThreadCpuTime(t.getThreadId());
                if (ns >= 0) {
                    out.put(t.getThreadId(), ns);
                }
            }
        }
        return out;
    }
}
