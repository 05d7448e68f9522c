package dev.parley.pbx.call;

import dev.parley.pbx.cdr.CallRecord;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Saves CDRs without blocking the lane and writes the call log: one INFO line when a call starts, is answered and ends, with
 * Call-ID, caller, callee and cause — never SDP, credentials or anything else from the message bodies.
 */
public final class CallRecorder {
    private static final Logger LOG = LoggerFactory.getLogger("parley.call");
    private static final int MAX_TEXT = 64;

    private CallRecorder() {
    }

    /**
     * Saves {@code record} and logs the end of the call: handed straight to a repository that can take it without
     * blocking ({@link dev.parley.pbx.cdr.CallRecordRepository#offer}, the batching writer), else saved on a
     * virtual thread.
     */
    public static void ended(CallContext ctx, CallRecord record) {
        if (LOG.isInfoEnabled()) { // nothing made for a line that is not written
            LOG.info("call end id={} call-id={} caller={} callee={} answered-by={} status={} cause={}", record.id(),
                    safe(record.callId()), safe(record.caller()), safe(record.callee()), safe(record.answeredBy()),
                    record.status(), record.cause());
        }
        if (ctx.records().offer(record)) {
            return;
        }
        Runnable save = () -> {
            try {
                ctx.records().save(record);
            } catch (RuntimeException e) {
                LOG.warn("could not save the CDR of call {}: {}", record.id(), e.toString());
            }
        };
        try {
            ctx.blocking().execute(save);
        } catch (RejectedExecutionException e) {
            LOG.warn("the PBX has closed: the CDR of call {} is not saved", record.id());
        }
    }

    static void started(String id, String callId, String caller, String callee, int branches) {
        if (LOG.isInfoEnabled()) {
            LOG.info("call start id={} call-id={} caller={} callee={} contacts={}", id, safe(callId), safe(caller),
                    safe(callee), branches);
        }
    }

    static void answered(String id, String callId, String answeredBy) {
        if (LOG.isInfoEnabled()) {
            LOG.info("call answer id={} call-id={} answered-by={}", id, safe(callId), safe(answeredBy));
        }
    }

    /**
     * Text from the network made safe for one log line: printable ASCII without quotes or backslashes, at most 64
     * characters; anything else is replaced by {@code ?} so a crafted Call-ID or number cannot forge a log line.
     */
    static String safe(String text) {
        if (text == null) {
            return "-";
        }
        int n = Math.min(text.length(), MAX_TEXT);
        int i = 0;
        while (i < n && isSafe(text.charAt(i))) {
            i++;
        }
        if (i == text.length()) {
            return text; // the usual case: nothing to replace, no copy (three lines per call under load)
        }
        StringBuilder sb = new StringBuilder(n).append(text, 0, i);
        for (; i < n; i++) {
            char c = text.charAt(i);
            sb.append(isSafe(c) ? c : '?');
        }
        return sb.toString();
    }

    private static boolean isSafe(char c) {
        return c > 0x20 && c < 0x7F && c != '"' && c != '\\';
    }
}
