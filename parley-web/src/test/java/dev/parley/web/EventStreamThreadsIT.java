package dev.parley.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.pbx.account.PasswordHashing;
import dev.parley.pbx.directory.Device;
import dev.parley.pbx.directory.Extension;
import dev.parley.pbx.directory.Role;
import dev.parley.pbx.directory.User;
import dev.parley.pbx.directory.UserId;
import dev.parley.pbx.directory.memory.InMemoryDeviceRepository;
import dev.parley.pbx.directory.memory.InMemoryExtensionRepository;
import dev.parley.pbx.directory.memory.InMemoryUserRepository;
import dev.parley.pbx.directory.memory.InMemoryWebPasswordRepository;
import dev.parley.pbx.presence.PresenceEngine;
import dev.parley.pbx.registrar.memory.InMemoryBindingRepository;
import dev.parley.sipstack.transport.TestCerts;
import dev.parley.web.api.EventStreamApi;
import dev.parley.web.session.Session;
import dev.parley.web.session.SessionStore;
import java.net.InetAddress;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Open event streams hold no platform thread: 100 users open 5 {@code GET /api/me/events} streams each over real
 * HTTPS (500 TLS connections of the JDK client, whose work runs on virtual threads). With all 500 open the web
 * server's platform threads stay within its pool's bound ({@code parley-web*}, at most 64) and the JVM's platform
 * threads well under the number of streams; a settings event reaches its user's 5 streams, and stopping the engine
 * ends all 500 with {@code : end SERVER_STOPPING}. Printed: time to open them, thread counts.
 */
@Timeout(240)
class EventStreamThreadsIT {
    private static final int USERS = 100;
    private static final int STREAMS = USERS * PresenceEngine.MAX_PER_USER;

    /** One stream's lines as the client sees them. */
    private static final class Lines implements Flow.Subscriber<String> {
        final List<String> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch opened;
        final CountDownLatch ended;

        Lines(CountDownLatch opened, CountDownLatch ended) {
            this.opened = opened;
            this.ended = ended;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(String line) {
            seen.add(line);
            if (line.equals(": open")) {
                opened.countDown();
            } else if (line.equals(": end SERVER_STOPPING")) {
                ended.countDown();
            }
        }

        @Override
        public void onError(Throwable t) {
            seen.add("error " + t);
        }

        @Override
        public void onComplete() {
        }
    }

    @Test
    void fiveHundredOpenStreamsHoldNoPlatformThreadEach() throws Exception {
        InMemoryUserRepository users = new InMemoryUserRepository();
        InMemoryWebPasswordRepository passwords = new InMemoryWebPasswordRepository();
        InMemoryExtensionRepository extensions = new InMemoryExtensionRepository();
        InMemoryDeviceRepository devices = new InMemoryDeviceRepository();
        List<User> all = new ArrayList<>();
        for (int i = 0; i < USERS; i++) {
            User u = new User(UserId.random(), "user" + i, "User " + i, Role.USER, null);
            users.save(u);
            extensions.save(new Extension(Integer.toString(1000 + i), u.id()));
            devices.save(Device.create(u.id(), "user" + i + "-desk", "desk"));
            all.add(u);
        }
        passwords.set(all.get(0).id(), PasswordHashing.argon2id("stream-user-password".toCharArray()));
        PresenceEngine presence = new PresenceEngine(users, extensions, devices, new InMemoryBindingRepository(),
                u -> false, Clock.systemUTC(), Duration.ofSeconds(3)).start();
        WebAccounts accounts = WebAccounts.of(users, extensions, passwords);
        EventStreamApi events = new EventStreamApi(presence, accounts.sessions(), Duration.ofMinutes(30),
                Clock.systemUTC());
        WebServer web = new WebServer(WebConfig.of(InetAddress.getLoopbackAddress(), 0,
                TestCerts.get().keyManagers()), null, "127.0.0.1", accounts.withModule(events));
        ExecutorService clientThreads = Executors.newVirtualThreadPerTaskExecutor();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(clientThreads)
                .sslContext(TestCerts.get().trustingClient()).connectTimeout(Duration.ofSeconds(20)).build();
        try {
            web.start();
            ApiClient api = new ApiClient(web);
            // one real sign-in; the other 99 sessions are written to the same repository the server reads (100
            // Argon2id checks took ~50 s on this shared machine and prove nothing here)
            SessionStore mint = new SessionStore(accounts.sessions(), Duration.ofMinutes(30), 10_000, 20,
                    InstantSource.system());
            List<ApiClient.Signed> sessions = new ArrayList<>();
            sessions.add(api.signIn(all.get(0).name(), "stream-user-password"));
            for (User u : all.subList(1, USERS)) {
                Session s = mint.create(u.id());
                sessions.add(new ApiClient.Signed(s.id(), s.csrfToken()));
            }
            int platformBefore = Thread.getAllStackTraces().size();

            CountDownLatch opened = new CountDownLatch(STREAMS);
            CountDownLatch ended = new CountDownLatch(STREAMS);
            Map<Integer, Lines> lines = new ConcurrentHashMap<>();
            List<CompletableFuture<HttpResponse<Void>>> responses = new ArrayList<>();
            long t0 = System.nanoTime();
            for (int i = 0; i < STREAMS; i++) {
                Lines l = new Lines(opened, ended);
                lines.put(i, l);
                responses.add(http.sendAsync(api.request("/api/me/events").timeout(Duration.ofSeconds(120))
                        .header("Cookie", sessions.get(i % USERS).header()).build(),
                        HttpResponse.BodyHandlers.fromLineSubscriber(l)));
            }
            boolean allOpen = opened.await(120, TimeUnit.SECONDS);
            long openMillis = (System.nanoTime() - t0) / 1_000_000;
            long failed = responses.stream().filter(CompletableFuture::isDone)
                    .filter(f -> f.isCompletedExceptionally() || f.join().statusCode() != 200).count();
            assertThat(allOpen).as("all %d streams opened (%d still waiting, %d failed, server holds %d)", STREAMS,
                    opened.getCount(), failed, events.openStreams()).isTrue();
            assertThat(events.openStreams()).isEqualTo(STREAMS);

            Map<Thread, StackTraceElement[]> platform = Thread.getAllStackTraces(); // platform threads only
            long webThreads = platform.keySet().stream().filter(t -> t.getName().startsWith("parley-web")).count();
            System.out.printf("%d event streams open in %d ms; platform threads: %d before, %d now, %d of them the"
                    + " web server's%n", STREAMS, openMillis, platformBefore, platform.size(), webThreads);
            assertThat(webThreads).as("the web server's platform threads").isLessThanOrEqualTo(64);
            assertThat(platform.size()).as("platform threads in the JVM with %d streams open", STREAMS)
                    .isLessThan(STREAMS / 3);

            // still live: user0's settings reach its 5 streams, and only those
            presence.settingsChanged(all.get(0).id(), Map.of("doNotDisturb", true));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            List<Integer> user0 = List.of(0, USERS, 2 * USERS, 3 * USERS, 4 * USERS);
            while (System.nanoTime() < deadline && !user0.stream().allMatch(i -> lines.get(i).seen
                    .contains("event: settings"))) {
                Thread.sleep(50);
            }
            assertThat(user0).allSatisfy(i -> assertThat(lines.get(i).seen).contains("event: settings"));
            assertThat(lines.get(1).seen).doesNotContain("event: settings");

            presence.close(); // the engine ends every stream
            assertThat(ended.await(60, TimeUnit.SECONDS)).as("%d streams still open", ended.getCount()).isTrue();
            events.awaitStreamsEnded(Duration.ofSeconds(30));
            assertThat(events.openStreams()).isZero();
        } finally {
            http.shutdownNow();
            clientThreads.shutdownNow();
            presence.close();
            web.close();
        }
    }
}
