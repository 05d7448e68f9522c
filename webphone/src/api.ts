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

export interface Contact {
  id: string;
  displayName: string;
  extension: string | null;
  phoneNumbers: string[];
  email: string | null;
  hasPicture: boolean;
}

export type ContactDraft = Omit<Contact, 'id' | 'hasPicture'>;

export interface LiveLeg {
  party: 'caller' | 'callee';
  endpoint: string | null;
  /** the device is a signed-in browser phone (its session-bound web-… credentials) */
  browserPhone: boolean;
  /** the device owner's display name (their username when it is blank), or null */
  user: string | null;
  /** the owner's extension on this call (else their first), or null */
  extension: string | null;
  transport: 'udp' | 'tcp' | 'tls' | 'wss';
  media: 'rtp' | 'srtp-sdes' | 'dtls-srtp' | 'none';
  encrypted: boolean;
}

export interface LiveCall {
  id: string;
  state: 'ringing' | 'answered' | 'held';
  /** state held: the side whose last offer or answer stopped receiving (sendonly or inactive) */
  heldBy?: 'caller' | 'callee' | 'both' | null;
  from: string;
  fromName: string | null;
  to: string;
  toName: string | null;
  startedAt: string;
  encrypted: boolean;
  legs: LiveLeg[];
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
/** Told when the server answers 401 to a signed-in page (the session ended: signed out elsewhere, idle, evicted). */
let unauthorized: (() => void) | null = null;

/** Sets (or clears, with null) what happens when the server says the session is gone. */
export function onUnauthorized(handler: (() => void) | null): void {
  unauthorized = handler;
}

async function call<T>(method: string, path: string, body?: unknown, type?: string): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const raw = type !== undefined;
  if (body !== undefined) headers['Content-Type'] = type ?? 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(path, {
      method, headers, credentials: 'same-origin', cache: 'no-store',
      body: body === undefined ? undefined : raw ? body as Blob : JSON.stringify(body),
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
  // a wrong password at sign-in is a 401 too, but no signed-in page is there to end
  if (response.status === 401 && path !== '/api/session') unauthorized?.();
  if (!response.ok) {
    const retry = response.headers.get('Retry-After');
    let message = json?.error ?? `The server answered ${response.status}.`;
    // a 400 names the field it refused: say which
    if (json?.field && !message.toLowerCase().includes(json.field.toLowerCase())) message = `${json.field}: ${message}`;
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
  liveCalls: () => call<{ calls: LiveCall[] }>('GET', '/api/me/calls/live').then((r) => r.calls),
  contacts: () => call<{ contacts: Contact[] }>('GET', '/api/me/contacts').then((r) => r.contacts),
  addContact: (draft: ContactDraft) => call<Contact>('POST', '/api/me/contacts', draft),
  saveContact: (id: string, draft: ContactDraft) =>
    call<Contact>('PUT', `/api/me/contacts/${encodeURIComponent(id)}`, draft),
  deleteContact: (id: string) => call<void>('DELETE', `/api/me/contacts/${encodeURIComponent(id)}`),
  /** The picture's bytes as the body, its type (image/png, image/jpeg, image/webp) as the Content-Type. */
  savePicture: (id: string, picture: Blob) =>
    call<void>('PUT', `/api/me/contacts/${encodeURIComponent(id)}/picture`, picture, picture.type || 'application/octet-stream'),
  pictureUrl: (id: string, version: number) => `/api/me/contacts/${encodeURIComponent(id)}/picture?v=${version}`,
};
