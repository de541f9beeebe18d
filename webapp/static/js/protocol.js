// WebSocket client for /v1/realtime (webapp/PROTOCOL.md): JSON events, PCM binary frames,
// `audio` JSON paired with the binary frame that follows it, heartbeat, and reconnect
// with backoff after the server goes away (e.g. a restart).
const BACKOFF_MS = [250, 500, 1000, 2000, 4000];
const PING_MS = 10000, DEAD_MS = 25000;
export const CLOSE_BUSY = 1013;

export class Connection {
  constructor(url) {
    this.url = url || `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/v1/realtime`;
    this.ws = null; this.handlers = {}; this.attempt = 0; this.wanted = false;
    this.pendingAudio = null; this.lastRx = 0; this.timer = null; this.connects = 0;
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
    this.ws = ws; this.pendingAudio = null;
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
    if (typeof data === 'string') {
      let msg;
      try { msg = JSON.parse(data); } catch { this.emit('protocol_error', { message: 'bad JSON from server' }); return; }
      if (msg.type === 'audio' && msg.audio === undefined) { this.pendingAudio = msg; return; } // PCM follows
      if (msg.type === 'audio' && typeof msg.audio === 'string') { msg.pcm = b64ToBuffer(msg.audio); delete msg.audio; }
      if (msg.type !== 'pong') this.emit('event', msg);
      return;
    }
    if (this.pendingAudio) {
      const msg = this.pendingAudio; this.pendingAudio = null;
      msg.pcm = data;
      this.emit('event', msg);
    } else {
      this.emit('protocol_error', { message: 'audio frame without its header' });
    }
  }

  send(obj) {
    if (!this.open) return false;
    this.ws.send(JSON.stringify(obj));
    return true;
  }

  sendPcm(int16) {
    if (!this.open) return false;
    this.ws.send(int16.buffer.byteLength === int16.byteLength ? int16.buffer : int16.slice().buffer);
    this.sentBytes += int16.byteLength;
    return true;
  }
}

export function b64ToBuffer(b64) {
  const bin = atob(b64); const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out.buffer;
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
