/**
 * JDK Flight Recorder events for the engine's rare, important moments: recovery,
 * snapshots, divergences of the live state from the shadow state, halts, free
 * space on the journal's file system falling below the warning level and
 * back-pressure episodes. Never one per command: the hot path
 * stays free of them. Record with {@code -XX:StartFlightRecording} and look under
 * the "Stockflow" category.
 */
package io.stockflow.engine.jfr;
