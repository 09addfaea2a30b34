package io.stockflow.cli.text;

import io.stockflow.journal.testing.Slow;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Seeded fuzzing of the reader: whatever the bytes, it returns commands, reaches the
 * end, or throws {@link CommandFormatException} with a line number within the input;
 * never any other exception; no reason carries the JSON parser's own text.
 */
@Slow
class JsonLinesFuzzTest
{
    private static final long SEED = 0x5EEDF00DL;
    private static final int ITERATIONS = 20_000;

    private static final String[] VALID_LINES = {
        "{\"ts\":1700000000000,\"type\":\"RESTOCK\",\"sku\":1,\"qty\":100}",
        "{\"ts\":1700000000001,\"type\":\"ADJUST\",\"sku\":1,\"delta\":-5}",
        "{\"ts\":1700000000002,\"type\":\"PLACE\",\"order\":10,\"account\":7,\"ttlMs\":0,"
            + "\"lines\":[{\"sku\":1,\"qty\":2,\"price\":1999},{\"sku\":2,\"qty\":1,\"price\":5}]}",
        "{\"type\":\"CANCEL\",\"order\":10}",
        "{\"ts\":-9223372036854775808,\"type\":\"RETURN\",\"order\":9223372036854775807}",
    };

    private static final String STRUCTURAL = "{}[],:\"\\-.0e \n\r";

    private static final String[] FRAGMENTS = {
        "{", "}", "[", "]", ",", ":", "\"", "\\", "\\u0000", "\\ud800", "-", "0", "1", "9", ".", "e", "E", "+",
        "true", "null", "NaN", " ", "\t", "\r", "\n", "\u0000", "\"type\"", "\"lines\"", "\"sku\"", "\"PLACE\"",
        "99999999999999999999", "1.5", "1e3", "\u00e9", "\ud83d\ude00",
    };

    @Test
    void randomBytesShouldOnlyEverGiveCommandsOrFormatErrors()
    {
        final SplittableRandom random = new SplittableRandom(SEED);
        for (int i = 0; i < ITERATIONS; i++)
        {
            final byte[] input = new byte[random.nextInt(200)];
            for (int k = 0; k < input.length; k++)
            {
                input[k] = (byte)random.nextInt(256);
            }
            readAll(input, i, maxLineBytes(random));
        }
    }

    @Test
    void mutatedValidLinesShouldOnlyEverGiveCommandsOrFormatErrors()
    {
        final SplittableRandom random = new SplittableRandom(SEED + 1);
        for (int i = 0; i < ITERATIONS; i++)
        {
            final StringBuilder text = new StringBuilder();
            final int lines = 1 + random.nextInt(4);
            for (int k = 0; k < lines; k++)
            {
                text.append(VALID_LINES[random.nextInt(VALID_LINES.length)]).append('\n');
            }
            final byte[] input = text.toString().getBytes(StandardCharsets.UTF_8);
            final int mutations = 1 + random.nextInt(4);
            for (int k = 0; k < mutations; k++)
            {
                final int at = random.nextInt(input.length);
                switch (random.nextInt(3))
                {
                    case 0:
                        input[at] = (byte)random.nextInt(256);
                        break;
                    case 1:
                        input[at] ^= (byte)(1 << random.nextInt(8));
                        break;
                    default:
                        input[at] = (byte)STRUCTURAL.charAt(random.nextInt(STRUCTURAL.length()));
                        break;
                }
            }
            final int cut = random.nextInt(4) == 0 ? random.nextInt(input.length + 1) : input.length;
            readAll(Arrays.copyOf(input, cut), i, maxLineBytes(random));
        }
    }

    @Test
    void randomJsonLikeTokensShouldOnlyEverGiveCommandsOrFormatErrors()
    {
        final SplittableRandom random = new SplittableRandom(SEED + 2);
        for (int i = 0; i < ITERATIONS; i++)
        {
            final StringBuilder text = new StringBuilder();
            if (random.nextBoolean())
            {
                text.append('{');
            }
            final int fragments = random.nextInt(40);
            for (int k = 0; k < fragments; k++)
            {
                text.append(FRAGMENTS[random.nextInt(FRAGMENTS.length)]);
            }
            readAll(text.toString().getBytes(StandardCharsets.UTF_8), i, maxLineBytes(random));
        }
    }

    private static int maxLineBytes(final SplittableRandom random)
    {
        return random.nextInt(8) == 0 ? 1 + random.nextInt(64) : JsonLinesCommandReader.DEFAULT_MAX_LINE_BYTES;
    }

    private static void readAll(final byte[] input, final int iteration, final int maxLineBytes)
    {
        final JsonLinesCommandReader reader = new JsonLinesCommandReader(new ByteArrayInputStream(input), maxLineBytes);
        final ParsedCommand command = new ParsedCommand();
        final long lineCount = countLines(input);
        try
        {
            while (reader.next(command))
            {
                assertTrue(command.type() != null);
            }
        }
        catch (final CommandFormatException ex)
        {
            assertTrue(ex.lineNumber() >= 1 && ex.lineNumber() <= lineCount,
                "line " + ex.lineNumber() + " of " + lineCount);
            assertEquals("line " + ex.lineNumber() + ": " + ex.reason(), ex.getMessage());
            assertTrue(ex.reason().chars().noneMatch(c -> c < 0x20), "reason is one printable line: " + ex.reason());
            JsonLinesFormatErrorTest.assertNoParserText(ex.reason());
            assertTrue(!ex.reason().startsWith("not valid JSON") || ex.reason().startsWith("not valid JSON at column ")
                || ex.reason().startsWith("not valid JSON: nested"), ex.reason());
        }
        catch (final Throwable ex)
        {
            fail("iteration " + iteration + " input " + HexFormat.of().formatHex(input) + " threw " + ex, ex);
        }
    }

    private static long countLines(final byte[] input)
    {
        long newlines = 0;
        for (final byte b : input)
        {
            if (b == '\n')
            {
                newlines++;
            }
        }
        return input.length > 0 && input[input.length - 1] != '\n' ? newlines + 1 : newlines;
    }
}
