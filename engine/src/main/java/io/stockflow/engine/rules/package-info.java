/**
 * The order, inventory and fulfillment rules of docs/DOMAIN.md: a plain,
 * single-threaded, deterministic component that the logic stage and replay both
 * drive through {@link io.stockflow.engine.rules.FulfillmentRules#apply}.
 *
 * <pre>
 *  apply(seq, t, command)
 *     ├─ ExpiryQueue: pop every (deadline, order) with deadline &lt;= t
 *     │     └─ RESERVED? release lines → EXPIRED → ExpiryListener.onExpired
 *     └─ command: checks in docs/DOMAIN.md order → Outcome code
 *           SkuTable    sku → row → onHand, reserved
 *           OrderTable  order → row → account, status, deadline, lines (arena)
 *  stateHash = Σ hash(fact) over SKU and order facts, kept current per change
 * </pre>
 *
 * <p>State lives in primitive columns behind open-addressing {@code long → int}
 * indexes, so millions of SKUs and orders are a handful of arrays to the garbage
 * collector and applying an event allocates nothing once the tables are sized.
 */
package io.stockflow.engine.rules;
