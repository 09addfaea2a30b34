package io.stockflow.perf.jmh;

import io.stockflow.engine.command.CommandCodec;
import io.stockflow.engine.command.CommandType;
import io.stockflow.engine.command.CommandView;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * The command codec per command type: encoding into a slot-sized buffer (what the
 * publisher does for every command) and decoding every field through the flyweight view
 * (what the logic stage and replay do). Both must be allocation-free ({@code -prof gc}).
 *
 * <p>Self-check: the encode buffer is zeroed before each iteration and must decode to the
 * sample command after it; the decode checksum must match the encoded command's.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class CodecBenchmark
{
    @Param({"RESTOCK", "ADJUST", "PLACE", "CANCEL", "SHIP", "DELIVER", "RETURN"})
    private CommandType type;

    private final byte[] encodeBuffer = new byte[CommandCodec.MAX_ENCODED_LENGTH];
    private final byte[] decodeBuffer = new byte[CommandCodec.MAX_ENCODED_LENGTH];
    private final CommandView view = new CommandView();
    private int length;
    private long expectedChecksum;
    private long decodedSum;
    private long decodes;

    /** Encodes the sample once for the decode benchmark and records its checksum. */
    @Setup(Level.Trial)
    public void encodeSample()
    {
        length = SampleCommands.encode(type, decodeBuffer);
        expectedChecksum = SampleCommands.checksum(view.wrap(decodeBuffer, 0, length));
    }

    /** Clears what the encode benchmark writes, so its check proves it ran. */
    @Setup(Level.Iteration)
    public void clear()
    {
        Arrays.fill(encodeBuffer, (byte)0);
        decodedSum = 0;
        decodes = 0;
    }

    /** @return the encoded length. */
    @Benchmark
    public int encode()
    {
        return SampleCommands.encode(type, encodeBuffer);
    }

    /** @return the checksum of every decoded field. */
    @Benchmark
    public long decode()
    {
        final long checksum = SampleCommands.checksum(view.wrap(decodeBuffer, 0, length));
        decodedSum += checksum;
        decodes++;
        return checksum;
    }

    /** Fails the iteration if either benchmark computed something wrong. */
    @TearDown(Level.Iteration)
    public void check()
    {
        final boolean encoded = encodeBuffer[1] != 0 || encodeBuffer[0] != 0;
        if (encoded)
        {
            final long checksum = SampleCommands.checksum(new CommandView().wrap(encodeBuffer, 0, length));
            BenchmarkChecks.check(checksum == expectedChecksum, "encode of " + type + " wrote a different command");
        }
        BenchmarkChecks.check(decodedSum == decodes * expectedChecksum, "decode of " + type + " read "
            + decodedSum + " over " + decodes + " decodes, expected " + expectedChecksum + " each");
        BenchmarkChecks.check(encoded || decodes > 0, "neither encode nor decode of " + type + " ran");
    }
}
