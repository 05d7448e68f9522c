package dev.parley.rtp.dtls;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** Test listener: forwards datagrams to a wire and records the outcome. */
final class RecordingListener implements DtlsSrtpSession.Listener {
    final CompletableFuture<DtlsConnection> connected = new CompletableFuture<>();
    final CompletableFuture<DtlsFailure> failed = new CompletableFuture<>();
    final CompletableFuture<Void> closed = new CompletableFuture<>();
    final CopyOnWriteArrayList<byte[]> sent = new CopyOnWriteArrayList<>();
    private volatile Consumer<byte[]> wire = datagram -> { };

    void wire(Consumer<byte[]> newWire) {
        wire = newWire;
    }

    @Override
    public void onSend(byte[] datagram) {
        sent.add(datagram);
        wire.accept(datagram);
    }

    @Override
    public void onConnected(DtlsConnection connection) {
        connected.complete(connection);
    }

    @Override
    public void onFailed(DtlsFailure failure) {
        failed.complete(failure);
    }

    @Override
    public void onClosed() {
        closed.complete(null);
    }

    DtlsConnection awaitConnected() throws Exception {
        CompletableFuture.anyOf(connected, failed).get(30, TimeUnit.SECONDS);
        if (failed.isDone()) {
            throw new AssertionError("handshake failed: " + failed.get());
        }
        return connected.get();
    }

    DtlsFailure awaitFailed() throws Exception {
        CompletableFuture.anyOf(connected, failed).get(30, TimeUnit.SECONDS);
        if (connected.isDone()) {
            throw new AssertionError("handshake succeeded but should have failed");
        }
        return failed.get();
    }
}
