"""Rewrite a zip package, copying untouched entries as raw compressed bytes.

A 40 MB sheet part is never decompressed or recompressed: its local header and data are
copied as they are.  Parts that change are given as bytes and deflated here.
"""
from __future__ import annotations

import struct
import zipfile
import zlib
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from typing import BinaryIO, Iterator

_LOCAL = struct.Struct("<IHHHHHIIIHH")
_CENTRAL = struct.Struct("<IHHHHHHIIIHHHHHII")
_END = struct.Struct("<IHHHHIIH")
_LIMIT = 0xFFFFFFFF
_DOS_TIME, _DOS_DATE = 0, (0 << 9) | (1 << 5) | 1  # 1980-01-01 00:00, like XlsxWriter


class Package:
    """Read access to a zip package, including each entry's raw compressed bytes."""

    def __init__(self, path_or_file):
        self.path = path_or_file
        self._f = path_or_file if hasattr(path_or_file, "read") else open(path_or_file, "rb")
        try:
            self.zip = zipfile.ZipFile(self._f)
        except Exception:
            self._f.close()
            raise
        self.infos = {i.filename: i for i in self.zip.infolist()}

    def close(self):
        self.zip.close()
        self._f.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def names(self) -> list[str]:
        return list(self.infos)

    def has(self, name: str) -> bool:
        return name in self.infos

    def read(self, name: str) -> bytes:
        return self.zip.read(name)

    def text(self, name: str) -> str:
        return self.read(name).decode("utf-8")

    def _data_start(self, info: zipfile.ZipInfo) -> int:
        """Where an entry's compressed bytes begin: after its local header, as zipfile
        and calamine's zip reader both find it."""
        self._f.seek(info.header_offset)
        header = self._f.read(30)
        if len(header) < 30 or header[:4] != b"PK\x03\x04":
            raise zipfile.BadZipFile(f"bad local header: {info.filename}")
        n, m = struct.unpack("<HH", header[26:30])
        return info.header_offset + 30 + n + m

    def raw(self, name: str) -> bytes:
        info = self.infos[name]
        self._f.seek(self._data_start(info))
        return self._f.read(info.compress_size)

    def raw_pieces(self, name: str, size: int = 1 << 20) -> Iterator[bytes]:
        """An entry's compressed bytes, ``size`` at a time (other reads may come between)."""
        info = self.infos[name]
        at, left = self._data_start(info), info.compress_size
        while left > 0:
            self._f.seek(at)
            piece = self._f.read(min(size, left))
            if not piece:
                raise EOFError(f"{name} ends early")
            at, left = at + len(piece), left - len(piece)
            yield piece

    def inflated(self, name: str, block: int) -> Iterator[bytes]:
        """A deflated entry's content, ``block`` bytes or fewer at a time, never more than
        its declared size, its size and CRC-32 checked at the end (BadZipFile otherwise):
        what zipfile's reader does, with ISA-L's inflate where installed (about twice as
        fast).  Other entries go through zipfile."""
        info = self.infos[name]
        z = deflater()
        broken = (zlib.error, z.error)
        if z is zlib or info.compress_type != zipfile.ZIP_DEFLATED or info.flag_bits & 0x1:
            with self.zip.open(name) as f:
                while chunk := _inflating(broken, f.read, block):
                    yield chunk
            return
        d, left, crc = z.decompressobj(-15), info.file_size, 0
        for piece in self.raw_pieces(name):
            out = _inflating(broken, d.decompress, piece, block)
            while True:
                if len(out) > left:
                    raise zipfile.BadZipFile(f"{name} is longer than it claims")
                if out:
                    left, crc = left - len(out), z.crc32(out, crc)
                    yield out
                if not d.unconsumed_tail:
                    break
                out = _inflating(broken, d.decompress, d.unconsumed_tail, block)
            if d.eof:
                break
        if not d.eof or left or crc != info.CRC:
            raise zipfile.BadZipFile(f"Bad CRC-32 or size for {name}")


def _inflating(broken: tuple, step, *args) -> bytes:
    """``step(*args)``, a broken deflate stream (the ``broken`` errors: zlib's, ISA-L's)
    told as a damaged package."""
    try:
        return step(*args)
    except broken as e:
        raise zipfile.BadZipFile(f"broken deflate data ({e})") from None


def _name_bytes(e) -> bytes:
    """A part name as stored: UTF-8 when the entry says so (flag bit 11), else the bytes
    zipfile decoded as cp437 — so a name written in another code page keeps its bytes."""
    return e.name.encode("utf-8") if e.flags & 0x800 else e.name.encode("cp437")


FAST = 1      # deflate level for parts the tool writes: most of the gain at a fraction of the time


def deflater():
    """The deflate implementation for parts the tool writes: ISA-L's (``isal``, in the
    default install) where installed — the same raw deflate and CRC-32, about five times
    faster at this level and a little smaller — else zlib."""
    try:
        from isal import isal_zlib
        return isal_zlib
    except ImportError:
        return zlib


class Stream:
    """A part written in chunks (``chunks()`` may be called again for a retry)."""

    def __init__(self, chunks):
        self.chunks = chunks


class _Entry:
    __slots__ = ("name", "flags", "method", "time", "date", "crc", "csize", "usize", "offset")


def write_package(out: BinaryIO, src: Package, replace: dict[str, bytes], delete: set[str],
                  add: dict[str, bytes]) -> None:
    """Write ``src`` with entries replaced, deleted and added (added ones go last)."""
    entries: list[_Entry] = []
    pos = 0
    z = deflater()

    def emit(e: _Entry, data: bytes):
        nonlocal pos
        name = _name_bytes(e)
        e.offset = pos
        if max(e.csize, e.usize, pos) >= _LIMIT:
            raise OverflowError("zip64")
        out.write(_LOCAL.pack(0x04034B50, 20, e.flags, e.method, e.time, e.date, e.crc,
                              e.csize, e.usize, len(name), 0))
        out.write(name)
        out.write(data)
        pos += 30 + len(name) + len(data)
        entries.append(e)

    def new(name: str, data: bytes | Stream):
        """A part the tool writes: deflated chunk by chunk into the output (bytes are one
        chunk), the local header filled in once the sizes are known."""
        nonlocal pos
        e = _Entry()
        e.name = name
        e.flags = 0x800 if not name.isascii() else 0
        e.method, e.time, e.date = zipfile.ZIP_DEFLATED, _DOS_TIME, _DOS_DATE
        e.offset = pos
        raw = _name_bytes(e)
        header_at = out.tell()
        out.write(_LOCAL.pack(0x04034B50, 20, e.flags, e.method, e.time, e.date, 0, 0, 0, len(raw), 0))
        out.write(raw)
        comp = z.compressobj(FAST, z.DEFLATED, -15)
        sizes = [0, 0, 0]        # crc, compressed, uncompressed

        def absorb(chunk: bytes) -> None:
            sizes[0] = z.crc32(chunk, sizes[0])
            sizes[2] += len(chunk)
            packed = comp.compress(chunk)
            out.write(packed)
            sizes[1] += len(packed)
        if isinstance(data, Stream):
            _overlapped(data.chunks(), absorb)
        else:
            absorb(data)
        tail = comp.flush()
        out.write(tail)
        crc, csize, usize = sizes[0], sizes[1] + len(tail), sizes[2]
        e.crc, e.csize, e.usize = crc & _LIMIT, csize, usize
        if max(csize, usize, pos) >= _LIMIT:
            raise OverflowError("zip64")
        end = out.tell()
        out.seek(header_at)
        out.write(_LOCAL.pack(0x04034B50, 20, e.flags, e.method, e.time, e.date, e.crc, csize, usize, len(raw), 0))
        out.seek(end)
        pos += 30 + len(raw) + csize
        entries.append(e)

    for name, info in src.infos.items():
        if name in delete:
            continue
        if name in replace:
            new(name, replace[name])
            continue
        e = _Entry()
        e.name = name
        e.flags = info.flag_bits & ~0x08 & 0xFFFF  # sizes are in the local header now
        e.method = info.compress_type
        dt = info.date_time
        e.time = (dt[3] << 11) | (dt[4] << 5) | (dt[5] // 2)
        e.date = ((dt[0] - 1980) << 9) | (dt[1] << 5) | dt[2]
        e.crc, e.csize, e.usize = info.CRC, info.compress_size, info.file_size
        emit(e, src.raw(name))
    for name, data in add.items():
        new(name, data)

    start = pos
    for e in entries:
        name = _name_bytes(e)
        out.write(_CENTRAL.pack(0x02014B50, 20, 20, e.flags, e.method, e.time, e.date, e.crc,
                                e.csize, e.usize, len(name), 0, 0, 0, 0, 0, e.offset))
        out.write(name)
        pos += 46 + len(name)
    if len(entries) >= 0xFFFF or pos >= _LIMIT:
        raise OverflowError("zip64")
    out.write(_END.pack(0x06054B50, 0, 0, len(entries), len(entries), pos - start, start, 0))


def _overlapped(chunks, absorb) -> None:
    """``absorb`` each chunk in a helper thread while the next one is made: deflate and
    CRC let go of the interpreter lock, so on two cores the sheet XML is built while the
    previous chunk is compressed.  Chunks are absorbed in order; at most two wait."""
    with ThreadPoolExecutor(1) as pool:
        waiting: deque = deque()
        for chunk in chunks:
            waiting.append(pool.submit(absorb, chunk))
            if len(waiting) > 2:
                waiting.popleft().result()        # an error absorbing re-raises here
        for done in waiting:
            done.result()


def write_package_fallback(path, src: Package, replace: dict[str, bytes], delete: set[str],
                           add: dict[str, bytes]) -> None:
    """Recompressing writer (handles ZIP64) for packages too large for the raw copy."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as z:
        def put(name, data):
            if isinstance(data, Stream):
                with z.open(name, "w", force_zip64=True) as f:
                    for chunk in data.chunks():
                        f.write(chunk)
            else:
                z.writestr(name, data)
        for name in src.infos:
            if name in delete:
                continue
            if name in replace:
                put(name, replace[name])
            else:
                z.writestr(src.infos[name], src.read(name))
        for name, data in add.items():
            put(name, data)
