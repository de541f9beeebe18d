"""Write the HAProxy configuration for N omni-server backends from haproxy.cfg.j2.

    python deploy/haproxy/render.py 10.0.0.11:9060 10.0.0.12:9060 --bind :443 \\
        --tls-cert /etc/haproxy/omni.pem --token-env OMNI_TOKEN > /etc/haproxy/haproxy.cfg

The template is Jinja2 (Flask's own template engine, so no new dependency). Check the
result with `haproxy -c -f FILE`. deploy/haproxy/README.md explains the choices."""
from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import jinja2

HERE = Path(__file__).resolve().parent
TEMPLATE = "haproxy.cfg.j2"
DURATION = re.compile(r"\d+(us|ms|s|m|h|d)?")


@dataclass
class Backend:
    name: str
    address: str  # host:port


def render(addresses: list[str], bind: str = "127.0.0.1:9000", queue_timeout: str = "120s",
           check_interval: str = "1s", rise: int = 2, fall: int = 2, session_expire: str = "30m",
           connect_timeout: str = "2s", token_env: str | None = None, tls_cert: str | None = None,
           admin_socket: str | None = None, log: str | None = None, global_maxconn: int = 4096,
           bufsize: int = 262144) -> str:
    if not addresses:
        raise ValueError("give at least one backend address (host:port)")
    for addr in addresses:
        if not re.fullmatch(r"[^\s:]+:\d+|\[[0-9A-Fa-f:.]+\]:\d+", addr):
            raise ValueError(f"backend address {addr!r} is not host:port")
    for name, value in (("queue_timeout", queue_timeout), ("check_interval", check_interval),
                        ("session_expire", session_expire), ("connect_timeout", connect_timeout)):
        if not DURATION.fullmatch(value):
            raise ValueError(f"{name} {value!r} is not an HAProxy duration such as 500ms, 30s or 5m")
    if token_env is not None and not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", token_env):
        raise ValueError(f"token_env {token_env!r} is not an environment variable name")
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE), undefined=jinja2.StrictUndefined,
                             keep_trailing_newline=True, autoescape=False)
    backends = [Backend(f"omni{i}", addr) for i, addr in enumerate(addresses, 1)]
    return env.get_template(TEMPLATE).render(
        backends=backends, bind=bind, queue_timeout=queue_timeout, check_interval=check_interval, rise=rise,
        fall=fall, session_expire=session_expire, connect_timeout=connect_timeout, token_env=token_env,
        tls_cert=tls_cert, admin_socket=admin_socket, log=log, global_maxconn=global_maxconn, bufsize=bufsize)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="HAProxy configuration for N omni-server backends (stdout)")
    p.add_argument("backends", nargs="+", metavar="HOST:PORT", help="omni-server addresses, one per GPU")
    p.add_argument("--bind", default="127.0.0.1:9000", help="where HAProxy listens (default 127.0.0.1:9000)")
    p.add_argument("--tls-cert", default=None, help="PEM (certificate + key): terminate TLS at HAProxy")
    p.add_argument("--token-env", default=None, metavar="VAR",
                   help="environment variable holding the servers' --token, for the health checks")
    p.add_argument("--queue-timeout", default="120s", help="longest wait for a free backend (default 120s)")
    p.add_argument("--check-interval", default="1s", help="health check interval (default 1s)")
    p.add_argument("--rise", type=int, default=2, help="good checks to bring a backend back (default 2)")
    p.add_argument("--fall", type=int, default=2, help="failed checks to take a backend out (default 2)")
    p.add_argument("--session-expire", default="30m", help="how long a REST session stays pinned (default 30m)")
    p.add_argument("--admin-socket", default=None, help="HAProxy runtime API socket path (optional)")
    p.add_argument("--log", default=None, help="HAProxy log target, e.g. stdout or /dev/log (optional)")
    args = p.parse_args(argv)
    try:
        sys.stdout.write(render(args.backends, bind=args.bind, queue_timeout=args.queue_timeout,
                                check_interval=args.check_interval, rise=args.rise, fall=args.fall,
                                session_expire=args.session_expire, token_env=args.token_env,
                                tls_cert=args.tls_cert, admin_socket=args.admin_socket, log=args.log))
    except ValueError as e:
        p.error(str(e))
    return 0


if __name__ == "__main__":
    sys.exit(main())
