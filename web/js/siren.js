// Audible alarm tones, synthesised with the Web Audio API (no audio files).
//
// Browsers only let a page start audio after a user gesture. The AudioContext
// is therefore created (or resumed) on the first pointer or key press anywhere
// in the page; until then play() reports 'blocked' and the console shows a
// "click to enable sound" hint instead of failing silently.

const Ctor = typeof window !== 'undefined' ? (window.AudioContext || window.webkitAudioContext) : null;
let ctx = null;
const listeners = new Set();

export function supported() { return !!Ctor; }

// 'unsupported' | 'blocked' (no gesture yet / suspended) | 'ready'
export function audioState() {
  if (!Ctor) return 'unsupported';
  return ctx && ctx.state === 'running' ? 'ready' : 'blocked';
}

export function onAudioState(fn) { listeners.add(fn); return () => listeners.delete(fn); }
function notify() { const s = audioState(); for (const fn of listeners) { try { fn(s); } catch (_) { /* ignore */ } } }

// Call from a user gesture: creates / resumes the context.
export function unlock() {
  if (!Ctor) return;
  try {
    if (!ctx) {
      ctx = new Ctor();
      ctx.onstatechange = notify;
    }
    if (ctx.state === 'suspended') ctx.resume().then(notify, () => {});
  } catch (_) {
    ctx = null;
  }
  notify();
}

if (Ctor && typeof document !== 'undefined') {
  const onGesture = () => {
    unlock();
    if (ctx && ctx.state === 'running') {
      document.removeEventListener('pointerdown', onGesture, true);
      document.removeEventListener('keydown', onGesture, true);
    }
  };
  document.addEventListener('pointerdown', onGesture, true);
  document.addEventListener('keydown', onGesture, true);
}

function tone(out, t0, dur, freq, type, peak, freqTo) {
  const osc = ctx.createOscillator();
  const g = ctx.createGain();
  osc.type = type;
  osc.frequency.setValueAtTime(freq, t0);
  if (freqTo) osc.frequency.linearRampToValueAtTime(freqTo, t0 + dur);
  g.gain.setValueAtTime(0.0001, t0);
  g.gain.exponentialRampToValueAtTime(peak, t0 + 0.015);
  g.gain.setValueAtTime(peak, t0 + Math.max(0.02, dur - 0.03));
  g.gain.exponentialRampToValueAtTime(0.0001, t0 + dur);
  osc.connect(g);
  g.connect(out);
  osc.start(t0);
  osc.stop(t0 + dur + 0.02);
}

// Patterns by urgency:
//   siren  — P1 (fire, smoke, panic, elevator entrapment): two-tone wail, 1.6 s
//   urgent — P2 (intrusion): three sharp beeps
//   chime  — P3 / P4: a soft rising two-note chime
export function play(pattern = 'chime') {
  if (!Ctor) return 'unsupported';
  if (!ctx || ctx.state !== 'running') {
    if (ctx && ctx.state === 'suspended') ctx.resume().then(notify, () => {});
    return 'blocked';
  }
  try {
    const out = ctx.createBiquadFilter();
    out.type = 'lowpass';
    out.frequency.value = 3200;
    const master = ctx.createGain();
    master.gain.value = 0.9;
    out.connect(master);
    master.connect(ctx.destination);
    const t0 = ctx.currentTime + 0.03;
    if (pattern === 'siren') {
      for (let i = 0; i < 4; i++) {
        tone(out, t0 + i * 0.4, 0.2, 960, 'square', 0.09);
        tone(out, t0 + i * 0.4 + 0.2, 0.2, 720, 'square', 0.09);
      }
    } else if (pattern === 'urgent') {
      for (let i = 0; i < 3; i++) tone(out, t0 + i * 0.2, 0.12, 1046, 'triangle', 0.22);
    } else {
      tone(out, t0, 0.16, 660, 'sine', 0.22);
      tone(out, t0 + 0.18, 0.26, 880, 'sine', 0.22);
    }
    return 'played';
  } catch (_) {
    return 'blocked';
  }
}
