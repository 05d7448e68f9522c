// Drives the second slice of Parley's browser phone (webphone/) in Debian's Chromium: alice in one browser with two
// tabs, bob in another. Checks that only one of alice's tabs registers and that the other takes over when asked,
// the padlock on a browser-to-browser call (and its per-leg explanation, opened with the keyboard), bob's presence
// as alice's other tab shows it during the call, settings changed in one tab reaching the other, and a contact with
// a picture that survives a reload (and a picture over 256 KiB refused with the server's message). Saves
// screenshots (375 px wide) and prints "RESULT <json>". Used by parley-server's WebphoneFeaturesIT.
//
// The Java test answers questions only it can (how many SIP bindings alice's extension has in the store): the
// driver prints "CHECK <name>" and reads the answer as one line on stdin.
//
// Usage: node webphone-features.mjs BASE_URL SHOTS_DIR   with environment
//   PARLEY_SPKI, A_USER, A_PASSWORD, B_USER, B_PASSWORD, B_EXTENSION, PICTURE (a small PNG), BIG_PICTURE (> 256 KiB)
import { STEP, launchChromium, parseArgs, registration, runDriver, screenshot, signIn, sleep, testChannel, watch }
  from './webphone-page.mjs';

const { base, env } = parseArgs('webphone-features.mjs', ['A_USER', 'A_PASSWORD', 'B_USER', 'B_PASSWORD',
  'B_EXTENSION', 'PICTURE', 'BIG_PICTURE']);
const { ask } = testChannel();

const badge = registration;

/** Asks the store how many live bindings alice's extension has, until it says `want` (at most 8 s). */
async function bindings(name, want) {
  let n = -1;
  for (let i = 0; i < 8; i++) {
    n = Number(await ask(name));
    if (n === want) break;
    await sleep(1000);
  }
  return n;
}

await runDriver(async ({ result, step }) => {
  const a = await launchChromium('A');
  const b = await launchChromium('B');
  const a1 = a.page;
  await signIn(a1, env.A_USER, env.A_PASSWORD);
  step('alice tab 1 registered');

  // a second tab of the same user: it must not register while the first has the phone
  const a2 = await a.context.newPage();
  watch('A2', a2);
  await a2.goto(base + '/');
  await a2.locator('[data-registration="elsewhere"]').waitFor({ timeout: STEP });
  await sleep(1500); // time a wrong second REGISTER would need to show up
  result.secondTab = { badge: await badge(a2), banner: await a2.locator('.elsewhere').innerText(),
    firstBadge: await badge(a1) };
  result.bindingsWithTwoTabs = await bindings('bindings', 1);
  result.meRegistrations = await a2.evaluate(() => fetch('/api/me/registrations').then((r) => r.json())
    .then((j) => j.registrations.length));
  await screenshot(a2, 'other-tab.png');
  step(`second tab: ${JSON.stringify(result.secondTab)}, bindings ${result.bindingsWithTwoTabs}`);

  // alice's second tab watches bob's presence in its extensions list while her first tab calls him
  await a2.getByRole('tab', { name: 'Contacts' }).click();
  const bobRow = a2.locator(`li[data-extension="${env.B_EXTENSION}"]`);
  await bobRow.waitFor({ timeout: STEP });
  await a2.evaluate((ext) => {
    window.__presence = [];
    setInterval(() => {
      const p = document.querySelector(`li[data-extension="${ext}"]`)?.getAttribute('data-presence') ?? null;
      if (window.__presence[window.__presence.length - 1] !== p) window.__presence.push(p);
    }, 100);
  }, env.B_EXTENSION);
  await signIn(b.page, env.B_USER, env.B_PASSWORD);
  await sleep(4000); // the presence engine re-reads bindings every 3 s
  result.presenceBeforeCall = await bobRow.getAttribute('data-presence');
  result.presenceTextBeforeCall = await bobRow.locator('.presence').innerText();
  await screenshot(a2, 'contacts-presence.png');
  step(`bob registered; alice's other tab shows him ${result.presenceBeforeCall}`);

  await a1.getByLabel('Number or extension').fill(env.B_EXTENSION);
  await a1.getByRole('button', { name: 'Call', exact: true }).click();
  await b.page.getByText('Incoming call').waitFor({ timeout: STEP });
  await b.page.getByRole('button', { name: 'Answer' }).click();
  await a1.locator('button.padlock').waitFor({ timeout: STEP });
  await b.page.locator('button.padlock').waitFor({ timeout: STEP });
  step('answered; both padlocks shown');
  result.aPadlock = { encrypted: await a1.locator('button.padlock').getAttribute('data-encrypted'),
    text: await a1.locator('button.padlock').innerText() };
  await a1.locator('button.padlock').click();
  result.aPadlock.legs = await a1.locator('#padlock-legs').innerText();
  await screenshot(a1, 'in-call-padlock.png');
  // keyboard: Tab until the padlock has the focus, then Enter
  let focused = false;
  for (let i = 0; i < 10 && !focused; i++) {
    await b.page.keyboard.press('Tab');
    focused = await b.page.evaluate(() => document.activeElement?.classList.contains('padlock') ?? false);
  }
  if (focused) await b.page.keyboard.press('Enter');
  result.bPadlock = { encrypted: await b.page.locator('button.padlock').getAttribute('data-encrypted'), keyboard: focused,
    legs: focused ? await b.page.locator('#padlock-legs').innerText({ timeout: 5000 }) : null };
  step(`padlocks: alice ${JSON.stringify(result.aPadlock)}, bob ${JSON.stringify(result.bPadlock)}`);
  await sleep(2000);
  result.presenceDuringCall = await bobRow.getAttribute('data-presence');
  result.presenceTextDuringCall = await bobRow.locator('.presence').innerText();
  await screenshot(a2, 'contacts-presence-busy.png');
  await a1.getByRole('button', { name: 'Hang up' }).click();
  await a1.getByRole('tab', { name: 'Keypad' }).waitFor({ timeout: STEP });
  await sleep(4000);
  result.presenceAfterCall = await bobRow.getAttribute('data-presence');
  result.presenceSequence = await a2.evaluate(() => window.__presence);
  step(`bob's presence as alice's other tab saw it: ${result.presenceSequence.join(' -> ')}`);

  // take over in the second tab: it registers, the first stops and says where the phone is
  await a2.getByRole('button', { name: 'Use it here' }).click();
  await a2.locator('[data-registration="registered"]').waitFor({ timeout: STEP });
  await a1.locator('[data-registration="elsewhere"]').waitFor({ timeout: STEP });
  result.bindingsAfterTakeOver = await bindings('bindings', 1);
  result.takeOver = { a1: await badge(a1), a2: await badge(a2) };
  step(`take-over: ${JSON.stringify(result.takeOver)}, bindings ${result.bindingsAfterTakeOver}`);

  // the call log in the tab that is not on the call reloads when the call ends (event: call ended, or alice's own
  // presence leaving busy); the harness's own EventSource records which call events that tab was sent
  await a1.getByRole('tab', { name: 'Recent' }).click();
  await a1.evaluate(() => {
    window.__callEvents = [];
    new EventSource('/api/me/events').addEventListener('call', (e) => window.__callEvents.push(JSON.parse(e.data).state));
  });
  const rows = a1.locator('ul[aria-label="Recent calls"] > li');
  await rows.first().waitFor({ timeout: STEP });
  result.recentRowsBefore = await rows.count();
  await a2.getByRole('tab', { name: 'Keypad' }).click();
  await a2.getByLabel('Number or extension').fill(env.B_EXTENSION);
  await a2.getByRole('button', { name: 'Call', exact: true }).click();
  await b.page.getByText('Incoming call').waitFor({ timeout: STEP });
  await b.page.getByRole('button', { name: 'Answer' }).click();
  await a2.getByRole('button', { name: 'Hang up' }).click({ timeout: STEP });
  const ended = Date.now();
  await a1.waitForFunction((n) => document.querySelectorAll('ul[aria-label="Recent calls"] > li').length > n,
    result.recentRowsBefore, { timeout: 10_000 }).finally(async () => {
    result.callEventsSeenByIdleTab = await a1.evaluate(() => window.__callEvents);
    console.log(`call events alice's idle tab got: ${JSON.stringify(result.callEventsSeenByIdleTab)}`);
  });
  result.recentRefreshMillis = Date.now() - ended;
  result.recentRowsAfter = await rows.count();
  step(`call log in the other tab: ${result.recentRowsBefore} -> ${result.recentRowsAfter} rows, ${result.recentRefreshMillis} ms after hang-up`);


  // settings changed in one tab show in the other (event: settings on /api/me/events)
  await a1.getByRole('tab', { name: 'Settings' }).click();
  await a2.getByRole('tab', { name: 'Settings' }).click();
  await a2.locator('#setting-doNotDisturb').check();
  const seen = Date.now();
  await a1.locator('#setting-doNotDisturb:checked').waitFor({ timeout: 10_000 });
  result.settingsSeenMillis = Date.now() - seen;
  await screenshot(a2, 'settings.png', { fullPage: true });
  await a2.locator('#setting-doNotDisturb').uncheck();
  await a1.locator('#setting-doNotDisturb:not(:checked)').waitFor({ timeout: 10_000 });
  step(`do-not-disturb set in tab 2 shown in tab 1 after ${result.settingsSeenMillis} ms`);

  // a microphone chosen from enumerateDevices() is stored with the settings and shows in the other tab
  const microphones = await a2.locator('#device-microphone option').evaluateAll((os) => os.map((o) => o.value)
    .filter(Boolean));
  result.microphones = microphones.length;
  if (microphones.length > 0) {
    const chosen = microphones[microphones.length - 1];
    await a2.locator('#device-microphone').selectOption(chosen);
    await a1.waitForFunction((v) => document.querySelector('#device-microphone')?.value === v, chosen,
      { timeout: 10_000 });
    result.chosenMicrophone = chosen;
    result.storedMicrophone = await a2.evaluate(() => fetch('/api/me/settings').then((r) => r.json())
      .then((j) => j.devices.microphone));
    await screenshot(a2, 'settings-devices.png', { fullPage: true });
  }
  step(`microphones offered: ${result.microphones}; stored ${result.storedMicrophone}`);

  // a contact with a picture, on the server
  await a2.getByRole('tab', { name: 'Contacts' }).click();
  await a2.getByRole('button', { name: 'Add contact' }).click();
  await a2.getByLabel('Name', { exact: true }).fill('Dora Pike');
  await a2.getByLabel('Extension', { exact: true }).fill(env.B_EXTENSION);
  await a2.getByLabel(/Phone numbers/).fill('+44 20 7946 0000');
  await a2.locator('#c-picture').setInputFiles(env.PICTURE);
  await a2.getByRole('button', { name: 'Save' }).click();
  const dora = a2.locator('li[data-contact="Dora Pike"]');
  await dora.locator('img.avatar').waitFor({ timeout: STEP });
  // a picture over 256 KiB: the server's 413, as a message
  await dora.getByRole('button', { name: 'Edit Dora Pike' }).click();
  await a2.locator('#c-picture').setInputFiles(env.BIG_PICTURE);
  await a2.getByRole('button', { name: 'Save' }).click();
  result.bigPictureMessage = await a2.locator('.contact-form [role=alert]').innerText({ timeout: STEP });
  await screenshot(a2, 'contact-picture-refused.png');
  await a2.getByRole('button', { name: 'Cancel' }).click();
  await screenshot(a2, 'contacts.png', { fullPage: true });
  step(`contact saved with a picture; too big: "${result.bigPictureMessage}"`);

  // reload: the contact is still there, its picture loads; the lock passes to tab 1, which was waiting for it
  await a2.reload();
  await a1.locator('[data-registration="registered"]').waitFor({ timeout: STEP });
  await a2.locator('[data-registration="elsewhere"]').waitFor({ timeout: STEP });
  await a2.getByRole('tab', { name: 'Contacts' }).click();
  const img = a2.locator('li[data-contact="Dora Pike"] img.avatar');
  await img.waitFor({ timeout: STEP });
  await a2.waitForFunction(() => document.querySelector('li[data-contact="Dora Pike"] img.avatar')?.complete === true,
    null, { timeout: STEP });
  result.afterReload = {
    text: await a2.locator('li[data-contact="Dora Pike"]').innerText(),
    pictureWidth: await img.evaluate((i) => i.naturalWidth),
    a1: await badge(a1), a2: await badge(a2),
  };
  result.bindingsAfterReload = await bindings('bindings', 1);
  step(`after reload: ${JSON.stringify(result.afterReload)}, bindings ${result.bindingsAfterReload}`);

  // a call that ends while the idle tab's event stream is down: the stream has no replay, so the tab must read its
  // call log again once the stream is back. Tab 2's stream fails (network error, the browser retries) until then.
  await a2.route('**/api/me/events', (route) => route.abort('internetdisconnected'));
  await a2.reload();
  await a2.locator('[data-registration="elsewhere"]').waitFor({ timeout: STEP });
  await a2.getByText('Live updates paused').waitFor({ timeout: STEP });
  await a2.getByRole('tab', { name: 'Recent' }).click();
  const rows2 = a2.locator('ul[aria-label="Recent calls"] > li');
  await rows2.first().waitFor({ timeout: STEP });
  await sleep(1000);
  result.recentRowsStreamDown = await rows2.count();
  await a1.getByRole('tab', { name: 'Keypad' }).click();
  await a1.getByLabel('Number or extension').fill(env.B_EXTENSION);
  await a1.getByRole('button', { name: 'Call', exact: true }).click();
  await b.page.getByText('Incoming call').waitFor({ timeout: STEP });
  await b.page.getByRole('button', { name: 'Answer' }).click();
  await a1.locator('button.padlock').waitFor({ timeout: STEP });
  await a1.getByRole('button', { name: 'Hang up' }).click();
  await a1.getByRole('tab', { name: 'Keypad' }).waitFor({ timeout: STEP });
  await sleep(2000);
  result.recentRowsStreamStillDown = await rows2.count();
  await a2.unroute('**/api/me/events');
  const back = Date.now();
  await a2.waitForFunction((n) => document.querySelectorAll('ul[aria-label="Recent calls"] > li').length > n,
    result.recentRowsStreamDown, { timeout: 20_000 });
  result.recentAfterStreamBackMillis = Date.now() - back;
  result.recentRowsStreamBack = await rows2.count();
  step(`call ended while the other tab's stream was down: ${result.recentRowsStreamDown} rows, `
    + `${result.recentRowsStreamStillDown} while down, ${result.recentRowsStreamBack} `
    + `${result.recentAfterStreamBackMillis} ms after the stream was let through`);
});
