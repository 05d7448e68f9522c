// Video in a call (issue 7): this phone's camera sent on the call's peer connection, and the other side's video
// shown, switched on and off during the call by a re-INVITE (RFC 3264 §8: the video m-line is added once and then
// only changes direction; it stays in every later offer). One CallVideo per call; it knows nothing of the views.
//
// Switching on: the camera chosen in the settings (getUserMedia deviceId exact when listed) goes on the call's video
// transceiver (the one the other side's offer made, or a new one), which sends and receives; switching off takes the
// camera off and leaves the transceiver receive-only, so the other side's video, if any, keeps coming. Parley relays
// both offers to the other browser, which answers by itself (JsSIP answers a re-INVITE from its peer connection).
import type { RTCSession } from 'jssip/lib/RTCSession';

export interface VideoState {
  /** this phone sends its camera */
  sending: boolean;
  /** the other side's video is arriving (its track is unmuted: packets come) */
  receiving: boolean;
  /** a switch is under way (camera opening, re-INVITE outstanding) */
  busy: boolean;
  /** why video is not available, for the user; the call goes on with audio */
  problem: string | null;
  /** the incoming call's offer has video (for "Answer with video") */
  offered: boolean;
}

/** What a getUserMedia failure for the camera means to the user. */
export function explainCamera(error: unknown): string {
  const name = (error as { name?: string } | null)?.name ?? '';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return 'Camera access was denied: allow the camera for this site in the browser to send video. '
        + 'The call goes on with audio.';
    case 'NotFoundError':
    case 'OverconstrainedError':
      return 'No camera found: the call goes on with audio.';
    case 'NotReadableError':
    case 'AbortError':
      return 'The camera is in use by another program: the call goes on with audio.';
    default:
      return `The camera could not be started${name ? ` (${name})` : ''}: the call goes on with audio.`;
  }
}

/** Whether an SDP offer has a video m-line in use (port not 0). */
export function offersVideo(sdp: string | undefined | null): boolean {
  return /^m=video [1-9]/m.test(sdp ?? '');
}

/** JsSIP's re-INVITE with an offer from the peer connection as it is, and our own outcome handlers. */
interface ReinviteSession {
  _sendReinvite(options: { eventHandlers: { succeeded: () => void; failed: () => void } }): void;
}

export class CallVideo {
  /** the other side's video; the call panel shows it while `receiving` */
  readonly remote: HTMLVideoElement;
  /** this phone's camera (self view), muted */
  readonly local: HTMLVideoElement;
  private state: VideoState = { sending: false, receiving: false, busy: false, problem: null, offered: false };
  private camera: MediaStreamTrack | null = null;
  private startWhenConfirmed = false;
  private closed = false;

  constructor(private readonly session: RTCSession, private readonly cameraId: () => string | null,
    private readonly changed: () => void) {
    this.remote = video('remote-video', 'Video from the other side');
    this.local = video('local-video', 'Your camera');
    this.local.muted = true;
    const watch = (pc: RTCPeerConnection) => {
      pc.addEventListener('track', (e) => {
        if (e.track.kind === 'video') this.showRemote(e.track);
      });
      // the other side removed the video m-line (port 0, RFC 3264 §8.2): the transceiver stopped, so the camera
      // has nowhere to go; it goes off, and Video starts a new stream
      pc.addEventListener('signalingstatechange', () => {
        if (pc.signalingState === 'stable' && this.state.sending && !videoTransceiver(pc)) {
          this.stopCamera();
          this.patch({ sending: false });
        }
      });
    };
    if (session.connection) watch(session.connection);
    else session.on('peerconnection', (e) => watch(e.peerconnection));
    session.on('confirmed', () => {
      if (this.startWhenConfirmed) {
        this.startWhenConfirmed = false;
        void this.toggle();
      }
    });
  }

  snapshot(): VideoState {
    return this.state;
  }

  /** The incoming INVITE's offer: whether "Answer with video" makes sense. */
  offer(sdp: string | undefined): void {
    this.patch({ offered: offersVideo(sdp) });
  }

  /** "Answer with video": once the call is confirmed, the camera goes on (one re-INVITE). */
  sendOnceConfirmed(): void {
    this.startWhenConfirmed = true;
  }

  /** Video on (camera, re-INVITE) or off (camera off, re-INVITE); false when a switch cannot start now. */
  async toggle(): Promise<boolean> {
    const pc = this.session.connection;
    if (this.closed || this.state.busy || !pc || !this.session.isEstablished() || !this.session.isReadyToReOffer()) {
      return false;
    }
    this.patch({ busy: true, problem: null });
    if (this.state.sending) {
      await this.stopSending(pc);
      return true;
    }
    let track: MediaStreamTrack;
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ video: await cameraConstraints(this.cameraId()) });
      track = stream.getVideoTracks()[0];
    } catch (error) {
      this.patch({ busy: false, problem: explainCamera(error) });
      return false;
    }
    if (this.closed) {
      track.stop();
      return false;
    }
    const transceiver = videoTransceiver(pc);
    if (transceiver) {
      await transceiver.sender.replaceTrack(track);
      transceiver.direction = 'sendrecv';
    } else {
      pc.addTransceiver(track, { direction: 'sendrecv' });
    }
    this.camera = track;
    this.local.srcObject = new MediaStream([track]);
    this.local.play().catch(() => { /* muted autoplay is allowed; nothing to do otherwise */ });
    this.patch({ sending: true });
    this.reinvite(() => {
      this.stopCamera();
      const t = videoTransceiver(pc);
      if (t) {
        void t.sender.replaceTrack(null);
        t.direction = 'recvonly';
      }
      this.patch({ sending: false, problem: 'The other side did not take video: the call goes on with audio.' });
    });
    return true;
  }

  /** The call ended: the camera goes off. */
  close(): void {
    this.closed = true;
    this.stopCamera();
    this.remote.srcObject = null;
  }

  private async stopSending(pc: RTCPeerConnection): Promise<void> {
    const transceiver = videoTransceiver(pc);
    if (transceiver) {
      await transceiver.sender.replaceTrack(null);
      transceiver.direction = 'recvonly';
    }
    this.stopCamera();
    this.patch({ sending: false });
    this.reinvite(() => this.patch({ problem: 'Switching video off was refused; the camera is off.' }));
  }

  /** Sends the new offer (JsSIP's own renegotiate would end the call on a refusal; here the call goes on). */
  private reinvite(onFailure: () => void): void {
    const pc = this.session.connection;
    (this.session as unknown as ReinviteSession)._sendReinvite({
      eventHandlers: {
        succeeded: () => this.patch({ busy: false }),
        failed: () => {
          // the offer was set locally: roll it back so that the connection can be offered again
          const rollback = pc && pc.signalingState === 'have-local-offer'
            ? pc.setLocalDescription({ type: 'rollback' }).catch(() => undefined) : Promise.resolve();
          void rollback.then(() => {
            onFailure();
            this.patch({ busy: false });
          });
        },
      },
    });
  }

  private stopCamera(): void {
    this.camera?.stop();
    this.camera = null;
    this.local.srcObject = null;
  }

  private showRemote(track: MediaStreamTrack): void {
    this.remote.srcObject = new MediaStream([track]);
    this.remote.play().catch(() => { /* muted autoplay is allowed */ });
    // Chromium and Firefox unmute a remote track when its packets come and mute it when the negotiation says the
    // other side stopped sending (its "Video off")
    track.onunmute = () => this.patch({ receiving: true });
    track.onmute = () => this.patch({ receiving: false });
    track.onended = () => this.patch({ receiving: false });
    this.patch({ receiving: !track.muted });
  }

  private patch(change: Partial<VideoState>): void {
    this.state = { ...this.state, ...change };
    this.changed();
  }
}

function video(className: string, label: string): HTMLVideoElement {
  const v = document.createElement('video');
  v.className = className;
  v.autoplay = true;
  v.playsInline = true;
  v.muted = true; // the call's audio plays through the phone's audio element
  v.setAttribute('aria-label', label);
  return v;
}

/**
 * The chosen camera for getUserMedia. Chromium may take an `ideal` deviceId as a hint it does not follow (it did so
 * for microphones, WebphoneContactsIT), so a camera the browser lists now is asked for `exact`; one that is gone
 * gives the default camera (an exact one would fail); before the browser lists camera ids, `ideal` is all there is.
 */
async function cameraConstraints(id: string | null): Promise<MediaTrackConstraints | boolean> {
  if (!id) return true;
  try {
    const cameras = (await navigator.mediaDevices.enumerateDevices())
      .filter((d) => d.kind === 'videoinput' && d.deviceId).map((d) => d.deviceId);
    if (cameras.length === 0) return { deviceId: { ideal: id } };
    return cameras.includes(id) ? { deviceId: { exact: id } } : true;
  } catch {
    return { deviceId: { ideal: id } };
  }
}

/** The call's video transceiver (made by our offer or the other side's), if it has one still in use. */
function videoTransceiver(pc: RTCPeerConnection): RTCRtpTransceiver | undefined {
  return pc.getTransceivers().find((t) => t.receiver.track.kind === 'video' && t.currentDirection !== 'stopped'
    && t.direction !== 'stopped');
}
