package io.stockflow.affinity;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * How strictly an {@link AffinityPlan} is applied.
 */
public enum AffinityMode
{
    /**
     * Hands off: no thread is pinned or re-masked, threads keep the mask they inherit. Wait
     * strategies are kept except that spinning beyond the machine's capacity is still downgraded,
     * because on a small machine an oversubscribed spinner starves the very stage it waits for.
     */
    OFF("off"),
    /** Pins what can be pinned; every invalid choice falls back with a recorded, logged reason. */
    BEST_EFFORT("best-effort"),
    /** Any invalid choice or binding that does not take fails start-up with all the reasons. */
    REQUIRED("required");

    private final String fileName;

    AffinityMode(String fileName)
    {
        this.fileName = fileName;
    }

    /**
     * The spelling used in plan files and tables.
     *
     * @return e.g. {@code best-effort}
     */
    public String fileName()
    {
        return fileName;
    }

    /**
     * Reads a plan-file spelling; case-insensitive, and {@code _} is accepted for {@code -}.
     *
     * @param text the value as written
     * @return the mode, or empty when the text names none
     */
    public static Optional<AffinityMode> fromFileName(String text)
    {
        String normalised = text.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        return Arrays.stream(values()).filter(mode -> mode.fileName.equals(normalised)).findFirst();
    }

    /**
     * The accepted spellings, for error messages.
     *
     * @return {@code off, best-effort, required}
     */
    public static String fileNames()
    {
        return Arrays.stream(values()).map(AffinityMode::fileName).collect(Collectors.joining(", "));
    }
}
