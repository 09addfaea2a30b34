package io.stockflow.engine.rules;

import io.stockflow.engine.command.RejectReason;

/**
 * The outcome code returned by {@link FulfillmentRules#apply}: {@link #ACCEPTED}
 * ({@code 0}) or the {@link RejectReason#code()} of the rejection. A primitive
 * code rather than an object so that applying an event allocates nothing.
 */
public final class Outcome
{
    /** The command was accepted. */
    public static final int ACCEPTED = 0;

    private Outcome()
    {
    }

    /**
     * @param outcome an outcome code.
     * @return true if it is {@link #ACCEPTED}.
     */
    public static boolean isAccepted(final int outcome)
    {
        return outcome == ACCEPTED;
    }

    /**
     * @param outcome an outcome code.
     * @return the rejection reason, or {@code null} when accepted.
     * @throws IllegalArgumentException if the code is neither accepted nor a reason.
     */
    public static RejectReason rejectReason(final int outcome)
    {
        return outcome == ACCEPTED ? null : RejectReason.fromCode(outcome);
    }

    /**
     * @param reason a rejection reason.
     * @return its outcome code.
     */
    public static int rejected(final RejectReason reason)
    {
        return reason.code();
    }

    /**
     * @param outcome an outcome code.
     * @return {@code "ACCEPTED"} or the reason's name, as in the results text form.
     */
    public static String name(final int outcome)
    {
        return outcome == ACCEPTED ? "ACCEPTED" : RejectReason.fromCode(outcome).name();
    }
}
