// The user's phone settings, stored on the server (GET/PUT /api/me/settings, the whole object each time) and
// enforced by the PBX: do-not-disturb, call waiting, auto-answer.
import { useState } from 'preact/hooks';
import { api, ApiFailure, type Settings } from './api';

const SWITCHES: { key: 'doNotDisturb' | 'callWaiting' | 'autoAnswer'; label: string; help: string }[] = [
  { key: 'doNotDisturb', label: 'Do not disturb', help: 'Callers are refused; the call shows as missed.' },
  { key: 'callWaiting', label: 'Call waiting', help: 'A second caller may ring while you are on a call.' },
  { key: 'autoAnswer', label: 'Auto-answer', help: 'Calls are answered at once (for headsets, intercoms).' },
];

export function SettingsPanel({ settings, onSaved }: { settings: Settings | null; onSaved: (s: Settings) => void }) {
  const [problem, setProblem] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  if (!settings) return <p class="muted" role="status">Settings are not available on this server yet.</p>;
  const change = async (key: typeof SWITCHES[number]['key'], value: boolean) => {
    setSaving(true);
    setProblem(null);
    const before = settings;
    const wanted = { ...settings, [key]: value };
    onSaved(wanted); // shown at once; put back if the server refuses it
    try {
      onSaved(await api.saveSettings(wanted));
    } catch (e) {
      onSaved(before);
      setProblem(e instanceof ApiFailure ? e.message : 'The settings could not be saved.');
    } finally {
      setSaving(false);
    }
  };
  return (
    <form class="settings" onSubmit={(e) => e.preventDefault()}>
      {SWITCHES.map((s) => (
        <label class="switch" for={`setting-${s.key}`}>
          <input type="checkbox" id={`setting-${s.key}`} checked={settings[s.key]} disabled={saving}
            onChange={(e) => change(s.key, e.currentTarget.checked)} />
          <span><span class="row-title">{s.label}</span><span class="muted">{s.help}</span></span>
        </label>
      ))}
      {problem && <p class="error" role="alert">{problem}</p>}
    </form>
  );
}
