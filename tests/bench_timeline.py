"""The per-stage timeline of one turn for bench_real.py: one panel per path, time from the
end of speech. Needs matplotlib (pip install 'omni[bench]')."""
from __future__ import annotations

STAGES = ("speech in", "prefill", "LLM text", "TTS chunk done", "audio chunk in", "playback")
COLORS = {"speech in": "#9e9e9e", "prefill": "#5c6bc0", "LLM text": "#26a69a", "TTS chunk done": "#ffa726",
          "audio chunk in": "#ef5350", "playback": ("#ef9a9a", "#e57373")}


def _bars(turn: dict) -> dict[str, list[tuple[float, float]]]:
    """(start, width) bars per stage, seconds from the end of speech."""
    ev = turn["events"]
    st = turn.get("stats") or {}
    gen = turn.get("generate_at", 0.0)
    bars: dict[str, list[tuple[float, float]]] = {s: [] for s in STAGES}
    bars["speech in"] = [(-turn.get("seconds", 10.0), turn.get("seconds", 10.0))]
    bars["prefill"] = [(a, max(b - a, 0.005)) for a, b in turn.get("blocks", [])]
    if turn.get("flush_s"):  # the server prefilled the rest of the speech at commit
        bars["prefill"].append((gen - turn["flush_s"], turn["flush_s"]))
    drained = gen + st.get("prefill_wait_ms", 0) / 1000
    bars["prefill"].append((gen, max(drained - gen, 0.005)))
    eot = next((e["t"] for e in ev if e["type"] == "end_of_turn"), None)
    if eot is not None:
        bars["LLM text"] = [(drained, eot - drained)]
    bars["TTS chunk done"] = [(e["t"] - 0.006, 0.012) for e in ev if e["type"] == "tts_chunk"]
    play = None
    for e in ev:
        if e["type"] == "audio":
            bars["audio chunk in"].append((e["t"] - 0.006, 0.012))
            play = max(play or e["t"], e["t"])  # a chunk plays when it is there and the one before has ended
            bars["playback"].append((play, e.get("seconds", 0.0)))
            play += e.get("seconds", 0.0)
    return bars


def plot_timeline(turns: dict[str, dict], path: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(len(turns), 1, figsize=(11, 1.0 + 2.1 * len(turns)), sharex=True, squeeze=False)
    all_bars = {name: _bars(turn) for name, turn in turns.items()}
    end = max([(t.get("done") or 0.0) for t in turns.values()] +
              [a + w for b in all_bars.values() for a, w in b["playback"]])
    for ax, (name, turn) in zip(axes[:, 0], turns.items()):
        bars = all_bars[name]
        for y, stage in enumerate(reversed(STAGES)):
            c = COLORS[stage]
            ax.broken_barh(bars[stage], (y - 0.35, 0.7), facecolors=c if isinstance(c, str) else c * len(bars[stage]))
        for k, (key, label) in enumerate((("first_text", "first text"), ("first_audio", "first audio"))):
            if turn.get(key) is not None:
                ax.axvline(turn[key], color="k", lw=0.8, ls="--")
                ax.text(turn[key], len(STAGES) - 0.45 - 0.9 * k, f" {label} {turn[key] * 1000:.0f} ms", fontsize=8,
                        va="bottom")
        ax.axvline(0.0, color="k", lw=1.2)
        ax.set_yticks(range(len(STAGES)), list(reversed(STAGES)))
        ax.set_title(name, loc="left", fontsize=10)
        ax.set_xlim(-1.2, max(end, 1.0) + 0.3)
    axes[-1, 0].set_xlabel("seconds from the end of speech (0 = the user stops talking)")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
