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
            LOG.info(endLine(record));
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
            LOG.info(startLine(id, callId, caller, callee, branches));
        }
    }

    static void answered(String id, String callId, String answeredBy) {
        if (LOG.isInfoEnabled()) {
            LOG.info(answerLine(id, callId, answeredBy));
        }
    }

    // The lines are built here and handed to the logger whole, without arguments: SLF4J's MessageFormatter (a
    // search for each {}, a varargs array, a type check per argument) was a fifth of their cost under load
    // (docs/benchmarks.md, issue 3). Logback writes a message without arguments as it is, so "{}" in network
    // text stays literal, as it did as an argument.

    static String startLine(String id, String callId, String caller, String callee, int branches) {
        StringBuilder sb = new StringBuilder(160).append("call start id=").append(id);
        appendSafe(sb.append(" call-id="), callId);
        appendSafe(sb.append(" caller="), caller);
        appendSafe(sb.append(" callee="), callee);
        return sb.append(" contacts=").append(branches).toString();
    }

    static String answerLine(String id, String callId, String answeredBy) {
        StringBuilder sb = new StringBuilder(128).append("call answer id=").append(id);
        appendSafe(sb.append(" call-id="), callId);
        appendSafe(sb.append(" answered-by="), answeredBy);
        return sb.toString();
    }

    static String endLine(CallRecord record) {
        StringBuilder sb = new StringBuilder(200).append("call end id=").append(record.id());
        appendSafe(sb.append(" call-id="), record.callId());
        appendSafe(sb.append(" caller="), record.caller());
        appendSafe(sb.append(" callee="), record.callee());
        appendSafe(sb.append(" answered-by="), record.answeredBy());
        return sb.append(" status=").append(record.status()).append(" cause=").append(record.cause()).toString();
    }

    /** Appends {@code text} made safe ({@link #safe}) without making a string of it first. */
    private static void appendSafe(StringBuilder sb, String text) {
        if (text == null) {
            sb.append('-');
            return;
        }
        int n = Math.min(text.length(), MAX_TEXT);
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            sb.append(isSafe(c) ? c : '?');
        }
    }

    /**
     * Text from the network made safe for one log line: printable ASCII without quotes or backslashes, at most 64
     * characters; anything else is replaced by {@code ?} so a crafted Call-ID or number cannot forge a log line.
     */
    static String safe(String text) {
        StringBuilder sb = new StringBuilder(MAX_TEXT);
        appendSafe(sb, text);
        return sb.toString();
    }

    private static boolean isSafe(char c) {
        return c > 0x20 && c < 0x7F && c != '"' && c != '\\';
    }
}
