// The ringtone, made with Web Audio (no sound file to ship): 440 + 480 Hz, 2 s on, 4 s off — the North American
// ring cadence, which most people recognise as "a phone is ringing". And a desktop notification when the user
// allowed them, so a call is noticed while the tab is in the background.

let context: AudioContext | null = null;

function audio(): AudioContext {
  context ??= new AudioContext();
  return context;
}

/** Creates the AudioContext during a user gesture (the sign-in click), so that browsers let it play later. */
export function unlockAudio(): void {
  try {
    void audio().resume();
  } catch {
    // no Web Audio: the phone still rings visually
  }
}

/** Rings on the chosen output device where the browser can (AudioContext.setSinkId, Chromium 110+); null = default. */
export function ringOn(deviceId: string | null): void {
  const ctx = audio() as AudioContext & { setSinkId?: (id: string) => Promise<void> };
  ctx.setSinkId?.(deviceId ?? '').catch(() => { /* the device is gone: keep ringing on the current one */ });
}

export class Ringer {
  private timer: number | null = null;
  private gain: GainNode | null = null;
  private oscillators: OscillatorNode[] = [];
  private notification: Notification | null = null;

  start(caller: string): void {
    if (this.timer !== null) return;
    try {
      const ctx = audio();
      void ctx.resume();
      const gain = ctx.createGain();
      gain.gain.value = 0;
      gain.connect(ctx.destination);
      for (const hz of [440, 480]) {
        const osc = ctx.createOscillator();
        osc.frequency.value = hz;
        osc.connect(gain);
        osc.start();
        this.oscillators.push(osc);
      }
      this.gain = gain;
      const ring = () => {
        const t = ctx.currentTime;
        gain.gain.setValueAtTime(0.12, t);
        gain.gain.setValueAtTime(0, t + 2);
      };
      ring();
      this.timer = window.setInterval(ring, 6000);
    } catch {
      this.timer = window.setInterval(() => undefined, 6000);
    }
    if ('Notification' in window && Notification.permission === 'granted' && document.visibilityState !== 'visible') {
      this.notification = new Notification('Incoming call', { body: caller, tag: 'parley-incoming', requireInteraction: true });
      this.notification.onclick = () => window.focus();
    }
  }

  stop(): void {
    if (this.timer !== null) window.clearInterval(this.timer);
    this.timer = null;
    for (const osc of this.oscillators) osc.stop();
    this.oscillators = [];
    this.gain?.disconnect();
    this.gain = null;
    this.notification?.close();
    this.notification = null;
  }
}

// The call waiting tone: a second call while the user talks must not drown the conversation in a ringtone, so it is
// a short, soft 440 Hz beep (the North American call waiting tone: 440 Hz, 300 ms; here two of them every 6 s) on
// the call's speaker, not on the ring device.
let callContext: AudioContext | null = null;
let callSpeaker: string | null = null;

/** The call waiting tone plays on the device the call plays on (AudioContext.setSinkId where supported). */
export function toneOn(deviceId: string | null): void {
  callSpeaker = deviceId;
  const ctx = callContext as (AudioContext & { setSinkId?: (id: string) => Promise<void> }) | null;
  ctx?.setSinkId?.(deviceId ?? '').catch(() => { /* the device is gone: keep the current one */ });
}

export class WaitingTone {
  private timer: number | null = null;
  private oscillator: OscillatorNode | null = null;
  private gain: GainNode | null = null;

  start(): void {
    if (this.timer !== null) return;
    try {
      if (!callContext) {
        callContext = new AudioContext();
        toneOn(callSpeaker);
      }
      const ctx = callContext;
      void ctx.resume();
      const gain = ctx.createGain();
      gain.gain.value = 0;
      gain.connect(ctx.destination);
      const osc = ctx.createOscillator();
      osc.frequency.value = 440;
      osc.connect(gain);
      osc.start();
      this.oscillator = osc;
      this.gain = gain;
      const beep = () => {
        const t = ctx.currentTime;
        for (const at of [0, 0.5]) {
          gain.gain.setValueAtTime(0.04, t + at);
          gain.gain.setValueAtTime(0, t + at + 0.3);
        }
      };
      beep();
      this.timer = window.setInterval(beep, 6000);
    } catch {
      // no Web Audio: the waiting call still shows
      this.timer = window.setInterval(() => undefined, 6000);
    }
  }

  stop(): void {
    if (this.timer !== null) window.clearInterval(this.timer);
    this.timer = null;
    this.oscillator?.stop();
    this.oscillator = null;
    this.gain?.disconnect();
    this.gain = null;
  }
}

/** Asks for permission to show desktop notifications, once, during a user gesture. */
export function askForNotifications(): void {
  if ('Notification' in window && Notification.permission === 'default') {
    void Notification.requestPermission().catch(() => undefined);
  }
}
