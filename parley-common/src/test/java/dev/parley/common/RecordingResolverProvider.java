package dev.parley.common;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolverProvider;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * The name resolver of this module's test JVM (JEP 418, registered in META-INF/services): it records every name the
 * JDK is asked to look up, then hands it to the built-in resolver, so a test can prove that code did no lookup.
 * Names under {@code .invalid} (RFC 6761 §6.4), and every name while {@link #offline} is set, are refused at
 * once, without a query.
 */
public final class RecordingResolverProvider extends InetAddressResolverProvider {
    static final List<String> LOOKUPS = new CopyOnWriteArrayList<>();
    static volatile boolean offline;

    @Override
    public InetAddressResolver get(Configuration configuration) {
        InetAddressResolver builtin = configuration.builtinResolver();
        return new InetAddressResolver() {
            @Override
            public Stream<InetAddress> lookupByName(String host, LookupPolicy policy) throws UnknownHostException {
                LOOKUPS.add(host);
                if (offline || host.endsWith(".invalid")) {
                    throw new UnknownHostException(host);
                }
                return builtin.lookupByName(host, policy);
            }

            @Override
            public String lookupByAddress(byte[] address) throws UnknownHostException {
                return builtin.lookupByAddress(address);
            }
        };
    }

    @Override
    public String name() {
        return "recording";
    }
}
