package io.stockflow.engine.shadow;

/**
 * What the engine does when the shadow state's hash differs from the live state's
 * at a checkpoint: the rules are a deterministic state machine, so a difference
 * means the live state is no longer what a replay of the journal gives (a bug, a
 * nondeterminism, memory corruption), and a recovery would not restore it.
 */
public enum DivergencePolicy
{
    /** Count it, commit a JFR event and log once; the engine goes on. The default. */
    ALARM,
    /** As ALARM, then halt the engine fail-stop: every later publish is refused. */
    HALT
}
