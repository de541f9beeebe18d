// One conversation turn's measurements. Times are performance.now() ms; the timeline is
// relative to the end of the user's speech, which is what a listener waits from.
export const MARKS = ['speech_end', 'prefill', 'first_text', 'first_audio', 'done'];

export class TurnRecord {
  constructor(seq) {
    this.seq = seq; this.turnId = null;
    this.marks = {}; this.userSamples = 0; this.audioSamples = 0; this.text = '';
    this.stats = null; this.reason = null; this.error = null;
    this.arrivals = []; this.interrupted = false; this.playedMs = null; this.heard = null; this.done = false; this.drained = false; this.image = false;
  }

  mark(name, t = performance.now()) { if (this.marks[name] === undefined) this.marks[name] = t; }

  rel(name) { const t = this.marks[name], z = this.marks.speech_end; return t === undefined || z === undefined ? null : t - z; }

  // End of speech → first reply sample leaving the speakers.
  get firstAudioMs() { return this.rel('first_audio'); }
  get audioMs() { return this.audioSamples / 24; }
  get userMs() { return this.userSamples / 16; }

  // Engine RTF (generation time / audio time) when the server sent it; else the page's own
  // estimate from the prefill-done mark, so prefill and idle tails are not counted.
  get rtf() {
    if (this.stats && typeof this.stats.rtf === 'number') return this.stats.rtf;
    const a = this.marks.prefill ?? this.marks.speech_end, b = this.marks.done;
    return a !== undefined && b !== undefined && this.audioSamples ? (b - a) / this.audioMs : null;
  }

  timeline() {
    const out = {};
    for (const m of MARKS) { const v = this.rel(m); if (v !== null) out[m] = Math.round(v); }
    return out;
  }

  toJSON() {
    return { seq: this.seq, turn_id: this.turnId, timeline: this.timeline(), first_audio_ms: this.firstAudioMs,
      audio_ms: this.audioMs, user_ms: this.userMs, rtf: this.rtf, text: this.text, reason: this.reason,
      error: this.error, interrupted: this.interrupted, played_ms: this.playedMs, heard: this.heard, stats: this.stats,
      arrivals: this.arrivals, done: this.done, drained: this.drained, image: this.image };
  }
}
