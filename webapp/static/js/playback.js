// Main-thread side of the reply player (worklets/playback-worklet.js).
// One AudioContext at 24 kHz, the server's rate, so the worklet never resamples.
import { echoSafeOutput } from './echo_path.js';

export const REPLY_RATE = 24000;

export class Player {
  constructor() {
    this.ctx = null; this.node = null;
    this.handlers = {}; this.flushId = 0; this.pendingFlush = new Map();
    this.stats = { receivedSamples: 0, playedSamples: 0, underruns: 0, buffered: 0, chunks: 0, progressReports: 0,
      playedAtFlush: null, flushedAt: null };
  }

  on(name, fn) { this.handlers[name] = fn; }
  emit(name, arg) { const h = this.handlers[name]; if (h) h(arg); }

  async init() {
    if (this.ctx) return;
    let ctx;
    try { ctx = new AudioContext({ sampleRate: REPLY_RATE, latencyHint: 'interactive' }); }
    catch { ctx = new AudioContext({ latencyHint: 'interactive' }); } // the worklet resamples then
    await ctx.audioWorklet.addModule(new URL('./worklets/playback-worklet.js', import.meta.url));
    const node = new AudioWorkletNode(ctx, 'omni-playback', { numberOfInputs: 0, outputChannelCount: [1] });
    this.gain = ctx.createGain();
    node.connect(this.gain);
    node.port.onmessage = (e) => this.onMessage(e.data);
    this.ctx = ctx; this.node = node;
    // Where the reply leaves the page decides whether the microphone's echo canceller hears
    // it as "our own output" (echo_path.js). Every sample the worklet renders is played, so
    // the played-samples count stays exact; only the start time shifts by the path's latency.
    this.echo = await echoSafeOutput(ctx, this.gain);
  }

  // Extra seconds between the worklet rendering a sample and the speakers (the RTC loopback).
  get pathLatency() { return this.echo ? this.echo.latency() : 0; }

  // Autoplay policy: call from a user gesture (or with the policy relaxed).
  resume() {
    if (this.echo) this.echo.resume();
    if (this.ctx && this.ctx.state !== 'running') return this.ctx.resume().catch(() => {});
  }

  get running() { return !!this.ctx && this.ctx.state === 'running'; }

  setVolume(v) { if (this.gain) this.gain.gain.value = v; }

  push(turn, buf) {
    const pcm = new Int16Array(buf);
    const f = new Float32Array(pcm.length);
    for (let i = 0; i < pcm.length; i++) f[i] = pcm[i] / 32768;
    this.stats.receivedSamples += pcm.length; this.stats.chunks++;
    this.node.port.postMessage({ type: 'push', turn, pcm: f.buffer }, [f.buffer]);
  }

  end(turn) { if (this.node) this.node.port.postMessage({ type: 'end', turn }); }

  // Drop everything queued; resolves with {turn, played} (source samples of that turn heard).
  flush() {
    if (!this.node) return Promise.resolve({ turn: -1, played: 0 });
    const id = ++this.flushId;
    return new Promise((resolve) => {
      const timer = setTimeout(() => { this.pendingFlush.delete(id); resolve({ turn: -1, played: this.lastPlayed || 0 }); }, 200);
      this.pendingFlush.set(id, (r) => { clearTimeout(timer); resolve(r); });
      this.node.port.postMessage({ type: 'flush', id });
    });
  }

  // Audio-context time → performance.now() time at which it leaves the speakers.
  toPerfTime(ctxTime) {
    const ts = this.ctx.getOutputTimestamp ? this.ctx.getOutputTimestamp() : null;
    if (ts && ts.performanceTime > 0) return ts.performanceTime + (ctxTime - ts.contextTime) * 1000;
    return performance.now() + (this.ctx.outputLatency || this.ctx.baseLatency || 0) * 1000;
  }

  onMessage(m) {
    switch (m.type) {
      case 'started': this.emit('started', { turn: m.turn, playedAt: this.toPerfTime(m.time) + this.pathLatency * 1000 }); break;
      case 'progress':
        this.stats.playedSamples = m.total; this.stats.buffered = m.buffered; this.stats.underruns = m.underruns;
        this.lastPlayed = m.played; this.stats.progressReports++;
        this.emit('progress', m); break;
      case 'drained': this.stats.playedSamples = m.total; this.stats.buffered = 0; this.stats.underruns = m.underruns; this.emit('drained', m); break;
      case 'underrun': this.stats.underruns = m.count; this.emit('underrun', m); break;
      case 'flushed': {
        this.stats.playedSamples = m.total; this.stats.playedAtFlush = m.total; this.stats.flushedAt = performance.now(); this.stats.buffered = 0; const f = this.pendingFlush.get(m.id); if (f) { this.pendingFlush.delete(m.id); f(m); } break; }
    }
  }
}
