// The SIP side of the phone: one JsSIP user agent registered over WSS with the credentials Parley provisioned for
// this web session, and at most one call. It knows nothing of the views: they read snapshots (PhoneState) and call
// the methods; every change is pushed to the listener.
import * as JsSIP from 'jssip';
import type { RTCSession } from 'jssip/lib/RTCSession';
import type { RTCSessionEvent } from 'jssip/lib/UA';
import type { PhoneCredentials, Settings } from './api';

export type Registration = 'connecting' | 'registered' | 'unregistered' | 'failed' | 'disconnected';

export interface Call {
  direction: 'incoming' | 'outgoing';
  /** the other party's number (user part of the SIP URI) */
  number: string;
  /** the other party's display name, when the signalling gave one */
  name: string;
  state: 'ringing' | 'calling' | 'early' | 'active' | 'ended';
  muted: boolean;
  held: boolean;
  /** set once answered */
  answeredAt: number | null;
  /** the INVITE asked to be answered at once (Call-Info answer-after=0, sent when the user turned auto-answer on) */
  autoAnswer: boolean;
}

export interface PhoneState {
  registration: Registration;
  /** why the phone is not registered, for the user */
  problem: string | null;
  call: Call | null;
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

/** The user part of a SIP URI ("101" for sip:101@example.com). */
function userOf(uri: { user?: string | null } | undefined): string {
  return uri?.user ?? '';
}

export class Phone {
  private readonly ua: JsSIP.UA;
  private readonly domain: string;
  private session: RTCSession | null = null;
  private state: PhoneState = { registration: 'connecting', problem: null, call: null, lastEnd: null };
  private devices: Settings['devices'] = { microphone: null, speaker: null, ringer: null, camera: null };
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
    this.ua.on('connecting', () => this.update({ registration: 'connecting', problem: null }));
    this.ua.on('connected', () => this.update({ problem: null }));
    // JsSIP reconnects by itself (2 s, then backing off to 30 s) and registers again once connected
    this.ua.on('disconnected', () => this.update({
      registration: 'disconnected',
      problem: 'The connection to the server was lost. Reconnecting…',
    }));
    this.ua.on('registered', () => this.update({ registration: 'registered', problem: null }));
    this.ua.on('unregistered', () => this.update({ registration: 'unregistered' }));
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
    });
  }

  start(): void {
    this.ua.start();
  }

  stop(): void {
    this.session?.terminate();
    this.ua.stop();
  }

  /** The user's device choice (stored with the settings): the next call's microphone, the speaker at once. */
  useDevices(devices: Settings['devices']): void {
    this.devices = devices;
    const audio = this.remoteAudio as HTMLAudioElement & { setSinkId?: (id: string) => Promise<void> };
    // HTMLMediaElement.setSinkId: Chromium, Firefox 116+; elsewhere the system's output plays the call
    audio.setSinkId?.(devices.speaker ?? '').catch(() => { /* that speaker is gone: keep the current one */ });
  }

  /** Audio constraints for getUserMedia: the chosen microphone when it is still there (ideal, not exact). */
  private audioConstraints(): MediaTrackConstraints | boolean {
    return this.devices.microphone ? { deviceId: { ideal: this.devices.microphone } } : true;
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
    this.track(session, { direction: 'outgoing', number, name, state: 'calling', muted: false, held: false,
      answeredAt: null, autoAnswer: false });
  }

  answer(): void {
    const s = this.session;
    if (!s || this.state.call?.state !== 'ringing' || this.state.call.direction !== 'incoming') return;
    s.answer({ mediaConstraints: { audio: this.audioConstraints(), video: false },
      pcConfig: { iceServers: this.credentials.iceServers } });
  }

  /** Declines a ringing incoming call (486 Busy Here), or hangs up any other. */
  hangUp(): void {
    const s = this.session;
    if (!s) return;
    if (this.state.call?.direction === 'incoming' && this.state.call.state === 'ringing') {
      s.terminate({ status_code: 486, reason_phrase: 'Busy Here' });
    } else {
      s.terminate();
    }
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

  /** The call's RTCPeerConnection, for diagnostics (getStats). */
  connection(): RTCPeerConnection | null {
    return this.session?.connection ?? null;
  }

  private incoming(session: RTCSession, request: { getHeader(name: string): string }): void {
    if (this.session) {
      // one call at a time in this first version: a second caller hears busy
      session.terminate({ status_code: 486, reason_phrase: 'Busy Here' });
      return;
    }
    const identity = session.remote_identity;
    const callInfo = request.getHeader('Call-Info') ?? '';
    this.track(session, {
      direction: 'incoming', number: userOf(identity.uri), name: identity.display_name ?? '', state: 'ringing',
      muted: false, held: false, answeredAt: null, autoAnswer: /answer-after\s*=\s*0\b/i.test(callInfo),
    });
  }

  private track(session: RTCSession, call: Call): void {
    this.session = session;
    this.update({ call, lastEnd: null });
    const play = (pc: RTCPeerConnection) => pc.addEventListener('track', (event) => {
      if (event.track.kind !== 'audio') return;
      this.remoteAudio.srcObject = event.streams[0] ?? new MediaStream([event.track]);
      this.remoteAudio.play().catch(() => { /* autoplay refused: the user's next click resumes it */ });
    });
    if (session.connection) play(session.connection);
    else session.on('peerconnection', (e) => play(e.peerconnection));
    session.on('progress', () => this.patchCall({ state: call.direction === 'outgoing' ? 'early' : 'ringing' }));
    session.on('accepted', () => this.patchCall({ state: 'active', answeredAt: Date.now() }));
    session.on('confirmed', () => this.patchCall({ state: 'active', answeredAt: this.state.call?.answeredAt ?? Date.now() }));
    session.on('muted', () => this.patchCall({ muted: true }));
    session.on('unmuted', () => this.patchCall({ muted: false }));
    session.on('hold', (e) => { if (e.originator === 'local') this.patchCall({ held: true }); });
    session.on('unhold', (e) => { if (e.originator === 'local') this.patchCall({ held: false }); });
    const end = (cause: string) => {
      if (this.session !== session) return;
      this.session = null;
      this.remoteAudio.srcObject = null;
      this.update({ call: null, lastEnd: explainEnd(cause, call.direction) });
    };
    session.on('ended', (e) => end(e.cause));
    session.on('failed', (e) => end(e.cause));
  }

  private patchCall(change: Partial<Call>): void {
    if (!this.state.call) return;
    this.update({ call: { ...this.state.call, ...change } });
  }

  private update(change: Partial<PhoneState>): void {
    this.state = { ...this.state, ...change };
    this.listener(this.state);
  }
}
