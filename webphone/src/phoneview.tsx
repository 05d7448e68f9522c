// The signed-in phone. One tab per browser registers (TabLock: the Web Lock 'parley-phone'); it provisions SIP
// credentials for this session (POST /api/me/phone) and registers. Every tab listens to /api/me/events: presence
// patches the extensions list, a call that ends reloads the call log, settings changed elsewhere replace these, and
// a call event during a call re-reads the padlock (GET /api/me/calls/live).
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, ApiFailure, onUnauthorized, type DirectoryEntry, type LiveCall, type Me, type Settings } from './api';
import { Phone, type Call, type PhoneState } from './phone';
import { Ringer, ringOn, toneOn, WaitingTone } from './ringer';
import { CallPanel } from './callpanel';
import { OtherCalls } from './othercalls';
import { Keypad } from './keypad';
import { Extensions, Recent, type Directory } from './lists';
import { Contacts } from './contacts';
import { SettingsPanel } from './settings';
import { listen } from './events';
import { TabChannel, TabLock, type TabRole } from './tablock';

type Tab = 'keypad' | 'contacts' | 'recent' | 'settings';
const TABS: { id: Tab; label: string }[] = [
  { id: 'keypad', label: 'Keypad' }, { id: 'contacts', label: 'Contacts' }, { id: 'recent', label: 'Recent' },
  { id: 'settings', label: 'Settings' },
];

const REGISTRATION_TEXT: Record<PhoneState['registration'], string> = {
  connecting: 'Connecting…', registered: 'Ready', unregistered: 'Not registered', failed: 'Not registered',
  disconnected: 'Reconnecting…',
};

/** Our call among the user's live calls: the one with the other party's number, else the only one. */
function ours(calls: LiveCall[], call: Call): LiveCall | null {
  const match = calls.filter((c) => (call.direction === 'outgoing' ? c.to : c.from) === call.number);
  return match[0] ?? (calls.length === 1 ? calls[0] : null);
}

export function PhoneView({ me, onSignedOut }: { me: Me; onSignedOut: (problem: string | null) => void }) {
  const phone = useRef<Phone | null>(null);
  const ringer = useRef(new Ringer());
  const waitingTone = useRef(new WaitingTone());
  const lock = useRef<TabLock | null>(null);
  const [role, setRole] = useState<TabRole | null>(null);
  const [state, setState] = useState<PhoneState | null>(null);
  const [extension, setExtension] = useState<string>(me.extensions[0] ?? '');
  const [setupProblem, setSetupProblem] = useState<string | null>(null);
  const [tab, setTab] = useState<Tab>('keypad');
  const [number, setNumber] = useState('');
  const [settings, setSettings] = useState<Settings | null>(null);
  const [callsVersion, setCallsVersion] = useState(0);
  const [directory, setDirectory] = useState<Directory>({ kind: 'loading' });
  const [live, setLive] = useState<LiveCall | null>(null);
  const [liveProblem, setLiveProblem] = useState<string | null>(null);
  const [liveVersion, setLiveVersion] = useState(0);
  const [streamOpen, setStreamOpen] = useState(true);
  /** the registered tab (another one) is on a call: taking the phone over now would drop it */
  const [otherInCall, setOtherInCall] = useState(false);
  const channel = useRef<TabChannel | null>(null);
  const roleRef = useRef<TabRole | null>(null);
  roleRef.current = role;
  const inCallRef = useRef(false);
  const settingsRef = useRef<Settings | null>(null);
  settingsRef.current = settings;

  // the data every tab shows, and the live stream that keeps it current
  useEffect(() => {
    api.settings().then(setSettings).catch(() => setSettings(null));
    api.directory().then((value) => setDirectory({ kind: 'ok', value })).catch((e: unknown) => setDirectory({
      kind: 'error', message: e instanceof ApiFailure && e.missing
        ? 'The directory is not available on this server yet.' : e instanceof Error ? e.message : 'Not loaded.',
    }));
    // The stream has no replay (no event ids): what it sent before it opened or while it was reconnecting (a call
    // that ended, presence, settings) is read again each time it opens, or this tab would show it only after a
    // reload. A failed read keeps what is shown.
    const resync = () => {
      setCallsVersion((v) => v + 1);
      setLiveVersion((v) => v + 1);
      api.directory().then((value) => setDirectory({ kind: 'ok', value })).catch(() => { /* keep the list */ });
      api.settings().then(setSettings).catch(() => { /* keep the settings */ });
    };
    const reloadCalls = () => {
      setCallsVersion((v) => v + 1);
      // the call record is written in a batch just after the call ends (parley-pbx cdr): read again a bit later
      window.setTimeout(() => setCallsVersion((v) => v + 1), 1500);
    };
    const ownBusy = new Set<string>();
    const stop = listen({
      onPresence: (ext, presence) => {
        setDirectory((d) => d.kind !== 'ok' ? d : {
          kind: 'ok', value: d.value.map((e) => (e.extension === ext ? { ...e, presence } : e)),
        });
        // one of the user's own extensions stopped being busy: a call of theirs ended. Parley's stream does not
        // always send the caller 'event: call' with state ended (seen for browser-phone callers), so this is the
        // signal the call log relies on as well.
        if (me.extensions.includes(ext)) {
          if (presence === 'busy') ownBusy.add(ext);
          else if (ownBusy.delete(ext)) reloadCalls();
        }
      },
      onCall: (event) => {
        if (event.state === 'ended') reloadCalls();
        setLiveVersion((v) => v + 1);
      },
      onSettings: (s) => setSettings(s),
      onOpen: (open) => {
        setStreamOpen(open);
        if (!open) return;
        resync();
        // the server answers again: the phone's WebSocket need not wait for JsSIP's next backed-off attempt
        phone.current?.reconnectNow();
      },
      // the server refused the stream: GET /api/me says whether the session is gone (its 401 signs out)
      onClosed: () => { api.me().catch(() => { /* 401: handled by onUnauthorized; else the stream retries */ }); },
    });
    return stop;
  }, []);

  // the other tabs of this browser: the registered tab's calls, and a sign-out in any tab; any 401 from the API
  // means the session is gone (signed out elsewhere, idle, evicted): back to the sign-in form with a message
  useEffect(() => {
    const c = new TabChannel((m) => {
      if (m.kind === 'call') setOtherInCall(m.inCall);
      else if (m.kind === 'hello' && roleRef.current === 'leader') c.post({ kind: 'call', inCall: inCallRef.current });
      else if (m.kind === 'signed-out') onSignedOut('You signed out in another tab.');
    });
    channel.current = c;
    c.post({ kind: 'hello' });
    onUnauthorized(() => onSignedOut('Your session has ended. Sign in again.'));
    const online = () => phone.current?.reconnectNow();
    window.addEventListener('online', online);
    return () => {
      c.close();
      onUnauthorized(null);
      window.removeEventListener('online', online);
    };
  }, []);

  // which tab registers
  useEffect(() => {
    const l = new TabLock(setRole);
    lock.current = l;
    l.start();
    return () => l.stop();
  }, []);

  // the registered phone, in the tab that holds the lock only
  useEffect(() => {
    if (role !== 'leader') return undefined;
    let stopped = false;
    setSetupProblem(null);
    api.phone().then((credentials) => {
      if (stopped) return;
      setExtension(credentials.uri.replace(/^sips?:/, '').replace(/@.*$/, ''));
      const p = new Phone(credentials, (s) => {
        if (s.registration === 'registered' && performance.getEntriesByName('parley:registered').length === 0) {
          performance.mark('parley:registered');
        }
        setState(s);
      });
      if (settingsRef.current) p.useDevices(settingsRef.current.devices);
      phone.current = p;
      setState(p.snapshot());
      p.start();
    }).catch((e: unknown) => {
      if (stopped) return;
      if (e instanceof ApiFailure && e.status === 401) {
        onSignedOut('Your session has ended. Sign in again.');
      } else if (e instanceof ApiFailure && e.missing) {
        setSetupProblem('This Parley server does not provide browser phones yet (no POST /api/me/phone).');
      } else {
        setSetupProblem(e instanceof Error ? e.message : 'The phone could not be set up.');
      }
    });
    return () => {
      stopped = true;
      phone.current?.stop();
      phone.current = null;
      ringer.current.stop();
      waitingTone.current.stop();
      setState(null);
    };
  }, [role]);

  // the chosen devices, applied to the phone (speaker at once, microphone from the next call, camera from the next
  // Video) and the ringtone
  useEffect(() => {
    if (!settings) return;
    phone.current?.useDevices(settings.devices);
    ringOn(settings.devices.ringer);
    toneOn(settings.devices.speaker);
  }, [settings?.devices.microphone, settings?.devices.speaker, settings?.devices.ringer, settings?.devices.camera,
    state !== null]);

  // call waiting: the phone declines a second call itself too when the user turned it off
  useEffect(() => {
    if (settings) phone.current?.useCallWaiting(settings.callWaiting);
  }, [settings?.callWaiting, state !== null]);

  const call = state?.call ?? null;
  const ringing = call?.direction === 'incoming' && call.state === 'ringing';
  const active = call?.state === 'active';
  const others = state?.others ?? [];
  const waiting = others.find((c) => c.direction === 'incoming' && c.state === 'ringing') ?? null;

  // a second call while the user talks: the soft call waiting tone, not the ringtone
  useEffect(() => {
    if (waiting) waitingTone.current.start(); else waitingTone.current.stop();
  }, [waiting?.id]);

  useEffect(() => {
    if (ringing && call) {
      if (call.autoAnswer && settings?.autoAnswer) {
        phone.current?.answer();
      } else {
        ringer.current.start(call.name ? `${call.name} (${call.number})` : call.number);
      }
    } else {
      ringer.current.stop();
    }
  }, [ringing]);

  // another call became current (call waiting): its own padlock is read, the previous call's is not shown meanwhile
  useEffect(() => {
    setLive(null);
    setLiveProblem(null);
  }, [call?.id]);

  // the padlock: read once the call is answered, and again on each call event while it lasts
  useEffect(() => {
    if (!active || !call) {
      setLive(null);
      setLiveProblem(null);
      return undefined;
    }
    let current = true;
    api.liveCalls().then((calls) => {
      if (!current) return;
      const found = ours(calls, call);
      setLive(found);
      setLiveProblem(found ? null : 'Encryption unknown: the server does not list this call.');
    }).catch((e: unknown) => current && setLiveProblem(
      `Encryption unknown: ${e instanceof Error ? e.message : 'the server did not answer.'}`));
    return () => { current = false; };
  }, [active, liveVersion, call?.id]);

  // a call just ended here: the server's call log has a new row (the stream says so too; this covers a stream
  // that is reconnecting)
  const hadCall = useRef(false);
  useEffect(() => {
    if (call) hadCall.current = true;
    else if (hadCall.current) {
      hadCall.current = false;
      setCallsVersion((v) => v + 1);
    }
  }, [call === null]);

  const presence = useMemo(() => new Map((directory.kind === 'ok' ? directory.value : [])
    .map((e): [string, DirectoryEntry['presence']] => [e.extension, e.presence])), [directory]);
  const names = useMemo(() => new Map((directory.kind === 'ok' ? directory.value : [])
    .map((e) => [e.extension, e.displayName])), [directory]);

  // the registered tab tells the others whether it is on a call (they keep "Use it here" disabled meanwhile)
  const inCall = role === 'leader' && (state?.call ?? null) !== null;
  useEffect(() => {
    inCallRef.current = inCall;
    if (role === 'leader') {
      setOtherInCall(false);
      channel.current?.post({ kind: 'call', inCall });
    }
  }, [inCall, role]);

  // while the phone's connection is lost, ask every 3 s whether the server answers again (GET /api/health, public
  // and cheap); once it does, connect at once rather than at JsSIP's next backed-off attempt (up to 30 s away)
  const disconnected = state?.registration === 'disconnected';
  useEffect(() => {
    if (!disconnected) return undefined;
    const timer = window.setInterval(() => {
      fetch('/api/health', { cache: 'no-store' })
        .then((r) => { if (r.ok) phone.current?.reconnectNow(); })
        .catch(() => { /* still unreachable */ });
    }, 3000);
    return () => window.clearInterval(timer);
  }, [disconnected]);

  const signOut = async () => {
    phone.current?.stop();
    lock.current?.stop();
    try {
      await api.signOut();
    } catch {
      // the session may have ended already; the user is signed out either way
    }
    channel.current?.post({ kind: 'signed-out' }); // the session is gone for every tab of this browser
    onSignedOut(null);
  };

  const dial = (target: string) => {
    setNumber(target);
    setTab('keypad');
    phone.current?.dial(target, names.get(target.trim()) ?? '');
  };

  const elsewhere = role === 'follower';
  const registration = state?.registration ?? 'connecting';
  const badge = elsewhere ? 'elsewhere' : setupProblem ? 'failed' : registration;
  const badgeText = elsewhere ? 'Other tab' : setupProblem ? 'Not available' : REGISTRATION_TEXT[registration];
  const message = setupProblem ?? state?.problem ?? state?.lastEnd ?? null;
  const own = extension ? [extension, ...me.extensions] : me.extensions;
  return (
    <div class="phone">
      <header class="bar">
        <div class="who">
          <strong>{me.displayName || me.username}</strong>
          <span class="muted">{extension ? `Extension ${extension}` : 'No extension'}</span>
        </div>
        <span class={`reg reg-${badge}`} role="status" aria-live="polite" data-registration={badge}>{badgeText}</span>
        <button type="button" class="link" onClick={signOut}>Sign out</button>
      </header>
      {elsewhere && (
        <div class="notice banner elsewhere" role="status">
          <span>{otherInCall
            ? 'In a call in another tab. You can use the phone here when that call ends.'
            : 'The phone is active in another tab. Calls ring there.'}</span>
          <button type="button" class="small primary" disabled={otherInCall} data-other-call={otherInCall}
            onClick={() => { if (!otherInCall) lock.current?.takeOver(); }}>Use it here</button>
        </div>
      )}
      {!elsewhere && message && (
        <p class={setupProblem || state?.problem ? 'error banner' : 'notice banner'} role="alert">{message}</p>
      )}
      {!streamOpen && <p class="notice banner muted" role="status">Live updates paused; reconnecting…</p>}
      {call && phone.current && <OtherCalls others={others} current={call} phone={phone.current} />}
      {call && phone.current
        ? <CallPanel key={call.id} call={call} phone={phone.current} live={live} liveProblem={liveProblem} />
        : (
          <main class="idle">
            <nav class="tabs" role="tablist" aria-label="Phone">
              {TABS.map((t) => (
                <button type="button" role="tab" id={`tab-${t.id}`} aria-selected={tab === t.id}
                  aria-controls={`panel-${t.id}`} class={tab === t.id ? 'tab active' : 'tab'}
                  onClick={() => setTab(t.id)}>{t.label}</button>
              ))}
            </nav>
            <section id={`panel-${tab}`} role="tabpanel" aria-labelledby={`tab-${tab}`} class="panel">
              {tab === 'keypad' && (
                <Keypad number={number} onNumber={setNumber} onCall={() => dial(number)}
                  canCall={!elsewhere && registration === 'registered'} />
              )}
              {tab === 'contacts' && (
                <>
                  <Contacts onCall={dial} presence={presence} />
                  <h2 class="section-title">Extensions</h2>
                  <Extensions directory={directory} onCall={dial} own={own} />
                </>
              )}
              {tab === 'recent' && <Recent onCall={dial} version={callsVersion} />}
              {tab === 'settings' && <SettingsPanel settings={settings} onSaved={setSettings} />}
            </section>
          </main>
        )}
    </div>
  );
}
