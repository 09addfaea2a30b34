package io.stockflow.engine;

/**
 * The engine's life cycle: {@code STARTING} (recover, then every stage running)
 * → {@code RUNNING} → {@code DRAINING} (ingress closed, stages reach the cursor)
 * → {@code STOPPED}. {@code HALTED} is the fail-stop state after a journal I/O
 * failure or (with {@link LogicFailurePolicy#HALT}) an exception from the rules.
 */
public enum EngineLifecycle
{
    NEW,
    STARTING,
    RUNNING,
    DRAINING,
    STOPPED,
    HALTED;

    /** @return true when the engine takes no more commands. */
    public boolean isClosedForInput()
    {
        return this != RUNNING;
    }
}
