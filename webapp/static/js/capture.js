// Microphone capture: getUserMedia → worklets/capture-worklet.js → 16 kHz int16 chunks.
export const MIC_RATE = 16000;

export class MicError extends Error {
  constructor(code, detail) { super(code); this.code = code; this.detail = detail; }
}

// Why the microphone cannot be used at all, before asking for it.
export function micUnavailableReason() {
  if (!window.isSecureContext) return 'insecure';
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return 'unsupported';
  if (!window.AudioWorkletNode) return 'unsupported';
  return null;
}

export class Mic {
  constructor() { this.ctx = null; this.node = null; this.stream = null; this.handlers = {}; this.flushId = 0; this.pending = new Map(); }
  on(name, fn) { this.handlers[name] = fn; }
  emit(name, arg) { const h = this.handlers[name]; if (h) h(arg); }
  get open() { return !!this.node; }

  async start() {
    if (this.node) return;
    this.phase = 'checking';
    const why = micUnavailableReason();
    if (why) throw new MicError(why);
    try {
      this.phase = 'getUserMedia';
      this.stream = await navigator.mediaDevices.getUserMedia({
        audio: { channelCount: 1, echoCancellation: true, noiseSuppression: true, autoGainControl: true },
      });
    } catch (e) {
      const map = { NotAllowedError: 'denied', SecurityError: 'denied', NotFoundError: 'nodevice',
        OverconstrainedError: 'nodevice', NotReadableError: 'busy', AbortError: 'busy' };
      throw new MicError(map[e.name] || 'failed', e.message);
    }
    // Everything after getUserMedia must release the track on failure (the reference leaked it).
    try {
      this.phase = 'worklet';
      this.ctx = new AudioContext({ latencyHint: 'interactive' }); // device rate; the worklet resamples
      await this.ctx.audioWorklet.addModule(new URL('./worklets/capture-worklet.js', import.meta.url));
      const src = this.ctx.createMediaStreamSource(this.stream);
      this.node = new AudioWorkletNode(this.ctx, 'omni-capture', { numberOfInputs: 1, numberOfOutputs: 0 });
      this.node.port.onmessage = (e) => this.onMessage(e.data);
      src.connect(this.node);
      this.phase = 'resume';
      if (this.ctx.state !== 'running') await this.ctx.resume();
      this.phase = 'open';
      this.deviceRate = this.ctx.sampleRate;
      this.stream.getAudioTracks()[0].addEventListener('ended', () => this.emit('ended'));
    } catch (e) {
      this.stop();
      throw new MicError('failed', e.message);
    }
  }

  onMessage(m) {
    if (m.type === 'pcm') this.emit('pcm', new Int16Array(m.pcm));
    else if (m.type === 'level') this.emit('level', m);
    else if (m.type === 'flushed') { const f = this.pending.get(m.id); if (f) { this.pending.delete(m.id); f(); } }
  }

  // Emit the partial chunk now (so the end of an utterance is never dropped); resolves after it.
  flush() {
    if (!this.node) return Promise.resolve();
    const id = ++this.flushId;
    return new Promise((resolve) => {
      const t = setTimeout(() => { this.pending.delete(id); resolve(); }, 200);
      this.pending.set(id, () => { clearTimeout(t); resolve(); });
      this.node.port.postMessage({ type: 'flush', id });
    });
  }

  stop() {
    if (this.node) { this.node.port.postMessage({ type: 'stop' }); this.node.disconnect(); this.node = null; }
    if (this.stream) { this.stream.getTracks().forEach((t) => t.stop()); this.stream = null; }
    if (this.ctx) { this.ctx.close().catch(() => {}); this.ctx = null; }
  }
}
