/**
 * Commands and their one binary codec.
 *
 * <p>The caller thread encodes a command with {@link io.stockflow.engine.command.CommandCodec}
 * straight into a preallocated ring slot; the journal stage copies the same bytes
 * into a journal record; the logic stage and replay read them through a reused
 * {@link io.stockflow.engine.command.CommandView}. Nothing on that path allocates.
 *
 * <pre>
 *  publisher ──CommandCodec.encode*──► slot byte[MAX_ENCODED_LENGTH]
 *                                          ├──► journal payload (same bytes)
 *                                          └──► CommandView.wrap ──► rules
 * </pre>
 */
package io.stockflow.engine.command;
