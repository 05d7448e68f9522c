package dev.parley.pbx.registrar;

import static dev.parley.pbx.auth.TestSip.register;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.pbx.directory.Device;
import dev.parley.pbx.directory.UserId;
import dev.parley.pbx.directory.memory.InMemoryExtensionRepository;
import dev.parley.pbx.registrar.memory.InMemoryBindingRepository;
import dev.parley.pbx.security.MutableClock;
import dev.parley.sipstack.flow.Flow;
import dev.parley.sipstack.flow.FlowIds;
import dev.parley.sipstack.flow.Transport;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** RFC 5626 §5.3 / RFC 7118 §5: a binding made over a connection goes when the connection closes. */
class RegistrarFlowClosedTest {
    private final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
    private final InMemoryBindingRepository repository = new InMemoryBindingRepository();
    private final Registrar registrar = new Registrar(RegistrarPolicy.defaults(), repository,
            new InMemoryExtensionRepository(), clock);
    private final Device desk = Device.create(UserId.random(), "101", "desk");

    /** A connection that can be closed. */
    static final class Connection implements Flow {
        final Transport transport;
        final InetSocketAddress remote;
        final String id;
        volatile boolean open = true;

        Connection(Transport transport, int port) {
            this.transport = transport;
            this.remote = new InetSocketAddress("203.0.113.9", port);
            this.id = FlowIds.next(transport);
        }

        @Override
        public Transport transport() {
            return transport;
        }

        @Override
        public InetSocketAddress localAddress() {
            return new InetSocketAddress("192.0.2.1", 8443);
        }

        @Override
        public InetSocketAddress remoteAddress() {
            return remote;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void send(byte[] message) {
        }
    }

    @Test
    void closingAConnectionRemovesOnlyTheBindingsMadeOverIt() {
        Connection ws = new Connection(Transport.WSS, 50001);
        Connection tls = new Connection(Transport.TLS, 50002);
        registrar.register(register("101", "a", 1, "Contact: <sip:x1@abc.invalid;transport=ws>"), desk, ws);
        registrar.register(register("101", "b", 1, "Contact: <sip:101@10.0.0.5;transport=tls>"), desk, tls);
        registrar.register(register("101", "c", 1, "Contact: <sip:101@10.0.0.6>"), desk,
                TestFlow.udp("203.0.113.9", 5060));
        assertThat(registrar.lookup("101")).hasSize(3);

        ws.open = false;
        assertThat(registrar.flowClosed(ws)).singleElement()
                .satisfies(b -> assertThat(b.receivedFrom().flowId()).isEqualTo(ws.id()));

        assertThat(repository.find("101")).extracting(b -> b.receivedFrom().transport())
                .containsExactlyInAnyOrder(Transport.TLS, Transport.UDP);
        assertThat(registrar.flowClosed(ws)).as("a second close finds nothing").isEmpty();
    }

    @Test
    void aBindingRefreshedOverANewConnectionSurvivesTheCloseOfTheOldOne() {
        Connection first = new Connection(Transport.TCP, 50003);
        Connection second = new Connection(Transport.TCP, 50004);
        registrar.register(register("101", "a", 1, "Contact: <sip:101@10.0.0.5;transport=tcp>"), desk, first);
        registrar.register(register("101", "a", 2, "Contact: <sip:101@10.0.0.5;transport=tcp>"), desk, second);

        first.open = false;
        assertThat(registrar.flowClosed(first)).isEmpty();
        assertThat(registrar.lookup("101")).singleElement()
                .satisfies(b -> assertThat(b.receivedFrom().flowId()).isEqualTo(second.id()));
    }

    @Test
    void aRegisterWhoseConnectionClosedMeanwhileLeavesNoBinding() {
        Connection gone = new Connection(Transport.WSS, 50005);
        gone.open = false; // closed while the REGISTER waited for the database: the close event may be past

        registrar.register(register("101", "a", 1, "Contact: <sip:x1@abc.invalid;transport=ws>"), desk, gone);

        assertThat(repository.find("101")).isEmpty();
    }

    @Test
    void datagramFlowsAreNeverTracked() {
        TestFlow udp = TestFlow.udp("203.0.113.9", 5060);
        registrar.register(register("101", "a", 1, "Contact: <sip:101@10.0.0.6>"), desk, udp);

        assertThat(registrar.flowClosed(udp)).isEmpty();
        assertThat(registrar.lookup("101")).hasSize(1);
    }
}
