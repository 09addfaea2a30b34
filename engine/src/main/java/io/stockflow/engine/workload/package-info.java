/**
 * The demo's and the benchmarks' traffic: a seeded, realistic order-flow generator
 * ({@link io.stockflow.engine.workload.WorkloadGenerator}), the command it fills
 * ({@link io.stockflow.engine.workload.GeneratedCommand}), the constant-rate
 * {@link io.stockflow.engine.workload.Pacer} both send with, and the JIT's time
 * ({@link io.stockflow.engine.workload.JitTime}) both read around a measured window.
 *
 * <p>Not part of the embedding API. It stays in the engine jar rather than a module of
 * its own because three modules use it (the demo in {@code replay-tool}, the benchmarks in
 * {@code perf}, the engine's own tests) and all three already depend on the engine; a
 * fourth artifact would add a module to the reactor for some 700 lines that an embedding
 * service loads only if it calls them.
 */
package io.stockflow.engine.workload;
