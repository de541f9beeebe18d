// DOM rendering: status line, engine badge, errors, the conversation log, per-turn stats.
import { t } from './i18n.js';
import { MARKS } from './turn.js';

const $ = (id) => document.getElementById(id);
const MAX_TURNS = 200; // keep the DOM bounded in long sessions

export function setStatus(key, params) {
  const el = $('status');
  el.dataset.key = key; el.dataset.params = JSON.stringify(params || {});
  el.textContent = t(key, params);
}

export function refreshStatus() { const el = $('status'); if (el.dataset.key) setStatus(el.dataset.key, JSON.parse(el.dataset.params)); }

export function showError(text) { $('error-text').textContent = text; $('error').hidden = false; }
export function clearError() { $('error').hidden = true; $('error-text').textContent = ''; }

export function showMicWarning(text) { const el = $('mic-warning'); el.textContent = text; el.hidden = !text; }

export function setLoading(progress) {
  const box = $('loading');
  box.hidden = progress === null;
  if (progress !== null) { const bar = $('loading-bar'); if (progress >= 0) bar.value = progress; else bar.removeAttribute('value'); }
}

export function setEngine(info) {
  const el = $('engine');
  if (!info) { el.textContent = '…'; return; }
  const sim = info.sim;
  el.classList.toggle('sim', sim);
  $('sim-hint').hidden = !sim;  // how to get the real model, while the simulator answers
  el.textContent = t('engine.badge', {
    // the model's file name; the full path is in the tooltip
    engine: `${t(sim ? 'engine.sim' : 'engine.real')}${info.model && !sim ? ': ' + info.model.split(/[\\/]/).pop() : ''}`,
    mode: t(`mode.${info.mode}`) + (info.vision ? ` · ${t('media.omni')}` : ''), lang: t(`lang.${info.language}`),
  });
  el.title = info.model || '';
}

// One formatter for the stats and the timeline, so the same instant reads the same.
function fmtS(ms) { return ms === null || ms === undefined ? '–' : `${(Math.round(ms) / 1000).toFixed(2)} s`; }

function el(tag, cls, text) { const e = document.createElement(tag); if (cls) e.className = cls; if (text !== undefined) e.textContent = text; return e; }

function append(node) {
  const log = $('log');
  $('log-empty').hidden = true;
  log.appendChild(node);
  while (log.querySelectorAll('.turn').length > MAX_TURNS) log.querySelector('.turn').remove();
  log.scrollTop = log.scrollHeight;
}

export function addUserTurn(rec, imageUrl) {
  const div = el('div', 'turn user');
  div.append(el('div', 'who', t('you')));
  const text = el('div', 'text', t('user.voice', { s: (rec.userMs / 1000).toFixed(1) }));
  div.append(text);
  if (imageUrl) { const img = el('img', 'thumb'); img.src = imageUrl; img.alt = t('image.sent'); div.append(img); }
  append(div);
  return div;
}

export function addNote(text) { const p = el('p', 'hint note', text); append(p); return p; }

export function clearLog() {
  const log = $('log');
  log.querySelectorAll('.turn, .note').forEach((n) => n.remove());
  $('log-empty').hidden = false;
}

// The assistant's bubble; text streams into it, stats and the timeline fill in as they come.
export class AssistantView {
  constructor(rec) {
    this.rec = rec;
    this.div = el('div', 'turn assistant streaming');
    this.div.dataset.testid = 'assistant-turn';
    const who = el('div', 'who', t('assistant'));
    this.tag = el('span', 'tag'); this.tag.hidden = true; who.append(this.tag);
    this.text = el('div', 'text');
    this.stats = el('div', 'stats'); this.stats.hidden = true;
    this.timeline = el('div', 'timeline'); this.timeline.hidden = true;
    this.timeline.setAttribute('role', 'img');
    this.div.append(who, this.text, this.stats, this.timeline);
    append(this.div);
  }

  appendText(s) { this.text.append(s); $('log').scrollTop = $('log').scrollHeight; }

  // After a barge-in: the words the user did not hear are greyed out; the model no longer holds them.
  markHeard(heard) {
    const shown = this.text.textContent;
    if (!shown.startsWith(heard) || shown.length === heard.length) return;
    const rest = el('span', 'unheard', shown.slice(heard.length)); rest.title = t('turn.unheard');
    this.text.replaceChildren(heard, rest);
  }

  setTag(kind) { this.tag.hidden = false; this.tag.className = `tag ${kind}`; this.tag.textContent = t(`turn.${kind}`); }

  finish() { this.div.classList.remove('streaming'); this.render(); }

  render() {
    const r = this.rec;
    this.stats.hidden = false;
    this.stats.replaceChildren();
    const item = (key, val, cls, help) => {
      const s = el('span', cls); s.append(`${t(key)} `, el('b', null, val)); if (help) s.title = t(help); this.stats.append(s);
    };
    item('stats.first_audio', fmtS(r.firstAudioMs), 'first-audio', 'stats.first_audio.help');
    item('stats.audio', fmtS(r.audioMs), 'audio-dur');
    item('stats.rtf', r.rtf === null ? '–' : r.rtf.toFixed(2), 'rtf');
    const tl = r.timeline();
    const end = Math.max(1, ...Object.values(tl));
    const pos = (ms) => `${100 * ms / end}%`;
    const track = el('div', 'track'), legend = el('div', 'legend');
    if (tl.first_audio !== undefined) { // the span the user waited in silence
      const w = el('div', 'wait'); w.style.left = '0'; w.style.width = pos(tl.first_audio); track.append(w);
    }
    const parts = [];
    for (const m of MARKS) {
      if (tl[m] === undefined) continue;
      const d = el('div', `dot m-${m}`); d.style.left = pos(tl[m]); d.title = t(`tl.${m}`); track.append(d);
      const s = el('span', `m-${m}`); s.dataset.mark = m;
      s.append(`${t(`tl.${m}`)} `, el('b', null, fmtS(tl[m])));
      legend.append(s);
      parts.push(`${t(`tl.${m}`)} ${fmtS(tl[m])}`);
    }
    this.timeline.replaceChildren(track, legend);
    this.timeline.hidden = parts.length === 0;
    this.timeline.setAttribute('aria-label', `${t('tl.label')}: ${parts.join(', ')}`);
  }
}
