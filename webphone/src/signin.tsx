import { useState } from 'preact/hooks';
import { api, ApiFailure, type Me } from './api';
import { askForNotifications, unlockAudio } from './ringer';

export function SignIn({ problem, onSignedIn }: { problem: string | null; onSignedIn: (me: Me) => void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(problem);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    // during the click: browsers allow sound and the notification prompt only from a user gesture
    unlockAudio();
    askForNotifications();
    performance.clearMarks();
    performance.mark('parley:sign-in');
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await api.signIn(username.trim(), password));
    } catch (e) {
      setError(e instanceof ApiFailure ? e.message : 'Sign-in failed.');
      setBusy(false);
    }
  };

  return (
    <main class="center">
      <form class="card signin" onSubmit={submit} aria-labelledby="signin-title">
        <h1 id="signin-title"><span class="logo" aria-hidden="true">☎</span> Parley</h1>
        <p class="muted">Sign in with your Parley account to use your phone in this browser.</p>
        <label for="username">User name or email</label>
        <input id="username" name="username" autocomplete="username" required autofocus value={username}
          onInput={(e) => setUsername(e.currentTarget.value)} />
        <label for="password">Password</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required value={password}
          onInput={(e) => setPassword(e.currentTarget.value)} />
        {error && <p class="error" role="alert">{error}</p>}
        <button type="submit" class="primary" disabled={busy}>{busy ? 'Signing in…' : 'Sign in'}</button>
      </form>
    </main>
  );
}
