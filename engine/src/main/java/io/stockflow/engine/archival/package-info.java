/**
 * The engine's own journal archiver: a parked background thread that moves (or, where the
 * configuration says so, deletes) the journal's cycle files recovery no longer needs, so a
 * long-running engine's directory stops growing. The file work itself is the journal's
 * {@link io.stockflow.journal.JournalArchiver}, shared with {@code stockflow archive}.
 */
package io.stockflow.engine.archival;
