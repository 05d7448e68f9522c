package dev.parley.sipstack.dialog;

import dev.parley.sip.message.SipRequest;
import dev.parley.sip.message.SipResponse;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The dialogs of one lane by dialog id (RFC 3261 §12). Forked early dialogs of one INVITE share Call-ID and local
 * tag and differ by remote tag, so each is its own entry. Confined to the lane, like the dialogs it holds.
 */
public final class Dialogs {
    private final Map<DialogId, Dialog> byId = new HashMap<>();

    /**
     * Registers a dialog.
     *
     * @throws IllegalStateException when a dialog with the same id is already registered
     */
    public Dialog add(Dialog dialog) {
        Dialog previous = byId.putIfAbsent(dialog.id(), dialog);
        if (previous != null && previous != dialog) {
            throw new IllegalStateException("dialog " + dialog.id() + " is already registered");
        }
        return dialog;
    }

    public Optional<Dialog> find(DialogId id) {
        return id == null ? Optional.empty() : Optional.ofNullable(byId.get(id));
    }

    /** RFC 3261 §12.2.2: the dialog a received request with a To tag belongs to. */
    public Optional<Dialog> forIncomingRequest(SipRequest request) {
        return find(DialogId.ofIncomingRequest(request));
    }

    /** RFC 3261 §12.1.2: the dialog a received response belongs to (early or confirmed). */
    public Optional<Dialog> forIncomingResponse(SipResponse response) {
        return find(DialogId.ofIncomingResponse(response));
    }

    public boolean remove(DialogId id) {
        return byId.remove(id) != null;
    }

    public int size() {
        return byId.size();
    }

    public Collection<Dialog> all() {
        return Collections.unmodifiableCollection(byId.values());
    }
}
