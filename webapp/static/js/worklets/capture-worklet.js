// Microphone → 16 kHz int16 chunks, resampled here (not by the AudioContext: browsers
// refuse or ignore a 16 kHz hint on many devices). Anti-alias FIR + linear interpolation.
const OUT_RATE = 16000;
const CHUNK = 640; // 40 ms at 16 kHz: small enough that streaming hides the upload

class CaptureProcessor extends AudioWorkletProcessor {
  constructor() {
    super();
    this.ratio = sampleRate / OUT_RATE; // input samples per output sample
    this.taps = this.ratio > 1.001 ? lowpass(31, 0.45 / this.ratio) : null;
    this.hist = new Float32Array(this.taps ? this.taps.length : 1);
    this.hpos = 0;
    this.prev = 0;          // last filtered input sample (for interpolation across blocks)
    this.pos = 0;           // fractional read position relative to `prev`
    this.out = new Int16Array(CHUNK);
    this.n = 0;
    this.levelAcc = 0; this.levelN = 0; this.peak = 0;
    this.active = true;
    this.port.onmessage = (e) => {
      if (e.data.type === 'flush') { this.emit(true); this.port.postMessage({ type: 'flushed', id: e.data.id }); }
      else if (e.data.type === 'stop') this.active = false;
    };
  }

  filter(x) {
    if (!this.taps) return x;
    const h = this.hist, t = this.taps, L = t.length;
    h[this.hpos] = x;
    let acc = 0, j = this.hpos;
    for (let k = 0; k < L; k++) { acc += t[k] * h[j]; j = j === 0 ? L - 1 : j - 1; }
    this.hpos = (this.hpos + 1) % L;
    return acc;
  }

  emit(partial) {
    if (this.n === 0) return;
    const buf = partial ? this.out.slice(0, this.n) : this.out.slice();
    this.port.postMessage({ type: 'pcm', pcm: buf.buffer }, [buf.buffer]);
    this.n = 0;
  }

  process(inputs) {
    const ch = inputs[0] && inputs[0][0];
    if (ch) {
      for (let i = 0; i < ch.length; i++) {
        const cur = this.filter(ch[i]);
        const a = Math.abs(ch[i]);
        this.levelAcc += ch[i] * ch[i]; this.levelN++; if (a > this.peak) this.peak = a;
        // emit every output sample that falls between prev (pos 0) and cur (pos 1)
        while (this.pos <= 1) {
          const s = this.prev + (cur - this.prev) * this.pos;
          this.out[this.n++] = Math.max(-32768, Math.min(32767, Math.round(s * 32767)));
          if (this.n === CHUNK) this.emit(false);
          this.pos += this.ratio;
        }
        this.pos -= 1;
        this.prev = cur;
      }
      if (this.levelN >= sampleRate / 50) { // level every 20 ms for the meter and VAD
        this.port.postMessage({ type: 'level', rms: Math.sqrt(this.levelAcc / this.levelN), peak: this.peak });
        this.levelAcc = 0; this.levelN = 0; this.peak = 0;
      }
    }
    return this.active;
  }
}

// Windowed-sinc low-pass, cutoff as a fraction of the input rate.
function lowpass(n, fc) {
  const t = new Float32Array(n), m = (n - 1) / 2;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const x = i - m;
    const sinc = x === 0 ? 2 * fc : Math.sin(2 * Math.PI * fc * x) / (Math.PI * x);
    const w = 0.42 - 0.5 * Math.cos(2 * Math.PI * i / (n - 1)) + 0.08 * Math.cos(4 * Math.PI * i / (n - 1));
    t[i] = sinc * w; sum += t[i];
  }
  for (let i = 0; i < n; i++) t[i] /= sum;
  return t;
}

registerProcessor('omni-capture', CaptureProcessor);
