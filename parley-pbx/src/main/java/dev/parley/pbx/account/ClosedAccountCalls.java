package dev.parley.pbx.account;

/**
 * What closing an account does to the user's call records ({@code accounts.closed-account-calls}; issue 6: "CDRs
 * kept as policy says").
 */
public enum ClosedAccountCalls {
    /**
     * The records stay (the other parties' history, the operator's accounting) with
     * {@value AccountFlows#CLOSED_ACCOUNT} in place of the user's name, extension numbers and device usernames.
     */
    ANONYMIZE,
    /**
     * Every record that names the user (as caller, callee or answering device) is deleted, in the same transaction as
     * the account. This also removes those calls from the other parties' call history.
     */
    DELETE
}
