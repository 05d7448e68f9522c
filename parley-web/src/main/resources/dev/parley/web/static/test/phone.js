// Parley's test phone (see phone.html). Query: user, password, target (an extension to call; without it the phone
// waits for a call and answers it), talk (seconds of call before the result, default 4), hangup=0 to stay in the
// call after the result (the other side hangs up), video=1 to send and receive video too (the fake camera's test
// pattern; its getStats() numbers in the result's inboundVideo/outboundVideo, and inboundVideoEarly at half the talk
// time, so a test can see frames keep coming), dropvideo=S to throw away the video frames this phone receives from
// S to S+1 seconds into the call (Chromium's encoded insertable streams): its decoder then lacks their references and
// must ask the sender for a key frame (RFC 4585 PLI), which shows whether the request crosses Parley; vcodec=H264
// to put H.264 first in this phone's video codec preferences (setCodecPreferences), so it offers or answers it first. Reports progress in #status and the console; the result,
// with getStats() numbers, in window.parleyResult.
// provision=1: user and password are the web account's; the page signs in over the API (POST /api/session), asks
// for SIP credentials (POST /api/me/phone) and registers with what it gets, so no SIP password is typed; it reports
// how long sign-in to "registered" took (result.stats.provisioning). With signout=1 as well it signs out when the
// call has ended and then tries to register again with the same credentials, reporting the answer's status
// ("phone: after sign-out REGISTER got N"), and stays connected 3 s more before window.parleyEnded.
'use strict';

(function () {
  const query = new URLSearchParams(location.search);
  const user = query.get('user');
  const password = query.get('password');
  const target = query.get('target');
  const talkMillis = Number(query.get('talk') ?? 4) * 1000;
  const hangUp = query.get('hangup') !== '0';
  const provision = query.get('provision') === '1';
  const signOutAfter = query.get('signout') === '1';
  const provisioning = { signInMillis: null, credentialsMillis: null, registeredMillis: null };
  let csrfToken = null;
  let ua = null;
  const video = query.get('video') === '1';
  const dropVideoAt = query.get('dropvideo') === null ? null : Number(query.get('dropvideo')) * 1000;
  const insertable = dropVideoAt !== null;
  const preferred = query.get('vcodec');
  let confirmedAt = null;
  let framesDropped = 0;
  if (insertable || preferred) {
    // JsSIP adds the tracks before it creates its offer or answer: the place to set up each sender.
    const addTrack = RTCPeerConnection.prototype.addTrack;
    RTCPeerConnection.prototype.addTrack = function (...args) {
      const sender = addTrack.apply(this, args);
      if (insertable) {
        // With encodedInsertableStreams every sender's and receiver's frames go through script: pass them on.
        const streams = sender.createEncodedStreams();
        streams.readable.pipeTo(streams.writable);
      }
      const transceiver = this.getTransceivers().find((t) => t.sender === sender);
      if (preferred && transceiver && sender.track && sender.track.kind === 'video') {
        const codecs = RTCRtpReceiver.getCapabilities('video').codecs;
        const first = (c) => c.mimeType.toLowerCase() === 'video/' + preferred.toLowerCase();
        transceiver.setCodecPreferences(codecs.filter(first).concat(codecs.filter((c) => !first(c))));
      }
      return sender;
    };
  }
  const dropping = () => confirmedAt !== null && Date.now() - confirmedAt >= dropVideoAt
    && Date.now() - confirmedAt < dropVideoAt + 1000;
  // Received frames: all passed on, but video ones dropped while dropping() says so.
  function filterReceived(event) {
    const streams = event.receiver.createEncodedStreams();
    streams.readable.pipeThrough(new TransformStream({
      transform(frame, controller) {
        if (event.track.kind === 'video' && dropping()) {
          framesDropped++;
        } else {
          controller.enqueue(frame);
        }
      },
    })).pipeTo(streams.writable);
  }
  const host = location.hostname;
  const status = (text) => {
    document.getElementById('status').textContent = text;
    console.log('phone: ' + text);
  };
  const finish = (result) => {
    if (!window.parleyResult) {
      window.parleyResult = result;
      status('done: ' + JSON.stringify(result));
    }
  };

  // What getStats() says about the call: audio in (decrypted and decoded) and out, and the DTLS transport.
  async function stats(pc) {
    const out = { inbound: null, outbound: null, transport: null, pair: null, inboundVideo: null,
      outboundVideo: null };
    (await pc.getStats()).forEach((s) => {
      if (s.type === 'inbound-rtp' && s.kind === 'audio') {
        out.inbound = { packetsReceived: s.packetsReceived, packetsLost: s.packetsLost, bytesReceived: s.bytesReceived,
          totalAudioEnergy: s.totalAudioEnergy, totalSamplesReceived: s.totalSamplesReceived,
          audioLevel: s.audioLevel, codecId: s.codecId };
      } else if (s.type === 'inbound-rtp' && s.kind === 'video') {
        out.inboundVideo = { packetsReceived: s.packetsReceived, packetsLost: s.packetsLost,
          framesReceived: s.framesReceived, framesDecoded: s.framesDecoded, keyFramesDecoded: s.keyFramesDecoded,
          frameWidth: s.frameWidth, frameHeight: s.frameHeight, nackCount: s.nackCount, pliCount: s.pliCount,
          firCount: s.firCount, codecId: s.codecId, ssrc: s.ssrc };
      } else if (s.type === 'outbound-rtp' && s.kind === 'video') {
        out.outboundVideo = { packetsSent: s.packetsSent, framesEncoded: s.framesEncoded,
          keyFramesEncoded: s.keyFramesEncoded, nackCount: s.nackCount, pliCount: s.pliCount, firCount: s.firCount,
          retransmittedPacketsSent: s.retransmittedPacketsSent, ssrc: s.ssrc };
      } else if (s.type === 'outbound-rtp' && s.kind === 'audio') {
        out.outbound = { packetsSent: s.packetsSent, bytesSent: s.bytesSent };
      } else if (s.type === 'transport') {
        out.transport = { dtlsState: s.dtlsState, srtpCipher: s.srtpCipher, tlsVersion: s.tlsVersion,
          dtlsRole: s.dtlsRole, iceState: s.iceState };
      } else if (s.type === 'candidate-pair' && s.nominated && s.state === 'succeeded') {
        out.pair = { bytesSent: s.bytesSent, bytesReceived: s.bytesReceived };
      }
    });
    // Every candidate pair by its local candidate's address and port, and how often the selection moved: a
    // capture of the call can then tell which of the browser's sockets carried what.
    const all = await pc.getStats();
    out.pairs = [];
    all.forEach((s) => {
      if (s.type === 'candidate-pair') {
        const local = all.get(s.localCandidateId) || {};
        out.pairs.push({ local: `${local.address}:${local.port}`, state: s.state, nominated: s.nominated,
          packetsSent: s.packetsSent, packetsReceived: s.packetsReceived, requestsSent: s.requestsSent });
      } else if (s.type === 'transport' && out.transport) {
        out.transport.selectedCandidatePairChanges = s.selectedCandidatePairChanges;
      }
    });
    const codecs = [out.inbound, out.inboundVideo].filter((x) => x && x.codecId);
    if (codecs.length) {
      (await pc.getStats()).forEach((s) => {
        codecs.filter((x) => x.codecId === s.id).forEach((x) => {
          x.codec = s.mimeType;
        });
      });
    }
    return out;
  }

  // The dominant frequency of what the browser plays, every 100 ms (Web Audio FFT of the remote stream), so a test
  // can tell which tone arrived, not only that something did.
  const peaks = [];
  function listen(stream) {
    const context = new AudioContext();
    const analyser = context.createAnalyser();
    analyser.fftSize = 8192;
    context.createMediaStreamSource(stream).connect(analyser);
    context.resume();
    const bins = new Float32Array(analyser.frequencyBinCount);
    setInterval(() => {
      analyser.getFloatFrequencyData(bins);
      let best = 1;
      for (let i = 2; i < bins.length; i++) {
        if (bins[i] > bins[best]) {
          best = i;
        }
      }
      peaks.push({ hz: Math.round(best * context.sampleRate / analyser.fftSize), db: Math.round(bins[best]) });
    }, 100);
  }

  function talk(session, started) {
    const play = (pc) => pc.addEventListener('track', (event) => {
      if (insertable) {
        filterReceived(event); // in the track event itself: Chromium refuses it later
      }
      if (event.track.kind === 'video') {
        const screen = document.getElementById('remote-video');
        screen.srcObject = new MediaStream([event.track]);
        screen.play().catch((e) => console.log('phone: play video: ' + e.message));
        return;
      }
      const audio = document.getElementById('remote');
      const stream = new MediaStream([event.track]);
      audio.srcObject = stream;
      audio.play().catch((e) => console.log('phone: play: ' + e.message));
      listen(stream);
    });
    // An outgoing session has its RTCPeerConnection already; an incoming one gets it when answered.
    if (session.connection) {
      play(session.connection);
    } else {
      session.on('peerconnection', (e) => play(e.peerconnection));
    }
    let confirmedMillis = null;
    session.on('confirmed', () => {
      confirmedMillis = Date.now() - started;
      confirmedAt = Date.now();
      status('confirmed in ' + confirmedMillis + ' ms');
      let early = null;
      if (video) {
        setTimeout(async () => {
          early = (await stats(session.connection)).inboundVideo;
        }, talkMillis / 2);
      }
      setTimeout(async () => {
        const pc = session.connection;
        const s = await stats(pc);
        s.confirmedMillis = confirmedMillis;
        s.inboundVideoEarly = early;
        s.videoFramesDropped = framesDropped;
        s.peaks = peaks.slice();
        s.remoteSdp = pc.remoteDescription ? pc.remoteDescription.sdp : null;
        s.provisioning = provision ? provisioning : null;
        s.localSdp = pc.localDescription ? pc.localDescription.sdp : null;
        if (hangUp) {
          session.terminate();
        }
        finish({ ok: true, stats: s });
      }, talkMillis);
    });
    session.on('failed', (e) => {
      finish({ ok: false, failed: e.cause, status: e.message && e.message.status_code });
      ended();
    });
    session.on('ended', (e) => {
      status('ended: ' + e.cause);
      ended();
    });
  }

  // The call is over: with signout=1, sign out, then check that the session's SIP credentials died with it.
  function ended() {
    if (!(provision && signOutAfter)) {
      window.parleyEnded = true;
      return;
    }
    signOut().catch((e) => status('sign-out failed: ' + e.message)).finally(() => {
      window.parleyEnded = true;
    });
  }

  async function signOut() {
    const r = await fetch('/api/session', { method: 'DELETE', headers: { 'X-CSRF-Token': csrfToken } });
    status('signed out: ' + r.status);
    const answer = await new Promise((resolve) => {
      ua.removeAllListeners('registered');
      ua.on('registered', () => resolve(200));
      ua.on('registrationFailed', (e) => resolve(e.response ? e.response.status_code : e.cause));
      ua.register();
    });
    status('after sign-out REGISTER got ' + answer);
    // stay connected a while: a test can see that the sign-out, not a closed WebSocket, removed the binding
    await new Promise((resolve) => setTimeout(resolve, 3000));
    ua.stop();
  }

  // provision=1: the web account signs in and the server hands out SIP credentials bound to that session.
  async function credentials() {
    if (!provision) {
      return { uri: 'sip:' + user + '@' + host, password: password, wsUri: 'wss://' + location.host + '/ws' };
    }
    const t0 = performance.now();
    const login = await fetch('/api/session', { method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: user, password: password }) });
    if (login.status !== 200) {
      throw new Error('sign-in answered ' + login.status);
    }
    csrfToken = (await login.json()).csrfToken;
    provisioning.signInMillis = Math.round(performance.now() - t0);
    const phone = await fetch('/api/me/phone', { method: 'POST', headers: { 'X-CSRF-Token': csrfToken } });
    if (phone.status !== 200) {
      throw new Error('POST /api/me/phone answered ' + phone.status);
    }
    const c = await phone.json();
    provisioning.credentialsMillis = Math.round(performance.now() - t0);
    provisioning.started = t0;
    return c;
  }

  async function start() {
    let c;
    try {
      c = await credentials();
    } catch (e) {
      finish({ ok: false, provisioning: e.message });
      window.parleyEnded = true;
      return;
    }
    ua = new JsSIP.UA({
      sockets: [new JsSIP.WebSocketInterface(c.wsUri)],
      uri: c.uri,
      authorization_user: c.authorizationUser,
      password: c.password,
      display_name: c.displayName || undefined,
      register: true,
      session_timers: false,
      user_agent: 'Parley test phone (JsSIP ' + JsSIP.version + ')',
    });
    ua.on('registered', () => {
      if (window.parleyRegistered) {
        return; // a refresh
      }
      status('registered');
      window.parleyRegistered = true;
      if (provision) {
        provisioning.registeredMillis = Math.round(performance.now() - provisioning.started);
        status('provisioned and registered ' + provisioning.registeredMillis + ' ms after sign-in began (sign-in '
          + provisioning.signInMillis + ' ms, credentials at ' + provisioning.credentialsMillis + ' ms)');
      }
      if (!target) {
        return;
      }
      const started = Date.now();
      const session = ua.call('sip:' + target + '@' + host, {
        mediaConstraints: { audio: true, video: video },
        pcConfig: { iceServers: [], encodedInsertableStreams: insertable },
      });
      talk(session, started);
    });
    ua.on('registrationFailed', (e) => finish({ ok: false, registrationFailed: e.cause,
      status: e.response && e.response.status_code }));
    ua.on('newRTCSession', (e) => {
      if (e.originator === 'remote') {
        talk(e.session, Date.now());
        e.session.answer({ mediaConstraints: { audio: true, video: video },
          pcConfig: { iceServers: [], encodedInsertableStreams: insertable } });
      }
    });
    ua.start();
    status('connecting to ' + c.wsUri + ' as ' + (c.authorizationUser || user));
  }

  start();
})();
