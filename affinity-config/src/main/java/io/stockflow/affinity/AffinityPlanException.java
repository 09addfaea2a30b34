package io.stockflow.affinity;

import java.util.List;

/**
 * A plan that cannot be used: a plan file with errors, a plan refused in
 * {@link AffinityMode#REQUIRED} mode, or a pinning that did not take there. Carries every reason,
 * not just the first, so an operator fixes the file in one pass; the {@code stockflow affinity}
 * command prints {@link #reasons()} and exits with status 65.
 */
public final class AffinityPlanException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /** Every reason, one line each; an immutable list. */
    private final List<String> reasons;

    /**
     * An exception with a summary and its reasons.
     *
     * @param summary what was being done, e.g. {@code affinity plan refused}
     * @param reasons one line per problem, each naming stage, CPU or file line and why
     */
    public AffinityPlanException(String summary, List<String> reasons)
    {
        super(summary + ":" + System.lineSeparator() + "  " + String.join(System.lineSeparator() + "  ", reasons));
        this.reasons = List.copyOf(reasons);
    }

    /**
     * Every reason, one line each.
     *
     * @return the reasons, never empty
     */
    public List<String> reasons()
    {
        return reasons;
    }
}
