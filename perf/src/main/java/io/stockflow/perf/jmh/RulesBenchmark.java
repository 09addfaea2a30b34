package io.stockflow.perf.jmh;

import io.stockflow.engine.command.CommandCodec;
import io.stockflow.engine.command.CommandType;
import io.stockflow.engine.command.CommandView;
import io.stockflow.engine.rules.ExpiryListener;
import io.stockflow.engine.rules.FulfillmentRules;
import io.stockflow.engine.rules.Outcome;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.util.concurrent.TimeUnit;

/**
 * The rules applying one command type, each command accepted: a batch of
 * {@value #BATCH} commands of the type per shot, on state prepared before the shot (for
 * CANCEL and SHIP fresh orders placed, for DELIVER placed and shipped, for RETURN
 * delivered), so each type is measured doing its real work and the preparation is not
 * timed. One set of rules, sized at the start for every order the trial will hold, serves
 * all shots, so neither a table resize nor building the rules lands in a shot and
 * {@code -prof gc} shows what applying allocates. Reported as time per command.
 *
 * <p>Warm-up: in single-shot mode JMH warms up by shots, not by time, and the suite's
 * three warm-up shots (one with {@code --quick}) are only 60,000 commands: on a shared
 * 2-vCPU machine C2 had not finished compiling {@code apply} by then, so the measured
 * shots still ran partly interpreted or in C1 code (RESTOCK fell from 230 to 28 ns per
 * command over the five measured shots). The trial set-up therefore first runs
 * {@value #WARMUP_SHOTS} untimed shots of the same type through the same code, each on
 * small throwaway rules, so the measured rules see exactly the state and event times
 * they did before, and only compiled code is timed.
 *
 * <p>Self-check: every command of every shot must be ACCEPTED.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Measurement(batchSize = 1)
@State(Scope.Thread)
public class RulesBenchmark
{
    /** Commands per shot. */
    public static final int BATCH = 20_000;
    /** Untimed shots run at trial set-up so that C2 has compiled the rules before the first shot JMH sees. */
    public static final int WARMUP_SHOTS = 25;
    private static final int WARMUP_ORDERS = 4 * BATCH;
    private static final int EXPECTED_ORDERS = 2_000_000;
    private static final int SKUS = 1_000;
    private static final int STRIDE = CommandCodec.MAX_ENCODED_LENGTH;
    private static final long START_TIME_MS = 1_700_000_000_000L;

    @Param({"RESTOCK", "ADJUST", "PLACE", "CANCEL", "SHIP", "DELIVER", "RETURN"})
    private CommandType type;

    private final byte[] batch = new byte[BATCH * STRIDE];
    private final int[] lengths = new int[BATCH];
    private final byte[] scratch = new byte[STRIDE];
    private final CommandView view = new CommandView();
    private FulfillmentRules rules;
    private int rulesExpectedOrders;
    private long timeMs;
    private long orderBase;
    private long accepted;
    private long applied;

    /**
     * Warms the JIT up with {@value #WARMUP_SHOTS} untimed shots on throwaway rules, then builds
     * the measured rules, sized for the whole trial, and stocks the SKUs.
     */
    @Setup(Level.Trial)
    public void stock()
    {
        for (int shot = 0; shot < WARMUP_SHOTS; shot++)
        {
            startRules(WARMUP_ORDERS);
            prepare();
            apply();
            check();
        }
        startRules(EXPECTED_ORDERS);
    }

    private void startRules(final int expectedOrders)
    {
        rules = new FulfillmentRules(ExpiryListener.NONE, SKUS, expectedOrders);
        rulesExpectedOrders = expectedOrders;
        timeMs = START_TIME_MS;
        orderBase = 0;
        for (int sku = 1; sku <= SKUS; sku++)
        {
            prepareApply(CommandCodec.encodeRestock(scratch, 0, sku, 1_000_000_000L));
        }
    }

    /** Places (and ships, delivers) the fresh orders this shot's type needs, and encodes the batch. */
    @Setup(Level.Iteration)
    public void prepare()
    {
        orderBase += 2L * BATCH;
        BenchmarkChecks.check(orderBase + BATCH < rulesExpectedOrders, "more shots than the rules were sized for");
        if (type != CommandType.RESTOCK && type != CommandType.ADJUST && type != CommandType.PLACE)
        {
            for (int i = 0; i < BATCH; i++)
            {
                prepareApply(encodePlace(scratch, 0, i));
            }
        }
        if (type == CommandType.DELIVER || type == CommandType.RETURN)
        {
            prepareOrderCommands(CommandType.SHIP);
        }
        if (type == CommandType.RETURN)
        {
            prepareOrderCommands(CommandType.DELIVER);
        }
        for (int i = 0; i < BATCH; i++)
        {
            lengths[i] = encode(batch, i * STRIDE, i);
        }
        accepted = 0;
        applied = 0;
    }

    private void prepareOrderCommands(final CommandType orderCommand)
    {
        for (int i = 0; i < BATCH; i++)
        {
            prepareApply(CommandCodec.encodeOrderCommand(scratch, 0, orderCommand, orderBase + i));
        }
    }

    private void prepareApply(final int length)
    {
        final int outcome = rules.apply(++timeMs, view.wrap(scratch, 0, length));
        if (outcome != Outcome.ACCEPTED)
        {
            BenchmarkChecks.check(false, "preparing " + type + ": " + view + " was rejected (" + outcome + ")");
        }
    }

    private int encode(final byte[] buffer, final int offset, final int i)
    {
        final long sku = 1 + i % SKUS;
        switch (type)
        {
            case RESTOCK:
                return CommandCodec.encodeRestock(buffer, offset, sku, 1);
            case ADJUST:
                return CommandCodec.encodeAdjust(buffer, offset, sku, (i & 1) == 0 ? 1 : -1);
            case PLACE:
                return encodePlace(buffer, offset, i);
            default:
                return CommandCodec.encodeOrderCommand(buffer, offset, type, orderBase + i);
        }
    }

    private int encodePlace(final byte[] buffer, final int offset, final int i)
    {
        final int lines = 1 + i % 3;
        final int length = CommandCodec.encodePlaceHeader(buffer, offset, orderBase + i, 1 + i % 5_000, 0, lines);
        for (int line = 0; line < lines; line++)
        {
            CommandCodec.encodePlaceLine(buffer, offset, line, 1 + (i * 7L + line * 13L) % SKUS, 1 + line,
                100 + i % 1_000);
        }
        return length;
    }

    /** @return accepted commands in this shot. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long apply()
    {
        long acceptedNow = 0;
        for (int i = 0; i < BATCH; i++)
        {
            final int outcome = rules.apply(++timeMs, view.wrap(batch, i * STRIDE, lengths[i]));
            if (outcome == Outcome.ACCEPTED)
            {
                acceptedNow++;
            }
        }
        accepted += acceptedNow;
        applied += BATCH;
        return acceptedNow;
    }

    /** Every command of the shot must have been accepted. */
    @TearDown(Level.Iteration)
    public void check()
    {
        BenchmarkChecks.check(applied > 0 && accepted == applied, type + ": " + accepted + " of " + applied
            + " commands accepted");
    }
}
