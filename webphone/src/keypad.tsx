// The dial pad: a number field (type or paste; Enter calls) and twelve keys. In a call the same keys send DTMF.
export const KEYS: { key: string; letters: string }[] = [
  { key: '1', letters: '' }, { key: '2', letters: 'ABC' }, { key: '3', letters: 'DEF' },
  { key: '4', letters: 'GHI' }, { key: '5', letters: 'JKL' }, { key: '6', letters: 'MNO' },
  { key: '7', letters: 'PQRS' }, { key: '8', letters: 'TUV' }, { key: '9', letters: 'WXYZ' },
  { key: '*', letters: '' }, { key: '0', letters: '+' }, { key: '#', letters: '' },
];

export function Keys({ onKey, label }: { onKey: (key: string) => void; label: string }) {
  return (
    <div class="keys" role="group" aria-label={label}>
      {KEYS.map((k) => (
        <button type="button" class="key" aria-label={k.key} onClick={() => onKey(k.key)}>
          <span class="digit">{k.key}</span><span class="letters" aria-hidden="true">{k.letters || '\u00a0'}</span>
        </button>
      ))}
    </div>
  );
}

export function Keypad({ number, onNumber, onCall, canCall }: {
  number: string; onNumber: (n: string) => void; onCall: () => void; canCall: boolean;
}) {
  return (
    <form class="keypad" onSubmit={(e) => { e.preventDefault(); if (canCall) onCall(); }}>
      <label for="number" class="sr-only">Number or extension</label>
      <div class="number-row">
        <input id="number" class="number" inputMode="tel" autocomplete="off" placeholder="Number or extension"
          value={number} onInput={(e) => onNumber(e.currentTarget.value.replace(/[^0-9*#+\s().-]/g, ''))} />
        {number && (
          <button type="button" class="link" aria-label="Delete last digit"
            onClick={() => onNumber(number.slice(0, -1))}>⌫</button>
        )}
      </div>
      <Keys label="Dial pad" onKey={(k) => onNumber(number + k)} />
      <button type="submit" class="call" disabled={!canCall || !number.trim()}>Call</button>
    </form>
  );
}
