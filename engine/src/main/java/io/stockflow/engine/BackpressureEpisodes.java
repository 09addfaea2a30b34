package io.stockflow.engine;

import io.stockflow.engine.counters.CountersFile;
import io.stockflow.engine.counters.EngineCounter;
import io.stockflow.engine.jfr.BackpressureEpisodeEvent;

/**
 * Counts BACKPRESSURE refusals and groups them into episodes: the first refusal
 * starts an episode, the next slot claimed (a command or query of any class) ends
 * it. {@code BACKPRESSURE_EPISODES} counts episodes; while JFR records
 * {@link BackpressureEpisodeEvent}, each episode is one event with its refusal count
 * and the lowest free capacity seen, allocated when the episode starts, never per
 * refusal (and never when JFR does not record it).
 *
 * <p><b>Threading.</b> The publisher's owner thread only, except {@link #finish()},
 * which the closing thread calls once no publish is in flight.
 */
final class BackpressureEpisodes
{
    private final CountersFile counters;
    /** Never committed: asked only whether JFR records episodes, so no event is allocated otherwise. */
    private final BackpressureEpisodeEvent episodeProbe = new BackpressureEpisodeEvent();

    private long episodeRefusals;
    private long episodeLowestFree;
    private long episodeShadowLagRefusals;
    private BackpressureEpisodeEvent episodeEvent;

    /** @param counters where refusals and episodes are counted. */
    BackpressureEpisodes(final CountersFile counters)
    {
        this.counters = counters;
    }

    /**
     * Counts one refusal, starting an episode if none is open.
     *
     * @param refusedCounter the admission class's refusal counter.
     * @param free           the free ring capacity seen (0 when the ring was full).
     * @return {@link PublishRefusal#BACKPRESSURE}, for the caller to return.
     */
    long refuse(final EngineCounter refusedCounter, final long free)
    {
        counters.add(refusedCounter, 1);
        if (episodeRefusals == 0)
        {
            counters.add(EngineCounter.BACKPRESSURE_EPISODES, 1);
            episodeLowestFree = free;
            if (episodeProbe.isEnabled())
            {
                episodeEvent = new BackpressureEpisodeEvent();
                episodeEvent.begin();
            }
        }
        episodeRefusals++;
        episodeLowestFree = Math.min(episodeLowestFree, free);
        if (refusedCounter == EngineCounter.REFUSED_SHADOW_LAG)
        {
            episodeShadowLagRefusals++;
        }
        return PublishRefusal.BACKPRESSURE;
    }

    /** A slot was claimed: ends the open episode, if any. */
    void slotClaimed()
    {
        if (episodeRefusals != 0)
        {
            end();
        }
    }

    /** Ends an episode still open when the engine closes (no publish came to end it). */
    void finish()
    {
        slotClaimed();
    }

    private void end()
    {
        final BackpressureEpisodeEvent event = episodeEvent;
        if (event != null)
        {
            episodeEvent = null;
            event.end();
            if (event.shouldCommit())
            {
                event.refusals = episodeRefusals;
                event.lowestFreeSlots = episodeLowestFree;
                event.shadowLagRefusals = episodeShadowLagRefusals;
                event.commit();
            }
        }
        episodeRefusals = 0;
        episodeShadowLagRefusals = 0;
    }
}
