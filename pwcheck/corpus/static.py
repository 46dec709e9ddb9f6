"""`pwcheck corpus export-static DIR`: a store as the range API's files, for nginx or a CDN.

Layout, the API's paths made files (the query of `?mode=ntlm` cannot be a file name, so
the NTLM corpus gets a folder of its own; the nginx server block below maps the query to it):

    DIR/range/<PREFIX>        GET /range/<PREFIX>             SHA-1, 1,048,576 files
    DIR/range/ntlm/<PREFIX>   GET /range/<PREFIX>?mode=ntlm   NTLM, when the store has it
    DIR/pwcheck-static.nginx.conf   the `map` + `server` block to serve them (outside /range/)

Each body is what `serve` answers for that range, rendered by the same code
(`Bucket.lines` and `range_format.render_lines`): sorted uppercase `SUFFIX:COUNT` lines
joined by CRLF. Padding: the real API pads on request (`Add-Padding: true`, which every
pwcheck client sends) with fresh random lines each time; a static file cannot vary, so
each range is padded once, as HIBP pads (at least 800 lines, then 0-200 more, count 0),
from a generator seeded by the range's own content. An unchanged range therefore
re-exports to identical bytes: its file is not rewritten and keeps its ETag, so a nightly
export costs the mirrors downstream only the ranges that changed. Empty ranges are written
too (padding only): a missing file would be a 404, i.e. not checked.

Files are written one bucket at a time (bounded memory), each to a temporary file renamed
over the old one, so nginx never serves half a range. Modes follow pwcheck's rule: 0600
files in 0700 folders, unless `world_readable` (0644/0755), for a web server running as
another user; the data is public, the choice is the operator's and explicit.
"""

from __future__ import annotations

import os
import random
import re
import stat
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from pwcheck.check.range_format import render_lines
from pwcheck.check.store import Store
from pwcheck.check.store_format import NTLM, SHA1, StoreError
from pwcheck.corpus.serve import BAD_PREFIX, CACHE_CONTROL, GZIP_LEVEL, MIN_GZIP
from pwcheck.system.files import private_dir

NGINX_CONF = "pwcheck-static.nginx.conf"
_SUBDIR = {SHA1.name: "range", NTLM.name: "range/ntlm"}


@dataclass
class ExportResult:
    """What one export did, per hash kind, for the summary line."""

    ranges: dict[str, int] = field(default_factory=dict)
    written: dict[str, int] = field(default_factory=dict)
    removed: int = 0
    seconds: float = 0.0

    def summary(self, directory: Path) -> str:
        total = sum(self.ranges.values())
        rate = total / self.seconds if self.seconds else 0.0
        kinds = "; ".join(
            f"{name}: {count:,} ranges ({self.written[name]:,} written, {count - self.written[name]:,} unchanged)"
            for name, count in self.ranges.items()
        )
        removed = f"; {self.removed:,} stale range files removed" if self.removed else ""
        return (f"exported to {directory / 'range'}: {kinds}{removed}; {self.seconds:.1f} s ({rate:,.0f} ranges/s); "
                f"serve it with {directory / NGINX_CONF}")


def static_body(store: Store, prefix: int) -> bytes:
    """One range's file: `serve`'s body, padded once with padding seeded by the range itself.

    StoreError for a bucket that fails its checksum: a wrong file would read as "not found".
    """
    bucket = store.checked_bucket(prefix)
    if bucket is None:
        raise StoreError(f"{store.path}: a bucket fails its checksum (corrupt); run `pwcheck corpus verify`")
    seed = b"pwcheck-static/%s/%05X/%08x/%d" % (store.kind.name.encode(), prefix, store.stored_crc(prefix), bucket.size)
    return render_lines(bucket.lines(), pad=True, rng=random.Random(seed), suffix_len=store.kind.suffix_len)


def export_static(
    store_dir: Path, directory: Path, prefixes: tuple[int, int], world_readable: bool = False,
    advance: Callable[[int], None] | None = None, listen: str = "127.0.0.1:8080", gzip: bool = True,
) -> ExportResult:
    """Every range of every store in `store_dir` (SHA-1 required, NTLM if present) as files in `directory`."""
    config = nginx_config(directory, listen, gzip)  # a bad --listen or path is refused before any file is written
    stores = [Store.open(store_dir, SHA1)]
    try:
        if (store_dir / NTLM.file_name).exists():
            stores.append(Store.open(store_dir, NTLM))
        file_mode, dir_mode = (0o644, 0o755) if world_readable else (0o600, 0o700)
        result = ExportResult()
        started = time.perf_counter()
        _make_top(directory, dir_mode)
        for store in stores:
            folder = directory / _SUBDIR[store.kind.name]
            _make_dir(folder, dir_mode)
            first = max(prefixes[0], store.header.first_prefix)
            last = min(prefixes[1], store.header.last_prefix)
            result.removed += _remove_uncovered(folder, store.header.first_prefix, store.header.last_prefix)
            written = 0
            for prefix in range(first, last + 1):
                written += write_if_changed(folder / f"{prefix:05X}", static_body(store, prefix), file_mode)
                if advance:
                    advance(1)
            result.ranges[store.kind.name] = max(0, last - first + 1)
            result.written[store.kind.name] = written
        if len(stores) == 1 and (directory / _SUBDIR[NTLM.name]).is_dir():  # no NTLM store now: none served stale
            result.removed += _remove_uncovered(directory / _SUBDIR[NTLM.name], 1, 0)
        write_if_changed(directory / NGINX_CONF, config.encode(), file_mode)
        result.seconds = time.perf_counter() - started
        return result
    finally:
        for store in stores:
            store.close()


def exported_ranges(store_dir: Path, prefixes: tuple[int, int]) -> int:
    """How many files an export will write (for the progress bar)."""
    total = 0
    for kind in (SHA1, NTLM):
        if kind is SHA1 or (store_dir / kind.file_name).exists():
            with Store.open(store_dir, kind) as store:
                total += max(0, min(prefixes[1], store.header.last_prefix) - max(prefixes[0], store.header.first_prefix) + 1)
    return total


def _make_top(path: Path, mode: int) -> None:
    """DIR itself: created with `mode`; an existing folder is only ever opened wider, for --world-readable
    (it may be a web root others rely on: pwcheck does not close it)."""
    if not path.exists():
        if mode == 0o700:
            private_dir(path)  # every missing level 0700, not the umask's mode
        else:
            path.mkdir(mode=mode, parents=True)
    info = path.stat()
    if stat.S_IMODE(info.st_mode) | mode != stat.S_IMODE(info.st_mode) and mode == 0o755:
        os.chmod(path, stat.S_IMODE(info.st_mode) | mode)


def _make_dir(path: Path, mode: int) -> None:
    """`range/` and `range/ntlm/`, pwcheck's own: exactly `mode`, also when they exist from an earlier run."""
    path.mkdir(mode=mode, exist_ok=True)
    os.chmod(path, mode)


def _remove_uncovered(folder: Path, first: int, last: int) -> int:
    """Range files of an earlier export the store no longer covers: served, they would be stale answers.

    Only names this module writes (five uppercase hex digits) are touched.
    """
    removed = 0
    with os.scandir(folder) as entries:
        for entry in entries:
            name = entry.name
            if len(name) == 5 and all(ch in "0123456789ABCDEF" for ch in name) and not first <= int(name, 16) <= last:
                os.unlink(entry.path)
                removed += 1
    return removed


def write_if_changed(path: Path, data: bytes, mode: int) -> bool:
    """Write `data` to `path` atomically unless it already holds exactly that; True when written.

    An unchanged file keeps its modification time, hence nginx's ETag (mtime and size). A
    replaced file gets a modification time after the old one's whole second, so two
    versions of equal size never share an ETag.
    """
    old_mtime: int | None = None
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except FileNotFoundError:
        pass
    else:
        with os.fdopen(fd, "rb") as handle:
            info = os.fstat(handle.fileno())
            if stat.S_ISREG(info.st_mode) and info.st_size == len(data) and handle.read(len(data) + 1) == data:
                if stat.S_IMODE(info.st_mode) != mode:
                    os.chmod(path, mode)
                return False
            old_mtime = int(info.st_mtime)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0), mode)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            os.fchmod(handle.fileno(), mode)  # the umask may have narrowed it
            if old_mtime is not None and int(os.fstat(handle.fileno()).st_mtime) <= old_mtime:
                handle.flush()
                os.utime(handle.fileno(), (old_mtime + 1, old_mtime + 1))
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return True


def nginx_config(root: Path, listen: str = "127.0.0.1:8080", gzip: bool = True) -> str:
    """The `map` and `server` block serving an export, for nginx's `http` context (conf.d/).

    Answers as the API: text/plain, the same Cache-Control, an ETag (nginx's, from mtime and
    size), gzip as `serve` compresses (unless `gzip` is False: on a LAN, compressing costs
    both ends more CPU than it saves in transfer; see benchmarks/README.md), 400 with the API's text for a malformed prefix,
    `?mode=ntlm` from range/ntlm/. No access log: a prefix is a fifth of a hash.
    """
    root_text = str(root.resolve())
    if not re.fullmatch(r"[0-9A-Za-z.:\[\]_-]+", listen):
        raise StoreError("the listen address must be HOST:PORT, PORT or [IPv6]:PORT")
    if any(ch in root_text for ch in ';{}"\'\\$\n\r\t ') or "#" in root_text:
        raise StoreError("the export folder's path holds characters an nginx config cannot carry unquoted")
    return f"""\
# Generated by `pwcheck corpus export-static`: the Pwned Passwords range API as static files.
# Include it in nginx's http context (Debian: /etc/nginx/conf.d/); put TLS in front of it
# (or add `listen 443 ssl` and certificates here) for anything beyond one host.
map $arg_mode $pwcheck_range_dir {{
    ""         "";
    ~*^sha1$   "";
    ~*^ntlm$   "ntlm/";
    default    "invalid";
}}

server {{
    listen {listen};
    root {root_text};
    access_log off;
    server_tokens off;
    etag on;
    gzip {"on" if gzip else "off"};
    gzip_types text/plain;
    gzip_min_length {MIN_GZIP};
    gzip_comp_level {GZIP_LEVEL};
    gzip_vary on;

    location ~ "^/range/(?<pwcheck_prefix>[0-9A-F]{{5}})$" {{
        types {{ }}
        default_type text/plain;
        if ($pwcheck_range_dir = "invalid") {{
            return 400 "This server has no corpus for that mode";
        }}
        add_header Cache-Control "{CACHE_CONTROL.decode()}";
        try_files /range/$pwcheck_range_dir$pwcheck_prefix =404;
    }}
    location ~* "^/range/[0-9A-F]{{5}}$" {{
        types {{ }}
        default_type text/plain;
        return 404 "This server keeps prefixes in uppercase, as the API writes them";
    }}
    location /range/ {{
        types {{ }}
        default_type text/plain;
        return 400 "{BAD_PREFIX.decode()}";
    }}
    location / {{
        return 404;
    }}
}}
"""
