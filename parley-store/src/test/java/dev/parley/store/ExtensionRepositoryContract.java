package dev.parley.store;

import static dev.parley.store.Fixtures.user;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.pbx.directory.Extension;
import dev.parley.pbx.directory.ExtensionRepository;
import dev.parley.pbx.directory.User;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link ExtensionRepository} does. */
abstract class ExtensionRepositoryContract {
    private ExtensionRepository extensions;
    private User alice;
    private User bob;

    protected abstract Repositories repositories();

    @BeforeEach
    void setUp() {
        Repositories r = repositories();
        extensions = r.extensions();
        alice = user("alice");
        bob = user("bob");
        r.users().save(alice);
        r.users().save(bob);
    }

    @Test
    void savedExtensionIsFound() {
        Extension e = new Extension("101", alice.id());
        extensions.save(e);
        assertThat(extensions.find("101")).contains(e);
        assertThat(extensions.find("102")).isEmpty();
    }

    @Test
    void savingAKnownNumberChangesItsOwner() {
        extensions.save(new Extension("101", alice.id()));
        extensions.save(new Extension("101", bob.id()));
        assertThat(extensions.find("101")).contains(new Extension("101", bob.id()));
        assertThat(extensions.findByOwner(alice.id())).isEmpty();
        assertThat(extensions.findAll()).hasSize(1);
    }

    @Test
    void listsAreOrderedByNumberAsText() {
        List<String> numbers = List.of("9", "10", "*97", "#1", "+4930123", "100", "0");
        numbers.forEach(n -> extensions.save(new Extension(n, n.length() % 2 == 0 ? alice.id() : bob.id())));
        List<String> sorted = numbers.stream().sorted(Comparator.naturalOrder()).toList();
        assertThat(extensions.findAll()).extracting(Extension::number).containsExactlyElementsOf(sorted);
        assertThat(extensions.findByOwner(alice.id())).extracting(Extension::number)
                .containsExactlyElementsOf(sorted.stream().filter(n -> n.length() % 2 == 0).toList());
        assertThat(extensions.findByOwner(bob.id())).extracting(Extension::number)
                .containsExactlyElementsOf(sorted.stream().filter(n -> n.length() % 2 == 1).toList());
    }

    @Test
    void addInsertsANewNumberButNeverTakesOne() {
        assertThat(extensions.add(new Extension("101", alice.id()))).isTrue();
        assertThat(extensions.add(new Extension("101", bob.id()))).isFalse();
        assertThat(extensions.add(new Extension("101", alice.id()))).as("not even for the same owner").isFalse();
        assertThat(extensions.find("101")).contains(new Extension("101", alice.id()));
        assertThat(extensions.findByOwner(bob.id())).isEmpty();
        assertThat(extensions.add(new Extension("102", bob.id()))).isTrue();
        assertThat(extensions.findAll()).extracting(Extension::number).containsExactly("101", "102");
    }

    @Test
    void ofConcurrentAddsOfOneNumberExactlyOneWins() throws Exception {
        int writers = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                User owner = i % 2 == 0 ? alice : bob;
                results.add(pool.submit(() -> {
                    start.await();
                    return extensions.add(new Extension("555", owner.id()));
                }));
            }
            start.countDown();
            int won = 0;
            for (var r : results) {
                won += r.get(30, TimeUnit.SECONDS) ? 1 : 0;
            }
            assertThat(won).isEqualTo(1);
            assertThat(extensions.findAll()).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void deleteRemovesOnce() {
        extensions.save(new Extension("101", alice.id()));
        assertThat(extensions.delete("101")).isTrue();
        assertThat(extensions.delete("101")).isFalse();
        assertThat(extensions.find("101")).isEmpty();
        assertThat(extensions.findAll()).isEmpty();
    }
}
