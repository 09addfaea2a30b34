package io.stockflow.engine;

import io.stockflow.journal.Journal;
import io.stockflow.journal.JournalLockedException;
import io.stockflow.journal.JournalReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.stockflow.engine.EngineTestSupport.publishMixed;
import static io.stockflow.engine.EngineTestSupport.testConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Misuse is refused with a clear error and corrupts nothing: a second publishing
 * thread, a second start, a second engine on the directory; closing twice is
 * harmless, publishing after close is refused, close racing a publisher loses no
 * acknowledged sequence, and close leaves no thread, descriptor or mapping.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SingleWriterAndLifecycleTest
{
    @TempDir
    Path directory;

    @Test
    void publishFromASecondThreadIsRefusedAndLeavesTheRingIntact() throws Exception
    {
        try (StockflowEngine engine = StockflowEngine.builder(testConfig(directory).build()).build())
        {
            engine.start();
            final CommandPublisher publisher = engine.publisher();
            assertEquals(1, publisher.restock(CommandPublisher.NOW, 1, 10));
            final CompletableFuture<Throwable> second = new CompletableFuture<>();
            final Thread intruder = new Thread(() ->
            {
                try
                {
                    publisher.ship(CommandPublisher.NOW, 1);
                    second.complete(null);
                }
                catch (final Throwable e)
                {
                    second.complete(e);
                }
            }, "intruder");
            intruder.start();
            final Throwable refusal = second.get(10, TimeUnit.SECONDS);
            intruder.join(10_000);
            assertTrue(refusal instanceof IllegalStateException, "refused: " + refusal);
            assertTrue(refusal.getMessage().contains("single writer"), refusal.getMessage());
            assertEquals(2, publisher.restock(CommandPublisher.NOW, 1, 10), "the ring is unaffected");
            assertTrue(engine.awaitReleased(2, Duration.ofSeconds(10)));
        }
        try (JournalReader reader = Journal.openReader(EngineConfig.journalDirectoryOf(directory)))
        {
            assertEquals(2, reader.lastSequence());
        }
    }

    @Test
    void startingTwiceIsRefused()
    {
        try (StockflowEngine engine = StockflowEngine.builder(testConfig(directory).build()).build())
        {
            engine.start();
            final IllegalStateException second = assertThrows(IllegalStateException.class, engine::start);
            assertTrue(second.getMessage().contains("already started"), second.getMessage());
            assertEquals(1, engine.publisher().restock(CommandPublisher.NOW, 1, 1), "still running");
        }
    }

    @Test
    void closingTwiceIsHarmlessAndPublishingAfterCloseIsRefusedAsStopping()
    {
        final StockflowEngine engine = StockflowEngine.builder(testConfig(directory).build()).build();
        engine.start();
        final CommandPublisher publisher = engine.publisher();
        assertEquals(1, publisher.restock(CommandPublisher.NOW, 1, 1));
        engine.close();
        engine.close();
        assertEquals(EngineLifecycle.STOPPED, engine.lifecycle());
        assertEquals(PublishRefusal.ENGINE_STOPPING, publisher.restock(CommandPublisher.NOW, 1, 1));
        assertEquals(PublishRefusal.ENGINE_STOPPING, publisher.cancel(CommandPublisher.NOW, 1));
        assertEquals(PublishRefusal.ENGINE_STOPPING, publisher.place(CommandPublisher.NOW, 9, 1, 0)
            .line(1, 1, 1).publish());
        assertTrue(engine.awaitReleased(1, Duration.ofSeconds(1)), "counters stay readable after close");
        final Throwable query = assertThrows(Exception.class, () -> engine.query(state -> 1).get(5, TimeUnit.SECONDS));
        assertTrue(String.valueOf(query.getCause()).contains("ENGINE_STOPPING"), String.valueOf(query.getCause()));
    }

    @Test
    void secondEngineOnTheSameDirectoryIsRefusedWithAClearMessage()
    {
        try (StockflowEngine first = StockflowEngine.builder(testConfig(directory).build()).build())
        {
            first.start();
            final StockflowEngine second = StockflowEngine.builder(testConfig(directory).build()).build();
            final JournalLockedException locked = assertThrows(JournalLockedException.class, second::start);
            assertTrue(locked.getMessage().contains(String.valueOf(ProcessHandle.current().pid()))
                || locked.getMessage().toLowerCase().contains("lock"), locked.getMessage());
            second.close();
            assertEquals(1, first.publisher().restock(CommandPublisher.NOW, 1, 1), "the first engine is unaffected");
            assertTrue(first.awaitReleased(1, Duration.ofSeconds(10)));
        }
    }

    @Test
    void closeLeavesNoThreadDescriptorOrMappingBehind() throws Exception
    {
        final Set<Thread> before = Thread.getAllStackTraces().keySet();
        final StockflowEngine engine = StockflowEngine.builder(testConfig(directory).snapshotEveryEvents(2_000)
            .pretouch(true).build()).build();
        engine.start();
        final long last = publishMixed(engine, 2, 10_000, 0.05);
        assertTrue(engine.awaitReleased(last, Duration.ofSeconds(30)));
        engine.close();
        final List<String> leftThreads = Thread.getAllStackTraces().keySet().stream()
            .filter(thread -> !before.contains(thread) && thread.isAlive() && thread.getName().startsWith("stockflow-"))
            .map(Thread::getName).collect(Collectors.toList());
        assertEquals(List.of(), leftThreads, "engine threads left after close");
        final String engineDirectory = directory.toRealPath().toString();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        List<String> open;
        do
        {
            net.openhft.chronicle.core.io.BackgroundResourceReleaser.releasePendingResources();
            open = openUnder(engineDirectory);
            if (open.isEmpty())
            {
                break;
            }
            Thread.sleep(50);
        }
        while (System.nanoTime() < deadline);
        assertEquals(List.of(), open, "descriptors or mappings on the engine directory after close");
    }

    @Test
    void closeRacingAPublisherNeverLosesAnAcknowledgedSequence() throws Exception
    {
        for (int round = 0; round < 5; round++)
        {
            final Path roundDirectory = directory.resolve("round-" + round);
            final StockflowEngine engine = StockflowEngine.builder(testConfig(roundDirectory).build()).build();
            engine.start();
            final AtomicLong lastAcknowledged = new AtomicLong();
            final AtomicBoolean refused = new AtomicBoolean();
            final Thread publisher = new Thread(() ->
            {
                final CommandPublisher commands = engine.publisher();
                while (true)
                {
                    final long result = commands.restock(CommandPublisher.NOW, 1 + (lastAcknowledged.get() & 63), 1);
                    if (result > 0)
                    {
                        lastAcknowledged.set(result);
                    }
                    else if (result != PublishRefusal.BACKPRESSURE)
                    {
                        refused.set(true);
                        return;
                    }
                }
            }, "racing-publisher");
            publisher.start();
            Thread.sleep(50 + round * 37);
            engine.close();
            publisher.join(10_000);
            assertTrue(refused.get(), "the publisher was told the engine stopped");
            try (JournalReader reader = Journal.openReader(EngineConfig.journalDirectoryOf(roundDirectory)))
            {
                assertEquals(lastAcknowledged.get(), reader.lastSequence(),
                    "round " + round + ": every acknowledged sequence is journaled, and nothing else");
            }
        }
    }

    private static List<String> openUnder(final String engineDirectory) throws IOException
    {
        final List<String> maps = Files.readAllLines(Paths.get("/proc/self/maps")).stream()
            .filter(line -> line.contains(engineDirectory)).map(line -> "mapped " + line.substring(line.indexOf('/')))
            .collect(Collectors.toList());
        try (Stream<Path> fds = Files.list(Paths.get("/proc/self/fd")))
        {
            for (final Path fd : (Iterable<Path>)fds::iterator)
            {
                try
                {
                    final String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith(engineDirectory))
                    {
                        maps.add("open " + target);
                    }
                }
                catch (final IOException closedMeanwhile)
                {
                    continue;
                }
            }
        }
        return maps;
    }
}
