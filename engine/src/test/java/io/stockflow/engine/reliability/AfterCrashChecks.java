package io.stockflow.engine.reliability;

import io.stockflow.engine.CommandPublisher;
import io.stockflow.engine.EngineConfig;
import io.stockflow.engine.EngineTestSupport;
import io.stockflow.engine.StockflowEngine;
import io.stockflow.engine.recovery.DirectoryVerifier;
import io.stockflow.engine.recovery.Recovery;
import io.stockflow.engine.rules.ExpiryListener;
import io.stockflow.engine.rules.FulfillmentRules;
import io.stockflow.engine.rules.RuleParameters;
import io.stockflow.journal.Durability;
import io.stockflow.journal.Journal;
import io.stockflow.journal.JournalConfig;
import io.stockflow.journal.JournalRollCycle;
import io.stockflow.journal.TailRecoveryReport;
import io.stockflow.journal.internal.FileTree;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.stockflow.engine.EngineTestSupport.liveHash;
import static io.stockflow.engine.EngineTestSupport.liveInvariantViolation;
import static io.stockflow.engine.EngineTestSupport.quietConfig;
import static io.stockflow.engine.EngineTestSupport.replayJournal;
import static io.stockflow.engine.EngineTestSupport.republishJournal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The checks after a crash of a loaded engine (a {@code kill -9}, a power cut), shared by the
 * crash and power-cut trials:
 * <ol>
 * <li>the journal is a gap-free, CRC-valid prefix, its torn tail (if any) zeroed and reported;</li>
 * <li>every acknowledged outcome (result and expiry) is in the journal with the same result; where
 *     a loss is allowed ({@code PROCESS_CRASH} after a power cut) the acknowledged outcomes past the
 *     journal's end are counted as lost, and every one before it must still match;</li>
 * <li>the recovered state hash equals a full replay and a fresh engine fed the journaled commands,
 *     and the invariants of docs/DOMAIN.md hold;</li>
 * <li>the engine accepts input again at the next sequence;</li>
 * <li>{@code stockflow verify}'s checks ({@link DirectoryVerifier}) pass on the recovered directory.</li>
 * </ol>
 */
final class AfterCrashChecks
{
    /** The count each suite's summary keeps of recovered directories that passed {@link #verifyRecovered}. */
    static final String VERIFIED = "recovered directories passing stockflow verify's checks";

    private AfterCrashChecks()
    {
    }

    /**
     * Runs what {@code stockflow verify} runs (every record, a full replay, every snapshot against
     * it, the invariants) on a recovered directory and fails the trial on any fault, with the report.
     */
    static void verifyRecovered(final ReliabilitySummary summary, final Path engineDirectory, final String context)
    {
        final StringWriter report = new StringWriter();
        final List<String> faults;
        try (PrintWriter out = new PrintWriter(report))
        {
            faults = new DirectoryVerifier(engineDirectory, null, out, DirectoryVerifier.ProgressDisplays.NONE)
                .verify();
        }
        assertTrue(faults.isEmpty(), context + ": stockflow verify's checks on the recovered directory found "
            + faults.size() + " fault(s):\n" + report);
        summary.add(VERIFIED, 1);
    }

    /** What a trial's checks found. */
    static final class CheckResult
    {
        Recovery.RecoveryResult recovery;
        long journalEnd;
        long acknowledged;
        long lost;
    }

    static CheckResult checkAfterKill(final ReliabilitySummary summary, final Path engineDirectory,
        final JournalRollCycle rollCycle, final Path ackFile, final String context) throws IOException
    {
        final ByteBuffer acks = ByteBuffer.wrap(Files.readAllBytes(ackFile)).order(ByteOrder.LITTLE_ENDIAN);
        return checkAfterCrash(summary, engineDirectory, rollCycle, acks, false, Durability.PROCESS_CRASH, context);
    }

    /**
     * @param acks        acknowledgement entries in {@link LoadChildMain}'s format, up to a zero tag or the end
     * @param lossAllowed count acknowledged outcomes past the journal's end instead of failing on them
     * @param durability  what the checks' own engine writes its record at: a power-cut trial's, so that
     *                    under OS_CRASH the next trial on the directory finds every record forced
     */
    static CheckResult checkAfterCrash(final ReliabilitySummary summary, final Path engineDirectory,
        final JournalRollCycle rollCycle, final ByteBuffer acks, final boolean lossAllowed, final Durability durability,
        final String context)
    {
        final CheckResult result = new CheckResult();
        final Path journalDirectory = EngineConfig.journalDirectoryOf(engineDirectory);
        final TailRecoveryReport tail;
        try (Journal journal = Journal.open(JournalConfig.builder(journalDirectory).rollCycle(rollCycle)
            .pretouch(false).build()))
        {
            tail = journal.tailRecovery();
        }
        if (tail.tailWasTorn())
        {
            summary.add("torn tails zeroed and reported at open", 1);
            summary.add("torn tail bytes zeroed", tail.discardedBytes());
        }
        for (final Path aside : tail.quarantinedFiles())
        {
            summary.add(aside.getFileName().toString().contains(".power-cut-")
                ? "cycle files with pages lost past the last commit, rebuilt from their records before the loss"
                : "cycle files with an unfinished header moved aside", 1);
        }

        final EngineTestSupport.ReplayedJournal replayed = replayJournal(journalDirectory);
        assertEquals(tail.lastGoodSequence(), replayed.last,
            context + ": check 1, the reader sees the recovered prefix");
        result.journalEnd = replayed.last;

        checkAcknowledgements(acks, replayed, lossAllowed, context, result);
        summary.add("acknowledged outcomes checked", result.acknowledged);
        summary.add("acknowledged outcomes lost", result.lost);

        final long next;
        try (StockflowEngine engine = StockflowEngine.builder(quietConfig(engineDirectory).rollCycle(rollCycle)
            .durability(durability).build()).build())
        {
            result.recovery = engine.start();
            assertEquals(replayed.last + 1, engine.publisher().nextSequence(),
                context + ": recovered to the journal's end");
            assertEquals(replayed.last == 0 ? defaultParametersHash()
                : replayed.hashes[(int)replayed.last],
                liveHash(engine), context + ": check 3, recovered state (snapshot "
                    + result.recovery.snapshot() + " + tail) equals a full replay");
            assertNull(liveInvariantViolation(engine), context + ": check 3, invariants hold");
            next = engine.publisher().restock(CommandPublisher.NOW, 1, 1);
            assertEquals(replayed.last + 1, next, context + ": check 4, input accepted at the next sequence");
            assertTrue(engine.awaitReleased(next, Duration.ofSeconds(10)), context + ": check 4, released");
            if (result.recovery.snapshot() != null)
            {
                summary.add("recoveries from a snapshot + journal tail", 1);
            }
            summary.add("snapshots skipped as invalid at recovery", result.recovery.skippedSnapshots().size());
        }

        final EngineTestSupport.ReplayedJournal after = replayJournal(journalDirectory);
        assertEquals(next, after.last);
        final Path fresh = engineDirectory.resolveSibling(engineDirectory.getFileName() + "-fresh");
        try (StockflowEngine engine = StockflowEngine.builder(quietConfig(fresh).build()).build())
        {
            engine.start();
            assertEquals(next, republishJournal(engineDirectory, engine));
            assertTrue(engine.awaitReleased(next, Duration.ofSeconds(120)));
            assertEquals(after.hashes[(int)next], liveHash(engine),
                context + ": check 3, a fresh engine fed the journaled commands reaches the same state");
        }
        FileTree.deleteRecursivelyUnchecked(fresh);
        verifyRecovered(summary, engineDirectory, context);
        System.out.printf("%s: journal ends at %d (torn tail %d bytes), %d acknowledgements checked, %d lost%n",
            context, replayed.last, tail.discardedBytes(), result.acknowledged, result.lost);
        return result;
    }

    /*
     * Check 2: every acknowledged result is journaled with the same outcome code, and every
     * acknowledged expiry is one the journal's replay performs at the same sequence, in the same order.
     */
    static void checkAcknowledgements(final ByteBuffer acks, final EngineTestSupport.ReplayedJournal replayed,
        final boolean lossAllowed, final String context, final CheckResult result)
    {
        final Map<Long, Long> expiryDigests = new HashMap<>();
        long lastResult = 0;
        final int entries = Math.min(LoadChildMain.ACK_CAPACITY, acks.capacity() / LoadChildMain.ACK_ENTRY_BYTES);
        for (int i = 0; i < entries; i++)
        {
            final long entity = acks.getLong(i * LoadChildMain.ACK_ENTRY_BYTES);
            final long tag = acks.getLong(i * LoadChildMain.ACK_ENTRY_BYTES + Long.BYTES);
            if (tag == 0)
            {
                break;
            }
            final long sequence = tag >>> 8;
            final int code = (int)(tag & 0xFF);
            result.acknowledged++;
            if (sequence > replayed.last && lossAllowed)
            {
                result.lost++;
                continue;
            }
            assertTrue(sequence <= replayed.last, context + ": check 2, acknowledged sequence " + sequence
                + " but the journal ends at " + replayed.last);
            if (code == LoadChildMain.EXPIRY_TAG)
            {
                assertTrue(sequence >= lastResult, context + ": expiry of " + sequence + " after result " + lastResult);
                expiryDigests.merge(sequence, entity, (digest, order) -> digest * 31 + order);
            }
            else
            {
                assertTrue(sequence > lastResult, context + ": results in sequence order");
                assertEquals(replayed.outcomes[(int)sequence], code - 2,
                    context + ": check 2, result of acknowledged sequence " + sequence);
                lastResult = sequence;
            }
        }
        for (final Map.Entry<Long, Long> expiry : expiryDigests.entrySet())
        {
            if (expiry.getKey() < lastResult)
            {
                assertEquals(replayed.expiryDigests[expiry.getKey().intValue()], expiry.getValue().longValue(),
                    context + ": check 2, acknowledged expiries at sequence " + expiry.getKey());
            }
        }
    }

    /** @return the hash of an empty engine under a new directory's default rule parameters. */
    private static long defaultParametersHash()
    {
        final FulfillmentRules rules = new FulfillmentRules(ExpiryListener.NONE);
        rules.initializeParameters(RuleParameters.DEFAULT_RETENTION_MS, RuleParameters.DEFAULT_ORDER_CAPACITY,
            RuleParameters.DEFAULT_SKU_CAPACITY);
        return rules.view().stateHash();
    }
}
