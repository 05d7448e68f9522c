package dev.parley.pbx.directory;

import java.util.function.Supplier;

/**
 * Port: reads of the directory by a thread that must not block, a SIP lane deciding an INVITE. Either the directory
 * is in memory and the reads run against it, or they do not run at all and the caller takes the blocking way (a
 * virtual thread) as for any other blocking work.
 */
public interface InMemoryDirectory {

    /** For repositories that never block (the in-memory ones): the reads just run. */
    InMemoryDirectory ALWAYS = new InMemoryDirectory() {
        @Override
        public <T> T readInMemory(Supplier<T> reads) {
            return reads.get();
        }
    };

    /** For repositories that may block on every read: nothing runs in memory. */
    InMemoryDirectory NEVER = new InMemoryDirectory() {
        @Override
        public <T> T readInMemory(Supplier<T> reads) {
            return null;
        }
    };

    /**
     * Runs {@code reads}, in which every read of the users, extensions and devices this port belongs with is
     * answered from memory without blocking, and returns what it returned; or returns {@code null} without running
     * it when that cannot be done now.
     */
    <T> T readInMemory(Supplier<T> reads);
}
