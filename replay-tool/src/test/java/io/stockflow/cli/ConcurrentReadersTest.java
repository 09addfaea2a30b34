package io.stockflow.cli;

import io.stockflow.engine.EngineConfig;
import io.stockflow.engine.PublishRefusal;
import io.stockflow.engine.StockflowEngine;
import io.stockflow.journal.testing.Slow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The read-only commands work while an engine in this process writes to the same
 * directory, taking snapshots as it goes: each succeeds and sees a prefix of the
 * journal, up to where the engine had got.
 */
@Slow
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ConcurrentReadersTest
{
    private static final Pattern LAST_SEQ = Pattern.compile("\"lastSeq\":(\\d+)");
    private static final long READ_FOR_NANOS = TimeUnit.SECONDS.toNanos(6);

    @TempDir
    Path dir;

    @Test
    void stateDumpReplayVerifyAndInfoSucceedAndSeeAPrefixWhileAnEngineWrites() throws Exception
    {
        final Path engineDir = dir.resolve("engine");
        final EngineConfig config = EngineConfig.builder(engineDir).snapshotEveryEvents(3_000).build();
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicLong published = new AtomicLong();
        final AtomicReference<Throwable> writerFailure = new AtomicReference<>();
        try (StockflowEngine engine = StockflowEngine.builder(config).build())
        {
            engine.start();
            final Thread writer = new Thread(() -> publishUntilStopped(engine, stop, published, writerFailure),
                "test-writer");
            writer.start();
            try
            {
                while (published.get() < 1_000)
                {
                    Thread.sleep(5);
                }
                long previousLastSeq = 0;
                int rounds = 0;
                final long deadline = System.nanoTime() + READ_FOR_NANOS;
                while (System.nanoTime() < deadline || rounds < 2)
                {
                    final long lastSeq = checkStateIsAPrefix(engineDir, previousLastSeq);
                    checkDumpIsAPrefix(engineDir, lastSeq);
                    assertTrue(Cli.run(engineDir, "verify").ok().out.endsWith("verify       OK\n"));
                    Cli.run(engineDir, "replay", "--from-seq", Long.toString(Math.max(1, lastSeq - 500)), "--json")
                        .ok();
                    Cli.run(engineDir, "info").ok();
                    previousLastSeq = lastSeq;
                    rounds++;
                }
                assertTrue(previousLastSeq < published.get(), "the readers ran while the engine was writing");
            }
            finally
            {
                stop.set(true);
                writer.join(TimeUnit.SECONDS.toMillis(30));
            }
            assertNull(writerFailure.get());
            assertTrue(engine.awaitReleased(published.get(), Duration.ofSeconds(30)));
        }
        checkDumpIsAPrefix(engineDir, published.get());
        Cli.run(engineDir, "verify").ok();
    }

    private static void publishUntilStopped(
        final StockflowEngine engine, final AtomicBoolean stop, final AtomicLong published,
        final AtomicReference<Throwable> failure)
    {
        try
        {
            long i = 0;
            while (!stop.get())
            {
                for (int batch = 0; batch < 20; batch++)
                {
                    i++;
                    final long result = engine.publisher().restock(Journals.T0 + i, 1000 + i, Journals.distinctQty(i));
                    if (result != i)
                    {
                        throw new AssertionError("publish " + i + " gave " + PublishRefusal.name(result));
                    }
                    published.set(i);
                }
                LockSupport.parkNanos(1_000_000);
            }
        }
        catch (final Throwable t)
        {
            failure.set(t);
        }
    }

    private static long checkStateIsAPrefix(final Path engineDir, final long previousLastSeq)
    {
        final Cli.Result state = Cli.run(engineDir, "state").ok();
        final Matcher matcher = LAST_SEQ.matcher(state.out);
        assertTrue(matcher.find(), state::describe);
        final long lastSeq = Long.parseLong(matcher.group(1));
        assertTrue(lastSeq >= previousLastSeq, "state went back from " + previousLastSeq + " to " + lastSeq);
        assertTrue(state.out.startsWith("{\"events\":" + lastSeq + ",\"lastSeq\":" + lastSeq + ",\"eventTime\":"
            + (Journals.T0 + lastSeq) + ","), state::describe);
        return lastSeq;
    }

    private static void checkDumpIsAPrefix(final Path engineDir, final long atLeast)
    {
        final List<String> lines =
            Journals.commandLines(Cli.run(engineDir, "dump").ok().out.lines().collect(Collectors.toList()));
        assertTrue(lines.size() >= atLeast, "dump has " + lines.size() + " lines, state had " + atLeast);
        for (int i = 0; i < lines.size(); i++)
        {
            assertEquals(Journals.restock(i + 1), lines.get(i), "dump line " + (i + 1));
        }
    }
}
