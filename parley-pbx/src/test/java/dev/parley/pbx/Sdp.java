package dev.parley.pbx;

/** SDP bodies for tests; the PBX passes them through byte for byte. */
final class Sdp {
    private Sdp() {
    }

    static String of(String user, int port) {
        return "v=0\r\n"
                + "o=" + user + " 1 1 IN IP4 127.0.0.1\r\n"
                + "s=-\r\n"
                + "c=IN IP4 127.0.0.1\r\n"
                + "t=0 0\r\n"
                + "m=audio " + port + " RTP/AVP 0 8 101\r\n"
                + "a=rtpmap:101 telephone-event/8000\r\n"
                + "a=sendrecv\r\n";
    }
}
