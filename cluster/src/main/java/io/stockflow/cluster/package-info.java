/**
 * Stockflow replicated on Aeron Cluster (issue 21): {@code service} hosts the rules state machine
 * as a {@code ClusteredService}, {@code client} is the embedding API that feeds it, {@code node}
 * launches one cluster member and {@code cli} is {@code stockflow cluster ...}.
 */
package io.stockflow.cluster;
