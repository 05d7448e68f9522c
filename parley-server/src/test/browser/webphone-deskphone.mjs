// Drives Parley's browser phone (webphone/, served at /) as one signed-in user in Debian's Chromium against a desk
// phone: sign in, register, then, when the Java test says so on stdin, dial TARGET from the dial pad, wait for the
// call and its audio, press DIGITS on the in-call key pad (RFC 4733 through RTCDTMFSender), read the page's padlock
// if it has one, and hang up when told. Prints "REGISTERED", "INCALL", "DTMF_SENT" as it gets there and one line
// "RESULT <json>" at the end. Page helpers from webphone-page.mjs.
// Used by parley-server's WebphoneDeskPhoneIT.
//
// Usage: node webphone-deskphone.mjs BASE_URL   with environment
//   PARLEY_SPKI   base64 SHA-256 of the Parley certificate's SubjectPublicKeyInfo (Chromium trusts that key only)
//   A_USER, A_PASSWORD, A_WAV   the browser user's Parley account and microphone
//   TARGETS   comma-separated numbers to call one after the other (stdin "call" before each, "hangup" to end it)
//   DIGITS    the key pad digits to send in the first call
// Exit code 0 when the flow ran to its end (the Java test judges), 2 when a step failed.
import {
  STEP, launchChromium, parseArgs, runDriver, signIn, sleep, stats, testChannel, waitForAudio,
} from './webphone-page.mjs';

const { env } = parseArgs('webphone-deskphone.mjs', ['A_USER', 'A_PASSWORD', 'A_WAV', 'TARGETS'], { shots: false });
const { expect: command } = testChannel();

await runDriver(async ({ result }) => {
  result.calls = [];
  const { page } = await launchChromium('A', { wav: env.A_WAV });
  await signIn(page, env.A_USER, env.A_PASSWORD);
  console.log('REGISTERED');

  const targets = env.TARGETS.split(',');
  for (let i = 0; i < targets.length; i++) {
    await command('call');
    const call = { target: targets[i] };
    result.calls.push(call);
    await page.getByRole('tab', { name: 'Keypad' }).click();
    await page.getByLabel('Number or extension').fill(''); // the last number dialled may still be there
    for (const digit of targets[i]) {
      await page.getByRole('group', { name: 'Dial pad' }).getByRole('button', { name: digit, exact: true }).click();
    }
    call.dialled = await page.getByLabel('Number or extension').inputValue();
    await page.getByRole('button', { name: 'Call', exact: true }).click();
    await page.getByText('In call').waitFor({ timeout: STEP }).catch(async (e) => {
      call.banner = await page.locator('.banner').innerText().catch(() => null);
      throw e;
    });
    await waitForAudio([page], 'arrived after the answer');
    call.first = await stats(page);
    console.log('INCALL');
    if (i === 0 && env.DIGITS) {
      await page.getByRole('button', { name: 'Keypad' }).click();
      const keys = page.getByRole('group', { name: 'Send tones' });
      for (const digit of env.DIGITS) {
        await keys.getByRole('button', { name: digit, exact: true }).click();
        await sleep(400); // RTCDTMFSender queues tones of 100 ms + 70 ms gap; keep each key its own event
      }
      call.dtmfShown = await page.locator('.dtmf-sent').innerText().catch(() => null);
      console.log('DTMF_SENT');
    }
    // the padlock, if this build of the page has one (data-encrypted: true/false/unknown)
    call.padlock = await page.locator('[data-encrypted]').first()
      .getAttribute('data-encrypted', { timeout: 5000 }).catch(() => null);
    await command('hangup');
    call.last = await stats(page);
    await page.getByRole('button', { name: 'Hang up' }).click();
    await page.getByRole('tab', { name: 'Keypad' }).waitFor({ timeout: STEP });
  }
});
