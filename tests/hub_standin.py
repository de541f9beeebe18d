"""A stand-in for the Hugging Face Hub's HTTP API on loopback, serving a few tiny files, so that
models/download.py runs its real code (huggingface_hub pointed here with HF_ENDPOINT).

It answers what huggingface_hub asks: the model info API (`/api/models/REPO/revision/REV`, with
file sizes and LFS SHA-256 when `blobs=true`), the tree API (`/api/models/REPO/tree/REV`), and
`/REPO/resolve/REV/PATH`, which for LFS files redirects to a "CDN" (a second port) as the Hub does
(X-Linked-Etag, X-Linked-Size, X-Repo-Commit), where files are served with HTTP ranges.
Faults a test can ask for, per file path: `cut` (send half, then drop the connection; once),
`refuse` (HTTP 503, once, after the cut if both), `corrupt` (serve different bytes of the listed size), `gone` (listed
but 404). Every request is recorded as (method, path, Range header).
"""
from __future__ import annotations

import hashlib
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote, urlsplit


class HubStandin:
    def __init__(self, repo_id: str, files: dict[str, bytes], commit: str = "c0ffee" * 6 + "c0ff"):
        self.repo_id, self.files, self.commit = repo_id, dict(files), commit
        self.cut: set[str] = set()
        self.refuse: set[str] = set()
        self.corrupt: set[str] = set()
        self.gone: set[str] = set()
        self.requests: list[tuple[str, str, str | None]] = []
        self._lock = threading.Lock()
        # Two listeners: the hub itself and its "CDN", a different origin as on the real Hub.
        self._servers = [ThreadingHTTPServer(("127.0.0.1", 0), self._handler()) for _ in range(2)]
        self.url, self.cdn_url = (f"http://127.0.0.1:{s.server_address[1]}" for s in self._servers)

    def __enter__(self):
        for s in self._servers:
            s.daemon_threads = True
            threading.Thread(target=s.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        for s in self._servers:
            s.shutdown()
            s.server_close()

    # ------------------------------------------------------------ what the hub knows
    @staticmethod
    def is_lfs(path: str) -> bool:
        return path.endswith(".gguf")

    def sha256(self, path: str) -> str:
        return hashlib.sha256(self.files[path]).hexdigest()

    def git_oid(self, path: str) -> str:
        data = self.files[path]
        return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()

    def served_bytes(self, path: str) -> bytes:
        data = self.files[path]
        return bytes(b ^ 0xFF for b in data[:64]) + data[64:] if path in self.corrupt else data

    def model_info(self) -> dict:
        siblings = []
        for path, data in self.files.items():
            s = {"rfilename": path, "size": len(data), "blobId": self.git_oid(path)}
            if self.is_lfs(path):
                s["lfs"] = {"sha256": self.sha256(path), "size": len(data), "pointerSize": 134}
            siblings.append(s)
        return {"_id": "0" * 24, "id": self.repo_id, "modelId": self.repo_id, "sha": self.commit,
                "private": False, "gated": False, "disabled": False, "downloads": 0, "likes": 0,
                "tags": ["gguf"], "siblings": siblings, "lastModified": "2025-01-01T00:00:00.000Z",
                "createdAt": "2025-01-01T00:00:00.000Z"}

    def tree(self) -> list[dict]:
        out, dirs = [], set()
        for path, data in self.files.items():
            parts = path.split("/")[:-1]
            dirs.update("/".join(parts[:i + 1]) for i in range(len(parts)))
            entry = {"type": "file", "path": path, "size": len(data), "oid": self.git_oid(path)}
            if self.is_lfs(path):
                entry["lfs"] = {"oid": self.sha256(path), "size": len(data), "pointerSize": 134}
            out.append(entry)
        out += [{"type": "directory", "path": d, "size": 0, "oid": "0" * 40} for d in sorted(dirs)]
        return out

    def _take(self, faults: set[str], path: str) -> bool:
        with self._lock:
            if path in faults:
                faults.discard(path)
                return True
            return False

    # ------------------------------------------------------------ HTTP
    def _handler(self):
        hub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # quiet
                pass

            def do_HEAD(self):
                self._route(body=False)

            def do_GET(self):
                self._route(body=True)

            def _send(self, status, headers=(), data=b"", body=True):
                self.send_response(status)
                for k, v in headers:
                    self.send_header(k, v)
                if not any(k.lower() == "content-length" for k, _ in headers):
                    self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if body:
                    self.wfile.write(data)

            def _json(self, obj, body):
                self._send(200, [("Content-Type", "application/json")], json.dumps(obj).encode(), body)

            def _error(self, status, code, body):
                self._send(status, [("X-Error-Code", code), ("X-Error-Message", code),
                                    ("Content-Type", "application/json")],
                           json.dumps({"error": code}).encode(), body)

            def _route(self, body):
                url = urlsplit(self.path)
                path = unquote(url.path)
                hub.requests.append((self.command, path, self.headers.get("Range")))
                api = f"/api/models/{hub.repo_id}"
                resolve = f"/{hub.repo_id}/resolve/"
                if path in (api, f"{api}/revision/main", f"{api}/revision/{hub.commit}"):
                    return self._json(hub.model_info(), body)
                if path.startswith(f"{api}/tree/"):
                    return self._json(hub.tree(), body)
                if path.startswith(api):
                    return self._error(404, "RevisionNotFound", body)
                if path.startswith(resolve):
                    rev, _, name = path[len(resolve):].partition("/")
                    return self._resolve(rev, name, body)
                if path.startswith("/cdn/"):
                    return self._file(path[len("/cdn/"):], body)
                return self._error(404, "RepoNotFound", body)

            def _resolve(self, rev, name, body):
                if rev not in ("main", hub.commit):
                    return self._error(404, "RevisionNotFound", body)
                if name not in hub.files or name in hub.gone:
                    return self._error(404, "EntryNotFound", body)
                data = hub.served_bytes(name)
                common = [("X-Repo-Commit", hub.commit), ("ETag", f'"{hub.git_oid(name)}"')]
                if hub.is_lfs(name):  # the Hub redirects LFS files to its CDN
                    return self._send(302, common + [("X-Linked-Etag", f'"{hub.sha256(name)}"'),
                                                     ("X-Linked-Size", str(len(data))),
                                                     ("Location", f"{hub.cdn_url}/cdn/{name}")], b"", body)
                return self._send(200, common, data, body)

            def _file(self, name, body):
                if name not in hub.files or name in hub.gone:
                    return self._error(404, "EntryNotFound", body)
                if body and name not in hub.cut and hub._take(hub.refuse, name):  # after any cut
                    return self._error(503, "Unavailable", body)
                data = hub.served_bytes(name)
                start = 0
                rng = self.headers.get("Range")
                if rng and rng.startswith("bytes=") and rng.endswith("-"):
                    start = int(rng[len("bytes="):-1])
                headers = [("Accept-Ranges", "bytes"), ("ETag", f'"{hub.sha256(name)}"'),
                           ("Content-Type", "application/octet-stream"),
                           ("Content-Length", str(len(data) - start))]
                if start:
                    headers.append(("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}"))
                if body and hub._take(hub.cut, name):
                    # Promise the whole file, send half, drop the connection.
                    self.send_response(206 if start else 200)
                    for k, v in headers:
                        self.send_header(k, v)
                    self.end_headers()
                    self.wfile.write(data[start:start + (len(data) - start) // 2])
                    self.wfile.flush()
                    self.close_connection = True
                    self.connection.shutdown(2)
                    return
                self._send(206 if start else 200, headers, data[start:], body)

        return Handler
