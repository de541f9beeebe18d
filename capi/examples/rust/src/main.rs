//! omni_turn — libomni_c from Rust with the pull API (`omni_next_event`): one sim turn
//! (prefill a WAV, generate, collect text and PCM), a second turn interrupted at its first
//! audio, the reply written as a WAV file, and what came back checked. No crates: the C ABI
//! is declared below with `extern "C"`; build.rs passes the link flags.
//!
//!     OMNI_C_LIB_DIR=<dir of libomni_c> cargo run --offline -- question.wav reply.wav

use std::ffi::CStr;
use std::fs;
use std::os::raw::{c_char, c_int, c_void};
use std::process::exit;
use std::ptr;

// ---- the C ABI (capi/include/omni_c.h) -------------------------------------------------

/// `omni_event`, field for field; it begins with its own size and only grows at the end.
#[repr(C)]
struct RawEvent {
    size: u32,
    kind: i32, // `type` in C
    turn_id: u64,
    seq: u64,
    t_ms: f64,
    text: *const c_char,
    text_len: usize,
    pcm: *const i16,
    n_samples: usize,
    sample_rate: i32,
    index: i32,
    n_speech_tokens: i32,
    status: i32,
}

#[repr(C)]
struct OmniEngine {
    _opaque: [u8; 0],
}

type EventCb = extern "C" fn(*const RawEvent, *mut c_void);

#[link(name = "omni_c")]
extern "C" {
    fn omni_abi_version() -> u32;
    fn omni_last_error() -> *const c_char;
    fn omni_create(kind: *const c_char, keys: *const *const c_char, values: *const *const c_char, n: usize,
                   cb: Option<EventCb>, user_data: *mut c_void, out: *mut *mut OmniEngine) -> c_int;
    fn omni_prefill_audio_file(e: *mut OmniEngine, bytes: *const c_void, n: usize) -> c_int;
    fn omni_generate(e: *mut OmniEngine, turn_id: *mut u64) -> c_int;
    fn omni_interrupt(e: *mut OmniEngine) -> c_int;
    fn omni_set_option(e: *mut OmniEngine, key: *const c_char, value: *const c_char) -> c_int;
    fn omni_next_event(e: *mut OmniEngine, timeout_ms: i32, out: *mut RawEvent) -> c_int;
    fn omni_destroy(e: *mut OmniEngine) -> c_int;
}

const EVENT_TEXT: i32 = 1;
const EVENT_AUDIO: i32 = 3;
const EVENT_TURN_DONE: i32 = 6;
const EVENT_STATS: i32 = 8;
const TURN_COMPLETED: i32 = 0;
const TURN_INTERRUPTED: i32 = 1;

// ---- a small safe wrapper --------------------------------------------------------------

/// An event copied out of the library (its pointers live only until the next pull).
struct Event {
    kind: i32,
    seq: u64,
    text: String,
    pcm: Vec<i16>,
    sample_rate: i32,
    status: i32,
}

struct Engine(*mut OmniEngine);

fn check(status: c_int, what: &str) -> Result<(), String> {
    if status == 0 {
        return Ok(());
    }
    let why = unsafe { CStr::from_ptr(omni_last_error()) }.to_string_lossy().into_owned();
    Err(format!("{} failed ({}): {}", what, status, why))
}

fn cstr(s: &str) -> Vec<u8> {
    let mut v = s.as_bytes().to_vec();
    v.push(0);
    v
}

impl Engine {
    /// A "sim" engine in pull mode (no callback).
    fn new(options: &[(&str, &str)]) -> Result<Engine, String> {
        let (keys, values): (Vec<Vec<u8>>, Vec<Vec<u8>>) = options.iter().map(|(k, v)| (cstr(k), cstr(v))).unzip();
        let kp: Vec<*const c_char> = keys.iter().map(|k| k.as_ptr() as *const c_char).collect();
        let vp: Vec<*const c_char> = values.iter().map(|v| v.as_ptr() as *const c_char).collect();
        let mut e = ptr::null_mut();
        let kind = cstr("sim");
        check(unsafe { omni_create(kind.as_ptr() as *const c_char, kp.as_ptr(), vp.as_ptr(), kp.len(), None,
                                   ptr::null_mut(), &mut e) }, "omni_create")?;
        Ok(Engine(e))
    }
    fn prefill_file(&self, bytes: &[u8]) -> Result<(), String> {
        check(unsafe { omni_prefill_audio_file(self.0, bytes.as_ptr() as *const c_void, bytes.len()) },
              "omni_prefill_audio_file")
    }
    fn generate(&self) -> Result<u64, String> {
        let mut id = 0u64;
        check(unsafe { omni_generate(self.0, &mut id) }, "omni_generate")?;
        Ok(id)
    }
    fn interrupt(&self) -> Result<(), String> {
        check(unsafe { omni_interrupt(self.0) }, "omni_interrupt")
    }
    fn set_option(&self, key: &str, value: &str) -> Result<(), String> {
        let (k, v) = (cstr(key), cstr(value));
        check(unsafe { omni_set_option(self.0, k.as_ptr() as *const c_char, v.as_ptr() as *const c_char) },
              "omni_set_option")
    }
    /// The next event, copied; `&mut self` because the library's buffers end at the next pull.
    fn next_event(&mut self, timeout_ms: i32) -> Result<Event, String> {
        let mut raw: RawEvent = unsafe { std::mem::zeroed() };
        raw.size = std::mem::size_of::<RawEvent>() as u32;
        check(unsafe { omni_next_event(self.0, timeout_ms, &mut raw) }, "omni_next_event")?;
        let text = if raw.text.is_null() {
            String::new()
        } else {
            let bytes = unsafe { std::slice::from_raw_parts(raw.text as *const u8, raw.text_len) };
            String::from_utf8_lossy(bytes).into_owned()
        };
        let pcm = if raw.pcm.is_null() {
            Vec::new()
        } else {
            unsafe { std::slice::from_raw_parts(raw.pcm, raw.n_samples) }.to_vec()
        };
        Ok(Event { kind: raw.kind, seq: raw.seq, text, pcm, sample_rate: raw.sample_rate, status: raw.status })
    }
}

impl Drop for Engine {
    fn drop(&mut self) {
        unsafe { omni_destroy(self.0) };
    }
}

// ---- the turn --------------------------------------------------------------------------

#[derive(Default)]
struct Turn {
    kinds: Vec<i32>,
    text: String,
    pcm: Vec<i16>,
    sample_rate: i32,
    seq_ok: bool,
    done_status: i32,
    done_text: String,
}

/// Pull until TURN_DONE; interrupt at the first AUDIO when asked.
fn pull_turn(e: &mut Engine, interrupt_at_audio: bool) -> Result<Turn, String> {
    let mut t = Turn { seq_ok: true, done_status: -1, ..Default::default() };
    let mut last_seq = 0;
    loop {
        let ev = e.next_event(10_000)?;
        t.seq_ok &= ev.seq > last_seq;
        last_seq = ev.seq;
        t.kinds.push(ev.kind);
        match ev.kind {
            EVENT_TEXT => t.text.push_str(&ev.text),
            EVENT_AUDIO => {
                if interrupt_at_audio && t.pcm.is_empty() {
                    e.interrupt()?;
                }
                t.pcm.extend_from_slice(&ev.pcm);
                t.sample_rate = ev.sample_rate;
            }
            EVENT_TURN_DONE => {
                t.done_status = ev.status;
                t.done_text = ev.text;
                return Ok(t);
            }
            _ => {}
        }
    }
}

/// 16-bit mono WAV; Rust's standard library has no WAV writer and the header is 44 bytes.
fn write_wav(path: &str, pcm: &[i16], rate: u32) -> std::io::Result<()> {
    let n = (pcm.len() * 2) as u32;
    let mut b = Vec::with_capacity(44 + n as usize);
    b.extend_from_slice(b"RIFF");
    b.extend_from_slice(&(36 + n).to_le_bytes());
    b.extend_from_slice(b"WAVEfmt ");
    for v in [16u32, 1 | (1 << 16), rate, rate * 2, 2 | (16 << 16)] {
        b.extend_from_slice(&v.to_le_bytes()); // fmt size, PCM + mono, rate, bytes/s, align + bits
    }
    b.extend_from_slice(b"data");
    b.extend_from_slice(&n.to_le_bytes());
    for s in pcm {
        b.extend_from_slice(&s.to_le_bytes());
    }
    fs::write(path, b)
}

fn run(wav_in: &str, wav_out: &str) -> Result<Vec<String>, String> {
    let abi = unsafe { omni_abi_version() };
    if abi >> 16 != 1 || (abi & 0xFFFF) < 1 {
        return Err(format!("libomni_c has ABI {}.{}; this program needs 1.1 or later", abi >> 16, abi & 0xFFFF));
    }
    let wav = fs::read(wav_in).map_err(|e| format!("{}: {}", wav_in, e))?;
    // A small queue keeps the engine at most 16 events ahead of us, so the interrupt of
    // turn 2 surely lands while the turn is still running.
    let mut e = Engine::new(&[("language", "en"), ("event_queue_size", "16")])?;
    e.prefill_file(&wav)?;
    let id = e.generate()?;
    let t1 = pull_turn(&mut e, false)?;
    e.set_option("reply_tokens", "400")?;
    e.prefill_file(&wav)?;
    e.generate()?;
    let t2 = pull_turn(&mut e, true)?;
    drop(e);
    write_wav(wav_out, &t1.pcm, t1.sample_rate as u32).map_err(|e| format!("{}: {}", wav_out, e))?;

    let rms = (t1.pcm.iter().map(|&s| (s as f64) * (s as f64)).sum::<f64>() / (t1.pcm.len() as f64 + 1.0)).sqrt()
        / 32768.0;
    println!("rust: turn {}: {} events, {} samples ({:.1} s, rms {:.2}), text {:?}; turn 2: {} after {} samples; wrote {}",
             id, t1.kinds.len(), t1.pcm.len(), t1.pcm.len() as f64 / 24000.0, rms, t1.text, t2.done_text,
             t2.pcm.len(), wav_out);
    let mut problems = Vec::new();
    if !t1.text.starts_with("Turn 1. I heard ") || !t1.text.contains("seconds of audio") {
        problems.push(format!("turn 1 text {:?}", t1.text));
    }
    if t1.sample_rate != 24000 || rms < 0.05 {
        problems.push(format!("turn 1 audio: {} Hz, rms {:.3}", t1.sample_rate, rms));
    }
    if !t1.kinds.ends_with(&[EVENT_STATS, EVENT_TURN_DONE]) || t1.done_status != TURN_COMPLETED
        || t1.done_text != "completed" {
        problems.push(format!("turn 1 ends with {:?}, reason {}", &t1.kinds[t1.kinds.len().saturating_sub(2)..],
                              t1.done_text));
    }
    if !t2.text.starts_with("Turn 2.") || t2.done_status != TURN_INTERRUPTED || t2.done_text != "interrupted" {
        problems.push(format!("turn 2: {:?}, reason {}", t2.text, t2.done_text));
    }
    if !t1.seq_ok || !t2.seq_ok {
        problems.push("seq not increasing".to_string());
    }
    Ok(problems)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 3 {
        eprintln!("usage: omni_turn question.wav reply.wav");
        exit(2);
    }
    match run(&args[1], &args[2]) {
        Ok(p) if p.is_empty() => println!("rust consumer OK"),
        Ok(p) => {
            println!("FAIL: {}", p.join("; "));
            exit(1);
        }
        Err(e) => {
            println!("FAIL: {}", e);
            exit(1);
        }
    }
}
