// omni_turn.mjs — libomni_c from Node.js through koffi: one sim turn, events checked.
// Usage: node omni_turn.mjs <libomni_c.so> <question.wav>
import fs from 'node:fs';

let koffi;
try {
  koffi = (await import('koffi')).default;
} catch {
  console.log('SKIP: koffi is not installed (run: npm install --prefix tests/node)');
  process.exit(77); // ctest: skipped
}

const [libPath, wavPath] = process.argv.slice(2);
if (!libPath || !wavPath) {
  console.error('usage: node omni_turn.mjs <libomni_c path> <question.wav>');
  process.exit(2);
}
const lib = koffi.load(libPath);

// The one public struct; it begins with its own size and only grows at the end.
const omni_event = koffi.struct('omni_event', {
  size: 'uint32_t', type: 'int32_t', turn_id: 'uint64_t', seq: 'uint64_t', t_ms: 'double',
  text: 'const char *', text_len: 'size_t', pcm: 'const int16_t *', n_samples: 'size_t',
  sample_rate: 'int32_t', index: 'int32_t', n_speech_tokens: 'int32_t', status: 'int32_t',
});
const omni_event_cb = koffi.proto('void omni_event_cb(const omni_event *ev, void *user_data)');
const abiVersion = lib.func('uint32_t omni_abi_version(void)');
const lastError = lib.func('const char *omni_last_error(void)');
const eventName = lib.func('const char *omni_event_type_name(int type)');  // "text", "audio", ...
const create = lib.func('int omni_create(const char *kind, const char **keys, const char **values, size_t n, omni_event_cb *cb, void *ud, _Out_ void **out)');
const prefillFile = lib.func('int omni_prefill_audio_file(void *e, const uint8_t *bytes, size_t n)');
const generate = lib.func('int omni_generate(void *e, _Out_ uint64_t *turn)');
const wait = lib.func('int omni_wait(void *e, int32_t timeout_ms)');
const destroy = lib.func('int omni_destroy(void *e)');

const check = (status, what) => {
  if (status !== 0) throw new Error(`${what} failed (${status}): ${lastError()}`);
};

if (abiVersion() >>> 16 !== 1) throw new Error(`unexpected ABI ${abiVersion() >>> 16}`);

const seen = { types: [], text: '', samples: 0, lastSeq: 0n, ordered: true };
// Events arrive on engine threads; koffi.register with a thread-safe callback.
const cb = koffi.register((evPtr) => {
  const ev = koffi.decode(evPtr, omni_event);
  if (ev.seq <= seen.lastSeq) seen.ordered = false;
  seen.lastSeq = ev.seq;
  const name = eventName(ev.type);
  seen.types.push(name);
  if (name === 'text') seen.text += ev.text;
  if (name === 'audio') seen.samples += Number(ev.n_samples);
}, koffi.pointer(omni_event_cb));

const out = [null];
check(create('sim', ['reply_tokens'], ['20'], 1, cb, null, out), 'omni_create');
const engine = out[0];
const wav = fs.readFileSync(wavPath);
check(prefillFile(engine, wav, wav.length), 'omni_prefill_audio_file');
const turn = [0n];
check(generate(engine, turn), 'omni_generate');
// omni_wait blocks this thread; koffi runs callbacks from foreign threads on the JS
// thread, so wait asynchronously and let the event loop deliver them.
await new Promise((resolve, reject) => {
  wait.async(engine, 10000, (err, status) => (err ? reject(err) : (check(status, 'omni_wait'), resolve())));
});
// koffi runs each foreign-thread callback on the JS thread and the engine thread waits
// for it, so when omni_wait returns, TURN_DONE has been seen here.
check(destroy(engine), 'omni_destroy');
koffi.unregister(cb);

const problems = [];
if (!seen.text.startsWith('Turn 1. I heard ')) problems.push(`text: ${seen.text}`);
if (!seen.types.includes('audio') || seen.samples <= 0) problems.push('no audio');
if (!seen.types.includes('end_of_turn')) problems.push('no end_of_turn');
if (seen.types.slice(-2).join() !== 'stats,turn_done') problems.push(`ends with ${seen.types.slice(-2)}`);
if (!seen.ordered) problems.push('seq not increasing');
if (!seen.types.includes('text')) problems.push('no text');
console.log(`node: turn ${turn[0]}: ${seen.types.length} events, ${seen.samples} samples, text "${seen.text.slice(0, 40)}..."`);
if (problems.length) {
  console.log(`FAIL: ${problems.join('; ')}`);
  process.exit(1);
}
console.log('node consumer OK');
