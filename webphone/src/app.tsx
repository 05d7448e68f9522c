// Top level: find out whether the browser already has a session (a reload keeps the user signed in), then show the
// sign-in form or the phone.
import { useEffect, useState } from 'preact/hooks';
import { api, ApiFailure, type Me } from './api';
import { SignIn } from './signin';
import { PhoneView } from './phoneview';

type Screen = { kind: 'loading' } | { kind: 'signed-out'; problem: string | null } | { kind: 'phone'; me: Me };

export function App() {
  const [screen, setScreen] = useState<Screen>({ kind: 'loading' });

  useEffect(() => {
    api.me()
      .then((me) => setScreen({ kind: 'phone', me }))
      .catch((e: unknown) => setScreen({
        kind: 'signed-out',
        problem: e instanceof ApiFailure && e.status !== 401 ? e.message : null,
      }));
  }, []);

  switch (screen.kind) {
    case 'loading':
      return <main class="center"><p class="muted" role="status">Loading…</p></main>;
    case 'signed-out':
      return <SignIn problem={screen.problem} onSignedIn={(me) => setScreen({ kind: 'phone', me })} />;
    case 'phone':
      return <PhoneView me={screen.me} onSignedOut={(problem) => setScreen({ kind: 'signed-out', problem })} />;
  }
}
