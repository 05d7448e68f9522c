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

/** Asks for permission to show desktop notifications, once, during a user gesture. */
export function askForNotifications(): void {
  if ('Notification' in window && Notification.permission === 'default') {
    void Notification.requestPermission().catch(() => undefined);
  }
}
