package io.stockflow.perf.harness;

import java.util.List;

/**
 * Whether the raw-journal baseline runs with the journal's pretoucher beside it: off (raw
 * Chronicle Queue as it comes), on (as the engine's journal runs by default), or both, one
 * after the other in the same run, so the comparison with the engine can be made either way.
 */
public enum RawPretouch
{
    /** Nothing pretouches the raw queue. */
    OFF,
    /** The journal's pretoucher runs beside the raw queue. */
    ON,
    /** Off, then on. */
    BOTH;

    /** @return the pretouch settings to run, in order: {@code false} for off, {@code true} for on. */
    public List<Boolean> settings()
    {
        switch (this)
        {
            case OFF:
                return List.of(false);
            case ON:
                return List.of(true);
            default:
                return List.of(false, true);
        }
    }

    /**
     * @param pretouch one setting.
     * @return how a report names it: {@code "on"} or {@code "off"}.
     */
    public static String label(final boolean pretouch)
    {
        return pretouch ? "on" : "off";
    }
}
