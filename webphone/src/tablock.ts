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
