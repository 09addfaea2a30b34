package io.stockflow.perf.harness;

/**
 * One of a long run's ten samples, taken when a tenth of its commands have all been
 * released, with the publisher stopped.
 *
 * @param events           commands published and released so far.
 * @param eventTimeMs      the last command's event time ({@code ts}), epoch ms.
 * @param heapAfterGcBytes live heap right after a full collection.
 * @param rssBytes         the process's resident set size; -1 where there is none.
 * @param heldOrders       orders the engine holds (counter ORDERS).
 * @param ordersForgotten  orders forgotten so far (counter ORDERS_FORGOTTEN).
 * @param snapshotBytes    size of the newest snapshot; 0 before the first.
 * @param journalBytes     the journal directory's bytes on disk.
 * @param engineDirectoryBytes the whole engine directory's bytes on disk (journal, snapshots, counters).
 * @param archivedCycles   cycle files the engine's archiver has moved or deleted so far.
 * @param archiveBytes     the archive directory's bytes on disk; 0 without one.
 * @param shadowLagEvents  how far the shadow state (snapshots are taken from it) was behind when all was released.
 * @param eps              commands per second over this tenth, publish to release.
 */
public record LongRunSample(
    long events,
    long eventTimeMs,
    long heapAfterGcBytes,
    long rssBytes,
    long heldOrders,
    long ordersForgotten,
    long snapshotBytes,
    long journalBytes,
    long engineDirectoryBytes,
    long archivedCycles,
    long archiveBytes,
    long shadowLagEvents,
    double eps)
{}
