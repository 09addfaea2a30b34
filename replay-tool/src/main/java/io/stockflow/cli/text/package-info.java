/**
 * The JSON Lines text form of commands and results (docs/DOMAIN.md "Text form"), read by
 * {@code stockflow run} and written by {@code stockflow dump} and {@code run --results}.
 *
 * <pre>
 *  input bytes ──JsonLinesCommandReader──► ParsedCommand ──encode──► CommandCodec bytes ──► engine
 *       (lines, limits, UTF-8)   (JsonLineParser: Jackson streaming, strict fields)
 *
 *  journal ──CommandView──► TextFormat.appendCommand ──JsonLinesWriter──► dump (input form)
 *  outcomes ──────────────► TextFormat.appendResult  ──JsonLinesWriter──► results
 * </pre>
 *
 * <p>The reader refuses the input at the first line that is not a command with a
 * {@link io.stockflow.cli.text.CommandFormatException} carrying the line number and a
 * reason a person can act on; values outside the business rules are not format
 * errors, they are journaled and rejected by the engine.
 */
package io.stockflow.cli.text;
