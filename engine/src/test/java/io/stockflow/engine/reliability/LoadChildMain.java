package io.stockflow.engine.reliability;

import io.stockflow.engine.ChildEngineMain;
import io.stockflow.engine.EngineConfig;
import io.stockflow.engine.EngineDirectoryRecord;
import io.stockflow.engine.EngineTestSupport;
import io.stockflow.engine.JournalOrigin;
import io.stockflow.engine.OutcomeListener;
import io.stockflow.engine.PublishRefusal;
import io.stockflow.engine.StockflowEngine;
import io.stockflow.engine.command.CommandType;
import io.stockflow.engine.command.RejectReason;
import io.stockflow.engine.recovery.JournalReplayer;
import io.stockflow.engine.recovery.JournalSalvage;
import io.stockflow.engine.recovery.ReplayProgress;
import io.stockflow.engine.rules.ExpiryListener;
import io.stockflow.engine.rules.FulfillmentRules;
import io.stockflow.journal.Durability;
import io.stockflow.journal.Journal;
import io.stockflow.journal.JournalCorruptionException;
import io.stockflow.journal.JournalReader;
import io.stockflow.journal.JournalRollCycle;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The child JVM of the reliability suite's crash and disk-full trials.
 *
 * <p>{@code load <engineDir> <ackFile> <seed> <durability> <snapshotEveryEvents> <rollCycle> <pretouch>
 * [<pauseEvery> <stopOnStdin> [<archiveDir>]]} recovers an engine and publishes the realistic workload until killed (or until
 * the engine halts: then it prints {@code HALTED <reason>}, closes the engine and
 * exits 0); with {@code archiveDir} the engine's archiver moves old cycle files there. It parks a millisecond after every {@code pauseEvery} commands (0, the default: never).
 * With {@code stopOnStdin} true it also stops when a line {@code STOP} arrives on its standard
 * input: then it prints {@code STOPPED <last published sequence>}, closes the engine and exits 0, so
 * a parent can end a trial in which the engine is expected to keep serving (a child under
 * {@code strace} outlives a kill of {@code strace}). Every outcome released to the listener is recorded in a memory-mapped
 * acknowledgement file, in release order, as two little-endian longs
 * {@code (entity, tag)}: for a result {@code tag = sequence << 8 | (code + 2)},
 * for an expiry {@code tag = sequence << 8 | 0xFF} with the order id as entity.
 * The tag is stored last with release semantics, so an entry whose tag is
 * non-zero is complete. Stores into a shared mapping reach the page cache at
 * once and survive kill -9 of this process, like an acknowledgement already
 * sent to a client. With {@code -} as the acknowledgement file, each outcome is
 * instead written to standard output as {@code A <entity> <tag> <System.nanoTime()>} and flushed as
 * it is released, so a parent cutting the power of the engine's file system
 * learns what was released over a pipe, outside that file system.
 *
 * <p>{@code recover <engineDir> <durability>} prints {@code RECOVERING}, starts
 * an engine (recovery), prints {@code RECOVERED <nextSequence> <millis>} and
 * halts at once (no close, so a process still alive when the parent kills
 * it was still recovering).
 *
 * <p>{@code salvage <damagedDir> <intoDir>} runs {@link JournalSalvage} as {@code stockflow salvage}
 * does, in a JVM like the launcher's (no {@code -ea}: Chronicle's own assertions are off), and prints
 * {@code SALVAGED <copied> <stateHash> <first fault's sequence, or 0 when the reader met none>
 * <last sequence and state hash of a replay of the damaged journal up to the copied sequence>}.
 */
public final class LoadChildMain
{
    /** Capacity of the acknowledgement file in entries. */
    static final int ACK_CAPACITY = 4 << 20;
    /** Bytes per acknowledgement entry. */
    static final int ACK_ENTRY_BYTES = 16;
    /** The acknowledgement file argument that streams acknowledgements to standard output instead. */
    static final String STREAM_ACKS = "-";
    /** Start of a streamed acknowledgement line: {@code A <entity> <tag>}. */
    static final String ACK_LINE_PREFIX = "A ";
    /** The line on standard input that stops a load started with {@code stopOnStdin}. */
    static final String STOP_LINE = "STOP";
    /** Tag code of an expiry entry. */
    static final int EXPIRY_TAG = 0xFF;

    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private LoadChildMain()
    {
    }

    /**
     * @param args the mode and its arguments, see the class comment.
     * @throws Exception if the acknowledgement file cannot be mapped.
     */
    public static void main(final String[] args) throws Exception
    {
        if ("recover".equals(args[0]))
        {
            recover(Paths.get(args[1]), Durability.valueOf(args[2]));
            return;
        }
        if ("salvage".equals(args[0]))
        {
            final Path damaged = Paths.get(args[1]);
            final JournalSalvage.Result copy = JournalSalvage.salvage(damaged, Paths.get(args[2]), ReplayProgress.NONE);
            final JournalReplayer prefix = new JournalReplayer(JournalReplayer.RulesFactory.DEFAULT,
                EngineDirectoryRecord.logicFailurePolicy(damaged));
            long prefixLast;
            long prefixHash;
            try (JournalReader reader = Journal.openReader(EngineConfig.journalDirectoryOf(damaged)))
            {
                prefix.replay(reader, copy.copied(), JournalReplayer.UNBOUNDED, ReplayProgress.NONE);
                prefixLast = prefix.state().lastSequence();
                prefixHash = prefix.state().stateHash();
            }
            catch (final JournalCorruptionException atTheStart)
            {
                // A fault before the first record (the oldest cycle file lost, the parameters record with it)
                // leaves an empty prefix: the empty state under the parameters the directory records.
                if (copy.copied() != 0)
                {
                    throw atTheStart;
                }
                final long[] recorded = JournalOrigin.of(damaged).recordedParameters();
                final FulfillmentRules empty = new FulfillmentRules(ExpiryListener.NONE);
                if (recorded != null)
                {
                    empty.initializeParameters(recorded[0], recorded[1], recorded[2]);
                }
                prefixLast = 0;
                prefixHash = empty.view().stateHash();
            }
            System.out.println("SALVAGED " + copy.copied() + " " + copy.stateHash() + " "
                + (copy.fault() == null ? 0 : Math.max(1, copy.fault().sequence())) + " " + prefixLast + " "
                + prefixHash);
            System.out.flush();
            return;
        }
        load(Paths.get(args[1]), Paths.get(args[2]), Long.parseLong(args[3]), Durability.valueOf(args[4]),
            Long.parseLong(args[5]), JournalRollCycle.valueOf(args[6]), Boolean.parseBoolean(args[7]),
            args.length > 8 ? Integer.parseInt(args[8]) : 0, args.length > 9 && Boolean.parseBoolean(args[9]),
            args.length > 10 ? Paths.get(args[10]) : null);
    }

    @SuppressWarnings("resource")
    private static void recover(final Path directory, final Durability durability)
    {
        System.out.println("RECOVERING");
        System.out.flush();
        final long start = System.nanoTime();
        final StockflowEngine engine = StockflowEngine.builder(EngineConfig.builder(directory).durability(durability)
            .pretouch(false).snapshotEveryEvents(0).snapshotOnClose(false).build()).build();
        engine.start();
        System.out.println("RECOVERED " + engine.publisher().nextSequence() + " "
            + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        System.out.flush();
        Runtime.getRuntime().halt(0);
    }

    private static void load(final Path directory, final Path ackFile, final long seed, final Durability durability,
        final long snapshotEveryEvents, final JournalRollCycle rollCycle, final boolean pretouch,
        final int pauseEvery, final boolean stopOnStdin, final Path archive) throws IOException
    {
        final boolean streamAcks = STREAM_ACKS.equals(ackFile.toString());
        final MappedByteBuffer acks =
            streamAcks ? null : ChildEngineMain.mapAckFile(ackFile, (long)ACK_CAPACITY * ACK_ENTRY_BYTES);
        final OutcomeListener recorder = new OutcomeListener()
        {
            private int index;

            @Override
            public void onResult(final long sequence, final long eventTimeMs, final CommandType type,
                final long entityId, final RejectReason rejectReason, final boolean logicError)
            {
                record(entityId, sequence << 8 | (EngineTestSupport.outcomeCode(rejectReason, logicError) + 2));
            }

            @Override
            public void onOrderExpired(final long sequence, final long orderId)
            {
                record(orderId, sequence << 8 | EXPIRY_TAG);
            }

            private void record(final long entity, final long tag)
            {
                if (streamAcks)
                {
                    System.out.print(ACK_LINE_PREFIX + entity + " " + tag + " " + System.nanoTime() + "\n");
                    System.out.flush();
                }
                else if (index < ACK_CAPACITY)
                {
                    final int at = index++ * ACK_ENTRY_BYTES;
                    LONGS.set(acks, at, entity);
                    LONGS.setRelease(acks, at + Long.BYTES, tag);
                }
            }
        };
        final StockflowEngine engine = ChildEngineMain.startAndSignalReady(StockflowEngine.builder(EngineConfig
            .builder(directory).durability(durability).pretouch(pretouch).ringSize(4096).rollCycle(rollCycle)
            .snapshotEveryEvents(snapshotEveryEvents).snapshotsRetained(2).snapshotOnClose(false).archiveInto(archive)
            .build())
            .outcomeListener(recorder).build());
        final AtomicBoolean stop = new AtomicBoolean();
        if (stopOnStdin)
        {
            watchForStop(stop);
        }
        ChildEngineMain.publishWhile(engine, seed, pauseEvery, () -> !stop.get(), (halted, refusal) ->
        {
            System.out.println("HALTED " + PublishRefusal.name(refusal) + " " + halted.haltReason());
            System.out.flush();
            halted.close();
            System.exit(0);
        });
        System.out.println("STOPPED " + (engine.publisher().nextSequence() - 1));
        System.out.flush();
        engine.close();
        System.exit(0);
    }

    private static void watchForStop(final AtomicBoolean stop)
    {
        final Thread watcher = new Thread(() ->
        {
            try
            {
                final BufferedReader stdin =
                    new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
                for (String line = stdin.readLine(); line != null; line = stdin.readLine())
                {
                    if (STOP_LINE.equals(line))
                    {
                        stop.set(true);
                        return;
                    }
                }
            }
            catch (final IOException e)
            {
                System.err.println("cannot read standard input, the load goes on until killed: " + e);
            }
        }, "load-stop-watcher");
        watcher.setDaemon(true);
        watcher.start();
    }
}
