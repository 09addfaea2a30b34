package io.stockflow.engine;

import io.stockflow.engine.command.CommandCodec;
import io.stockflow.engine.command.CommandFields;
import io.stockflow.engine.command.CommandType;
import io.stockflow.engine.command.CommandView;
import io.stockflow.engine.command.MalformedCommandException;
import io.stockflow.journal.JournalAppender;
import io.stockflow.journal.JournalReader;
import io.stockflow.journal.JournalRecord;

/**
 * The journal's parameters record (docs/DOMAIN.md "Rule parameters"): the first record of
 * a new directory's journal, holding the rule parameters the journal is written under. It
 * takes no command sequence (the journal's header record, sequence 0,
 * {@link JournalAppender#appendHeaderRecord}); its payload is a RULES command that gives
 * all three parameters, so every reader of commands can decode it. A journal without one
 * (written before parameters existed) replays under 0, 0, 0.
 */
public final class ParametersRecord
{
    /** The journal record type of the parameters record; command records use their type code (1 to 8). */
    public static final int RECORD_TYPE = 0x100;

    private ParametersRecord()
    {
    }

    /**
     * Writes the parameters record as a new journal's first record.
     *
     * @param appender      the journal's appender; the journal must be empty.
     * @param retentionMs   the retention.
     * @param orderCapacity the order capacity.
     * @param skuCapacity   the SKU capacity.
     */
    public static void write(
        final JournalAppender appender, final long retentionMs, final long orderCapacity, final long skuCapacity)
    {
        final byte[] payload = new byte[CommandCodec.MAX_ENCODED_LENGTH];
        final int length = CommandCodec.encodeRules(payload, 0, CommandFields.ALL_RULE_FIELDS, retentionMs,
            orderCapacity, skuCapacity);
        appender.appendHeaderRecord(0, RECORD_TYPE, CommandCodec.SCHEMA_VERSION, payload, 0, length);
    }

    /**
     * @param record a record read from a journal.
     * @return true if it is a parameters record (sequence 0, {@link #RECORD_TYPE}).
     */
    public static boolean is(final JournalRecord record)
    {
        return record.sequence() == 0 && record.type() == RECORD_TYPE;
    }

    /**
     * Where the commands a reader reaches begin, past the parameters record: the oldest record's
     * sequence ({@link JournalReader#firstSequence}) is 0 whenever the parameters record is there,
     * even when the cycle files holding the first commands were removed and the next command
     * present is far past sequence 1.
     *
     * @param fresh a reader not yet read from; this reads it.
     * @return the sequence of the first command it reaches, or 0 if it reaches none.
     */
    public static long firstCommandSequence(final JournalReader fresh)
    {
        final JournalRecord record = new JournalRecord();
        while (fresh.readNext(record))
        {
            if (!is(record))
            {
                return record.sequence();
            }
        }
        return 0;
    }

    /**
     * Decodes a parameters record.
     *
     * @param record a record for which {@link #is} holds.
     * @param view   wrapped over its payload, a RULES command giving all three parameters.
     * @return {@code view}.
     * @throws MalformedCommandException if the payload is not such a RULES command.
     */
    public static CommandView decode(final JournalRecord record, final CommandView view)
    {
        view.wrap(record.payload(), 0, record.payloadLength());
        if (view.type() != CommandType.RULES || view.ruleFields() != CommandFields.ALL_RULE_FIELDS)
        {
            throw new MalformedCommandException("parameters record holds " + view);
        }
        return view;
    }
}
