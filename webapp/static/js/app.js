// The voice chat page: wires microphone, connection, player and DOM together and owns
// the conversation state machine:
//   connecting → (loading) → ready ⇄ recording → thinking → speaking → ready
// Barge-in (talking or Stop while thinking/speaking) flushes playback and interrupts.
import { t, setLanguage, pickLanguage, getLanguage, has } from './i18n.js';
import { Connection, CLOSE_BUSY, PATH, blobToBase64 } from './protocol.js';
import { Mic, MicError, micUnavailableReason, MIC_RATE } from './capture.js';
import { Player, REPLY_RATE } from './playback.js';
import { Vad } from './vad.js';
import { VideoCall } from './video_call.js';
import { TurnRecord } from './turn.js';
import * as ui from './ui.js';

const $ = (id) => document.getElementById(id);
const PREROLL_CHUNKS = 8; // ~320 ms of audio kept before VAD fires, so first syllables survive
// A server started with a token: open the page as /?token=… (kept for this tab only).
const TOKEN = new URLSearchParams(location.search).get('token') || sessionStorage.getItem('omni.token') || '';
if (TOKEN) sessionStorage.setItem('omni.token', TOKEN);
const WS_URL = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${PATH}${TOKEN ? `?token=${encodeURIComponent(TOKEN)}` : ''}`;

const app = {
  state: 'connecting', engine: null, health: null,
  conn: new Connection(WS_URL), mic: new Mic(), player: new Player(), vad: new Vad(),
  recording: false, current: null, seq: 0, history: [], turns: new Map(), awaitingCommit: [], views: new Map(),
  ignoreAudio: new Set(), steps: [], image: null, preroll: [], vadOn: false, duplexOn: false,
  hadConversation: false, sentSamples: 0, events: 0, errors: [], connects: 0,
};
app.video = new VideoCall({ conn: app.conn, video: $('self-view'), box: $('self-view-box'), button: $('video-call'),
  status: $('video-state'), onError: (text) => reportError(text), streaming: () => app.duplexOn });

// Test and debugging hooks (the browser tests read these instead of guessing from the DOM).
window.omniDebug = {
  get state() { return app.state; },
  get connects() { return app.conn.connects; },
  get sentSamples() { return app.sentSamples; },
  get player() {
    const e = app.player.echo;
    return { ...app.player.stats, contextRate: app.player.ctx && app.player.ctx.sampleRate, running: app.player.running,
      echoPath: e ? { kind: e.kind, wanted: e.wanted, safe: e.safe, error: e.error, latencyMs: Math.round(e.latency() * 1000) } : null };
  },
  get video() { return app.video.debug(); },
  get steps() { return app.steps.slice(); }, // duplex: what each engine step received (its stats)
  get micRate() { return app.mic.deviceRate || null; },
  get mic() { return { phase: app.mic.phase || null, talkHeld: !!app.talkHeld, recording: app.recording }; },
  get turns() { return app.history.map((r) => r.toJSON()); },
  get lastTurn() { const ts = this.turns; return ts.length ? ts[ts.length - 1] : null; },
  get errors() { return app.errors.slice(); },
  get engine() { return app.engine; },
  get events() { return app.events; },
  get duplex() { return { on: app.duplexOn, state: $('duplex-state').dataset.state || null }; },
};

function setState(s) {
  app.state = s;
  document.body.dataset.state = s;
  const connected = app.conn.open && app.engine && !app.engine.loading;
  const active = s === 'thinking' || s === 'speaking';
  const micOk = !micUnavailableReason();
  const talk = $('talk');
  talk.disabled = !connected || !micOk || app.vadOn;
  talk.setAttribute('aria-pressed', String(s === 'recording'));
  $('talk-label').textContent = t(app.vadOn ? 'talk.vad' : s === 'recording' ? 'talk.release' : 'talk.hold');
  $('stop').disabled = !(active || (app.duplexOn && s === 'speaking'));
  $('reset').disabled = !connected;
  $('duplex').disabled = !connected || !micOk;
  const statusKey = {
    ready: app.engine && app.engine.mode === 'duplex' ? (app.duplexOn ? null : 'status.ready.duplex')
      : app.vadOn ? 'status.ready.vad' : 'status.ready',
    recording: 'status.recording', thinking: 'status.thinking', speaking: 'status.speaking',
  }[s];
  if (statusKey) ui.setStatus(statusKey);
}

function reportError(text, detail) {
  app.errors.push({ text, detail, at: performance.now() });
  ui.showError(text);
}

function serverErrorText(err) {
  const code = err && err.code, message = (err && err.message) || '';
  return code && has(`err.code.${code}`) ? t(`err.code.${code}`, { message }) : t('err.server', { message: message || code || '?' });
}

function micErrorText(e) {
  const code = e instanceof MicError ? e.code : 'failed';
  return t(`err.mic.${code}`, { detail: e.detail || e.message || '', port: location.port || '80', origin: location.origin });
}

// ---------- engine status (/health and the WebSocket's `session` event) ----------

// /health and the `session` message carry the same fields (webapp/conversation.py health()).
function engineInfo(h) {
  return {
    sim: h.simulated === true, kind: h.engine || '', model: h.model || '', mode: h.mode || 'simplex',
    language: h.language || 'en', vision: h.media_type === 'omni',
    loading: h.loading === true, progress: typeof h.load_progress === 'number' ? h.load_progress : -1, raw: h,
  };
}

function applyEngine(h) {
  const info = engineInfo(h);
  app.engine = info; app.health = h;
  ui.setEngine(info);
  $('image-controls').hidden = !info.vision;
  const duplex = info.mode === 'duplex';
  $('talk').hidden = duplex; $('duplex').hidden = !duplex; $('duplex-state').hidden = !duplex;
  $('talk-hint').hidden = duplex;
  $('vad').closest('label').hidden = duplex;
  app.video.setMode(info.mode); app.video.render();
  // Speakers are safe only where the echo canceller hears the reply (echo_path.js).
  $('headphones-hint').hidden = !(duplex && app.player.echo && !app.player.echo.safe);
  if (info.loading) {
    ui.setLoading(info.progress);
    ui.setStatus('status.loading', { pct: info.progress >= 0 ? `${Math.round(info.progress * 100)}%` : '' });
    pollHealth(500);
  } else {
    ui.setLoading(null);
  }
  if (duplex && !app.duplexOn) setDuplexState('idle');
  // /health can answer before the socket opens: "ready" also needs the socket.
  if (!info.loading && app.state === 'connecting' && app.conn.open) setState('ready'); else setState(app.state);
}

let healthTimer = null;
function pollHealth(ms) {
  clearTimeout(healthTimer);
  healthTimer = setTimeout(async () => {
    try {
      const r = await fetch('/health', { cache: 'no-store', headers: TOKEN ? { Authorization: `Bearer ${TOKEN}` } : {} });
      const h = await r.json();
      if (!h.error) applyEngine(h);
    } catch { /* the WebSocket's reconnect reports outages */ }
  }, ms);
}

// ---------- connection ----------

app.conn.on('open', ({ connects }) => {
  ui.clearError();
  if (connects > 1) {
    // A new socket is a new server-side session (after a restart the history is gone too).
    if (app.hadConversation) { ui.addNote(t('status.reconnected')); app.pendingStatus = 'status.reconnected'; }
    app.hadConversation = false;
  }
  setState(app.state === 'connecting' ? 'connecting' : 'ready');
  if (app.duplexOn) startDuplexStream();
});

app.conn.on('close', ({ code, reason }) => {
  // Whatever was in flight is lost: end it visibly rather than leaving "thinking…" forever.
  const live = [...app.turns.values(), ...app.awaitingCommit].filter((r) => !r.done);
  for (const rec of live) {
    rec.done = true; rec.reason = 'failed'; rec.error = 'connection';
    const v = app.views.get(rec); if (v) { v.setTag('failed'); v.finish(); }
  }
  if (live.length) reportError(t('err.connection'));
  app.awaitingCommit = [];
  app.turns.clear(); app.ignoreAudio.clear(); // turn ids are per server session
  app.player.flush();
  if (app.recording) { app.recording = false; }
  app.state = 'connecting'; setState('connecting');
  const err = reason && (reason.error || reason);
  if (code === CLOSE_BUSY) ui.setStatus('status.busy');
  else if (err && err.message) reportError(serverErrorText(err)); // e.g. 1011: the engine could not start
});

app.conn.on('retry', ({ inMs }) => {
  if (app.state === 'connecting' && $('status').dataset.key !== 'status.busy') {
    ui.setStatus(app.conn.connects ? 'status.reconnecting' : 'status.connecting', { s: (inMs / 1000).toFixed(1) });
  }
});

app.conn.on('protocol_error', ({ message }) => reportError(t('err.protocol', { detail: message })));

app.conn.on('event', (m) => { app.events++; onEvent(m); });

function recFor(turnId) {
  if (turnId === undefined || turnId === null) return app.current;
  return app.turns.get(turnId) || null;
}

function onEvent(m) {
  switch (m.type) {
    case 'session':
      applyEngine(m);
      if (app.state === 'connecting' && !app.engine.loading) setState('ready');
      if (app.pendingStatus) { ui.setStatus(app.pendingStatus); app.pendingStatus = null; }
      break;
    case 'committed': {
      const rec = app.awaitingCommit.shift();
      if (!rec) break;
      rec.turnId = m.turn_id; rec.mark('prefill');
      app.turns.set(m.turn_id, rec);
      if (rec.interrupted) app.ignoreAudio.add(m.turn_id);
      break;
    }
    case 'text': {
      const rec = recFor(m.turn_id);
      if (app.engine && app.engine.mode === 'duplex') { duplexText(m); break; }
      if (!rec || rec.interrupted) break;
      rec.mark('first_text'); rec.text += m.text;
      app.views.get(rec).appendText(m.text);
      break;
    }
    case 'audio': onAudio(m); break;
    case 'listen': setDuplexState('listening'); closeDuplexReply(); break;
    case 'end_of_turn': { const rec = recFor(m.turn_id); if (rec) rec.mark('end_of_turn'); break; }
    case 'error': {
      const rec = m.turn_id !== undefined ? recFor(m.turn_id) : null;
      reportError(serverErrorText(m.error), m.error);
      if (rec) { rec.error = m.error; const v = app.views.get(rec); if (v) v.setTag('failed'); }
      break;
    }
    case 'done': onDone(m); break;
    case 'interrupted': break; // acknowledged; the turn's `done` follows
    case 'truncated': { // what the model keeps of a reply cut by a barge-in
      const rec = recFor(m.turn_id);
      if (rec) { rec.heard = m.heard; const v = app.views.get(rec); if (v) v.markHeard(m.heard); }
      break;
    }
    case 'tts_chunk': break;
    default: break;
  }
}

function onAudio(m) {
  if (app.engine && app.engine.mode === 'duplex') {
    setDuplexState('speaking');
    if (!app.ignoreAudio.has(m.turn_id)) app.player.push(m.turn_id, m.pcm);
    return;
  }
  const rec = recFor(m.turn_id);
  if (!rec || rec.interrupted || app.ignoreAudio.has(m.turn_id)) return; // stale audio after a barge-in
  if ((m.sample_rate || REPLY_RATE) !== REPLY_RATE) { reportError(t('err.protocol', { detail: `sample_rate ${m.sample_rate}` })); return; }
  rec.audioSamples += m.pcm.byteLength / 2;
  rec.mark('first_audio_received');
  rec.arrivals.push([Math.round(performance.now() - rec.marks.speech_end), m.pcm.byteLength / 2]);
  app.player.push(m.turn_id, m.pcm);
  if (app.state === 'thinking' && rec === app.current) setState('speaking');
}

function onDone(m) {
  app.video.onStats(m.stats && m.stats.video);
  if (app.engine && app.engine.mode === 'duplex') {
    app.steps.push({ turn_id: m.turn_id, received: (m.stats && m.stats.received) || null, at: Math.round(performance.now()) });
    if (app.steps.length > 600) app.steps.shift();
    app.player.end(m.turn_id); return;
  }
  const rec = recFor(m.turn_id);
  if (!rec) return;
  rec.mark('done'); rec.done = true; rec.stats = m.stats || null;
  rec.reason = m.reason || (m.interrupted ? 'interrupted' : 'completed');
  const v = app.views.get(rec);
  if (rec.reason === 'failed' && !rec.error) { v.setTag('failed'); }
  app.player.end(m.turn_id);
  if (rec.interrupted || rec.reason !== 'completed' || rec.audioSamples === 0) finishTurn(rec);
  else v.render(); // stays "speaking" until the player drains
}

function finishTurn(rec) {
  const v = app.views.get(rec);
  if (v) v.finish();
  if (rec === app.current) {
    app.current = null;
    if (app.state === 'thinking' || app.state === 'speaking') setState('ready');
  }
}

app.player.on('started', ({ turn, playedAt }) => {
  const rec = app.turns.get(turn);
  if (!rec) return;
  rec.mark('first_audio', playedAt);
  app.views.get(rec).render();
});

app.player.on('drained', ({ turn }) => {
  const rec = app.turns.get(turn);
  if (rec) { rec.drained = true; if (rec.done) finishTurn(rec); }
  if (app.engine && app.engine.mode === 'duplex' && app.duplexOn) setDuplexState('listening');
  app.vad.boost = 1;
});

// ---------- talking ----------

async function ensureMic() {
  if (app.mic.open) return true;
  try {
    await app.mic.start();
    ui.showMicWarning('');
    return true;
  } catch (e) {
    ui.showMicWarning(micErrorText(e));
    app.errors.push({ text: micErrorText(e) });
    return false;
  }
}

app.mic.on('pcm', (pcm) => {
  if (app.recording || app.duplexOn) {
    if (app.conn.sendPcm(pcm)) { app.sentSamples += pcm.length; if (app.current && app.recording) app.current.userSamples += pcm.length; }
  } else if (app.vadOn) {
    app.preroll.push(pcm); if (app.preroll.length > PREROLL_CHUNKS) app.preroll.shift();
  }
});

app.mic.on('level', ({ rms }) => {
  $('level').value = Math.min(1, rms * 4);
  if (app.vadOn) app.vad.feed(rms);
});

app.mic.on('ended', () => { ui.showMicWarning(t('err.mic.ended')); if (app.talkHeld) endTalk(); });

async function startTalk() {
  if (app.talkHeld || app.recording || !app.conn.open) return;
  app.talkHeld = true;
  app.player.resume();
  if (app.state === 'thinking' || app.state === 'speaking') await bargeIn();
  if (!(await ensureMic())) { app.talkHeld = false; setState('ready'); return; }
  if (!app.talkHeld) { reportError(t('err.no_audio')); return; } // released while the mic was opening
  const rec = new TurnRecord(++app.seq);
  app.current = rec; app.recording = true; app.history.push(rec);
  if (app.history.length > 500) app.views.delete(app.history.shift());
  ui.clearError(); // a new turn: the last error is history
  setState('recording');
  if (app.image) {
    app.conn.send({ type: 'image', image: app.image.b64 });
    rec.image = true; rec.imageUrl = app.image.url; clearImage(false);
  }
  rec.mark('speech_start');
  if (app.vadOn) { for (const c of app.preroll) { app.conn.sendPcm(c); app.sentSamples += c.length; rec.userSamples += c.length; } app.preroll = []; }
}

async function endTalk() {
  app.talkHeld = false;
  if (!app.recording) return;
  const rec = app.current;
  const tEnd = performance.now();
  await app.mic.flush(); // the tail of the utterance, not dropped like the reference's last block
  app.recording = false;
  if (!rec) return;
  if (rec.userSamples === 0) {
    app.current = null; app.history.pop(); setState('ready'); reportError(t('err.no_audio')); return;
  }
  rec.mark('speech_end', tEnd);
  if (await app.video.sendLatest()) rec.image = true;
  if (!app.conn.send({ type: 'commit' })) { app.current = null; setState('connecting'); return; }
  app.hadConversation = true;
  app.awaitingCommit.push(rec);
  ui.addUserTurn(rec, rec.imageUrl);
  app.views.set(rec, new ui.AssistantView(rec));
  app.vad.boost = 2.5;
  setState('thinking');
}

// Flush what is queued, then tell the server how much of the reply was actually heard.
async function bargeIn() {
  const rec = app.current;
  if (!rec || rec.interrupted) return;
  rec.interrupted = true;
  if (rec.turnId !== null) app.ignoreAudio.add(rec.turnId);
  const f = await app.player.flush();
  const playedMs = rec.turnId !== null && f.turn === rec.turnId ? Math.round(f.played * 1000 / REPLY_RATE) : 0;
  rec.playedMs = playedMs;
  app.conn.send({ type: 'interrupt', played_ms: playedMs });
  const v = app.views.get(rec);
  if (v) { v.setTag('interrupted'); v.render(); }
  app.current = null;
  setState('ready');
  ui.setStatus('status.interrupted', { s: (playedMs / 1000).toFixed(1) });
}

async function resetConversation() {
  if (app.recording) { app.recording = false; await app.mic.flush(); }
  if (app.current) await bargeIn();
  await app.player.flush();
  app.conn.send({ type: 'reset' });
  ui.clearLog(); ui.clearError();
  app.hadConversation = false;
  setState('ready');
  ui.setStatus('status.reset');
}

// ---------- duplex ----------

let duplexView = null;
function setDuplexState(s) {
  const el = $('duplex-state');
  el.dataset.state = s; el.className = `duplex-state ${s}`;
  el.textContent = t(`duplex.${s}`);
  if (s === 'speaking' && app.state !== 'speaking') setState('speaking');
  if (s === 'listening' && app.state === 'speaking') setState('ready');
}

function duplexText(m) {
  setDuplexState('speaking');
  if (!duplexView) {
    const rec = new TurnRecord(++app.seq); rec.turnId = m.turn_id;
    duplexView = new ui.AssistantView(rec); app.views.set(rec, duplexView);
  }
  duplexView.rec.text += m.text; duplexView.appendText(m.text);
}

function closeDuplexReply() { if (duplexView) { duplexView.div.classList.remove('streaming'); duplexView = null; } }

async function startDuplexStream() {
  if (!(await ensureMic())) { app.duplexOn = false; return; }
  app.player.resume();
}

async function toggleDuplex() {
  app.duplexOn = !app.duplexOn;
  $('duplex').setAttribute('aria-pressed', String(app.duplexOn));
  $('duplex').textContent = t(app.duplexOn ? 'duplex.stop' : 'duplex.start');
  if (app.duplexOn) { await startDuplexStream(); setDuplexState('listening'); }
  else { await app.player.flush(); app.mic.stop(); closeDuplexReply(); setDuplexState('idle'); }
  setState('ready');
}

// ---------- images (omni mode) ----------

async function toJpeg(source, w, h) {
  const scale = Math.min(1, 1280 / Math.max(w, h)); // the vision encoder does not need more
  const c = document.createElement('canvas');
  c.width = Math.round(w * scale); c.height = Math.round(h * scale);
  c.getContext('2d').drawImage(source, 0, 0, c.width, c.height);
  return new Promise((res) => c.toBlob(res, 'image/jpeg', 0.9));
}

async function attachImage(blob) {
  const b64 = await blobToBase64(blob);
  clearImage(true);
  const url = URL.createObjectURL(blob);
  app.image = { b64, url };
  $('image-thumb').src = url; $('image-thumb').alt = t('image.attached');
  $('image-preview').hidden = false;
  ui.setStatus('image.attached');
}

function clearImage(revoke) {
  if (app.image && revoke) URL.revokeObjectURL(app.image.url);
  app.image = null; $('image-preview').hidden = true; $('image-file').value = '';
}

async function onImageFile(file) {
  if (!file) return;
  try {
    const bmp = await createImageBitmap(file);
    await attachImage(await toJpeg(bmp, bmp.width, bmp.height));
  } catch (e) { reportError(t('err.image', { detail: e.message || String(e) })); }
}

async function cameraSnapshot() {
  let stream;
  try {
    if (!navigator.mediaDevices) throw new MicError('insecure');
    stream = await navigator.mediaDevices.getUserMedia({ video: { width: 1280, height: 720 } });
    const v = $('camera-video'); v.srcObject = stream; await v.play();
    if (!v.videoWidth) await new Promise((r) => v.addEventListener('loadedmetadata', r, { once: true }));
    await attachImage(await toJpeg(v, v.videoWidth, v.videoHeight));
  } catch (e) {
    reportError(t('err.camera', { detail: e.code === 'insecure' ? micErrorText(e) : e.message || e.name }));
  } finally {
    if (stream) stream.getTracks().forEach((tr) => tr.stop());
    $('camera-video').srcObject = null;
  }
}

// ---------- input wiring ----------

function isTyping(el) { return el && (el.tagName === 'INPUT' || el.tagName === 'SELECT' || el.tagName === 'TEXTAREA' || el.isContentEditable); }

function wire() {
  const talk = $('talk');
  talk.addEventListener('pointerdown', (e) => { if (e.button !== 0 || talk.disabled) return; talk.setPointerCapture(e.pointerId); startTalk(); });
  const up = () => { if (app.talkHeld) endTalk(); };
  talk.addEventListener('pointerup', up); talk.addEventListener('pointercancel', up); talk.addEventListener('lostpointercapture', up);
  talk.addEventListener('keydown', (e) => { if (e.key === 'Enter' && !e.repeat) { e.preventDefault(); app.recording ? endTalk() : startTalk(); } });

  // Space is push-to-talk anywhere on the page except in form fields.
  document.addEventListener('keydown', (e) => {
    if (e.code === 'Space' && !isTyping(e.target)) {
      e.preventDefault();
      if (!e.repeat && !talk.disabled && !talk.hidden) startTalk();
    } else if (e.key === 'Escape' && !$('stop').disabled) { stop(); }
  });
  document.addEventListener('keyup', (e) => { if (e.code === 'Space' && !isTyping(e.target)) { e.preventDefault(); up(); } });

  $('stop').addEventListener('click', () => stop());
  $('reset').addEventListener('click', () => resetConversation());
  $('duplex').addEventListener('click', () => toggleDuplex());
  $('error-dismiss').addEventListener('click', () => ui.clearError());
  $('image-file').addEventListener('change', (e) => onImageFile(e.target.files[0]));
  $('camera').addEventListener('click', () => cameraSnapshot());
  $('image-remove').addEventListener('click', () => clearImage(true));
  $('volume').addEventListener('input', (e) => app.player.setVolume(Number(e.target.value)));
  $('vad').addEventListener('change', async (e) => {
    app.vadOn = e.target.checked;
    if (app.vadOn && !(await ensureMic())) { app.vadOn = false; e.target.checked = false; }
    app.vad.reset(); setState(app.state);
  });
  $('ui-lang').addEventListener('change', (e) => { setLanguage(e.target.value); relabel(); });
  // Autoplay: the first gesture anywhere unlocks audio output.
  const unlock = () => app.player.resume();
  document.addEventListener('pointerdown', unlock, { capture: true });
  document.addEventListener('keydown', unlock, { capture: true });

  // (the talk button is disabled in VAD mode, so check the connection, not the button)
  app.vad.onStart = () => { if (!app.talkHeld && app.conn.open && app.engine && !app.engine.loading) startTalk(); };
  app.vad.onEnd = () => { if (app.talkHeld) endTalk(); };
}

function stop() {
  if (app.duplexOn) { app.player.flush().then((f) => app.conn.send({ type: 'interrupt', played_ms: Math.round(f.played * 1000 / REPLY_RATE) })); return; }
  bargeIn();
}

function relabel() {
  $('ui-lang').value = getLanguage();
  ui.refreshStatus();
  if (app.engine) ui.setEngine(app.engine);
  if (app.engine && app.engine.mode === 'duplex') setDuplexState($('duplex-state').dataset.state || 'idle');
  $('duplex').textContent = t(app.duplexOn ? 'duplex.stop' : 'duplex.start');
  app.video.render();
  app.views.forEach((v) => { if (!v.stats.hidden) v.render(); });
  setState(app.state);
  const why = micUnavailableReason();
  if (why) ui.showMicWarning(micErrorText(new MicError(why)));
}

async function main() {
  setLanguage(pickLanguage());
  wire();
  relabel();
  ui.setStatus('status.connecting');
  try { await app.player.init(); } catch (e) { reportError(t('err.protocol', { detail: `audio output: ${e.message}` })); }
  pollHealth(0);
  app.conn.connect();
}

main();
