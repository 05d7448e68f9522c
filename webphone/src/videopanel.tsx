// Video in the call panel (issue 7): the other side's video while it arrives, a small self view while this phone
// sends its camera, why video is not available (no camera, camera denied: the call goes on with audio), and the
// Video on/off button (in the panel's row of actions). The video elements belong to the call's CallVideo; this view
// only places them.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Call, Phone } from './phone';

export function VideoPanel({ phone }: { phone: Phone }) {
  const video = phone.video();
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el || !video) return;
    el.append(video.remote, video.local);
    return () => { video.remote.remove(); video.local.remove(); };
  }, [video]);
  if (!video) return null;
  const v = video.snapshot();
  return (
    <>
      <div ref={box} class={`videos${v.receiving ? ' receiving' : ''}${v.sending ? ' sending' : ''}`} />
      {v.problem && <p class="video-problem" role="alert">{v.problem}</p>}
    </>
  );
}

/**
 * Whether the browser lists a camera: false only when enumerateDevices() has no videoinput at all (it lists them,
 * without ids or labels, before any permission; a denied camera is still listed, and pressing Video explains).
 * Null until known. Read again on devicechange (a camera plugged in during the call).
 */
function useHasCamera(): boolean | null {
  const [has, setHas] = useState<boolean | null>(null);
  useEffect(() => {
    const md = navigator.mediaDevices;
    if (!md?.enumerateDevices) { setHas(false); return undefined; }
    let current = true;
    const read = () => md.enumerateDevices()
      .then((ds) => current && setHas(ds.some((d) => d.kind === 'videoinput')))
      .catch(() => current && setHas(null));
    read();
    md.addEventListener('devicechange', read);
    return () => { current = false; md.removeEventListener('devicechange', read); };
  }, []);
  return has;
}

/** Video on / Video off for an answered call (a re-INVITE each way); disabled, saying why, without a camera. */
export function VideoButton({ call, phone }: { call: Call; phone: Phone }) {
  const hasCamera = useHasCamera();
  const v = phone.video()?.snapshot();
  if (!v) return null;
  const noCamera = hasCamera === false && !v.sending;
  return (
    <button type="button" class={v.sending ? 'toggle on video-toggle' : 'toggle video-toggle'} aria-pressed={v.sending}
      disabled={call.state !== 'active' || call.held || v.busy || noCamera}
      title={noCamera ? 'No camera found on this device' : undefined} onClick={() => phone.toggleVideo()}>
      {v.sending ? 'Video off' : 'Video'}</button>
  );
}

/** "Answer with video" for a ringing call whose offer has video (the plain Answer button answers audio only). */
export function AnswerWithVideo({ phone, id }: { phone: Phone; id?: string }) {
  const v = phone.video()?.snapshot();
  if (!v?.offered) return null;
  return (
    <div class="actions one">
      <button type="button" class="answer" onClick={() => phone.answerWithVideo(id)}>Answer with video</button>
    </div>
  );
}
