// Reply audio player: a jitter buffer of 24 kHz chunks played back-to-back (gapless).
// Starts after `preroll` ms are queued (or the turn's last chunk arrived); on an
// underrun it re-buffers and grows the preroll, so one late chunk costs one pause,
// not a click per chunk. Reports the exact frame at which each turn's first sample
// is rendered, so the page measures latency to audio *played*, not received.
const SRC_RATE = 24000;

class PlaybackProcessor extends AudioWorkletProcessor {
  constructor() {
    super();
    this.step = SRC_RATE / sampleRate; // source samples per output sample
    this.q = [];                      // [{turn, data: Float32Array}]
    this.cur = null; this.ci = 0;
    this.s0 = 0; this.s1 = 0; this.frac = 0; this.primed = false; this.curTurn = -1;
    this.buffered = 0;                // source samples queued (incl. rest of cur)
    this.preroll = 0.1 * SRC_RATE; this.maxPreroll = 0.5 * SRC_RATE;
    this.playing = false;
    this.ended = new Set();           // turns whose last chunk has arrived
    this.played = new Map();          // turn → source samples rendered
    this.startedTurns = new Set();
    this.underruns = 0; this.sinceReport = 0; this.totalPlayed = 0;
    this.port.onmessage = (e) => this.onMessage(e.data);
  }

  onMessage(m) {
    if (m.type === 'push') {
      const data = new Float32Array(m.pcm);
      this.q.push({ turn: m.turn, data }); this.buffered += data.length;
    } else if (m.type === 'end') {
      this.ended.add(m.turn);
      // The queue ran dry just before the turn's end was known: that was the end, not an underrun.
      if (this.starved && m.turn === this.curTurn && this.q.length === 0) {
        this.starved = false; this.underruns--; this.preroll = this.prevPreroll;
        this.port.postMessage({ type: 'drained', turn: m.turn, played: this.played.get(m.turn) || 0, total: this.totalPlayed, underruns: this.underruns });
      }
    } else if (m.type === 'flush') {
      const turn = this.curTurn;
      this.q = []; this.cur = null; this.buffered = 0; this.playing = false; this.primed = false; this.starved = false;
      this.port.postMessage({ type: 'flushed', id: m.id, turn, played: this.played.get(turn) || 0, total: this.totalPlayed });
    }
  }

  // Next queued source sample, or null when the queue is empty.
  pull() {
    while (!this.cur || this.ci >= this.cur.data.length) {
      this.cur = this.q.shift() || null; this.ci = 0;
      if (!this.cur) return null;
    }
    const t = this.cur.turn;
    if (t !== this.curTurn) { this.curTurn = t; }
    if (!this.startedTurns.has(t)) {
      this.startedTurns.add(t);
      this.port.postMessage({ type: 'started', turn: t, frame: this.frameNow, time: this.timeNow });
    }
    this.buffered--; this.totalPlayed++;
    this.played.set(t, (this.played.get(t) || 0) + 1);
    return this.cur.data[this.ci++];
  }

  queueEnded() {
    const last = this.q.length ? this.q[this.q.length - 1].turn : (this.cur ? this.cur.turn : this.curTurn);
    return this.ended.has(last);
  }

  process(_inputs, outputs) {
    const out = outputs[0][0];
    if (!out) return true;
    if (!this.playing && this.buffered > 0 && (this.buffered >= this.preroll || this.queueEnded())) {
      this.playing = true; this.starved = false;
    }
    for (let i = 0; i < out.length; i++) {
      if (!this.playing) { out[i] = 0; continue; }
      this.frameNow = currentFrame + i; this.timeNow = this.frameNow / sampleRate;
      if (!this.primed) {
        const a = this.pull(); if (a === null) { out[i] = 0; this.stall(); continue; }
        this.s0 = a; this.s1 = a; this.frac = 0; this.primed = true;
        if (this.step === 1) { out[i] = a; continue; }
      }
      if (this.step === 1) {
        const a = this.pull();
        if (a === null) { out[i] = 0; this.stall(); continue; }
        out[i] = a; continue;
      }
      while (this.frac >= 1) {
        const a = this.pull();
        if (a === null) break;
        this.s0 = this.s1; this.s1 = a; this.frac -= 1;
      }
      if (this.frac >= 1) { out[i] = 0; this.stall(); continue; }
      out[i] = this.s0 + (this.s1 - this.s0) * this.frac;
      this.frac += this.step;
    }
    for (let c = 1; c < outputs[0].length; c++) outputs[0][c].set(out);
    this.sinceReport += out.length;
    if (this.sinceReport >= sampleRate / 20) { // progress every 50 ms
      this.sinceReport = 0;
      this.port.postMessage({ type: 'progress', turn: this.curTurn, played: this.played.get(this.curTurn) || 0,
        total: this.totalPlayed, buffered: this.buffered, underruns: this.underruns, playing: this.playing });
    }
    return true;
  }

  // Queue ran dry: finished if the turn ended, otherwise an underrun → re-buffer.
  stall() {
    this.playing = false; this.primed = false;
    if (this.ended.has(this.curTurn) && this.q.length === 0) {
      this.port.postMessage({ type: 'drained', turn: this.curTurn, played: this.played.get(this.curTurn) || 0, total: this.totalPlayed, underruns: this.underruns });
    } else {
      this.underruns++; this.starved = true; this.prevPreroll = this.preroll;
      this.preroll = Math.min(this.maxPreroll, this.preroll + 0.05 * SRC_RATE);
      this.port.postMessage({ type: 'underrun', turn: this.curTurn, count: this.underruns });
    }
  }
}

registerProcessor('omni-playback', PlaybackProcessor);
