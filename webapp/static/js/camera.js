// Camera for the video call: a self-view and JPEG frames at a steady rate, square-cropped and
// scaled to what the vision encoder takes (448 px), for the server to prefill each with its
// second of audio. Frames never queue here: a tick that finds the last frame still being
// encoded, or the socket still busy sending, is skipped and counted.
export const FRAME_SIZE = 448;
export const FRAME_FPS = 1;

export class CameraError extends Error {
  constructor(code, detail) { super(code); this.code = code; this.detail = detail; }
}

// Why the camera cannot be used at all, before asking for it.
export function cameraUnavailableReason() {
  if (!window.isSecureContext) return 'insecure';
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return 'unsupported';
  return null;
}

const ERROR_CODES = { NotAllowedError: 'denied', SecurityError: 'denied', NotFoundError: 'nodevice',
  OverconstrainedError: 'nodevice', NotReadableError: 'busy', AbortError: 'busy' };

export class Camera {
  constructor(video) {
    this.video = video; this.stream = null; this.timer = null; this.handlers = {};
    this.fps = FRAME_FPS; this.size = FRAME_SIZE; this.quality = 0.8;
    this.stats = { captured: 0, skipped: 0, seq: 0 };
    this.encoding = false;
    this.canvas = document.createElement('canvas');
  }

  on(name, fn) { this.handlers[name] = fn; }
  emit(name, arg) { const h = this.handlers[name]; if (h) h(arg); }
  get active() { return !!this.stream; }

  async start({ fps, size } = {}) {
    if (this.stream) return;
    if (fps > 0) this.fps = fps;
    if (size > 0) this.size = size;
    const why = cameraUnavailableReason();
    if (why) throw new CameraError(why);
    try {
      this.stream = await navigator.mediaDevices.getUserMedia({ video: { width: { ideal: 640 }, height: { ideal: 480 } } });
    } catch (e) {
      throw new CameraError(ERROR_CODES[e.name] || 'failed', e.message || e.name);
    }
    try {
      this.video.srcObject = this.stream;
      this.video.hidden = false;
      await this.video.play();
      if (!this.video.videoWidth) await new Promise((r) => this.video.addEventListener('loadedmetadata', r, { once: true }));
    } catch (e) {
      this.stop();
      throw new CameraError('failed', e.message || e.name);
    }
    this.stream.getVideoTracks()[0].addEventListener('ended', () => { this.stop(); this.emit('ended'); });
    this.timer = setInterval(() => this.tick(), 1000 / this.fps);
  }

  // One frame: the centre square of the picture, scaled to size x size, as JPEG bytes.
  async grab() {
    const v = this.video, w = v.videoWidth, h = v.videoHeight;
    if (!w || !h) return null;
    const side = Math.min(w, h), c = this.canvas;
    c.width = c.height = this.size;
    c.getContext('2d').drawImage(v, (w - side) / 2, (h - side) / 2, side, side, 0, 0, this.size, this.size);
    const blob = await new Promise((res) => c.toBlob(res, 'image/jpeg', this.quality));
    return blob ? blob.arrayBuffer() : null;
  }

  async tick() {
    if (this.encoding || !this.stream) { this.stats.skipped++; return; }
    this.encoding = true;
    try {
      const jpeg = await this.grab();
      if (jpeg && this.stream) {
        this.stats.captured++;
        this.emit('frame', { seq: ++this.stats.seq, jpeg });
      }
    } finally { this.encoding = false; }
  }

  stop() {
    clearInterval(this.timer); this.timer = null;
    if (this.stream) { this.stream.getTracks().forEach((tr) => tr.stop()); this.stream = null; }
    this.video.srcObject = null; this.video.hidden = true;
  }
}
