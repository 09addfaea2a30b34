package io.stockflow.cluster.service;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The deduplication state the host keeps beside the rules: per client id, the highest client
 * sequence applied and the results the client has not yet said it received (so a resend after a
 * failover is answered with the original result instead of being applied again). It is part of the
 * replicated state (every member computes it from the same log entries) and of the cluster snapshot,
 * but not of the rules' state hash: a single-node engine fed the same commands has no clients.
 *
 * <p>A client idle (no BATCH) for longer than the order retention (the rules' current
 * {@code retentionMs}, issue 21: "a client idle longer than the order retention is forgotten") is
 * forgotten, at the first entry whose cluster time passes the next sweep time; the times and the
 * retention all come from the log, so every member forgets the same client at the same entry. A
 * client that comes back after that starts afresh: a resend within the retention is still
 * recognised, like a retried PLACE within it is a {@code DUPLICATE_ORDER}. A retention of 0 (never
 * forget) forgets no client, and the service's own client ({@link IngressFormat#SERVICE_CLIENT_ID},
 * which sends the parameters record) is never forgotten, so a second parameters record is always
 * recognised as a duplicate.
 *
 * <p>Owned by the service thread (or by the export's reading thread): not thread-safe.
 */
public final class ClientTable
{
    /** Results kept per client for resends at most; the client's window is far below this. */
    public static final int MAX_KEPT_RESULTS = 1 << 16;

    /** Sweep at most this often (cluster time), so a busy log does not scan the table per entry. */
    private static final long MIN_SWEEP_INTERVAL_MS = 1000;

    private final Long2ObjectHashMap<Client> clients = new Long2ObjectHashMap<>();
    private final List<Client> sweepScratch = new ArrayList<>();
    private long nextSweepMs = Long.MIN_VALUE;

    /**
     * @param clientId  the client.
     * @param nowMs     the entry's cluster time.
     * @return the client's record, created when unknown; its activity time set to {@code nowMs}.
     */
    public Client touch(final long clientId, final long nowMs)
    {
        Client client = clients.get(clientId);
        if (client == null)
        {
            client = new Client(clientId);
            clients.put(clientId, client);
        }
        client.lastActiveMs = Math.max(client.lastActiveMs, nowMs);
        return client;
    }

    /**
     * Forgets the clients idle for longer than {@code idleForgetMs}, when {@code nowMs} has reached
     * the next sweep time (then the next sweep is a tenth of that time later, at least 1 s).
     *
     * @param nowMs        the entry's cluster time.
     * @param idleForgetMs the rules' current retention (0: forget no client).
     * @return clients forgotten.
     */
    public int sweep(final long nowMs, final long idleForgetMs)
    {
        if (nowMs < nextSweepMs)
        {
            return 0;
        }
        nextSweepMs = nowMs + Math.max(MIN_SWEEP_INTERVAL_MS, idleForgetMs / 10);
        if (idleForgetMs <= 0)
        {
            return 0;
        }
        sweepScratch.clear();
        for (final Client client : clients.values())
        {
            if (client.clientId != IngressFormat.SERVICE_CLIENT_ID && nowMs - client.lastActiveMs > idleForgetMs)
            {
                sweepScratch.add(client);
            }
        }
        for (final Client client : sweepScratch)
        {
            clients.remove(client.clientId);
        }
        return sweepScratch.size();
    }

    /** @return clients known. */
    public int size()
    {
        return clients.size();
    }

    /**
     * @param clientId a client.
     * @return its record, or null if unknown (never seen, or forgotten).
     */
    public Client find(final long clientId)
    {
        return clients.get(clientId);
    }

    /** @return the encoded length of this table for {@link #encode}. */
    public int encodedLength()
    {
        int length = Long.BYTES + Integer.BYTES;
        for (final Client client : clients.values())
        {
            length += 5 * Long.BYTES + Integer.BYTES + client.keptCount * (Long.BYTES + Integer.BYTES);
        }
        return length;
    }

    /**
     * Writes the table (next sweep time, then each client in ascending id order, with its kept
     * results).
     *
     * @param buffer target.
     * @param offset where to start.
     * @return the offset after the table.
     */
    public int encode(final MutableDirectBuffer buffer, final int offset)
    {
        int at = offset;
        buffer.putLong(at, nextSweepMs, IngressFormat.ORDER);
        at += Long.BYTES;
        buffer.putInt(at, clients.size(), IngressFormat.ORDER);
        at += Integer.BYTES;
        final long[] ids = new long[clients.size()];
        int n = 0;
        for (final Client client : clients.values())
        {
            ids[n++] = client.clientId;
        }
        Arrays.sort(ids);
        for (final long id : ids)
        {
            final Client client = clients.get(id);
            buffer.putLong(at, client.clientId, IngressFormat.ORDER);
            buffer.putLong(at + 8, client.highestApplied, IngressFormat.ORDER);
            buffer.putLong(at + 16, client.lastActiveMs, IngressFormat.ORDER);
            buffer.putLong(at + 24, client.receivedThrough, IngressFormat.ORDER);
            buffer.putLong(at + 32, client.firstKept(), IngressFormat.ORDER);
            buffer.putInt(at + 40, client.keptCount, IngressFormat.ORDER);
            at += 44;
            for (int i = 0; i < client.keptCount; i++)
            {
                final int slot = client.slot(i);
                buffer.putLong(at, client.keptSequences[slot], IngressFormat.ORDER);
                buffer.putInt(at + 8, client.keptOutcomes[slot], IngressFormat.ORDER);
                at += 12;
            }
        }
        return at;
    }

    /**
     * Replaces this table with an encoded one.
     *
     * @param buffer source.
     * @param offset where the table starts.
     * @param limit  end of the readable bytes.
     * @return the offset after the table.
     * @throws IllegalArgumentException if the bytes are not a table.
     */
    public int decode(final DirectBuffer buffer, final int offset, final int limit)
    {
        clients.clear();
        int at = offset;
        require(at + 12 <= limit, "client table header");
        nextSweepMs = buffer.getLong(at, IngressFormat.ORDER);
        final int count = buffer.getInt(at + 8, IngressFormat.ORDER);
        at += 12;
        require(count >= 0, "client count");
        for (int c = 0; c < count; c++)
        {
            require(at + 44 <= limit, "client record");
            final Client client = new Client(buffer.getLong(at, IngressFormat.ORDER));
            client.highestApplied = buffer.getLong(at + 8, IngressFormat.ORDER);
            client.lastActiveMs = buffer.getLong(at + 16, IngressFormat.ORDER);
            client.receivedThrough = buffer.getLong(at + 24, IngressFormat.ORDER);
            final long firstKept = buffer.getLong(at + 32, IngressFormat.ORDER);
            final int kept = buffer.getInt(at + 40, IngressFormat.ORDER);
            at += 44;
            require(kept >= 0 && kept <= MAX_KEPT_RESULTS && at + 12L * kept <= limit, "kept results");
            for (int i = 0; i < kept; i++)
            {
                client.keep(buffer.getLong(at, IngressFormat.ORDER), buffer.getInt(at + 8, IngressFormat.ORDER),
                    firstKept + i);
                at += 12;
            }
            clients.put(client.clientId, client);
        }
        return at;
    }

    private static void require(final boolean condition, final String what)
    {
        if (!condition)
        {
            throw new IllegalArgumentException("malformed client table: " + what);
        }
    }

    /**
     * One client's record: the highest client sequence applied, and the results of the client
     * sequences after {@code receivedThrough} (a ring of at most {@link #MAX_KEPT_RESULTS}).
     */
    public static final class Client
    {
        private final long clientId;
        private long highestApplied;
        private long lastActiveMs = Long.MIN_VALUE;
        private long receivedThrough;
        private long[] keptSequences = new long[64];
        private int[] keptOutcomes = new int[64];
        private long[] keptClientSequences = new long[64];
        private int keptHead;
        private int keptCount;

        Client(final long clientId)
        {
            this.clientId = clientId;
        }

        /** @return the client id. */
        public long clientId()
        {
            return clientId;
        }

        /** @return the highest client sequence applied (0: none). */
        public long highestApplied()
        {
            return highestApplied;
        }

        /**
         * Records that {@code clientSequence} (the next one) was applied, keeping its result.
         *
         * @param clientSequence {@link #highestApplied()} + 1.
         * @param sequence       the engine sequence it got.
         * @param outcome        its outcome code.
         */
        public void applied(final long clientSequence, final long sequence, final int outcome)
        {
            highestApplied = clientSequence;
            keep(sequence, outcome, clientSequence);
        }

        /**
         * Drops the kept results up to the client sequence the client says it holds.
         *
         * @param through the client's "results received through".
         */
        public void received(final long through)
        {
            if (through <= receivedThrough)
            {
                return;
            }
            receivedThrough = through;
            while (keptCount > 0 && keptClientSequences[keptHead] <= through)
            {
                keptHead = (keptHead + 1) % keptSequences.length;
                keptCount--;
            }
        }

        /**
         * @param clientSequence an applied client sequence.
         * @return its slot in the ring, or -1 when its result is no longer kept.
         */
        public int findKept(final long clientSequence)
        {
            if (keptCount == 0)
            {
                return -1;
            }
            final long first = keptClientSequences[keptHead];
            final long index = clientSequence - first;
            return index < 0 || index >= keptCount ? -1 : slot((int)index);
        }

        /**
         * @param slot from {@link #findKept}.
         * @return the engine sequence of that result.
         */
        public long keptSequence(final int slot)
        {
            return keptSequences[slot];
        }

        /**
         * @param slot from {@link #findKept}.
         * @return the outcome of that result.
         */
        public int keptOutcome(final int slot)
        {
            return keptOutcomes[slot];
        }

        /** @return results kept for resends. */
        public int keptCount()
        {
            return keptCount;
        }

        private long firstKept()
        {
            return keptCount == 0 ? highestApplied + 1 : keptClientSequences[keptHead];
        }

        private int slot(final int index)
        {
            return (keptHead + index) % keptSequences.length;
        }

        private void keep(final long sequence, final int outcome, final long clientSequence)
        {
            if (keptCount == MAX_KEPT_RESULTS)
            {
                keptHead = (keptHead + 1) % keptSequences.length;
                keptCount--;
            }
            else if (keptCount == keptSequences.length)
            {
                grow();
            }
            final int at = slot(keptCount);
            keptSequences[at] = sequence;
            keptOutcomes[at] = outcome;
            keptClientSequences[at] = clientSequence;
            keptCount++;
        }

        private void grow()
        {
            final int capacity = keptSequences.length * 2;
            final long[] sequences = new long[capacity];
            final int[] outcomes = new int[capacity];
            final long[] clientSequences = new long[capacity];
            for (int i = 0; i < keptCount; i++)
            {
                final int from = slot(i);
                sequences[i] = keptSequences[from];
                outcomes[i] = keptOutcomes[from];
                clientSequences[i] = keptClientSequences[from];
            }
            keptSequences = sequences;
            keptOutcomes = outcomes;
            keptClientSequences = clientSequences;
            keptHead = 0;
        }
    }
}
