// OmniTurn.java — libomni_c from Java through JNA, with the pull API (omni_next_event), so no
// Java code runs on the engine's threads: one sim turn (prefill a WAV, generate, collect text
// and PCM), a second turn interrupted at its first audio, the reply written as a WAV file,
// and what came back checked.
//
//   javac -cp /usr/share/java/jna.jar OmniTurn.java
//   java -cp /usr/share/java/jna.jar:. OmniTurn /path/to/libomni_c.so question.wav reply.wav
import com.sun.jna.IntegerType;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;

public class OmniTurn {
    static final int EVENT_TEXT = 1, EVENT_AUDIO = 3, EVENT_TURN_DONE = 6, EVENT_STATS = 8;
    static final int TURN_COMPLETED = 0, TURN_INTERRUPTED = 1;

    /** size_t: JNA has no built-in mapping for it. */
    public static class SizeT extends IntegerType {
        public SizeT() { this(0); }
        public SizeT(long value) { super(Native.SIZE_T_SIZE, value, true); }
    }

    /** omni_event, field for field; it begins with its own size and only grows at the end. */
    @Structure.FieldOrder({"size", "type", "turn_id", "seq", "t_ms", "text", "text_len", "pcm", "n_samples",
                           "sample_rate", "index", "n_speech_tokens", "status"})
    public static class OmniEvent extends Structure {
        public int size, type;
        public long turn_id, seq;
        public double t_ms;
        public Pointer text;   // valid until the next omni_next_event
        public SizeT text_len;
        public Pointer pcm;
        public SizeT n_samples;
        public int sample_rate, index, n_speech_tokens, status;
    }

    /** The C functions this program uses (capi/include/omni_c.h). */
    public interface OmniC extends Library {
        int omni_abi_version();
        String omni_last_error();
        int omni_create(String kind, String[] keys, String[] values, SizeT n, Pointer cb, Pointer userData,
                        PointerByReference engine);
        int omni_prefill_audio_file(Pointer e, byte[] bytes, SizeT n);
        int omni_generate(Pointer e, LongByReference turnId);
        int omni_interrupt(Pointer e);
        int omni_set_option(Pointer e, String key, String value);
        int omni_next_event(Pointer e, int timeoutMs, OmniEvent out);
        int omni_destroy(Pointer e);
    }

    static OmniC lib;

    static void check(int status, String what) {
        if (status != 0) throw new RuntimeException(what + " failed (" + status + "): " + lib.omni_last_error());
    }

    /** One pulled event with its text and PCM copied out. */
    static final class Event {
        int type, status, sampleRate;
        long seq;
        String text = "";
        short[] pcm = new short[0];
    }

    static Event next(Pointer e, int timeoutMs) {
        OmniEvent raw = new OmniEvent();
        raw.size = raw.size();
        check(lib.omni_next_event(e, timeoutMs, raw), "omni_next_event");
        Event ev = new Event();
        ev.type = raw.type;
        ev.status = raw.status;
        ev.seq = raw.seq;
        ev.sampleRate = raw.sample_rate;
        if (raw.text != null)
            ev.text = new String(raw.text.getByteArray(0, (int) raw.text_len.longValue()), StandardCharsets.UTF_8);
        if (raw.pcm != null) ev.pcm = raw.pcm.getShortArray(0, (int) raw.n_samples.longValue());
        return ev;
    }

    static final class Turn {
        List<Integer> types = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        ByteArrayOutputStream pcm = new ByteArrayOutputStream();  // 16-bit little-endian
        int sampleRate, doneStatus = -1;
        String doneText = "";
        boolean seqOk = true;
    }

    /** Pull until TURN_DONE; interrupt at the first AUDIO when asked. */
    static Turn pull(Pointer e, boolean interruptAtAudio) {
        Turn t = new Turn();
        long lastSeq = 0;
        for (;;) {
            Event ev = next(e, 10000);
            t.seqOk &= ev.seq > lastSeq;
            lastSeq = ev.seq;
            t.types.add(ev.type);
            if (ev.type == EVENT_TEXT) t.text.append(ev.text);
            if (ev.type == EVENT_AUDIO) {
                if (interruptAtAudio && t.pcm.size() == 0) check(lib.omni_interrupt(e), "omni_interrupt");
                ByteBuffer b = ByteBuffer.allocate(ev.pcm.length * 2).order(ByteOrder.LITTLE_ENDIAN);
                b.asShortBuffer().put(ev.pcm);
                t.pcm.writeBytes(b.array());
                t.sampleRate = ev.sampleRate;
            }
            if (ev.type == EVENT_TURN_DONE) {
                t.doneStatus = ev.status;
                t.doneText = ev.text;
                return t;
            }
        }
    }

    public static void main(String[] args) {
        if (args.length != 3) {
            System.err.println("usage: java OmniTurn <libomni_c path> question.wav reply.wav");
            System.exit(2);
        }
        try {
            System.exit(run(args));
        } catch (Exception e) {
            System.out.println("FAIL: " + e.getMessage());
            System.exit(1);
        }
    }

    static int run(String[] args) throws Exception {
        lib = Native.load(args[0], OmniC.class);
        int abi = lib.omni_abi_version();
        if (abi >>> 16 != 1 || (abi & 0xFFFF) < 1)
            throw new RuntimeException("libomni_c has ABI " + (abi >>> 16) + "." + (abi & 0xFFFF) + "; this needs 1.1+");
        byte[] wav = Files.readAllBytes(Paths.get(args[1]));

        // Pull mode: a NULL callback. A small queue keeps the engine at most 16 events ahead,
        // so the interrupt of turn 2 surely lands while the turn is still running.
        PointerByReference out = new PointerByReference();
        check(lib.omni_create("sim", new String[] {"language", "event_queue_size"}, new String[] {"en", "16"},
                              new SizeT(2), null, null, out), "omni_create");
        Pointer e = out.getValue();
        Turn t1, t2;
        try {
            check(lib.omni_prefill_audio_file(e, wav, new SizeT(wav.length)), "omni_prefill_audio_file");
            check(lib.omni_generate(e, new LongByReference()), "omni_generate");
            t1 = pull(e, false);
            check(lib.omni_set_option(e, "reply_tokens", "400"), "omni_set_option");
            check(lib.omni_prefill_audio_file(e, wav, new SizeT(wav.length)), "omni_prefill_audio_file");
            check(lib.omni_generate(e, new LongByReference()), "omni_generate");
            t2 = pull(e, true);
        } finally {
            check(lib.omni_destroy(e), "omni_destroy");
        }

        // javax.sound writes the WAV file.
        byte[] pcm = t1.pcm.toByteArray();
        AudioFormat fmt = new AudioFormat(t1.sampleRate, 16, 1, true, false);
        AudioSystem.write(new AudioInputStream(new ByteArrayInputStream(pcm), fmt, pcm.length / 2),
                          AudioFileFormat.Type.WAVE, new File(args[2]));

        ByteBuffer samples = ByteBuffer.wrap(pcm).order(ByteOrder.LITTLE_ENDIAN);
        double sumSq = 0;
        while (samples.remaining() >= 2) {
            double s = samples.getShort();
            sumSq += s * s;
        }
        double rms = Math.sqrt(sumSq / (pcm.length / 2 + 1)) / 32768;
        String text = t1.text.toString();
        System.out.printf("java: turn 1: %d events, %d samples (%.1f s, rms %.2f), text \"%s\"; turn 2: %s after %d "
                          + "samples; wrote %s%n", t1.types.size(), pcm.length / 2, pcm.length / 48000.0, rms, text,
                          t2.doneText, t2.pcm.size() / 2, args[2]);
        List<String> problems = new ArrayList<>();
        if (!text.startsWith("Turn 1. I heard ") || !text.contains("seconds of audio")) problems.add("turn 1 text: " + text);
        if (t1.sampleRate != 24000 || rms < 0.05) problems.add("turn 1 audio: " + t1.sampleRate + " Hz, rms " + rms);
        int n = t1.types.size();
        if (n < 2 || t1.types.get(n - 2) != EVENT_STATS || t1.types.get(n - 1) != EVENT_TURN_DONE
                || t1.doneStatus != TURN_COMPLETED || !t1.doneText.equals("completed"))
            problems.add("turn 1 ended " + t1.doneText);
        if (!t2.text.toString().startsWith("Turn 2.") || t2.doneStatus != TURN_INTERRUPTED
                || !t2.doneText.equals("interrupted"))
            problems.add("turn 2: " + t2.text + ", " + t2.doneText);
        if (!t1.seqOk || !t2.seqOk) problems.add("seq not increasing");
        if (!problems.isEmpty()) {
            System.out.println("FAIL: " + String.join("; ", problems));
            return 1;
        }
        System.out.println("java consumer OK");
        return 0;
    }
}
