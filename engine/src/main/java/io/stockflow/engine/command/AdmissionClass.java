package io.stockflow.engine.command;

/**
 * The back-pressure class of a command (docs/DOMAIN.md "Admission classes"): when the
 * ring is short of free slots, the publisher sheds {@link #NORMAL} commands first,
 * then {@link #HIGH}, and never {@link #CRITICAL}, so the work that frees inventory
 * is never starved by a surge of new orders.
 */
public enum AdmissionClass
{
    /** CANCEL, SHIP, DELIVER, RETURN, RULES: never shed; the caller waits with its timeout. */
    CRITICAL,

    /** RESTOCK, ADJUST: shed when free ring capacity falls below the low watermark. */
    HIGH,

    /** PLACE: shed when free ring capacity falls below the high watermark. */
    NORMAL
}
