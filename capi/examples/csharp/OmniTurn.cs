// OmniTurn.cs — libomni_c from C# through P/Invoke, with the pull API (omni_next_event), so no
// C# code runs on the engine's threads: one sim turn (prefill a WAV, generate, collect text
// and PCM), a second turn interrupted at its first audio, the reply written as a WAV file,
// and what came back checked.
//
//   mcs -out:OmniTurn.exe OmniTurn.cs
//   LD_LIBRARY_PATH=<dir of libomni_c> mono OmniTurn.exe question.wav reply.wav
using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;

// omni_event, field for field; it begins with its own size and only grows at the end.
[StructLayout(LayoutKind.Sequential)]
struct OmniEvent {
    public uint size;
    public int type;
    public ulong turn_id;
    public ulong seq;
    public double t_ms;
    public IntPtr text;       // const char *, valid until the next omni_next_event
    public UIntPtr text_len;  // size_t
    public IntPtr pcm;        // const int16_t *
    public UIntPtr n_samples;
    public int sample_rate;
    public int index;
    public int n_speech_tokens;
    public int status;
}

static class Omni {
    const string Lib = "omni_c";  // libomni_c.so / .dylib / omni_c.dll on the library path
    public const int EventText = 1, EventAudio = 3, EventTurnDone = 6, EventStats = 8;
    public const int TurnCompleted = 0, TurnInterrupted = 1;

    [DllImport(Lib)] public static extern uint omni_abi_version();
    [DllImport(Lib)] static extern IntPtr omni_last_error();
    [DllImport(Lib)] static extern int omni_create(string kind, string[] keys, string[] values, UIntPtr n,
                                                   IntPtr cb, IntPtr userData, out IntPtr engine);
    [DllImport(Lib)] static extern int omni_prefill_audio_file(IntPtr e, byte[] bytes, UIntPtr n);
    [DllImport(Lib)] static extern int omni_generate(IntPtr e, out ulong turnId);
    [DllImport(Lib)] static extern int omni_interrupt(IntPtr e);
    [DllImport(Lib)] static extern int omni_set_option(IntPtr e, string key, string value);
    [DllImport(Lib)] static extern int omni_next_event(IntPtr e, int timeoutMs, ref OmniEvent ev);
    [DllImport(Lib)] static extern int omni_destroy(IntPtr e);

    static void Check(int status, string what) {
        if (status != 0)
            throw new Exception(what + " failed (" + status + "): " + Utf8(omni_last_error(), -1));
    }

    static string Utf8(IntPtr p, long len) {
        if (p == IntPtr.Zero) return "";
        if (len < 0) while (Marshal.ReadByte(p, (int)++len) != 0) { }
        var bytes = new byte[len];
        Marshal.Copy(p, bytes, 0, (int)len);
        return Encoding.UTF8.GetString(bytes);
    }

    // A "sim" engine in pull mode: a NULL callback.
    public static IntPtr Create(string[] keys, string[] values) {
        IntPtr e;
        Check(omni_create("sim", keys, values, (UIntPtr)keys.Length, IntPtr.Zero, IntPtr.Zero, out e), "omni_create");
        return e;
    }
    public static void Prefill(IntPtr e, byte[] wav) {
        Check(omni_prefill_audio_file(e, wav, (UIntPtr)wav.Length), "omni_prefill_audio_file");
    }
    public static ulong Generate(IntPtr e) {
        ulong id;
        Check(omni_generate(e, out id), "omni_generate");
        return id;
    }
    public static void Interrupt(IntPtr e) { Check(omni_interrupt(e), "omni_interrupt"); }
    public static void SetOption(IntPtr e, string k, string v) { Check(omni_set_option(e, k, v), "omni_set_option"); }
    public static void Destroy(IntPtr e) { Check(omni_destroy(e), "omni_destroy"); }

    // The next event; its text and PCM are copied out (the library's buffers end at the next pull).
    public static OmniEvent Next(IntPtr e, int timeoutMs, out string text, out short[] pcm) {
        var ev = new OmniEvent { size = (uint)Marshal.SizeOf(typeof(OmniEvent)) };
        Check(omni_next_event(e, timeoutMs, ref ev), "omni_next_event");
        text = Utf8(ev.text, (long)ev.text_len.ToUInt64());
        pcm = new short[(long)ev.n_samples.ToUInt64()];
        if (pcm.Length > 0) Marshal.Copy(ev.pcm, pcm, 0, pcm.Length);
        return ev;
    }
}

class Turn {
    public List<int> Types = new List<int>();
    public StringBuilder Text = new StringBuilder();
    public List<short> Pcm = new List<short>();
    public int SampleRate, DoneStatus = -1;
    public string DoneText = "";
    public bool SeqOk = true;

    // Pull until TURN_DONE; interrupt at the first AUDIO when asked.
    public static Turn Pull(IntPtr e, bool interruptAtAudio) {
        var t = new Turn();
        ulong lastSeq = 0;
        for (;;) {
            string text;
            short[] pcm;
            OmniEvent ev = Omni.Next(e, 10000, out text, out pcm);
            t.SeqOk &= ev.seq > lastSeq;
            lastSeq = ev.seq;
            t.Types.Add(ev.type);
            if (ev.type == Omni.EventText) t.Text.Append(text);
            if (ev.type == Omni.EventAudio) {
                if (interruptAtAudio && t.Pcm.Count == 0) Omni.Interrupt(e);
                t.Pcm.AddRange(pcm);
                t.SampleRate = ev.sample_rate;
            }
            if (ev.type == Omni.EventTurnDone) {
                t.DoneStatus = ev.status;
                t.DoneText = text;
                return t;
            }
        }
    }
}

static class Program {
    // 16-bit mono WAV; the base class library has no WAV writer and the header is 44 bytes.
    static void WriteWav(string path, List<short> pcm, int rate) {
        using (var w = new BinaryWriter(File.Create(path))) {
            int n = pcm.Count * 2;
            w.Write(Encoding.ASCII.GetBytes("RIFF")); w.Write(36 + n); w.Write(Encoding.ASCII.GetBytes("WAVEfmt "));
            w.Write(16); w.Write((short)1); w.Write((short)1); w.Write(rate); w.Write(rate * 2);
            w.Write((short)2); w.Write((short)16); w.Write(Encoding.ASCII.GetBytes("data")); w.Write(n);
            foreach (short s in pcm) w.Write(s);
        }
    }

    static int Main(string[] args) {
        if (args.Length != 2) {
            Console.Error.WriteLine("usage: mono OmniTurn.exe question.wav reply.wav");
            return 2;
        }
        try {
            uint abi = Omni.omni_abi_version();
            if (abi >> 16 != 1 || (abi & 0xFFFF) < 1)
                throw new Exception("libomni_c has ABI " + (abi >> 16) + "." + (abi & 0xFFFF) + "; this needs 1.1+");
            byte[] wav = File.ReadAllBytes(args[0]);
            // A small queue keeps the engine at most 16 events ahead, so the interrupt of
            // turn 2 surely lands while the turn is still running.
            IntPtr e = Omni.Create(new[] { "language", "event_queue_size" }, new[] { "en", "16" });
            Turn t1, t2;
            try {
                Omni.Prefill(e, wav);
                Omni.Generate(e);
                t1 = Turn.Pull(e, false);
                Omni.SetOption(e, "reply_tokens", "400");
                Omni.Prefill(e, wav);
                Omni.Generate(e);
                t2 = Turn.Pull(e, true);
            } finally {
                Omni.Destroy(e);
            }
            WriteWav(args[1], t1.Pcm, t1.SampleRate);

            double sumSq = 0;
            foreach (short s in t1.Pcm) sumSq += (double)s * s;
            double rms = Math.Sqrt(sumSq / (t1.Pcm.Count + 1)) / 32768;
            string text = t1.Text.ToString();
            Console.WriteLine("csharp: turn 1: {0} events, {1} samples ({2:F1} s, rms {3:F2}), text \"{4}\"; " +
                              "turn 2: {5} after {6} samples; wrote {7}", t1.Types.Count, t1.Pcm.Count,
                              t1.Pcm.Count / 24000.0, rms, text, t2.DoneText, t2.Pcm.Count, args[1]);
            var problems = new List<string>();
            if (!text.StartsWith("Turn 1. I heard ") || !text.Contains("seconds of audio"))
                problems.Add("turn 1 text: " + text);
            if (t1.SampleRate != 24000 || rms < 0.05) problems.Add("turn 1 audio: " + t1.SampleRate + " Hz, rms " + rms);
            int n = t1.Types.Count;
            if (n < 2 || t1.Types[n - 2] != Omni.EventStats || t1.Types[n - 1] != Omni.EventTurnDone ||
                t1.DoneStatus != Omni.TurnCompleted || t1.DoneText != "completed")
                problems.Add("turn 1 ended " + t1.DoneText);
            if (!t2.Text.ToString().StartsWith("Turn 2.") || t2.DoneStatus != Omni.TurnInterrupted ||
                t2.DoneText != "interrupted")
                problems.Add("turn 2: " + t2.Text + ", " + t2.DoneText);
            if (!t1.SeqOk || !t2.SeqOk) problems.Add("seq not increasing");
            if (problems.Count > 0) {
                Console.WriteLine("FAIL: " + string.Join("; ", problems));
                return 1;
            }
            Console.WriteLine("csharp consumer OK");
            return 0;
        } catch (Exception ex) {
            Console.WriteLine("FAIL: " + ex.Message);
            return 1;
        }
    }
}
