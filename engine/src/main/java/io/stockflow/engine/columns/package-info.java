/**
 * Paged primitive columns for the state's tables and the snapshot's copy of them: grown
 * a page at a time, never copied, so no growth step is longer than allocating one page.
 */
package io.stockflow.engine.columns;
