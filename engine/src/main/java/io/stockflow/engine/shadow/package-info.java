/**
 * The shadow state: a second instance of the rules, on the snapshot thread, that
 * applies the journal's committed records and is the only source of the engine's
 * snapshots, so the live logic stage is never held for one.
 *
 * <pre>
 *  logic stage ── every N-th sequence: (sequence, stateHash) ──► StateCheckpoints
 *                                                                     │ compare
 *  journal (committed records) ──► JournalReplayer.follow ──► shadow rules ──► snapshots
 * </pre>
 *
 * <p>{@link io.stockflow.engine.shadow.ShadowSnapshots} runs it and writes the
 * snapshots; {@link io.stockflow.engine.shadow.StateCheckpoints} is the lock-free
 * hand-off of the live hashes; {@link io.stockflow.engine.shadow.DivergencePolicy}
 * says what a difference does.
 */
package io.stockflow.engine.shadow;
