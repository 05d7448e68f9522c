// The user's phone settings, stored on the server (GET/PUT /api/me/settings, the whole object each time): do-not-
// disturb, call waiting, auto-answer (enforced by the PBX) and the devices this phone uses (microphone, speaker,
// ring device, camera; chosen from enumerateDevices(), applied by the phone). A change made in another tab arrives
// over /api/me/events and replaces what is shown.
import { useEffect, useState } from 'preact/hooks';
import { api, ApiFailure, type Settings } from './api';

const SWITCHES: { key: 'doNotDisturb' | 'callWaiting' | 'autoAnswer'; label: string; help: string }[] = [
  { key: 'doNotDisturb', label: 'Do not disturb', help: 'Callers are refused; the call shows as missed.' },
  { key: 'callWaiting', label: 'Call waiting', help: 'A second caller may ring while you are on a call.' },
  { key: 'autoAnswer', label: 'Auto-answer', help: 'Calls are answered at once (for headsets, intercoms).' },
];

type DeviceKey = keyof Settings['devices'];
const DEVICES: { key: DeviceKey; label: string; kind: MediaDeviceKind }[] = [
  { key: 'microphone', label: 'Microphone', kind: 'audioinput' },
  { key: 'speaker', label: 'Speaker', kind: 'audiooutput' },
  { key: 'ringer', label: 'Ring on', kind: 'audiooutput' },
  { key: 'camera', label: 'Camera', kind: 'videoinput' },
];

function useDevices(): MediaDeviceInfo[] {
  const [devices, setDevices] = useState<MediaDeviceInfo[]>([]);
  useEffect(() => {
    const md = navigator.mediaDevices;
    if (!md?.enumerateDevices) return undefined;
    const read = () => md.enumerateDevices().then(setDevices).catch(() => setDevices([]));
    void read();
    md.addEventListener('devicechange', read);
    return () => md.removeEventListener('devicechange', read);
  }, []);
  return devices;
}

export function SettingsPanel({ settings, onSaved }: { settings: Settings | null; onSaved: (s: Settings) => void }) {
  const [problem, setProblem] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const devices = useDevices();
  if (!settings) return <p class="muted" role="status">Settings are not available on this server yet.</p>;
  const change = (key: typeof SWITCHES[number]['key'], value: boolean) => save({ ...settings, [key]: value });
  const choose = (key: DeviceKey, id: string) => save({ ...settings, devices: { ...settings.devices, [key]: id || null } });
  const save = async (wanted: Settings) => {
    setSaving(true);
    setProblem(null);
    const before = settings;
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
      <h2 class="section-title">Devices</h2>
      {DEVICES.map((d) => {
        const options = devices.filter((x) => x.kind === d.kind && x.deviceId && x.deviceId !== 'default');
        const chosen = settings.devices[d.key];
        const unsupported = d.kind === 'audiooutput' && !('setSinkId' in HTMLMediaElement.prototype);
        return (
          <label class="device" for={`device-${d.key}`}>
            <span class="row-title">{d.label}</span>
            <select id={`device-${d.key}`} disabled={saving || unsupported} value={chosen ?? ''}
              onChange={(e) => choose(d.key, e.currentTarget.value)}>
              <option value="">System default</option>
              {options.map((x, i) => <option value={x.deviceId}>{x.label || `${d.label} ${i + 1}`}</option>)}
              {chosen && !options.some((x) => x.deviceId === chosen) && <option value={chosen}>Not connected now</option>}
            </select>
            {unsupported && <span class="muted">This browser plays through the system's output only.</span>}
          </label>
        );
      })}
      {devices.length > 0 && devices.every((x) => !x.label) && (
        <p class="muted">Device names appear once the browser has let this site use the microphone (after a call).</p>
      )}
      <p class="muted">The camera is the one a call sends when you press Video in it.</p>
      {problem && <p class="error" role="alert">{problem}</p>}
    </form>
  );
}
