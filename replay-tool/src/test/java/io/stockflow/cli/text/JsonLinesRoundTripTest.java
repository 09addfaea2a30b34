package io.stockflow.cli.text;

import io.stockflow.engine.command.CommandCodec;
import io.stockflow.engine.command.CommandType;
import io.stockflow.engine.command.CommandView;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random commands, out-of-rule and extreme values included, written in the dump form,
 * read back and encoded again give the same binary command: what makes
 * {@code dump | run} rebuild the same state.
 */
class JsonLinesRoundTripTest
{
    private static final long SEED = 0xD0_4D_B1_7EL;
    private static final int COMMANDS = 20_000;
    private static final long[] EXTREMES = {0, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE, 1_000_000_000_000L, 604_800_000L};

    @Test
    void randomCommandsShouldSurviveDumpThenReadThenEncode() throws Exception
    {
        final SplittableRandom random = new SplittableRandom(SEED);
        final byte[][] originals = new byte[COMMANDS][];
        final long[] eventTimes = new long[COMMANDS];
        final ByteArrayOutputStream dump = new ByteArrayOutputStream();
        final JsonLinesWriter writer = new JsonLinesWriter(dump);
        final byte[] buffer = new byte[CommandCodec.MAX_ENCODED_LENGTH];
        final CommandView view = new CommandView();

        for (int i = 0; i < COMMANDS; i++)
        {
            final int length = encodeRandom(random, buffer);
            originals[i] = Arrays.copyOf(buffer, length);
            eventTimes[i] = Math.floorMod(value(random), io.stockflow.engine.rules.RuleParameters.MAX_TIME_MS + 1);
            writer.writeCommand(eventTimes[i], view.wrap(buffer, 0, length));
        }

        final JsonLinesCommandReader reader = new JsonLinesCommandReader(new ByteArrayInputStream(dump.toByteArray()));
        final ParsedCommand command = new ParsedCommand();
        for (int i = 0; i < COMMANDS; i++)
        {
            assertTrue(reader.next(command), "command " + i);
            assertTrue(command.hasTs());
            assertEquals(eventTimes[i], command.ts());
            final int length = command.encode(buffer, 0);
            assertArrayEquals(originals[i], Arrays.copyOf(buffer, length), "command " + i + ": " + command);
            assertEquals(view.wrap(originals[i], 0, originals[i].length).toString(),
                new CommandView().wrap(buffer, 0, length).toString());
        }
        assertFalse(reader.next(command));
    }

    private static int encodeRandom(final SplittableRandom random, final byte[] buffer)
    {
        final CommandType type = CommandType.values()[random.nextInt(CommandType.values().length)];
        switch (type)
        {
            case RESTOCK:
                return CommandCodec.encodeRestock(buffer, 0, value(random), value(random));
            case ADJUST:
                return CommandCodec.encodeAdjust(buffer, 0, value(random), value(random));
            case PLACE:
                final int lineCount = random.nextInt(CommandCodec.MAX_ENCODED_LINES + 1);
                final int length = CommandCodec.encodePlaceHeader(
                    buffer, 0, value(random), value(random), value(random), lineCount);
                for (int i = 0; i < lineCount; i++)
                {
                    CommandCodec.encodePlaceLine(buffer, 0, i, value(random), value(random), value(random));
                }
                return length;
            case RULES:
                return CommandCodec.encodeRules(buffer, 0, random.nextInt(8), value(random), value(random),
                    value(random));
            default:
                return CommandCodec.encodeOrderCommand(buffer, 0, type, value(random));
        }
    }

    private static long value(final SplittableRandom random)
    {
        switch (random.nextInt(3))
        {
            case 0:
                return EXTREMES[random.nextInt(EXTREMES.length)];
            case 1:
                return random.nextLong(-1000, 1_000_000);
            default:
                return random.nextLong();
        }
    }
}
