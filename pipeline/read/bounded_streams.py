"""A bound on how far one compressed stream of a PDF may inflate.

pdfminer inflates FlateDecode streams whole (`zlib.decompress`): a 1 MB file of
compressed zeros becomes gigabytes in memory. pdfminer has no limit of its own, so its
`pdftypes` module is given a zlib whose decompression stops at MAX_STREAM_MB and raises
`StreamTooLarge`; its LZW and RunLength decoders likewise (pdfminer's RunLength decoder
also builds a list of Python ints, eight bytes of memory per decoded byte: a 2 MB stream
took 1.3 GB). Only those three names of that module are replaced; everything else keeps
the real one, and results are byte-identical below the bound. A stream may go through
several filters (Flate, then RunLength): each one's output is bounded.
"""

from __future__ import annotations

import io
import os
import sys
import zlib

import pdfminer.pdftypes

DEFAULT_MAX_STREAM_MB = 256


def _limit_bytes() -> int:
    try:
        mb = float(os.environ.get("GUIDE_EXTRACT_MAX_STREAM_MB", DEFAULT_MAX_STREAM_MB))
    except ValueError:
        mb = DEFAULT_MAX_STREAM_MB
    if not mb > 0:  # also NaN
        mb = DEFAULT_MAX_STREAM_MB
    # zlib's max_length is a C ssize_t: a bound of 1e300 MB is no bound, not an overflow
    return int(min(mb * 1024 * 1024, sys.maxsize // 2))


class StreamTooLarge(Exception):
    """A compressed stream inflates beyond the bound (a decompression bomb)."""

    def __init__(self, limit: int):
        super().__init__(f"a compressed stream inflates to more than {limit / 1048576:g} MB (a decompression bomb?)")


class _BoundedDecompressor:
    def __init__(self, limit: int):
        self._inner = zlib.decompressobj()
        self._limit = limit
        self._size = 0

    def decompress(self, data: bytes, max_length: int = 0) -> bytes:
        out = self._inner.decompress(data, self._limit - self._size + 1)
        self._size += len(out)
        if self._size > self._limit or self._inner.unconsumed_tail:
            raise StreamTooLarge(self._limit)
        return out

    def flush(self, *args) -> bytes:
        return self._inner.flush(*args)

    def __getattr__(self, name):
        return getattr(self._inner, name)


class _BoundedZlib:
    """The part of the zlib module pdfminer.pdftypes uses, bounded."""

    error = zlib.error

    def __init__(self, limit: int):
        self.limit = limit

    def decompressobj(self, *args, **kwargs) -> _BoundedDecompressor:
        return _BoundedDecompressor(self.limit)

    def decompress(self, data: bytes, *args, **kwargs) -> bytes:
        inner = zlib.decompressobj()
        out = inner.decompress(data, self.limit + 1)
        if len(out) > self.limit or inner.unconsumed_tail:
            raise StreamTooLarge(self.limit)
        if not inner.eof:  # zlib.decompress refuses a cut-short stream; so must this
            raise zlib.error("Error -5 while decompressing data: incomplete or truncated stream")
        return out

    def __getattr__(self, name):
        return getattr(zlib, name)


def _bounded_lzw(limit: int):
    """pdfminer's LZW decoder yields its output piece by piece: stop at the bound."""
    from pdfminer.lzw import LZWDecoder

    def lzwdecode(data: bytes) -> bytes:
        out, size = [], 0
        for piece in LZWDecoder(io.BytesIO(data)).run():
            size += len(piece)
            if size > limit:
                raise StreamTooLarge(limit)
            out.append(piece)
        return b"".join(out)

    return lzwdecode


def _bounded_runlength(limit: int):
    """RunLengthDecode (PDF 32000-1, 7.4.5) into a bytearray, stopping at the bound. A
    stream cut short ends where its data does, as readers treat it."""

    def rldecode(data: bytes) -> bytes:
        out = bytearray()
        at, end = 0, len(data)
        while at < end:
            length = data[at]
            at += 1
            if length == 128:  # end of data
                break
            if length < 128:
                out += data[at : at + length + 1]
                at += length + 1
            else:
                out += data[at : at + 1] * (257 - length)
                at += 1
            if len(out) > limit:
                raise StreamTooLarge(limit)
        return bytes(out)

    return rldecode


def install() -> None:
    limit = _limit_bytes()
    pdfminer.pdftypes.zlib = _BoundedZlib(limit)
    pdfminer.pdftypes.lzwdecode = _bounded_lzw(limit)
    pdfminer.pdftypes.rldecode = _bounded_runlength(limit)


install()
