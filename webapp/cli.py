"""Command lines: `omni-server` (the web server) and `omni-chat` (one question file → reply
text on stdout and reply audio in a WAV), both with the same engine options."""
from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from pathlib import Path

from .engine_options import EngineSettings, allowed_values, check_engine_options, choose_kind, find_model_dir


def _engine_args() -> argparse.ArgumentParser:
    import omni_py

    try:  # the engine kinds and option values are the library's own
        kinds = omni_py.engines()
    except omni_py.OmniError as e:
        raise SystemExit(f"omni: {e.message}") from None
    p = argparse.ArgumentParser(add_help=False)
    g = p.add_argument_group("engine")
    mode = g.add_mutually_exclusive_group()
    mode.add_argument("--simplex", dest="mode", action="store_const", const="simplex",
                      help="simplex: the reply follows the user's turn (default)")
    mode.add_argument("--duplex", dest="mode", action="store_const", const="duplex",
                      help="duplex: the model listens and speaks on a stream (experimental)")
    g.add_argument("--engine", choices=kinds, default=None,
                   help="engine kind (default: the real engine when compiled in and models are found, else sim)")
    g.add_argument("--model-dir", default=None, help="MiniCPM-o GGUF directory (default: auto-detect)")
    g.add_argument("--ctx-size", type=int, default=4096, help="LLM context length (default 4096)")
    g.add_argument("--n-gpu-layers", type=int, default=99, help="layers offloaded to the GPU (default 99)")
    g.add_argument("--vision-coreml", default=None, help="CoreML vision model path (macOS, optional)")
    g.add_argument("--media-type", choices=allowed_values("media_type"), default="audio",
                   help="audio (voice only) or omni (voice and images); default audio")
    g.add_argument("--language", choices=allowed_values("language"), default="en", help="reply language (default en)")
    g.add_argument("--voice", default=None, help="reference voice WAV (default: the model's voice)")
    g.add_argument("--engine-option", action="append", default=[], metavar="KEY=VALUE",
                   help="any other engine option (see omni_py.options_schema), e.g. timing=m4; repeatable")
    p.set_defaults(mode="simplex")
    return p


def settings_from_args(args) -> tuple[EngineSettings, str]:
    model_dir = find_model_dir(args.model_dir)
    kind, why = choose_kind(args.engine, model_dir)
    extra = {}
    for item in args.engine_option:
        key, sep, value = item.partition("=")
        if not sep:
            raise SystemExit(f"--engine-option needs KEY=VALUE, got {item!r}")
        extra[key] = value
    check_engine_options(kind, extra)
    # The seed's flags apply where the kind has such an option (engine_options() drops the rest).
    flags = {"mode": args.mode, "media_type": args.media_type, "language": args.language, "ref_audio": args.voice,
             "model_dir": str(model_dir) if model_dir else None, "n_ctx": args.ctx_size,
             "n_gpu_layers": args.n_gpu_layers, "vision_coreml": args.vision_coreml}
    return EngineSettings(kind, {**flags, **extra}), why


def server_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="omni-server", parents=[_engine_args()],
                                description="Talk to MiniCPM-o locally: a web page, REST+SSE, chunked HTTP and a "
                                            "WebSocket, all on one engine.")
    p.add_argument("--host", default="127.0.0.1", help="bind address (default 127.0.0.1, this machine only)")
    p.add_argument("--port", type=int, default=9060, help="port (default 9060)")
    p.add_argument("--allow-remote", action="store_true", help="allow a non-loopback --host (other machines)")
    p.add_argument("--token", default=None, help="require 'Authorization: Bearer TOKEN' (or ?token=) on API calls")
    p.add_argument("--allow-origin", action="append", default=[], help="another web origin allowed to call the API")
    p.add_argument("--max-body-mb", type=float, default=32, help="largest request body (default 32 MB)")
    p.add_argument("--max-audio-seconds", type=float, default=300, help="longest audio per request (default 300)")
    p.add_argument("--lazy", action="store_true", help="load the engine at the first request, not at start-up")
    p.add_argument("--static", metavar="DIR", default=None,
                   help="serve another browser front end from DIR (its index.html at /, its files under /static/) "
                        "instead of omni's page, e.g. the seed demo's tools/omni/app/static")
    p.add_argument("-v", "--verbose", action="store_true", help="log every request")
    g = p.add_argument_group("behind a load balancer (docs/deploy.md)")
    g.add_argument("--backend-id", default=None, help="this server's name in the X-Omni-Backend header and /health "
                                                       "(default HOSTNAME:PORT)")
    g.add_argument("--one-shot-chat", action="store_true",
                   help="each POST /v1/chat is a new conversation (set it when several users share the server)")
    g.add_argument("--session-idle", type=float, default=30, metavar="S",
                   help="an X-Omni-Session REST conversation is held this long between requests (default 30 s)")
    g.add_argument("--drain-timeout", type=float, default=120, metavar="S",
                   help="on SIGTERM: refuse new conversations, let the running one finish for at most S seconds, "
                        "then stop (default 120)")
    return p


def server_main(argv: list[str] | None = None) -> int:
    from .app import create_app
    from .config import ServerConfig
    from .security import is_loopback
    from .serving import LocalServer

    p = server_parser()
    args = p.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING, format="%(message)s")

    if not is_loopback(args.host) and not args.allow_remote:
        p.error(f"--host {args.host} would expose the server to other machines; add --allow-remote "
                "(and preferably --token) if that is what you want")
    if args.static and not (Path(args.static) / "index.html").is_file():
        p.error(f"--static {args.static}: no index.html there (give the folder that holds the page)")
    settings, why = settings_from_args(args)
    config = ServerConfig(engine=settings, engine_reason=why, host=args.host, port=args.port,
                          allow_remote=args.allow_remote, token=args.token, allowed_origins=tuple(args.allow_origin),
                          max_body_bytes=int(args.max_body_mb * 1024 * 1024), max_audio_seconds=args.max_audio_seconds,
                          preload=not args.lazy, backend_id=args.backend_id, one_shot_chat=args.one_shot_chat,
                          session_idle_s=args.session_idle, drain_timeout_s=args.drain_timeout,
                          static_dir=args.static)
    say = lambda msg: print(f"omni-server: {msg}", flush=True)  # noqa: E731
    say(f"engine {settings.kind} ({why})")
    if args.static:
        say(f"browser page from {Path(args.static).resolve()}")
    say(f"mode {settings.mode}, media {settings.media_type}, language {settings.language}"
        + (f", model dir {settings.options['model_dir']}" if settings.options.get("model_dir") else ""))
    try:
        app = create_app(config)
        server = LocalServer(app, args.host, args.port)
    except OSError as e:
        say(f"cannot listen on {args.host}:{args.port}: {e}")
        return 1

    def drained():
        say("drained; stopping")
        server.httpd.shutdown()  # serve_forever returns below

    def on_sigterm(*_):
        life = app.extensions["omni.lifecycle"]
        if life.draining_since is None:
            say("SIGTERM: draining (new conversations refused, the running one finishes)")
        life.drain(drained)

    signal.signal(signal.SIGTERM, on_sigterm)
    reach = "this machine only" if is_loopback(args.host) else "other machines too" + (
        "" if args.token else " — WITHOUT a token (anyone on the network can use it)")
    ready = f"ready at {server.url}/  (local single-user server, {reach}; Ctrl+C to stop)"
    failed: list[str] = []

    def load() -> None:  # while the server already answers: /health and the page show the progress
        try:
            app.extensions["omni.conversation"].ensure_engine()
        except Exception as e:  # an engine that cannot load: say why and stop
            failed.append(str(getattr(e, "message", e)))
            say(f"cannot start: {failed[-1]}")
            server.httpd.shutdown()
            return
        say(ready)

    if config.preload:
        say(f"listening at {server.url}/; loading the engine (GET /health shows the progress)...")
        threading.Thread(target=load, name="omni-load", daemon=True).start()
    else:
        say("the engine loads at the first request")
        say(ready)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
    return 1 if failed else 0


def chat_main(argv: list[str] | None = None) -> int:
    import numpy as np
    import soundfile as sf

    import omni_py

    from . import media
    from .errors import ApiError

    p = argparse.ArgumentParser(prog="omni-chat", parents=[_engine_args()],
                                description="Ask MiniCPM-o one question from a file: prints the reply text as it "
                                            "streams and writes the reply audio.")
    p.add_argument("question", help="the question as an audio file (WAV, FLAC, OGG or MP3)")
    p.add_argument("--image", default=None, help="an image to ask about (needs --media-type omni; implied)")
    p.add_argument("-o", "--output", default="reply.wav", help="reply audio WAV (default reply.wav)")
    p.add_argument("--max-audio-seconds", type=float, default=300)
    args = p.parse_args(argv)
    if args.image and args.media_type != "omni":
        args.media_type = "omni"
    settings, why = settings_from_args(args)
    settings.options["mode"] = "simplex"  # one question, one answer
    err = lambda msg: print(f"omni-chat: {msg}", file=sys.stderr, flush=True)  # noqa: E731
    try:
        audio = media.parse_audio(Path(args.question).read_bytes(), args.max_audio_seconds)
        image = Path(args.image).read_bytes() if args.image else None
    except OSError as e:
        err(f"cannot read {e.filename}: {e.strerror}")
        return 2
    except ApiError as e:
        err(f"{args.question}: {e.message}")
        return 2
    err(f"engine {settings.kind} ({why})")
    pcm: list = []
    rate, stats = 24000, {}
    try:
        with omni_py.Engine(settings.kind, **settings.engine_options()) as engine:
            engine.prefill(**audio.prefill_args(), image=image)
            turn = engine.generate()
            try:
                for ev in turn:
                    if ev.type == "text":
                        print(ev.text, end="", flush=True)
                    elif ev.type == "audio" and ev.pcm is not None:
                        pcm.append(ev.pcm)
                        rate = ev.sample_rate or rate
                    elif ev.type == "error":
                        err(f"the turn failed: {ev.text}")
                    elif ev.type == "stats":
                        stats = ev.stats or {}
            except KeyboardInterrupt:
                engine.interrupt()
                turn.wait(5)
                err("interrupted")
    except omni_py.OmniError as e:
        err(e.message or str(e))
        return 1
    print(flush=True)
    audio_out = np.concatenate(pcm) if pcm else np.zeros(0, np.int16)
    sf.write(args.output, audio_out, rate, subtype="PCM_16")
    first = stats.get("first_audio_ms")
    err(f"wrote {args.output} ({len(audio_out) / rate:.1f} s of audio"
        + (f", first audio after {first:.0f} ms" if isinstance(first, (int, float)) else "") + ")")
    return 0 if turn.done is not None and turn.done.reason == "completed" else 1


if __name__ == "__main__":
    sys.exit(server_main())
