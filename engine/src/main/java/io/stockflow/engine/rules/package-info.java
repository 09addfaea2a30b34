/**
 * The order, inventory and fulfillment rules of docs/DOMAIN.md as a plain,
 * single-threaded, deterministic state machine that the logic stage and replay
 * both drive through {@link io.stockflow.engine.rules.FulfillmentRules#apply}.
 *
 * <pre>
 *  apply(ts, command)
 *     ├─ EventClock: seq = last + 1, t = max(ts, previous t)
 *     ├─ ExpiryQueue: pop every (deadline, order) with deadline &lt;= t
 *     │     └─ RESERVED? release lines → EXPIRED → ExpiryListener.onExpired
 *     └─ command: checks in docs/DOMAIN.md order → Outcome code
 *           SkuTable    sku → row → onHand, reserved
 *           OrderTable  order → row → account, status, deadline, lines (arena)
 *  stateHash = Σ hash(fact) over SKU and order facts, kept current per change
 *
 *  StateView       read-only: queries, printing, snapshot capture, hashing
 *  StateRestorer   fresh rules + a snapshot's entities → checked, live rules
 *  StateInvariants the consistency checks, off the hot path
 * </pre>
 *
 * <p>State lives in primitive columns behind open-addressing {@code long → int}
 * indexes, so millions of SKUs and orders are a handful of arrays to the garbage
 * collector and applying an event allocates nothing once the tables are sized.
 * Nothing here knows threads, rings or files.
 */
package io.stockflow.engine.rules;
