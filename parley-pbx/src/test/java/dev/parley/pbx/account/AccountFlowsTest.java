package dev.parley.pbx.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.pbx.account.memory.InMemoryAccountFlowRepository;
import dev.parley.pbx.account.memory.InMemoryApiTokenRepository;
import dev.parley.pbx.account.memory.InMemoryTotpRepository;
import dev.parley.pbx.account.memory.InMemoryWebSessionRepository;
import dev.parley.pbx.directory.Device;
import dev.parley.pbx.directory.DirectoryCache;
import dev.parley.pbx.directory.Extension;
import dev.parley.pbx.directory.Role;
import dev.parley.pbx.directory.User;
import dev.parley.pbx.directory.UserId;
import dev.parley.pbx.directory.memory.InMemoryDeviceRepository;
import dev.parley.pbx.directory.memory.InMemoryExtensionRepository;
import dev.parley.pbx.directory.memory.InMemoryUserRepository;
import dev.parley.pbx.directory.memory.InMemoryWebPasswordRepository;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class AccountFlowsTest {
    private static final Pattern LINK = Pattern.compile("https://pbx\\.example\\.org:8443/#(\\w+)=([A-Za-z0-9_-]{43})");
    private final InMemoryUserRepository users = new InMemoryUserRepository();
    private final InMemoryWebPasswordRepository passwords = new InMemoryWebPasswordRepository();
    private final InMemoryWebSessionRepository sessions = new InMemoryWebSessionRepository();
    private final InMemoryApiTokenRepository tokens = new InMemoryApiTokenRepository();
    private final InMemoryExtensionRepository extensions = new InMemoryExtensionRepository();
    private final InMemoryAccountFlowRepository repository = new InMemoryAccountFlowRepository(users, passwords,
            sessions, tokens, extensions, new InMemoryDeviceRepository(), new InMemoryTotpRepository());
    private final List<Mailer.Message> sent = new ArrayList<>();
    private Instant now = Instant.parse("2026-12-06T05:00:00Z");
    private final InstantSource clock = () -> now;
    private final HashingGate gate = new HashingGate(2, Duration.ofSeconds(5));
    private final WebLogin login = new WebLogin(users, passwords, gate,
            new LoginThrottle(LoginThrottle.Settings.defaults(), clock));
    private final AccountFlows flows = new AccountFlows(users, repository, login, gate, sent::add, Runnable::run,
            () -> "https://pbx.example.org:8443/", clock);
    private final User alice = new User(new UserId("a"), "alice", "Alice", Role.USER, "alice@example.org");

    AccountFlowsTest() {
        users.save(alice);
        passwords.set(alice.id(), PasswordHashing.argon2id("harbour-violet-engine".toCharArray()));
        repository.setSignupEnabled(true);
    }

    private String token(Mailer.Message m, String action) {
        Matcher link = LINK.matcher(m.text());
        assertThat(link.find()).as(m.text()).isTrue();
        assertThat(link.group(1)).isEqualTo(action);
        return link.group(2);
    }

    @Test
    void signUpMailsALinkAndTheAccountExistsOnlyOnceItIsFollowedOnce() {
        flows.signUp("bob", "Bob@Example.org", "Bob", "copper-kettle-meadow".toCharArray());
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).to()).isEqualTo("bob@example.org");
        assertThat(users.findByName("bob")).as("not before the link is followed").isEmpty();
        String token = token(sent.get(0), "confirm");
        User bob = flows.confirmSignup(token).orElseThrow();
        assertThat(bob.role()).isEqualTo(Role.USER);
        assertThat(bob.email()).isEqualTo("bob@example.org");
        assertThat(extensions.findByOwner(bob.id())).as("no extension is given").isEmpty();
        assertThat(login.signIn("bob", "copper-kettle-meadow".toCharArray(), "s"))
                .isEqualTo(new WebLogin.SignedIn(bob));
        assertThat(flows.confirmSignup(token)).as("single use").isEmpty();
    }

    @Test
    void signUpWithATakenAddressOrNameSendsNoLinkAndSaysTheSame() {
        flows.signUp("alice2", "alice@example.org", "", "copper-kettle-meadow".toCharArray());
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).to()).isEqualTo("alice@example.org");
        assertThat(LINK.matcher(sent.get(0).text()).find()).as("a notice, not a link").isFalse();
        flows.signUp("alice", "other@example.org", "", "copper-kettle-meadow".toCharArray());
        assertThat(sent).hasSize(1);
    }

    @Test
    void signUpChecksItsInputAndTheSwitch() {
        assertThatThrownBy(() -> flows.signUp("bob smith", "b@example.org", "", "copper-kettle-meadow".toCharArray()))
                .isInstanceOf(AccountFlows.Invalid.class).extracting("field").isEqualTo("username");
        assertThatThrownBy(() -> flows.signUp("bob", "b at example", "", "copper-kettle-meadow".toCharArray()))
                .isInstanceOf(AccountFlows.Invalid.class).extracting("field").isEqualTo("email");
        assertThatThrownBy(() -> flows.signUp("bob", "b@example.org", "", "password1234".toCharArray()))
                .isInstanceOf(AccountFlows.Invalid.class).extracting("field").isEqualTo("password");
        repository.setSignupEnabled(false);
        assertThatThrownBy(() -> flows.signUp("bob", "b@example.org", "", "copper-kettle-meadow".toCharArray()))
                .isInstanceOf(AccountFlows.SignupOff.class);
        assertThat(sent).isEmpty();
    }

    @Test
    void aSignUpLinkExpiresAfter24Hours() {
        flows.signUp("bob", "bob@example.org", "", "copper-kettle-meadow".toCharArray());
        now = now.plus(Duration.ofHours(24));
        assertThat(flows.confirmSignup(token(sent.get(0), "confirm"))).isEmpty();
    }

    @Test
    void resetSetsANewPasswordEndsSessionsAndTokensAndExpiresAfterAnHour() {
        flows.requestPasswordReset("nobody@example.org");
        assertThat(sent).isEmpty();
        sessions.insert(new WebSessionRepository.Stored("h", alice.id(), "c", now, now));
        new ApiTokens(tokens, clock).issue(alice.id(), "script", null);
        flows.requestPasswordReset("ALICE@example.org");
        String token = token(sent.get(0), "reset");
        assertThatThrownBy(() -> flows.confirmPasswordReset(token, "short".toCharArray()))
                .isInstanceOf(AccountFlows.Invalid.class);
        assertThat(flows.confirmPasswordReset(token, "granite-sparrow-tunnel".toCharArray()))
                .isEqualTo(new AccountFlows.Done());
        assertThat(sessions.findByUser(alice.id())).isEmpty();
        assertThat(tokens.findByUser(alice.id())).isEmpty();
        assertThat(login.signIn("alice", "granite-sparrow-tunnel".toCharArray(), "s"))
                .isInstanceOf(WebLogin.SignedIn.class);
        assertThat(flows.confirmPasswordReset(token, "granite-sparrow-tunnel2".toCharArray()))
                .isEqualTo(new AccountFlows.NoSuchToken());
        flows.requestPasswordReset("alice@example.org");
        now = now.plus(Duration.ofHours(1));
        assertThat(flows.confirmPasswordReset(token(sent.get(1), "reset"), "granite-sparrow-tunnel3".toCharArray()))
                .isEqualTo(new AccountFlows.NoSuchToken());
    }

    @Test
    void emailChangeNeedsThePasswordAndTheNewAddressesLink() {
        assertThat(flows.requestEmailChange(alice, "new@example.org", "wrong-password-here".toCharArray(), "s"))
                .isEqualTo(new AccountFlows.WrongPassword());
        assertThat(flows.requestEmailChange(alice, "New@example.org", "harbour-violet-engine".toCharArray(), "s"))
                .isEqualTo(new AccountFlows.Done());
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).to()).isEqualTo("new@example.org");
        assertThat(users.findById(alice.id()).orElseThrow().email()).isEqualTo("alice@example.org");
        assertThat(flows.confirmEmailChange(token(sent.get(0), "email")).orElseThrow().email())
                .isEqualTo("new@example.org");
        assertThat(users.findByEmail("new@example.org")).isPresent();
    }

    @Test
    void closingNeedsThePasswordAndRemovesTheUserAndTheirs() {
        extensions.save(new Extension("101", alice.id()));
        assertThat(flows.closeAccount(alice, "wrong-password-here".toCharArray(), "s"))
                .isEqualTo(new AccountFlows.WrongPassword());
        assertThat(flows.closeAccount(alice, "harbour-violet-engine".toCharArray(), "s"))
                .isEqualTo(new AccountFlows.Done());
        assertThat(users.findById(alice.id())).isEmpty();
        assertThat(extensions.find("101")).isEmpty();
        assertThat(login.signIn("alice", "harbour-violet-engine".toCharArray(), "s"))
                .isEqualTo(new WebLogin.Refused());
    }

    @Test
    void closingDropsThePbxCopyOfTheDirectorySoTheDevicesGoAtOnce() {
        // the PBX reads through a DirectoryCache; here its version never changes and its clock never moves, so
        // only the closure's own signal can make it forget alice's phone
        InMemoryDeviceRepository devices = new InMemoryDeviceRepository();
        InMemoryAccountFlowRepository store = new InMemoryAccountFlowRepository(users, passwords, sessions, tokens,
                extensions, devices, new InMemoryTotpRepository());
        DirectoryCache cache = new DirectoryCache(users, extensions, devices, () -> 1L,
                Clock.fixed(now, ZoneOffset.UTC), Duration.ofHours(1));
        List<String> signals = new ArrayList<>();
        AccountFlows closing = new AccountFlows(users, store, login, gate, sent::add, Runnable::run,
                () -> "https://pbx.example.org:8443/", clock, () -> {
                    signals.add("changed");
                    cache.invalidate();
                });
        devices.save(Device.create(alice.id(), "alice-desk", "desk"));
        assertThat(cache.devices().findBySipUsername("alice-desk")).as("cached").isPresent();

        assertThat(closing.closeAccount(alice, "wrong-password-here".toCharArray(), "s"))
                .isEqualTo(new AccountFlows.WrongPassword());
        assertThat(signals).as("nothing closed, nothing changed").isEmpty();
        assertThat(closing.closeAccount(alice, "harbour-violet-engine".toCharArray(), "s"))
                .isEqualTo(new AccountFlows.Done());
        assertThat(signals).containsExactly("changed");
        assertThat(cache.devices().findBySipUsername("alice-desk")).isEmpty();
        assertThat(cache.users().findByName("alice")).isEmpty();
    }

    @Test
    void closingPassesTheConfiguredCallRecordPolicyToTheStore() {
        for (ClosedAccountCalls policy : ClosedAccountCalls.values()) {
            users.save(alice); // back for the second policy
            passwords.set(alice.id(), PasswordHashing.argon2id("harbour-violet-engine".toCharArray()));
            List<Object> asked = new ArrayList<>();
            // records what reaches the store, then lets the in-memory store do the closing
            AccountFlowRepository recording = (AccountFlowRepository) Proxy.newProxyInstance(
                    AccountFlowRepository.class.getClassLoader(), new Class<?>[] {AccountFlowRepository.class},
                    (proxy, method, args) -> {
                        if (method.getName().equals("closeAccount")) {
                            asked.addAll(List.of(args));
                        }
                        try {
                            return method.invoke(repository, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
            AccountFlows closing = new AccountFlows(users, recording, login, gate, sent::add, Runnable::run,
                    () -> "https://pbx.example.org:8443/", clock, () -> { }, policy);
            assertThat(closing.closeAccount(alice, "harbour-violet-engine".toCharArray(), "s"))
                    .isEqualTo(new AccountFlows.Done());
            assertThat(asked).containsExactly(alice.id(), policy, AccountFlows.CLOSED_ACCOUNT);
            assertThat(users.findById(alice.id())).isEmpty();
        }
    }

    @Test
    void malformedTokensAreRefusedWithoutALookup() {
        assertThat(flows.confirmSignup("x")).isEmpty();
        assertThat(flows.confirmEmailChange(null)).isEmpty();
        assertThat(flows.confirmPasswordReset("../../etc", "granite-sparrow-tunnel".toCharArray()))
                .isEqualTo(new AccountFlows.NoSuchToken());
    }
}
