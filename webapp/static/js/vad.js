// Energy voice-activity detector on the capture worklet's 20 ms levels.
// Adaptive noise floor; speech needs `startMs` above threshold, ends after `hangMs` below.
export class Vad {
  constructor({ startMs = 120, hangMs = 700, minRms = 0.012, ratio = 3.5 } = {}) {
    Object.assign(this, { startMs, hangMs, minRms, ratio });
    this.noise = 0.003; this.speaking = false; this.above = 0; this.below = 0;
    this.onStart = null; this.onEnd = null;
    this.boost = 1; // raised while the reply plays, so its echo does not trigger barge-in
  }

  get threshold() { return Math.max(this.minRms, this.noise * this.ratio) * this.boost; }

  feed(rms, frameMs = 20) {
    const loud = rms > this.threshold;
    if (!this.speaking && !loud) this.noise = this.noise * 0.95 + rms * 0.05; // track the floor in silence
    if (loud) { this.above += frameMs; this.below = 0; } else { this.below += frameMs; this.above = 0; }
    if (!this.speaking && this.above >= this.startMs) { this.speaking = true; if (this.onStart) this.onStart(); }
    else if (this.speaking && this.below >= this.hangMs) { this.speaking = false; if (this.onEnd) this.onEnd(); }
  }

  reset() { this.speaking = false; this.above = 0; this.below = 0; }
}
