package io.stockflow.engine.pipeline;

/**
 * The publisher's write access to a slot's command fields, kept in the pipeline
 * package so the fields themselves stay package-private.
 */
public final class SlotWriter
{
    private SlotWriter()
    {
    }

    /**
     * Fills the command part of a claimed slot (payload already encoded).
     *
     * @param slot          the claimed slot.
     * @param sequence      the engine sequence stamped by the publisher.
     * @param eventTimeMs   the clamped event time.
     * @param commandType   the command type code.
     * @param payloadLength the encoded length.
     * @param publishNs  System.nanoTime() at publish, for latency probes.
     */
    public static void command(
        final CommandSlot slot,
        final long sequence,
        final long eventTimeMs,
        final int commandType,
        final int payloadLength,
        final long publishNs)
    {
        slot.kind = CommandSlot.KIND_COMMAND;
        slot.sequence = sequence;
        slot.eventTimeMs = eventTimeMs;
        slot.commandType = commandType;
        slot.payloadLength = payloadLength;
        slot.publishNs = publishNs;
        slot.query = null;
    }

    /**
     * Fills a claimed slot with a state query.
     *
     * @param slot  the claimed slot.
     * @param query the query to run on the logic stage.
     */
    public static void query(final CommandSlot slot, final StateQueryTask<?> query)
    {
        slot.kind = CommandSlot.KIND_QUERY;
        slot.sequence = 0;
        slot.payloadLength = 0;
        slot.query = query;
        slot.publishNs = System.nanoTime();
    }
}
