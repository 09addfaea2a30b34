/**
 * Implementation parts of the journal that other modules must not use: the writer's directory
 * lock, the metadata file, the background thread with its pretoucher and free-space guard, and the
 * range syncer behind {@link io.stockflow.journal.Durability#OS_CRASH}. Public only because Java
 * packages offer nothing between package-private and public.
 */
package io.stockflow.journal.internal;
