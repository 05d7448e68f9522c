// The signed-in phone: provisions SIP credentials for this session (POST /api/me/phone), registers, and shows the
// call in progress or the idle tabs (key pad, contacts, recent calls, settings).
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiFailure, type Me, type Settings } from './api';
import { Phone, type PhoneState } from './phone';
import { Ringer } from './ringer';
import { CallPanel } from './callpanel';
import { Keypad } from './keypad';
import { Contacts, Recent } from './lists';
import { SettingsPanel } from './settings';

type Tab = 'keypad' | 'contacts' | 'recent' | 'settings';
const TABS: { id: Tab; label: string }[] = [
  { id: 'keypad', label: 'Keypad' }, { id: 'contacts', label: 'Contacts' }, { id: 'recent', label: 'Recent' },
  { id: 'settings', label: 'Settings' },
];

const REGISTRATION_TEXT: Record<PhoneState['registration'], string> = {
  connecting: 'Connecting…', registered: 'Ready', unregistered: 'Not registered', failed: 'Not registered',
  disconnected: 'Offline',
};

export function PhoneView({ me, onSignedOut }: { me: Me; onSignedOut: (problem: string | null) => void }) {
  const phone = useRef<Phone | null>(null);
  const ringer = useRef(new Ringer());
  const [state, setState] = useState<PhoneState | null>(null);
  const [extension, setExtension] = useState<string>(me.extensions[0] ?? '');
  const [setupProblem, setSetupProblem] = useState<string | null>(null);
  const [tab, setTab] = useState<Tab>('keypad');
  const [number, setNumber] = useState('');
  const [settings, setSettings] = useState<Settings | null>(null);
  const [callsVersion, setCallsVersion] = useState(0);
  const names = useRef(new Map<string, string>());

  useEffect(() => {
    let stopped = false;
    api.phone().then((credentials) => {
      if (stopped) return;
      setExtension(credentials.uri.replace(/^sips?:/, '').replace(/@.*$/, ''));
      const p = new Phone(credentials, (s) => {
        if (s.registration === 'registered' && performance.getEntriesByName('parley:registered').length === 0) {
          performance.mark('parley:registered');
        }
        setState(s);
      });
      phone.current = p;
      setState(p.snapshot());
      p.start();
    }).catch((e: unknown) => {
      if (stopped) return;
      if (e instanceof ApiFailure && e.status === 401) {
        onSignedOut('Your session has ended. Sign in again.');
      } else if (e instanceof ApiFailure && e.missing) {
        setSetupProblem('This Parley server does not provide browser phones yet (no POST /api/me/phone).');
      } else if (e instanceof ApiFailure && e.status === 409) {
        setSetupProblem(e.message);
      } else {
        setSetupProblem(e instanceof Error ? e.message : 'The phone could not be set up.');
      }
    });
    api.settings().then(setSettings).catch(() => setSettings(null));
    // names for the numbers the user dials (the directory answers only on servers that have it)
    api.directory().then((entries) => {
      names.current = new Map(entries.map((e) => [e.extension, e.displayName]));
    }).catch(() => undefined);
    return () => {
      stopped = true;
      phone.current?.stop();
      phone.current = null;
      ringer.current.stop();
    };
  }, []);

  const call = state?.call ?? null;
  const ringing = call?.direction === 'incoming' && call.state === 'ringing';

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

  // a call just ended: the server's call log has a new row
  const hadCall = useRef(false);
  useEffect(() => {
    if (call) hadCall.current = true;
    else if (hadCall.current) {
      hadCall.current = false;
      setCallsVersion((v) => v + 1);
    }
  }, [call === null]);

  const signOut = async () => {
    phone.current?.stop();
    try {
      await api.signOut();
    } catch {
      // the session may have ended already; the user is signed out either way
    }
    onSignedOut(null);
  };

  const dial = (target: string) => {
    setNumber(target);
    phone.current?.dial(target, names.current.get(target.trim()) ?? '');
  };

  const registration = state?.registration ?? 'connecting';
  const message = setupProblem ?? state?.problem ?? state?.lastEnd ?? null;
  return (
    <div class="phone">
      <header class="bar">
        <div class="who">
          <strong>{me.displayName || me.username}</strong>
          <span class="muted">{extension ? `Extension ${extension}` : 'No extension'}</span>
        </div>
        <span class={`reg reg-${setupProblem ? 'failed' : registration}`} role="status" aria-live="polite"
          data-registration={setupProblem ? 'failed' : registration}>
          {setupProblem ? 'Not available' : REGISTRATION_TEXT[registration]}
        </span>
        <button type="button" class="link" onClick={signOut}>Sign out</button>
      </header>
      {message && <p class={setupProblem || state?.problem ? 'error banner' : 'notice banner'} role="alert">{message}</p>}
      {call && phone.current
        ? <CallPanel call={call} phone={phone.current} />
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
                  canCall={registration === 'registered'} />
              )}
              {tab === 'contacts' && <Contacts onCall={dial} own={extension ? [extension, ...me.extensions] : me.extensions} />}
              {tab === 'recent' && <Recent onCall={dial} version={callsVersion} />}
              {tab === 'settings' && <SettingsPanel settings={settings} onSaved={setSettings} />}
            </section>
          </main>
        )}
    </div>
  );
}
