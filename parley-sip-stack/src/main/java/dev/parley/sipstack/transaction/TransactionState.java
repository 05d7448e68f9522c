package dev.parley.sipstack.transaction;

/**
 * The states of the four transaction state machines (RFC 3261 Figures 5–8, with RFC 6026's Accepted). Each machine
 * uses a subset: INVITE client Calling → Proceeding → Completed | Accepted; non-INVITE client Trying → Proceeding →
 * Completed; INVITE server Proceeding → Completed → Confirmed | Accepted; non-INVITE server Trying → Proceeding →
 * Completed. All end in Terminated.
 */
public enum TransactionState {
    CALLING,
    TRYING,
    PROCEEDING,
    COMPLETED,
    CONFIRMED,
    /** RFC 6026 §8.4 (client) and §8.5 (server): a 2xx was received or sent; later 2xx belong to the TU. */
    ACCEPTED,
    TERMINATED
}
