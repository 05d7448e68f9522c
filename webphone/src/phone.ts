// The SIP side of the phone: one JsSIP user agent registered over WSS with the credentials Parley provisioned for
// this web session, and at most two calls (call waiting: one current, the other held or waiting to be answered).
// It knows nothing of the views: they read snapshots (PhoneState) and call the methods; every change is pushed to the
// listener.
import * as JsSIP from 'jssip';
import type { RTCSession } from 'jssip/lib/RTCSession';
import type { RTCSessionEvent } from 'jssip/lib/UA';
import type { PhoneCredentials, Settings } from './api';
import { CallVideo } from './video';

export type Registration = 'connecting' | 'registered' | 'unregistered' | 'failed' | 'disconnected';

export interface Call {
  /** this call's id (JsSIP's session id): the views name one of several calls by it */
  id: string;
  direction: 'incoming' | 'outgoing';
  /** the other party's number (user part of the SIP URI) */
  number: string;
  /** the other party's display name, when the signalling gave one */
  name: string;
  state: 'ringing' | 'calling' | 'early' | 'active' | 'ended';
  muted: boolean;
  held: boolean;
  /** the other party put this call on hold (its re-INVITE said a=sendonly or inactive) */
  remoteHeld: boolean;
  /** set once answered */
  answeredAt: number | null;
  /** the INVITE asked to be answered at once (Call-Info answer-after=0, sent when the user turned auto-answer on) */
  autoAnswer: boolean;
}

export interface PhoneState {
  registration: Registration;
  /** why the phone is not registered, for the user */
  problem: string | null;
  /** the current call: the one the call panel shows and its buttons act on */
  call: Call | null;
  /** the user's other calls (call waiting): one held, or one ringing while the user is on a call */
  others: Call[];
  /** how the last call ended, for the user (busy, declined, microphone denied …) */
  lastEnd: string | null;
}

const C = JsSIP.C;

/** What a failed or ended call's cause means to the user (JsSIP's causes, from the SIP status or the browser). */
export function explainEnd(cause: string, direction: 'incoming' | 'outgoing'): string | null {
  switch (cause) {
    case C.causes.BYE:
    case C.causes.CANCELED:
      return null;
    case C.causes.BUSY:
      return 'Busy: the other side is on another call or does not take calls now.';
    case C.causes.REJECTED:
      return direction === 'outgoing' ? 'The call was declined.' : null;
    case C.causes.NOT_FOUND:
      return 'No such number.';
    case C.causes.UNAVAILABLE:
      return 'Not reachable: nobody is registered on that number right now.';
    case C.causes.NO_ANSWER:
      return 'No answer.';
    case C.causes.USER_DENIED_MEDIA_ACCESS:
      return 'Microphone access was denied. Allow the microphone for this site in the browser and try again.';
    case C.causes.CONNECTION_ERROR:
    case C.causes.REQUEST_TIMEOUT:
      return 'The server cannot be reached; the call ended.';
    case C.causes.RTP_TIMEOUT:
      return 'The call lost its audio connection and ended.';
    case C.causes.AUTHENTICATION_ERROR:
      return 'The server refused this phone\'s credentials; sign in again.';
    case C.causes.ADDRESS_INCOMPLETE:
      return 'That number is incomplete.';
    default:
      return `The call ended: ${cause}.`;
  }
}

/** The part of JsSIP's Transport that reconnectNow uses. */
interface JsSipTransport {
  connect(): void;
  isConnected(): boolean;
  isConnecting(): boolean;
}

/** The user part of a SIP URI ("101" for sip:101@example.com). */
function userOf(uri: { user?: string | null } | undefined): string {
  return uri?.user ?? '';
}

/**
 * An outgoing call given up before the answer gets a CANCEL, but the callee may have answered at that very moment:
 * the CANCEL then has no effect (RFC 3261 §9.1: the INVITE already has its final response) and Parley's 200 is on its
 * way, a dialog this phone must still ACK and end with BYE, or the callee stays on a call nobody is on until Parley
 * stops waiting for the ACK (64·T1 = 32 s). JsSIP 3.13 does that only for a call cancelled before any provisional
 * response; after a 180 it drops the late 200 (versatica/JsSIP#836, open). Its `_is_canceled` flag is what sends a
 * late 2xx down the ACK-and-BYE path, so it is set here, before `terminate()` sends the CANCEL.
 */
function byeOnLateAnswer(session: RTCSession): void {
  (session as unknown as { _is_canceled: boolean })._is_canceled = true;
}

/** One call of this phone: its JsSIP session, what the views see of it, and the remote audio it plays. */
interface Line {
  session: RTCSession;
  call: Call;
  audio: MediaStream | null;
}

/** Call waiting keeps two calls: the current one and one held or waiting; a third caller hears busy (486). */
const MAX_CALLS = 2;

export class Phone {
  private readonly ua: JsSIP.UA;
  private readonly domain: string;
  /** the current call's session (one of the lines' sessions), null without calls */
  private session: RTCSession | null = null;
  /** every call of this phone, the current one included, in the order they came */
  private lines: Line[] = [];
  /** the user's call waiting setting: off, a second caller hears busy here too (Parley refuses it before) */
  private callWaiting = true;
  private state: PhoneState = { registration: 'connecting', problem: null, call: null, others: [], lastEnd: null };
  private devices: Settings['devices'] = { microphone: null, speaker: null, ringer: null, camera: null };
  /** each call's video (issue 7), by its session */
  private readonly videos = new Map<RTCSession, CallVideo>();
  /** the remote party's audio: the browser plays it through this element */
  readonly remoteAudio: HTMLAudioElement;

  constructor(private readonly credentials: PhoneCredentials, private readonly listener: (s: PhoneState) => void) {
    this.domain = credentials.uri.replace(/^sips?:[^@]*@/, '').replace(/[;?].*$/, '');
    this.remoteAudio = new Audio();
    this.remoteAudio.autoplay = true;
    this.ua = new JsSIP.UA({
      sockets: [new JsSIP.WebSocketInterface(credentials.wsUri)],
      uri: credentials.uri,
      authorization_user: credentials.authorizationUser,
      password: credentials.password,
      display_name: credentials.displayName,
      register: true,
      // Parley's B2BUA does not offer RFC 4028 session timers yet (see parley-pbx Capabilities)
      session_timers: false,
      user_agent: 'Parley web phone',
      connection_recovery_min_interval: 2,
      connection_recovery_max_interval: 30,
    });
    // each reconnection attempt is 'connecting' too: the header keeps saying "Reconnecting…" until one succeeds
    this.ua.on('connecting', () => {
      if (this.state.registration !== 'disconnected') this.update({ registration: 'connecting', problem: null });
    });
    this.ua.on('connected', () => this.update({ problem: null }));
    // JsSIP reconnects by itself (2 s, then backing off to 30 s; reconnectNow() skips the wait) and registers again
    // once connected. A call does not survive it: Parley ends a call whose WebSocket closed (it cannot reach this
    // browser on that call again, RFC 7118 §5; the other party gets BYE), so the calls end here too rather than
    // stay on screen with nobody on the other side (their media, UDP, might still flow for a moment).
    this.ua.on('disconnected', () => {
      const inCall = this.state.call !== null;
      if (inCall) {
        try {
          this.ua.terminateSessions(); // each session's BYE or CANCEL cannot be sent; they end here at once
        } catch { /* a session already ending */ }
      }
      this.update({
        registration: 'disconnected',
        problem: 'The connection to the server was lost. Reconnecting…',
        ...(inCall ? { lastEnd: 'The connection to the server was lost, so the call ended.' } : {}),
      });
    });
    this.ua.on('registered', () => this.update({ registration: 'registered', problem: null }));
    // a lost connection also reports the registration gone: the header stays "Reconnecting…", not "Not registered"
    this.ua.on('unregistered', () => {
      if (this.state.registration !== 'disconnected') this.update({ registration: 'unregistered' });
    });
    this.ua.on('registrationFailed', (e) => this.update({
      registration: 'failed',
      problem: e.cause === C.causes.AUTHENTICATION_ERROR || e.cause === C.causes.REJECTED
        ? 'The server refused this phone\'s credentials. Sign out and in again.'
        : e.cause === C.causes.CONNECTION_ERROR || e.cause === C.causes.REQUEST_TIMEOUT
          ? 'The server cannot be reached. Reconnecting…'
          : `Registration failed: ${e.cause}.`,
    }));
    this.ua.on('newRTCSession', (e: RTCSessionEvent) => {
      if (e.originator === 'remote') this.incoming(e.session, e.request);
      if (e.originator === 'remote') this.videos.get(e.session)?.offer(e.request.body);
    });
  }

  start(): void {
    this.ua.start();
  }

  stop(): void {
    for (const line of [...this.lines]) line.session.terminate();
    this.ua.stop();
  }

  /**
   * The server is reachable again (the page's event stream reopened, or the browser came back online): connect
   * the WebSocket now instead of at JsSIP's next backed-off attempt (up to 30 s away).
   */
  reconnectNow(): void {
    // JsSIP's UA has a transport getter that its type definitions leave out
    const transport = (this.ua as unknown as { transport?: JsSipTransport }).transport;
    if (this.ua.status === JsSIP.UA.C.STATUS_USER_CLOSED) return; // stopped: stays stopped
    if (transport && !transport.isConnected() && !transport.isConnecting()) transport.connect();
  }

  /** The user's device choice (stored with the settings): the next call's microphone, the speaker at once. */
  useDevices(devices: Settings['devices']): void {
    this.devices = devices;
    void this.readInputs();
    const audio = this.remoteAudio as HTMLAudioElement & { setSinkId?: (id: string) => Promise<void> };
    // HTMLMediaElement.setSinkId: Chromium, Firefox 116+; elsewhere the system's output plays the call
    audio.setSinkId?.(devices.speaker ?? '').catch(() => { /* that speaker is gone: keep the current one */ });
  }

  /** The audio inputs the browser lists now (null: none listed with ids yet, before the microphone was allowed). */
  private inputs: Set<string> | null = null;

  private async readInputs(): Promise<void> {
    try {
      const ids = (await navigator.mediaDevices.enumerateDevices())
        .filter((d) => d.kind === 'audioinput' && d.deviceId).map((d) => d.deviceId);
      this.inputs = ids.length > 0 ? new Set(ids) : null;
    } catch {
      this.inputs = null;
    }
  }

  /**
   * Audio constraints for getUserMedia: the chosen microphone. Chromium takes an `ideal` deviceId for audio as a
   * hint it does not follow (WebphoneContactsIT: it gave the default input), so a microphone the browser lists now
   * is asked for `exact`; one that is gone gives the default (an exact one would fail the call), and before the
   * browser lists ids (no permission yet) `ideal` is all there is. The list is read again for the next call.
   */
  private audioConstraints(): MediaTrackConstraints | boolean {
    const chosen = this.devices.microphone;
    const inputs = this.inputs;
    void this.readInputs();
    if (!chosen || (inputs && !inputs.has(chosen))) return true;
    return { deviceId: inputs ? { exact: chosen } : { ideal: chosen } };
  }

  /** The user's call waiting setting (GET/PUT /api/me/settings); Parley enforces it too. */
  useCallWaiting(on: boolean): void {
    this.callWaiting = on;
  }

  snapshot(): PhoneState {
    return this.state;
  }

  /** Calls a number or an extension on this Parley; {@code name} is shown while calling, when known. */
  dial(target: string, name = ''): void {
    const number = target.replace(/[\s().-]/g, '');
    if (this.session || !number) return;
    if (this.state.registration !== 'registered') {
      this.update({ lastEnd: 'Not registered: the phone cannot call until it is registered with the server.' });
      return;
    }
    const session = this.ua.call(`sip:${number}@${this.domain}`, {
      mediaConstraints: { audio: this.audioConstraints(), video: false },
      pcConfig: { iceServers: this.credentials.iceServers },
    });
    this.track(session, { id: session.id, direction: 'outgoing', number, name, state: 'calling', muted: false,
      held: false, remoteHeld: false, answeredAt: null, autoAnswer: false });
  }

  /**
   * Answers the ringing incoming call `id` (by default the current call). A waiting call (the user is on another
   * call) becomes the current one, and the call it replaces goes on hold first: RFC 3264 §8.4, a re-INVITE with
   * a=sendonly, which Parley relays, so the other party hears nothing from this phone until Swap or Resume.
   */
  answer(id?: string): void {
    const line = this.lineOf(id);
    if (!line || line.call.state !== 'ringing' || line.call.direction !== 'incoming') return;
    const current = this.lineOf();
    // the current call's hold must start first (not while one of its re-INVITEs is under way): else both parties
    // would hear the user; the user can press Answer again a moment later
    if (current && current !== line && !this.holdLine(current)) return;
    this.makeCurrent(line);
    line.session.answer({ mediaConstraints: { audio: this.audioConstraints(), video: false },
      pcConfig: { iceServers: this.credentials.iceServers } });
  }

  /** Call waiting: hangs up the current call and answers the waiting one `id`. */
  endAndAnswer(id: string): void {
    const line = this.lineOf(id);
    const current = this.lineOf();
    if (!line || !current || line === current || line.call.state !== 'ringing') return;
    this.makeCurrent(line);
    current.session.terminate();
    this.answer(id);
  }

  /**
   * Declines a ringing incoming call (486 Busy Here), or hangs up any other: call `id`, by default the current one.
   * When the current call ends, the other call (held, or still waiting) becomes current as it is: a held call stays
   * held until the user resumes it.
   */
  hangUp(id?: string): void {
    const line = this.lineOf(id);
    if (!line) return;
    if (line.call.direction === 'incoming' && line.call.state === 'ringing') {
      line.session.terminate({ status_code: 486, reason_phrase: 'Busy Here' });
    } else {
      if (line.call.direction === 'outgoing' && line.call.state !== 'active') byeOnLateAnswer(line.session);
      line.session.terminate();
    }
  }

  /**
   * With two answered calls, holds the current one and resumes the other, which becomes current (two re-INVITEs,
   * a=sendonly then a=sendrecv). False when there is nothing to swap or a re-INVITE is still under way.
   */
  swap(): boolean {
    const current = this.lineOf();
    const other = this.lines.find((l) => l !== current);
    if (!current || !other || current.call.state !== 'active' || other.call.state !== 'active') return false;
    if (!current.call.held && !current.session.isReadyToReOffer()) return false;
    if (other.call.held && !other.session.isReadyToReOffer()) return false;
    this.holdLine(current);
    this.makeCurrent(other);
    if (other.call.held) other.session.unhold();
    return true;
  }

  toggleMute(): void {
    const s = this.session;
    if (!s || !this.state.call) return;
    if (this.state.call.muted) s.unmute({ audio: true }); else s.mute({ audio: true });
  }

  toggleHold(): void {
    const s = this.session;
    if (!s || !this.state.call || this.state.call.state !== 'active') return;
    // RFC 3264 §8.4: a re-INVITE with a=sendonly, then a=sendrecv to resume
    if (this.state.call.held) s.unhold(); else s.hold();
  }

  /**
   * Blind transfer (RFC 3515 REFER, carried out by Parley): the other party is connected to `target`, then Parley
   * ends this call. False when there is no answered call or no target; `onFailed` runs when Parley refuses the
   * REFER or reports (NOTIFY) that the target did not answer, and the call goes on.
   */
  transfer(target: string, onFailed: () => void): boolean {
    const s = this.session;
    const to = target.trim();
    if (!s || this.state.call?.state !== 'active' || !to) return false;
    s.refer(to, { eventHandlers: { requestFailed: onFailed, failed: onFailed } });
    return true;
  }

  /** RFC 4733 telephone-events in the audio stream (JsSIP "RFC2833", through the browser's RTCDTMFSender). */
  sendDtmf(tone: string): void {
    if (!this.session || this.state.call?.state !== 'active') return;
    this.session.sendDTMF(tone, { transportType: C.DTMF_TRANSPORT.RFC2833, duration: 120, interToneGap: 70 });
  }

  /** The current call's video (issue 7): its state and elements for the call panel; null without a call. */
  video(): CallVideo | null {
    return this.session ? this.videos.get(this.session) ?? null : null;
  }

  /** Video on or off in the current answered call (a re-INVITE); problems are in video().snapshot(). */
  toggleVideo(): void {
    if (this.state.call?.state === 'active' && !this.state.call.held) void this.video()?.toggle();
  }

  /** Answers the ringing call `id` (by default the current one) and then sends the camera (one re-INVITE). */
  answerWithVideo(id?: string): void {
    const session = id === undefined ? this.session : [...this.videos.keys()].find((s) => s.id === id);
    if (session) this.videos.get(session)?.sendOnceConfirmed();
    this.answer(id);
  }

  /** One CallVideo per call, its camera off when the call ends; its changes re-render the views. */
  private watchVideo(session: RTCSession): void {
    const video = new CallVideo(session, () => this.devices.camera, () => this.update({}));
    this.videos.set(session, video);
    const end = () => {
      video.close();
      this.videos.delete(session);
    };
    session.on('ended', end);
    session.on('failed', end);
  }

  /** The call's RTCPeerConnection, for diagnostics (getStats). */
  connection(): RTCPeerConnection | null {
    return this.session?.connection ?? null;
  }

  private incoming(session: RTCSession, request: { getHeader(name: string): string }): void {
    const current = this.lineOf();
    // call waiting: a second call may wait while the user talks (an answered current call, the setting on); a
    // caller beyond that, or one while the user is still dialling or being rung, hears busy
    if (current && (!this.callWaiting || this.lines.length >= MAX_CALLS || current.call.state !== 'active')) {
      session.terminate({ status_code: 486, reason_phrase: 'Busy Here' });
      return;
    }
    const identity = session.remote_identity;
    const callInfo = request.getHeader('Call-Info') ?? '';
    this.track(session, {
      id: session.id, direction: 'incoming', number: userOf(identity.uri), name: identity.display_name ?? '',
      state: 'ringing', muted: false, held: false, remoteHeld: false, answeredAt: null,
      autoAnswer: /answer-after\s*=\s*0\b/i.test(callInfo),
    });
  }

  /** The line of call `id`, or the current call's line. */
  private lineOf(id?: string): Line | undefined {
    return id === undefined
      ? this.lines.find((l) => l.session === this.session)
      : this.lines.find((l) => l.call.id === id);
  }

  /**
   * Puts an answered call on hold (RFC 3264 §8.4: re-INVITE a=sendonly; JsSIP also stops sending the microphone).
   * False when its hold could not start (a re-INVITE of that call is under way).
   */
  private holdLine(line: Line): boolean {
    if (line.call.state !== 'active' || line.call.held) return true;
    return line.session.hold();
  }

  /** The call the panel shows and the buttons act on; the browser plays that call's audio. */
  private makeCurrent(line: Line): void {
    this.session = line.session;
    this.playAudio(line.audio);
    this.publish({});
  }

  private playAudio(stream: MediaStream | null): void {
    if (this.remoteAudio.srcObject === stream) return;
    this.remoteAudio.srcObject = stream;
    if (stream) this.remoteAudio.play().catch(() => { /* autoplay refused: the user's next click resumes it */ });
  }

  private track(session: RTCSession, call: Call): void {
    this.watchVideo(session);
    const line: Line = { session, call, audio: null };
    this.lines.push(line);
    if (!this.session) this.session = session;
    this.publish({ lastEnd: null });
    const play = (pc: RTCPeerConnection) => pc.addEventListener('track', (event) => {
      if (event.track.kind !== 'audio') return;
      line.audio = event.streams[0] ?? new MediaStream([event.track]);
      if (this.session === session) this.playAudio(line.audio);
    });
    if (session.connection) play(session.connection);
    else session.on('peerconnection', (e) => play(e.peerconnection));
    const patch = (change: Partial<Call>) => this.patchCall(line, change);
    session.on('progress', () => patch({ state: call.direction === 'outgoing' ? 'early' : 'ringing' }));
    session.on('accepted', () => patch({ state: 'active', answeredAt: Date.now() }));
    session.on('confirmed', () => patch({ state: 'active', answeredAt: line.call.answeredAt ?? Date.now() }));
    session.on('muted', () => patch({ muted: true }));
    session.on('unmuted', () => patch({ muted: false }));
    session.on('hold', (e) => patch(e.originator === 'local' ? { held: true } : { remoteHeld: true }));
    session.on('unhold', (e) => patch(e.originator === 'local' ? { held: false } : { remoteHeld: false }));
    const end = (cause: string) => {
      const at = this.lines.indexOf(line);
      if (at < 0) return;
      this.lines.splice(at, 1);
      if (this.session === session) {
        // the other call (held, or waiting) becomes current as it is: a held call stays held until resumed
        const next = this.lines[0] ?? null;
        this.session = next?.session ?? null;
        this.playAudio(next?.audio ?? null);
      }
      this.publish({ lastEnd: explainEnd(cause, call.direction) });
    };
    session.on('ended', (e) => end(e.cause));
    session.on('failed', (e) => end(e.cause));
  }

  private patchCall(line: Line, change: Partial<Call>): void {
    if (!this.lines.includes(line)) return;
    line.call = { ...line.call, ...change };
    this.publish({});
  }

  /** A new snapshot: the current call and the others from the lines, plus `change`. */
  private publish(change: Partial<PhoneState>): void {
    const current = this.lineOf();
    this.update({ ...change, call: current?.call ?? null,
      others: this.lines.filter((l) => l !== current).map((l) => l.call) });
  }

  private update(change: Partial<PhoneState>): void {
    this.state = { ...this.state, ...change };
    this.listener(this.state);
  }
}
