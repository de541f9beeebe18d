// WebSocket client for /omni/realtime, omni's protocol 2 (webapp/PROTOCOL.md): JSON text
// frames, binary frames that describe themselves (a kind byte and a small header), heartbeat,
// and reconnect with backoff after the server goes away (e.g. a restart).
const BACKOFF_MS = [250, 500, 1000, 2000, 4000];
const PING_MS = 10000, DEAD_MS = 25000;
export const CLOSE_BUSY = 1013;
export const PROTOCOL = 2;
export const PATH = '/omni/realtime';
const FRAME_AUDIO = 0x01;
const AUDIO_HEADER_BYTES = 16; // server -> page: kind u8, 3 reserved, turn_id, wav_idx, sample_rate (u32 LE)
const MIC_HEADER_SAMPLES = 2;  // page -> server: kind u8, 3 reserved (4 bytes = 2 int16 slots), then PCM
const FRAME_IMAGE = 0x02;
const IMAGE_HEADER_BYTES = 8;  // page -> server: kind u8, 3 reserved, frame seq u32 LE, then a JPEG
const FRAME_BACKLOG_BYTES = 256 * 1024; // more than this unsent: the next camera frame is skipped

// One binary frame -> the event it carries, or null for a kind this page does not know.
export function decodeBinary(buf) {
  if (buf.byteLength < 1) return null;
  const v = new DataView(buf);
  if (v.getUint8(0) === FRAME_AUDIO && buf.byteLength >= AUDIO_HEADER_BYTES) {
    return { type: 'audio', turn_id: v.getUint32(4, true), wav_idx: v.getUint32(8, true),
      sample_rate: v.getUint32(12, true), pcm: buf.slice(AUDIO_HEADER_BYTES) };
  }
  return null;
}

// Microphone PCM (Int16Array, 16 kHz) -> the binary frame that carries it.
export function encodeMic(int16) {
  const out = new Int16Array(MIC_HEADER_SAMPLES + int16.length);
  out.set(int16, MIC_HEADER_SAMPLES);
  new Uint8Array(out.buffer, 0, 1)[0] = FRAME_AUDIO;
  return out.buffer;
}

// A camera frame (encoded JPEG bytes) -> the binary frame that carries it.
export function encodeImage(seq, jpeg) {
  const out = new Uint8Array(IMAGE_HEADER_BYTES + jpeg.byteLength);
  const v = new DataView(out.buffer);
  v.setUint8(0, FRAME_IMAGE); v.setUint32(4, seq >>> 0, true);
  out.set(new Uint8Array(jpeg), IMAGE_HEADER_BYTES);
  return out.buffer;
}

export class Connection {
  constructor(url) {
    this.url = url || `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${PATH}`;
    this.ws = null; this.handlers = {}; this.attempt = 0; this.wanted = false;
    this.lastRx = 0; this.timer = null; this.connects = 0;
    this.sentBytes = 0;
  }

  on(name, fn) { this.handlers[name] = fn; }
  emit(name, arg) { const h = this.handlers[name]; if (h) h(arg); }
  get open() { return !!this.ws && this.ws.readyState === WebSocket.OPEN; }

  connect() { this.wanted = true; this.dial(); }

  close() { this.wanted = false; clearTimeout(this.retry); clearInterval(this.timer); if (this.ws) this.ws.close(1000); }

  dial() {
    clearTimeout(this.retry);
    let ws;
    try { ws = new WebSocket(this.url); } catch (e) { this.scheduleRetry(); return; }
    ws.binaryType = 'arraybuffer';
    this.ws = ws;
    this.emit('connecting', { attempt: this.attempt });
    ws.onopen = () => {
      this.attempt = 0; this.connects++; this.lastRx = performance.now();
      clearInterval(this.timer);
      this.timer = setInterval(() => this.heartbeat(), PING_MS / 2);
      this.emit('open', { connects: this.connects });
    };
    ws.onmessage = (e) => { this.lastRx = performance.now(); this.onFrame(e.data); };
    ws.onerror = () => {}; // onclose follows with the code
    ws.onclose = (e) => {
      if (ws !== this.ws) return;
      clearInterval(this.timer); this.ws = null;
      let reason = null;
      try { reason = e.reason ? JSON.parse(e.reason) : null; } catch { reason = { message: e.reason }; }
      this.emit('close', { code: e.code, reason, wasOpen: this.lastRx > 0 });
      if (this.wanted) this.scheduleRetry(e.code === CLOSE_BUSY ? 3000 : null);
    };
  }

  scheduleRetry(fixedMs) {
    const ms = fixedMs || BACKOFF_MS[Math.min(this.attempt, BACKOFF_MS.length - 1)];
    this.attempt++;
    this.emit('retry', { inMs: ms, attempt: this.attempt });
    this.retry = setTimeout(() => this.dial(), ms);
  }

  heartbeat() {
    if (!this.open) return;
    // A half-open socket (server vanished without a FIN) shows up as silence: reconnect.
    if (performance.now() - this.lastRx > DEAD_MS) { this.ws.close(4000, 'heartbeat timeout'); return; }
    this.send({ type: 'ping' });
  }

  onFrame(data) {
    if (typeof data !== 'string') {
      const msg = decodeBinary(data);
      if (msg) this.emit('event', msg);
      else this.emit('protocol_error', { message: `binary frame of unknown kind ${new Uint8Array(data)[0]}` });
      return;
    }
    let msg;
    try { msg = JSON.parse(data); } catch { this.emit('protocol_error', { message: 'bad JSON from server' }); return; }
    if (msg.type === 'session' && msg.protocol !== PROTOCOL) {
      this.emit('protocol_error', { message: `the server speaks protocol ${msg.protocol}, this page ${PROTOCOL}` });
      return;
    }
    if (msg.type !== 'pong') this.emit('event', msg);
  }

  send(obj) {
    if (!this.open) return false;
    this.ws.send(JSON.stringify(obj));
    return true;
  }

  sendPcm(int16) {
    if (!this.open) return false;
    this.ws.send(encodeMic(int16));
    this.sentBytes += int16.byteLength;
    return true;
  }

  // False (and nothing sent) when closed, or when earlier data is still queued: a camera frame
  // must never hold up the microphone behind it.
  sendImage(seq, jpeg) {
    if (!this.open || this.ws.bufferedAmount > FRAME_BACKLOG_BYTES) return false;
    this.ws.send(encodeImage(seq, jpeg));
    this.sentBytes += jpeg.byteLength;
    return true;
  }
}

// Blob → base64 without building a string per byte (the reference's slow path).
export function blobToBase64(blob) {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result).split(',', 2)[1] || '');
    r.onerror = () => reject(r.error);
    r.readAsDataURL(blob);
  });
}
