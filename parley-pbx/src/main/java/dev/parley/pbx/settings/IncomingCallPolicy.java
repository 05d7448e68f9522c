package dev.parley.pbx.settings;

import java.util.Objects;

/**
 * What the callee's settings make of an incoming call to their extension, decided before anything rings. A pure
 * function of the settings, whether the callee is already on a call, and the status configured for do not disturb.
 *
 * <table>
 *   <caption>Decisions, in this order</caption>
 *   <tr><th>callee</th><th>decision</th></tr>
 *   <tr><td>do not disturb</td><td>refuse with {@code pbx.dnd-status} (486 Busy Here, or 480 Temporarily
 *       Unavailable: RFC 3261 §21.4.18 and §21.4.7 — 480 tells the caller nothing about whether the user is
 *       there); the CDR cause is {@code do-not-disturb}, so the call shows as missed</td></tr>
 *   <tr><td>call waiting off and on a call</td><td>refuse with 486 (cause {@code busy})</td></tr>
 *   <tr><td>auto-answer</td><td>ring, asking the devices to answer at once</td></tr>
 *   <tr><td>otherwise</td><td>ring</td></tr>
 * </table>
 */
public final class IncomingCallPolicy {
    public static final int BUSY_HERE = 486;
    public static final int TEMPORARILY_UNAVAILABLE = 480;

    /** The outcome for one call. */
    public sealed interface Decision {
        /** Ring the callee's devices; {@code autoAnswer}: ask them to answer by themselves. */
        record Ring(boolean autoAnswer) implements Decision {
        }

        /** Answer the caller {@code status} and ring nothing. */
        record Refuse(int status, Reason reason) implements Decision {
        }
    }

    /** Why a call was refused. */
    public enum Reason { DO_NOT_DISTURB, BUSY }

    private final int dndStatus;

    /** @param dndStatus 486 or 480 */
    public IncomingCallPolicy(int dndStatus) {
        if (dndStatus != BUSY_HERE && dndStatus != TEMPORARILY_UNAVAILABLE) {
            throw new IllegalArgumentException("the do-not-disturb status is 486 or 480, not " + dndStatus);
        }
        this.dndStatus = dndStatus;
    }

    public int dndStatus() {
        return dndStatus;
    }

    /**
     * @param callee the callee's settings
     * @param calleeOnACall whether the callee is already in a call (placing one, or having answered one)
     */
    public Decision decide(UserSettings callee, boolean calleeOnACall) {
        Objects.requireNonNull(callee, "callee");
        if (callee.doNotDisturb()) {
            return new Decision.Refuse(dndStatus, Reason.DO_NOT_DISTURB);
        }
        if (!callee.callWaiting() && calleeOnACall) {
            return new Decision.Refuse(BUSY_HERE, Reason.BUSY);
        }
        return new Decision.Ring(callee.autoAnswer());
    }
}
