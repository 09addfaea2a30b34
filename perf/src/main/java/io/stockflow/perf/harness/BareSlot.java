package io.stockflow.perf.harness;

import io.stockflow.engine.command.CommandCodec;

/**
 * A slot of the bare pipeline: the same payload buffer as the engine's slot, plus the
 * planned time the latency baseline measures from. Fields are written by the one
 * publisher and read by the stages after the Disruptor's sequence hand-off.
 */
public final class BareSlot
{
    /** When this event was planned to be sent, System.nanoTime(). */
    public long plannedNs;
    /** The encoded command, as the engine's slot holds it. */
    public final byte[] payload = new byte[CommandCodec.MAX_ENCODED_LENGTH];
    /** Valid payload bytes. */
    public int payloadLength;
}
