// Where reply audio leaves the page, chosen so the browser's echo canceller removes it from
// the microphone (hands-free duplex on speakers: the model must not hear itself).
//
// Chromium's echo canceller only takes as its reference what WebRTC itself plays: audio from
// an RTCPeerConnection. Audio rendered by Web Audio (AudioContext.destination) is not
// cancelled, and neither is a MediaStreamAudioDestinationNode stream played by an <audio>
// element (Chromium bug 687574, open since 2017; reported by Twilio, Mozilla Hubs, BigBlueButton,
// Babylon.js, Deepgram's agent demo). The workaround those projects ship is a loopback: two
// RTCPeerConnections in this page, the reply's MediaStream sent into one and played from the
// other through an <audio> element. Firefox's canceller uses everything its audio graph plays,
// Web Audio included (the Hubs change needed no workaround there), so other browsers play
// straight to the AudioContext's destination. Chrome's newer "chrome-wide" canceller (on by
// default on some desktop systems) cancels all of Chrome's output, which the loopback does not
// disturb. `?echo=loopback|element|direct` forces a path (for tests and comparisons).
//
// The loopback adds a little latency (an Opus frame and the receiver's jitter buffer), read
// from getStats() so the page's "first audio played" time stays honest. Every sample the
// player renders still reaches the speakers, so the played-ms accounting is unchanged.

const CONNECT_TIMEOUT_MS = 3000;
const OPUS_FRAME_S = 0.02;

export function isChromium() {
  const brands = navigator.userAgentData && navigator.userAgentData.brands;
  if (brands) return brands.some((b) => /Chromium|Google Chrome|Microsoft Edge/.test(b.brand));
  return /Chrome\//.test(navigator.userAgent) && !/Firefox\//.test(navigator.userAgent);
}

export function wantedPath() {
  const forced = new URLSearchParams(location.search).get('echo');
  if (['loopback', 'element', 'direct'].includes(forced)) return forced;
  return isChromium() && window.RTCPeerConnection ? 'loopback' : 'direct';
}

// Connect `node` (in `ctx`) to the speakers by the echo-safe path. Resolves with
// { kind, wanted, safe, error, latency(), resume(), close() }.
export async function echoSafeOutput(ctx, node) {
  const wanted = wantedPath();
  if (wanted === 'direct') return direct(ctx, node, wanted, null);
  const dest = ctx.createMediaStreamDestination();
  node.connect(dest);
  if (wanted === 'element') return element(dest.stream, wanted);
  try {
    return await loopback(dest.stream);
  } catch (e) {
    node.disconnect(dest);
    return direct(ctx, node, wanted, e.message || String(e));
  }
}

function direct(ctx, node, wanted, error) {
  node.connect(ctx.destination);
  // Outside Chromium the canceller hears Web Audio; in Chromium this is the fallback.
  return { kind: 'direct', wanted, safe: !isChromium(), error, latency: () => 0, resume() {}, close() {} };
}

function playThrough(stream) {
  const audio = document.createElement('audio');
  audio.autoplay = true; audio.hidden = true; audio.dataset.role = 'reply-output';
  audio.srcObject = stream;
  document.body.appendChild(audio);
  const resume = () => { if (audio.paused) audio.play().catch(() => {}); };
  resume();
  return { audio, resume };
}

function element(stream, wanted) {
  const { audio, resume } = playThrough(stream);
  return { kind: 'element', wanted, safe: !isChromium(), error: null, latency: () => 0, resume,
    close() { audio.srcObject = null; audio.remove(); } };
}

async function loopback(stream) {
  const send = new RTCPeerConnection(), recv = new RTCPeerConnection();
  const closeAll = () => { send.close(); recv.close(); };
  try {
    send.onicecandidate = (e) => { if (e.candidate) recv.addIceCandidate(e.candidate).catch(() => {}); };
    recv.onicecandidate = (e) => { if (e.candidate) send.addIceCandidate(e.candidate).catch(() => {}); };
    const remote = new Promise((resolve) => { recv.ontrack = (e) => resolve(e.streams[0] || new MediaStream([e.track])); });
    const connected = new Promise((resolve, reject) => {
      recv.oniceconnectionstatechange = () => {
        const s = recv.iceConnectionState;
        if (s === 'connected' || s === 'completed') resolve();
        else if (s === 'failed') reject(new Error('the RTC loopback failed to connect'));
      };
    });
    stream.getAudioTracks().forEach((tr) => send.addTrack(tr, stream));
    await send.setLocalDescription(await send.createOffer());
    await recv.setRemoteDescription(send.localDescription);
    await recv.setLocalDescription(await recv.createAnswer());
    await send.setRemoteDescription(recv.localDescription);
    let timer;
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the RTC loopback did not connect in ${CONNECT_TIMEOUT_MS} ms`)), CONNECT_TIMEOUT_MS);
    });
    const [out] = await Promise.race([Promise.all([remote, connected]), timeout]);
    clearTimeout(timer);
    const { audio, resume } = playThrough(out);
    let latency = OPUS_FRAME_S;
    const poll = setInterval(async () => {
      try {
        const stats = await recv.getStats();
        stats.forEach((r) => {
          if (r.type === 'inbound-rtp' && r.kind === 'audio' && r.jitterBufferEmittedCount > 0) {
            latency = OPUS_FRAME_S + r.jitterBufferDelay / r.jitterBufferEmittedCount;
          }
        });
      } catch { /* closed */ }
    }, 1000);
    return { kind: 'loopback', wanted: 'loopback', safe: true, error: null, latency: () => latency, resume,
      close() { clearInterval(poll); audio.srcObject = null; audio.remove(); closeAll(); } };
  } catch (e) {
    closeAll();
    throw e;
  }
}
