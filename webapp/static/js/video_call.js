// The page's video call: the camera button, the self-view and where frames go.
// Duplex: while the conversation streams audio, every frame (1 per second by default) goes
// to the server, which prefills it with its second of audio. Simplex: a fresh frame goes
// with each utterance, just before the commit. Options from the URL: ?fps=…&frame=… (px).
import { Camera, CameraError, FRAME_FPS, FRAME_SIZE } from './camera.js';
import { t } from './i18n.js';

export class VideoCall {
  constructor({ conn, video, box, button, status, onError, streaming }) {
    Object.assign(this, { conn, box, button, status, onError, streaming });
    const q = new URLSearchParams(location.search);
    this.fps = Number(q.get('fps')) || FRAME_FPS;
    this.size = Number(q.get('frame')) || FRAME_SIZE;
    this.camera = new Camera(video);
    this.mode = 'simplex';
    this.sent = 0; this.notSent = 0; this.server = null; this.error = null;
    this.camera.on('frame', ({ seq, jpeg }) => {
      if (this.mode !== 'duplex' || !this.streaming()) return;
      if (this.conn.sendImage(seq, jpeg)) this.sent++; else this.notSent++;
      this.render();
    });
    this.camera.on('ended', () => { this.onError(t('err.camera.ended')); this.render(); });
    button.addEventListener('click', () => this.toggle());
  }

  get on() { return this.camera.active; }

  setMode(mode) { this.mode = mode; }

  async toggle() {
    if (this.on) { this.camera.stop(); this.render(); return; }
    try {
      await this.camera.start({ fps: this.fps, size: this.size });
      this.error = null;
    } catch (e) {
      const code = e instanceof CameraError ? e.code : 'failed';
      this.error = code;
      this.onError(t(`err.camera.${code}`, { detail: (e && (e.detail || e.message)) || code }));
    }
    this.render();
  }

  // Simplex: the frame that goes with this utterance (sent before the commit).
  async sendLatest() {
    if (!this.on || this.mode === 'duplex') return false;
    const jpeg = await this.camera.grab();
    if (!jpeg) return false;
    const ok = this.conn.sendImage(++this.camera.stats.seq, jpeg);
    if (ok) this.sent++; else this.notSent++;
    this.render();
    return ok;
  }

  // A turn's `done` carries the server's counts (stats.video).
  onStats(video) { if (video) { this.server = video; this.render(); } }

  render() {
    this.button.setAttribute('aria-pressed', String(this.on));
    this.button.textContent = t(this.on ? 'video.stop' : 'video.start');
    this.box.hidden = !this.on;
    const dropped = this.notSent + this.camera.stats.skipped + (this.server ? this.server.frames_dropped : 0);
    this.status.textContent = this.on ? t('video.state', { sent: this.sent, dropped }) : '';
  }

  debug() {
    return { on: this.on, mode: this.mode, sent: this.sent, notSent: this.notSent, error: this.error,
      captured: this.camera.stats.captured, skipped: this.camera.stats.skipped, server: this.server,
      fps: this.fps, size: this.size };
  }
}
