/**
 * Stockflow's benchmarks: the JMH suite ({@code io.stockflow.perf.jmh}), the latency,
 * throughput, affinity and pretouch harnesses ({@code io.stockflow.perf.harness}), their
 * reports ({@code io.stockflow.perf.report}) and the {@code bench} command line
 * ({@link io.stockflow.perf.BenchMain}).
 *
 * <p>Every figure is printed beside a baseline measured in the same run, on the same
 * machine, with the same bytes: a bare Disruptor pipeline with the engine's stage topology
 * and wait strategies doing no work, and raw Chronicle Queue appending and reading the
 * same payloads. Every run checks its own result (counts, and the engine's state hash
 * against a replay of its journal) before it prints a number.
 */
package io.stockflow.perf;
