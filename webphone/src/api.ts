// Parley's REST API as the phone uses it. Same origin: the session is the __Host-parley cookie (HttpOnly, the
// browser sends it); a state-changing request carries the session's CSRF token in X-CSRF-Token (ApiGuard checks it
// together with the Origin header the browser adds), as GET /api/me and POST /api/session hand it out.

export interface Me {
  id: string;
  username: string;
  displayName: string;
  role: string;
  email: string | null;
  extensions: string[];
  csrfToken?: string;
}

/** POST /api/me/phone: short-lived SIP credentials bound to this web session. */
export interface PhoneCredentials {
  uri: string;
  authorizationUser: string;
  password: string;
  displayName: string;
  wsUri: string;
  expiresAt: string;
  iceServers: RTCIceServer[];
}

export interface DirectoryEntry {
  extension: string;
  displayName: string;
  userId: string;
  presence: 'online' | 'busy' | 'dnd' | 'offline';
}

export interface CallLogEntry {
  id: string;
  direction: 'incoming' | 'outgoing';
  outcome: 'answered' | 'missed' | 'busy' | 'failed';
  from: string;
  fromName: string | null;
  to: string;
  toName: string | null;
  startedAt: string;
  answeredAt: string | null;
  endedAt: string;
  durationSeconds: number;
}

export interface Settings {
  doNotDisturb: boolean;
  callWaiting: boolean;
  autoAnswer: boolean;
  devices: { microphone: string | null; speaker: string | null; ringer: string | null; camera: string | null };
}

/** A failed request, with a message meant for the user. */
export class ApiFailure extends Error {
  constructor(readonly status: number, message: string, readonly field?: string) {
    super(message);
  }

  /** The server answered 404: the route does not exist on this server (yet). */
  get missing(): boolean {
    return this.status === 404;
  }
}

let csrfToken: string | undefined;

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(path, {
      method, headers, credentials: 'same-origin', cache: 'no-store',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiFailure(0, 'The Parley server cannot be reached. Check your network connection.');
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let json: { error?: string; field?: string } | undefined;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!response.ok) {
    const retry = response.headers.get('Retry-After');
    let message = json?.error ?? `The server answered ${response.status}.`;
    if (retry) message += ` Try again in ${retry} s.`;
    throw new ApiFailure(response.status, capitalize(message), json?.field);
  }
  return json as T;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function remember(me: Me): Me {
  csrfToken = me.csrfToken;
  return me;
}

export const api = {
  signIn: (username: string, password: string) =>
    call<Me>('POST', '/api/session', { username, password }).then(remember),
  me: () => call<Me>('GET', '/api/me').then(remember),
  signOut: () => call<void>('DELETE', '/api/session').finally(() => { csrfToken = undefined; }),
  phone: () => call<PhoneCredentials>('POST', '/api/me/phone'),
  directory: () => call<{ entries: DirectoryEntry[] }>('GET', '/api/directory').then((r) => r.entries),
  calls: (limit = 50) => call<{ calls: CallLogEntry[] }>('GET', `/api/me/calls?limit=${limit}`).then((r) => r.calls),
  settings: () => call<Settings>('GET', '/api/me/settings'),
  saveSettings: (settings: Settings) => call<Settings>('PUT', '/api/me/settings', settings),
};
