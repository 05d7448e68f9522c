package dev.parley.pbx.registrar;

import dev.parley.pbx.auth.AuthResult;
import dev.parley.pbx.auth.DigestAuthenticator;
import dev.parley.pbx.security.Bans;
import dev.parley.pbx.security.SecurityLog;
import dev.parley.sip.header.Address;
import dev.parley.sip.message.SipRequest;
import dev.parley.sip.message.SipResponse;
import dev.parley.sip.text.SipSyntaxException;
import dev.parley.sipstack.flow.Flow;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The front door for REGISTER: bans, then Digest authentication, then the registrar. Pure — it sends nothing and
 * owns no thread; the stack sends the {@link Action.Respond} response on the request's server transaction, or
 * sends nothing for {@link Action.Drop}. It may block on the repositories, so the stack runs it on a virtual
 * thread, not on an event loop or a serial lane.
 *
 * <ol>
 *   <li>Source banned ({@link Bans#isBanned}): {@link Action.Drop}. No answer at all: a guesser gets no signal and
 *       no traffic.</li>
 *   <li>{@link DigestAuthenticator#authenticate}: a challenge is answered; when its reason
 *       {@linkplain dev.parley.pbx.auth.ChallengeReason#isFailure() is a failure} it is first counted and logged
 *       ({@code event=auth_failure}). The failure that reaches the ban threshold is still answered (so with the
 *       defaults five failures get five answers); from the next request on, the source is dropped.</li>
 *   <li>Authenticated: {@link Registrar#register}; on {@code 2xx} the flow is told
 *       ({@link Flow#markAuthenticated()}) so the transport keeps the connection of a proven peer.</li>
 * </ol>
 *
 * <p>A malformed header read on the way (Authorization, Expires, Require…) is answered {@code 400} and not counted.
 */
public final class RegistrarService {
    private static final Logger LOG = LoggerFactory.getLogger(RegistrarService.class);

    /** What to do with a REGISTER. */
    public sealed interface Action {
        /** Send {@code response}. */
        record Respond(SipResponse response) implements Action {
            public Respond {
                Objects.requireNonNull(response, "response");
            }
        }

        /** Send nothing. */
        record Drop() implements Action {
        }
    }

    private static final Action DROP = new Action.Drop();

    private final DigestAuthenticator authenticator;
    private final Registrar registrar;
    private final Bans bans;

    public RegistrarService(DigestAuthenticator authenticator, Registrar registrar, Bans bans) {
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        this.registrar = Objects.requireNonNull(registrar, "registrar");
        this.bans = Objects.requireNonNull(bans, "bans");
    }

    public Registrar registrar() {
        return registrar;
    }

    /** Decides what to do with {@code register}, which arrived on {@code source}. */
    public Action handle(SipRequest register, Flow source) {
        InetSocketAddress remote = source.remoteAddress();
        if (bans.isBanned(remote.getAddress())) {
            return DROP;
        }
        try {
            AuthResult result = authenticator.authenticate(register, source.transport());
            return switch (result) {
                case AuthResult.Challenged c -> {
                    if (c.reason().isFailure()) {
                        bans.recordFailure(SecurityLog.Failure.AUTH_FAILURE, remote, source.transport(),
                                c.claimedUsername(), register.method());
                    }
                    yield new Action.Respond(c.response());
                }
                case AuthResult.Authenticated a -> {
                    if (!authenticator.mayUse(a.device(), source.transport())) {
                        yield new Action.Respond(forbidden(register)); // a browser phone's credentials off WSS
                    }
                    SipResponse response = registrar.register(register, a.device(), source);
                    if (response.isSuccess()) {
                        source.markAuthenticated(); // a proven peer's connection may stay open (Flow contract)
                    }
                    yield new Action.Respond(response);
                }
            };
        } catch (SipSyntaxException e) {
            LOG.debug("malformed header in REGISTER from {}: {}", remote, e.getMessage());
            return new Action.Respond(badRequest(register));
        }
    }

    private static SipResponse badRequest(SipRequest request) {
        return answer(request, 400);
    }

    private static SipResponse forbidden(SipRequest request) {
        return answer(request, 403);
    }

    private static SipResponse answer(SipRequest request, int status) {
        SipResponse.Builder b = SipResponse.to(request, status);
        Address to = request.to();
        if (to.tag() == null) {
            b.to(to.withTag(Long.toHexString(ThreadLocalRandom.current().nextLong())));
        }
        return b.build();
    }
}
