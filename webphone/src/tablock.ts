// One registration per browser, not one per tab: the tab holding the Web Lock 'parley-phone' registers, the others
// wait in the lock's queue (so the next one takes over by itself when that tab closes) and offer to take over at
// once, which steals the lock: the tab that lost it is told (its request rejects) and stops its phone.
// https://w3c.github.io/web-locks/ — a lock is held as long as the callback's promise is pending.

export type TabRole = 'leader' | 'follower';

const NAME = 'parley-phone';

export class TabLock {
  private release: (() => void) | null = null;
  private queued: AbortController | null = null;
  private stopped = false;

  constructor(private readonly onRole: (role: TabRole) => void) {}

  start(): void {
    if (!navigator.locks) {
      this.onRole('leader'); // no Web Locks (an old browser): every tab registers, as before
      return;
    }
    this.acquire({ ifAvailable: true });
  }

  /** Takes the phone from the tab that has it (the Web Locks API's steal). */
  takeOver(): void {
    if (!navigator.locks || this.stopped) return;
    this.queued?.abort();
    this.queued = null;
    this.acquire({ steal: true });
  }

  stop(): void {
    this.stopped = true;
    this.queued?.abort();
    this.release?.();
    this.release = null;
  }

  private acquire(options: LockOptions): void {
    navigator.locks.request(NAME, options, (lock) => {
      if (this.stopped) return undefined;
      if (!lock) {
        this.follow();
        return undefined;
      }
      this.onRole('leader');
      return new Promise<void>((resolve) => { this.release = resolve; });
    }).catch(() => {
      // stolen by another tab (AbortError), or our own queued request aborted before a take-over
      if (this.stopped || options.signal?.aborted) return;
      this.release = null;
      this.follow();
    });
  }

  private follow(): void {
    this.onRole('follower');
    this.queued = new AbortController();
    this.acquire({ signal: this.queued.signal });
  }
}

/** What the tabs of one browser tell each other (BroadcastChannel 'parley-tabs', same origin only). */
export type TabMessage =
  /** the registered tab is on a call (or no longer): the others must not take the phone over meanwhile */
  | { kind: 'call'; inCall: boolean }
  /** a tab that just opened asks the registered tab for its call state */
  | { kind: 'hello' }
  /** the user signed out in one tab: the session is gone for every tab */
  | { kind: 'signed-out' };

/**
 * The tabs' shared news, beside the lock: the Web Locks API says who registers but carries no state, and a steal
 * cannot be refused, so a tab on a call tells the others, which keep "Use it here" disabled until the call ends
 * (a take-over would stop that tab's phone and drop the call: a call's RTCPeerConnection cannot move to another
 * tab). Without BroadcastChannel (an old browser) nothing is shared and take-over works as before.
 * https://html.spec.whatwg.org/multipage/web-messaging.html#broadcasting-to-other-browsing-contexts
 */
export class TabChannel {
  private readonly channel: BroadcastChannel | null;

  constructor(onMessage: (message: TabMessage) => void) {
    this.channel = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel('parley-tabs');
    if (this.channel) this.channel.onmessage = (e: MessageEvent<TabMessage>) => onMessage(e.data);
  }

  post(message: TabMessage): void {
    this.channel?.postMessage(message);
  }

  close(): void {
    this.channel?.close();
  }
}
