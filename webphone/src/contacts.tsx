// The user's own contacts, stored on the server (/api/me/contacts): add, edit, delete, a picture (PUT …/picture
// with the image's bytes as the body and its type as the Content-Type; the server checks the type by its magic
// bytes and refuses more than 256 KiB with 413), call. The server's answers (400 naming the field, 413) are shown
// as they come. Contacts with an extension show that extension's live presence.
import { useEffect, useState } from 'preact/hooks';
import { api, ApiFailure, type Contact, type ContactDraft, type DirectoryEntry } from './api';
import { PRESENCE } from './lists';

type Editing = { kind: 'none' } | { kind: 'new' } | { kind: 'edit'; contact: Contact };

function message(e: unknown, what: string): string {
  return e instanceof ApiFailure ? e.message : `${what} failed.`;
}

export function Contacts({ onCall, presence }:
  { onCall: (n: string) => void; presence: Map<string, DirectoryEntry['presence']> }) {
  const [contacts, setContacts] = useState<Contact[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [editing, setEditing] = useState<Editing>({ kind: 'none' });
  const [version, setVersion] = useState(Date.now());

  const load = () => api.contacts().then((c) => { setContacts(c); setProblem(null); })
    .catch((e: unknown) => setProblem(message(e, 'Loading your contacts')));
  useEffect(() => { void load(); }, []);

  if (editing.kind !== 'none') {
    return (
      <ContactEditor contact={editing.kind === 'edit' ? editing.contact : null}
        onDone={(changed, deleted) => {
          setEditing({ kind: 'none' });
          // the list shows again at once, from what it held before the editor: a deleted contact must not be in it
          // while the fresh list loads (WebphoneContactsIT read it there once after a delete)
          if (deleted) setContacts((cs) => cs && cs.filter((c) => c.id !== deleted));
          if (changed) { setVersion(Date.now()); void load(); }
        }} />
    );
  }
  return (
    <div class="contacts">
      <div class="section-head">
        <h2 class="section-title">My contacts</h2>
        <button type="button" class="small" onClick={() => setEditing({ kind: 'new' })}>Add contact</button>
      </div>
      {problem && <p class="error" role="alert">{problem}</p>}
      {contacts === null && !problem && <p class="muted" role="status">Loading contacts…</p>}
      {contacts?.length === 0 && <p class="muted">No contacts yet.</p>}
      {contacts && contacts.length > 0 && (
        <ul class="list" aria-label="My contacts">
          {contacts.map((c) => {
            const number = c.extension ?? c.phoneNumbers[0] ?? null;
            const p = c.extension ? presence.get(c.extension) : undefined;
            return (
              <li class="contact" data-contact={c.displayName}>
                {c.hasPicture
                  ? <img class="avatar" src={api.pictureUrl(c.id, version)} alt="" width={40} height={40} />
                  : <span class="avatar initials" aria-hidden="true">{initials(c.displayName)}</span>}
                <span class="row-main">
                  <span class="row-title">{c.displayName}</span>
                  <span class="muted">
                    {[c.extension, ...c.phoneNumbers].filter(Boolean).map((n, i) => (
                      <>{i > 0 && ' · '}<span class="nowrap">{n}</span></>))}
                    {!c.extension && c.phoneNumbers.length === 0 && (c.email || 'No number')}
                    {p && <> · <span class={`dot ${p}`} aria-hidden="true" /> <span class="presence">{PRESENCE[p]}</span></>}
                  </span>
                </span>
                <button type="button" class="small" onClick={() => setEditing({ kind: 'edit', contact: c })}
                  aria-label={`Edit ${c.displayName}`}>Edit</button>
                {number && (
                  <button type="button" class="small call" onClick={() => onCall(number)}
                    aria-label={`Call ${c.displayName} on ${number}`}>Call</button>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}

function initials(name: string): string {
  return name.split(/\s+/).filter(Boolean).slice(0, 2).map((w) => w.charAt(0).toUpperCase()).join('');
}

function ContactEditor({ contact, onDone }:
  { contact: Contact | null; onDone: (changed: boolean, deleted?: string) => void }) {
  const [displayName, setDisplayName] = useState(contact?.displayName ?? '');
  const [extension, setExtension] = useState(contact?.extension ?? '');
  const [numbers, setNumbers] = useState((contact?.phoneNumbers ?? []).join(', '));
  const [email, setEmail] = useState(contact?.email ?? '');
  const [picture, setPicture] = useState<File | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // a new contact stored before its picture was refused: saving again edits it rather than adding a second one
  const [created, setCreated] = useState<Contact | null>(null);
  const current = contact ?? created;

  const save = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setProblem(null);
    const draft: ContactDraft = {
      displayName: displayName.trim(),
      extension: extension.trim() || null,
      phoneNumbers: numbers.split(',').map((n) => n.trim()).filter(Boolean),
      email: email.trim() || null,
    };
    let stored = false;
    try {
      const saved = current ? await api.saveContact(current.id, draft) : await api.addContact(draft);
      stored = true;
      if (!contact) setCreated(saved);
      if (picture) await api.savePicture(saved.id, picture);
      onDone(true);
    } catch (err) {
      setProblem(stored ? `Contact saved, but the picture was refused: ${message(err, 'Saving the picture')}`
        : message(err, 'Saving the contact'));
      setBusy(false);
    }
  };

  const remove = async () => {
    if (!current) return;
    setBusy(true);
    try {
      await api.deleteContact(current.id);
      onDone(true, current.id);
    } catch (err) {
      setProblem(message(err, 'Deleting the contact'));
      setBusy(false);
    }
  };

  return (
    <form class="contact-form" onSubmit={save} aria-label={contact ? 'Edit contact' : 'New contact'}>
      <h2 class="section-title">{contact ? 'Edit contact' : 'New contact'}</h2>
      <label for="c-name">Name</label>
      <input id="c-name" required maxLength={100} value={displayName} onInput={(e) => setDisplayName(e.currentTarget.value)} />
      <label for="c-ext">Extension</label>
      <input id="c-ext" inputMode="tel" maxLength={32} value={extension} onInput={(e) => setExtension(e.currentTarget.value)} />
      <label for="c-numbers">Phone numbers <span class="muted">(separated by commas)</span></label>
      <input id="c-numbers" inputMode="tel" value={numbers} onInput={(e) => setNumbers(e.currentTarget.value)} />
      <label for="c-email">Email</label>
      <input id="c-email" type="email" maxLength={254} value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
      <label for="c-picture">Picture <span class="muted">(PNG, JPEG or WebP, at most 256 KiB)</span></label>
      <input id="c-picture" type="file" accept="image/png,image/jpeg,image/webp"
        onChange={(e) => setPicture(e.currentTarget.files?.[0] ?? null)} />
      {problem && <p class="error" role="alert">{problem}</p>}
      <div class="form-actions">
        <button type="submit" class="primary" disabled={busy}>Save</button>
        <button type="button" disabled={busy} onClick={() => onDone(false)}>Cancel</button>
        {current && <button type="button" class="danger" disabled={busy} onClick={remove}>Delete</button>}
      </div>
    </form>
  );
}
