// Video in the browser phone (issue 7), driven in Debian's Chromium through the phone's own buttons: A and B each
// have a tone as microphone and a solid colour as camera (Chromium's fake capture plays a Y4M file: A red, B blue).
// A calls B, B answers audio only; A presses Video (a re-INVITE adding a video m-line, relayed by Parley to B's
// browser, which answers by itself); B's page decodes A's video and shows it (the pixels of its remote <video> are
// A's colour); B presses Video, A sees B's colour; A presses "Video off" (re-INVITE, video recvonly): B's frames stop
// while audio flows both ways; A's browser then drops its video stream (port 0) and holds and resumes the call.
// Then C, whose browser refuses the camera, calls A, presses Video, gets the message
// and keeps talking; then Parley's test page, as C, calls A with video and A answers with video. Prints
// "RESULT <json>" (see webphone-page.mjs); the Java test judges the numbers.
// Used by parley-server's WebphoneVideoIT.
//
// Usage: node webphone-video.mjs BASE_URL SHOTS_DIR   with environment
//   PARLEY_SPKI; A_USER, A_PASSWORD, A_WAV, A_Y4M, A_EXTENSION; B_USER, B_PASSWORD, B_WAV, B_Y4M, B_EXTENSION;
//   C_USER, C_PASSWORD, C_WAV, D_Y4M (the camera of the test page that calls A with video, as C)
import {
  STEP, launchChromium, parseArgs, runDriver, screenshot, signIn, sleep, stats, waitForAudio,
} from './webphone-page.mjs';
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const { base, env } = parseArgs('webphone-video.mjs', ['A_USER', 'A_PASSWORD', 'A_WAV', 'A_Y4M', 'A_EXTENSION', 'B_USER',
  'B_PASSWORD', 'B_WAV', 'B_Y4M', 'B_EXTENSION', 'C_USER', 'C_PASSWORD', 'C_WAV', 'D_Y4M']);
/** Video after a re-INVITE through Parley, on the call's bundled transport, from a key frame: generous on a loaded machine. */
const VIDEO_STEP = 20_000;

/** The mean colour of the page's remote <video> (drawn to a canvas), or null while it has no frame. */
async function remoteColour(page) {
  return page.evaluate(() => {
    const v = document.querySelector('video.remote-video');
    if (!v || v.videoWidth === 0) return null;
    const c = document.createElement('canvas');
    c.width = 32;
    c.height = 24;
    const g = c.getContext('2d');
    g.drawImage(v, 0, 0, c.width, c.height);
    const d = g.getImageData(0, 0, c.width, c.height).data;
    const sum = [0, 0, 0];
    for (let i = 0; i < d.length; i += 4) for (let k = 0; k < 3; k++) sum[k] += d[i + k];
    const n = d.length / 4;
    return { r: Math.round(sum[0] / n), g: Math.round(sum[1] / n), b: Math.round(sum[2] / n),
      width: v.videoWidth, height: v.videoHeight, visible: v.offsetWidth > 0 };
  });
}

/** Frames the page's call decoded so far (0 before any video). */
async function framesDecoded(page) {
  return (await stats(page))?.inboundVideo?.framesDecoded ?? 0;
}

/** Waits until the page has decoded more than `after` frames and shows a remote picture; returns what it saw. */
async function waitForVideo(page, after, what) {
  const start = Date.now();
  for (;;) {
    const frames = await framesDecoded(page);
    const colour = await remoteColour(page);
    const shown = await page.locator('.videos.receiving').count();
    if (frames > after + 10 && colour && colour.visible && shown > 0) {
      return { millis: Date.now() - start, frames, colour };
    }
    if (Date.now() - start > VIDEO_STEP) {
      throw new Error(`no video ${what} within ${VIDEO_STEP / 1000} s (frames ${frames}, colour `
        + `${JSON.stringify(colour)}, shown ${shown})`);
    }
    await sleep(200);
  }
}

/** The m-lines (kind and port) of the page's call: its local and its remote description. */
async function mLines(page) {
  return page.evaluate(() => {
    const pc = window.__pcs[window.__pcs.length - 1];
    const lines = (sdp) => (sdp ?? '').split(/\r?\n/).filter((l) => l.startsWith('m=')).map((l) => l.split(' ').slice(0, 2).join(' '));
    return { local: lines(pc.localDescription?.sdp), remote: lines(pc.remoteDescription?.sdp) };
  });
}

/** Audio and video counters of a page now and `ms` later. */
async function over(page, ms) {
  const before = await stats(page);
  await sleep(ms);
  return { before, after: await stats(page) };
}

await runDriver(async ({ result, step }) => {
  const a = await launchChromium('A', { wav: env.A_WAV, extraArgs: [`--use-file-for-fake-video-capture=${env.A_Y4M}`] });
  const b = await launchChromium('B', { wav: env.B_WAV, extraArgs: [`--use-file-for-fake-video-capture=${env.B_Y4M}`] });
  await signIn(a.page, env.A_USER, env.A_PASSWORD);
  await signIn(b.page, env.B_USER, env.B_PASSWORD);
  step('A and B registered');

  await a.page.getByLabel('Number or extension').fill(env.B_EXTENSION);
  await a.page.getByRole('button', { name: 'Call', exact: true }).click();
  await b.page.getByText('Incoming call').waitFor({ timeout: STEP });
  // an audio call: no "Answer with video"
  result.bAnswerButtons = await b.page.locator('.call-panel button.answer').allInnerTexts();
  await b.page.getByRole('button', { name: 'Answer', exact: true }).click();
  await a.page.getByText('In call').waitFor({ timeout: STEP });
  await b.page.getByText('In call').waitFor({ timeout: STEP });
  await waitForAudio([a.page, b.page], 'between A and B after the answer');
  result.videoBeforeAnyPress = { a: await stats(a.page), b: await stats(b.page) };
  step('A and B talk, audio only');

  // A: Video on
  await a.page.getByRole('button', { name: 'Video', exact: true }).click();
  await a.page.getByRole('button', { name: 'Video off' }).waitFor({ timeout: VIDEO_STEP });
  result.bSeesA = await waitForVideo(b.page, 0, 'from A at B');
  result.aSelfView = await a.page.locator('.videos.sending video.local-video').count();
  step(`B shows A's video after ${result.bSeesA.millis} ms: ${JSON.stringify(result.bSeesA.colour)}`);
  result.bWhileASends = await over(b.page, 3000);

  // B: Video on (its transceiver came from A's offer: receive-only until now)
  await b.page.getByRole('button', { name: 'Video', exact: true }).click();
  await b.page.getByRole('button', { name: 'Video off' }).waitFor({ timeout: VIDEO_STEP });
  result.aSeesB = await waitForVideo(a.page, 0, 'from B at A');
  step(`A shows B's video after ${result.aSeesB.millis} ms: ${JSON.stringify(result.aSeesB.colour)}`);
  await sleep(1500);
  result.bSeesAStill = await remoteColour(b.page);
  await screenshot(a.page, 'video-call.png');
  await screenshot(b.page, 'video-call-b.png');
  result.aPadlock = { encrypted: await a.page.locator('button.padlock').getAttribute('data-encrypted'),
    text: await a.page.locator('button.padlock').innerText() };
  result.bPadlock = { encrypted: await b.page.locator('button.padlock').getAttribute('data-encrypted'),
    text: await b.page.locator('button.padlock').innerText() };

  // A: Video off. B's decoder gets nothing more from A once the re-INVITE went through; A still sees B.
  await a.page.getByRole('button', { name: 'Video off' }).click();
  await a.page.getByRole('button', { name: 'Video', exact: true }).waitFor({ timeout: VIDEO_STEP });
  await b.page.locator('.videos.receiving').waitFor({ state: 'detached', timeout: VIDEO_STEP });
  step('A switched video off; B no longer shows a remote video');
  await sleep(1000);
  // the same 3 s at both ends: what A still sends of video, what B still decodes
  const [bOff, aOff] = await Promise.all([over(b.page, 3000), over(a.page, 3000)]);
  result.afterOff = { b: bOff, a: aOff };
  result.aStillSeesB = await remoteColour(a.page);
  result.aShowsB = await a.page.locator('.videos.receiving').count();
  result.talkAfterOff = { a: await over(a.page, 3000), b: await over(b.page, 0) };
  await screenshot(b.page, 'video-off-b.png');

  // A's browser removes its video stream altogether (transceiver.stop(), as a client dropping the stream does): its
  // next re-INVITE (Hold) offers the video m-line with port 0. Parley's offer to B must keep B's video m-line too
  // (port 0, RFC 3264 §8.2): with fewer m-lines than its session has, B's browser refuses the offer.
  await a.page.evaluate(() => {
    const pc = window.__pcs[window.__pcs.length - 1];
    pc.getTransceivers().filter((t) => t.receiver.track.kind === 'video').forEach((t) => t.stop());
  });
  await a.page.getByRole('button', { name: 'Hold' }).click();
  await a.page.getByText('On hold').waitFor({ timeout: STEP });
  // the phone says "On hold" at once; Resume is taken only once the hold's re-INVITE has its answer (one at a time)
  await a.page.waitForFunction(() => {
    const pc = window.__pcs[window.__pcs.length - 1];
    return pc.signalingState === 'stable' && /^m=video 0 /m.test(pc.remoteDescription?.sdp ?? '');
  }, null, { timeout: STEP });
  await a.page.getByRole('button', { name: 'Resume' }).click();
  await a.page.getByText('In call').waitFor({ timeout: STEP });
  await b.page.locator('.videos.sending').waitFor({ state: 'detached', timeout: STEP });
  result.removed = { a: await mLines(a.page), b: await mLines(b.page),
    bButton: await b.page.locator('.video-toggle').innerText(),
    bCameraLive: await b.page.evaluate(() => window.__pcs[window.__pcs.length - 1].getSenders()
      .filter((x) => x.track && x.track.kind === 'video' && x.track.readyState === 'live').length) };
  await sleep(1000);
  const [aRemoved, bRemoved] = await Promise.all([over(a.page, 3000), over(b.page, 3000)]);
  result.talkAfterRemoval = { a: aRemoved, b: bRemoved };
  step(`A removed its video m-line; m-lines at A ${JSON.stringify(result.removed.a)}, at B ${JSON.stringify(result.removed.b)}`);

  await a.page.getByRole('button', { name: 'Hang up' }).click();
  await b.page.getByRole('tab', { name: 'Keypad' }).waitFor({ timeout: STEP });
  await a.page.getByRole('tab', { name: 'Keypad' }).waitFor({ timeout: STEP });
  result.aCameraAfterHangUp = await a.page.evaluate(() => window.__gum.filter((g) => g.tracks?.some((t) => t.kind === 'video')).length);
  step('A hung up');
  await b.close();

  // C: a browser that may use the microphone but not the camera (no fake UI: headless Chromium asks, nobody allows)
  const c = await launchChromium('C', { wav: env.C_WAV, grantMicrophone: false });
  await c.context.grantPermissions(['microphone'], { origin: new URL(base).origin });
  await signIn(c.page, env.C_USER, env.C_PASSWORD);
  await c.page.getByLabel('Number or extension').fill(env.A_EXTENSION);
  await c.page.getByRole('button', { name: 'Call', exact: true }).click();
  await a.page.getByText('Incoming call').waitFor({ timeout: STEP });
  await a.page.getByRole('button', { name: 'Answer', exact: true }).click();
  await c.page.getByText('In call').waitFor({ timeout: STEP });
  await waitForAudio([a.page, c.page], 'between C and A');
  await c.page.getByRole('button', { name: 'Video', exact: true }).click();
  await c.page.locator('.video-problem').waitFor({ timeout: STEP });
  result.cProblem = await c.page.locator('.video-problem').innerText();
  result.cCamera = await c.page.evaluate(() => window.__gum.filter((g) => g.constraints?.video).map((g) => g.error ?? 'ok'));
  result.cAfterProblem = { c: await over(c.page, 3000), a: await over(a.page, 0) };
  result.cStillInCall = await c.page.getByText('In call').isVisible();
  await screenshot(c.page, 'video-no-camera.png');
  // denied is not absent: her Video button stayed enabled (pressing it explained). Now the browser lists no camera
  // at all (as if unplugged; devicechange): Video is disabled and its title says why
  result.cVideoEnabledWhenDenied = await c.page.locator('.video-toggle').isEnabled();
  await c.page.evaluate(() => {
    const md = navigator.mediaDevices;
    const list = md.enumerateDevices.bind(md);
    md.enumerateDevices = async () => (await list()).filter((d) => d.kind !== 'videoinput');
    md.dispatchEvent(new Event('devicechange'));
  });
  await c.page.locator('.video-toggle[disabled]').waitFor({ timeout: STEP });
  result.cNoCameraTitle = await c.page.locator('.video-toggle').getAttribute('title');
  await screenshot(c.page, 'video-camera-absent.png');
  step(`C without a camera: ${result.cProblem}`);
  await c.page.getByRole('button', { name: 'Hang up' }).click();
  await a.page.getByRole('tab', { name: 'Keypad' }).waitFor({ timeout: STEP });
  step('C hung up');
  await c.close();

  // A chooses her camera in the settings (Chromium's one fake camera, listed with its id since she used it)
  await a.page.getByRole('tab', { name: 'Settings' }).click();
  await a.page.waitForFunction(() => [...document.querySelectorAll('#device-camera option')]
    .filter((o) => o.value).length >= 1, null, { timeout: 10_000 });
  const camera = await a.page.locator('#device-camera option').evaluateAll((os) => os
    .map((o) => ({ value: o.value, label: o.textContent })).filter((o) => o.value)[0]);
  const saved = a.page.waitForResponse((r) => r.url().endsWith('/api/me/settings') && r.request().method() === 'PUT',
    { timeout: STEP });
  await a.page.locator('#device-camera').selectOption(camera.value);
  result.cameraSaveStatus = (await saved).status();
  result.chosenCamera = camera;
  await a.page.getByRole('tab', { name: 'Keypad' }).click();

  // D: a phone that calls with video (Parley's test page /test/phone.html, JsSIP offering audio and video, signed in
  // as C's web account): A's phone offers "Answer with video" and "Answer audio only"; A answers with video
  const d = await launchChromium('D', { wav: env.C_WAV, extraArgs: [`--use-file-for-fake-video-capture=${env.D_Y4M}`] });
  const query = new URLSearchParams({ provision: '1', user: env.C_USER, password: env.C_PASSWORD,
    target: env.A_EXTENSION, video: '1', talk: '60' });
  // the test page's JsSIP is not shipped: bundled here from this folder's node_modules, as phone.mjs does
  const jssip = (await build({ entryPoints: [join(dirname(fileURLToPath(import.meta.url)), 'node_modules/jssip/lib/JsSIP.js')],
    bundle: true, format: 'iife', globalName: 'JsSIP', platform: 'browser', write: false, minify: true,
    logLevel: 'error' })).outputFiles[0].text;
  await d.page.route('**/test/jssip.js', (route) => route.fulfill({
    status: 200, contentType: 'text/javascript; charset=utf-8', body: jssip }));
  await d.page.goto(`${base}/test/phone.html?${query}`);
  await a.page.getByText('Incoming call').waitFor({ timeout: STEP });
  result.aAnswerButtons = await a.page.locator('.call-panel button.answer').allInnerTexts();
  await screenshot(a.page, 'video-incoming.png');
  await a.page.getByRole('button', { name: 'Answer with video' }).click();
  await a.page.getByRole('button', { name: 'Video off' }).waitFor({ timeout: VIDEO_STEP });
  result.aSeesD = await waitForVideo(a.page, 0, 'from D at A');
  const dStart = Date.now();
  while ((await framesDecoded(d.page)) <= 10) {
    if (Date.now() - dStart > VIDEO_STEP) throw new Error('D decoded no video from A');
    await sleep(200);
  }
  result.dFromA = await over(d.page, 3000);
  // the camera A's answer with video asked for, and the one it got
  result.aCameraRequest = await a.page.evaluate(() => window.__gum.filter((g) => g.constraints?.video).at(-1));
  await screenshot(a.page, 'video-answered.png');
  step(`A answered D with video: A shows ${JSON.stringify(result.aSeesD.colour)}`);
  await a.page.getByRole('button', { name: 'Hang up' }).click();
  await a.page.getByRole('tab', { name: 'Keypad' }).waitFor({ timeout: STEP });
  step('A hung up on D');
}, { failurePrefix: 'video-' });
