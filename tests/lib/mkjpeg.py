#!/usr/bin/env python3
"""mkjpeg.py — write a small, valid baseline JPEG for the attachment tests.

An 8x8 (or WxH, multiples of 8) grey picture any decoder reads, optionally
with an EXIF block (DateTimeOriginal, GPS), a marker string in a comment
segment (to prove field.db never holds plaintext) and padding comment
segments to reach a size.  Generated here so the tests carry no binary blobs.

usage: mkjpeg.py OUT [--taken 'YYYY:MM:DD HH:MM:SS'] [--gps LAT LON]
                     [--marker TEXT] [--size BYTES] [--wh W H] [--seed N]
"""
import argparse
import random
import struct


def seg(marker, payload):
    return struct.pack(">BBH", 0xFF, marker, len(payload) + 2) + payload


def exif_block(taken, gps):
    # Little-endian TIFF: IFD0 -> Exif IFD (DateTimeOriginal), GPS IFD.
    entries0 = []
    out = bytearray(b"II*\x00" + struct.pack("<I", 8))
    n0 = 1 + (1 if gps else 0)
    ifd0_len = 2 + 12 * n0 + 4
    exif_off = 8 + ifd0_len
    exif_len = 2 + 12 + 4
    data_off = exif_off + exif_len
    dto = (taken.encode() + b"\x00") if taken else b"2000:01:01 00:00:00\x00"
    dto_off = data_off
    gps_off = dto_off + len(dto)
    entries0.append(struct.pack("<HHII", 0x8769, 4, 1, exif_off))
    if gps:
        entries0.append(struct.pack("<HHII", 0x8825, 4, 1, gps_off))
    out += struct.pack("<H", n0) + b"".join(entries0) + struct.pack("<I", 0)
    if taken:
        out += struct.pack("<H", 1) + struct.pack("<HHII", 0x9003, 2, 20, dto_off) + struct.pack("<I", 0)
    else:
        out += struct.pack("<H", 1) + struct.pack("<HHII", 0x9000, 7, 4, 0x30333230) + struct.pack("<I", 0)
    out += dto
    if gps:
        lat, lon = gps
        def dms(v):
            v = abs(v)
            d = int(v)
            m = int((v - d) * 60)
            s = round(((v - d) * 60 - m) * 60 * 1000)
            return struct.pack("<IIIIII", d, 1, m, 1, s, 1000)
        gps_ifd_len = 2 + 12 * 4 + 4
        lat_off = gps_off + gps_ifd_len
        lon_off = lat_off + 24
        out += struct.pack("<H", 4)
        out += struct.pack("<HHI", 1, 2, 2) + (b"N" if lat >= 0 else b"S") + b"\x00\x00\x00"
        out += struct.pack("<HHII", 2, 5, 3, lat_off)
        out += struct.pack("<HHI", 3, 2, 2) + (b"E" if lon >= 0 else b"W") + b"\x00\x00\x00"
        out += struct.pack("<HHII", 4, 5, 3, lon_off)
        out += struct.pack("<I", 0)
        out += dms(lat) + dms(lon)
    return b"Exif\x00\x00" + bytes(out)


def jpeg(args):
    w, h = args.wh
    parts = [b"\xff\xd8"]
    if args.taken or args.gps:
        parts.append(seg(0xE1, exif_block(args.taken, args.gps)))
    if args.marker:
        parts.append(seg(0xFE, args.marker.encode()))
    parts.append(seg(0xDB, b"\x00" + bytes([1] * 64)))                  # DQT: all ones
    parts.append(seg(0xC0, struct.pack(">BHHB", 8, h, w, 1) + b"\x01\x11\x00"))  # SOF0 grey
    # One-code Huffman tables: DC category 0 = "0", AC EOB = "0".
    parts.append(seg(0xC4, b"\x00" + bytes([1] + [0] * 15) + b"\x00"))
    parts.append(seg(0xC4, b"\x10" + bytes([1] + [0] * 15) + b"\x00"))
    parts.append(seg(0xDA, b"\x01\x01\x00\x00\x3f\x00"))
    blocks = (w // 8) * (h // 8)
    bits = "00" * blocks
    bits += "1" * (-len(bits) % 8)
    scan = bytes(int(bits[i:i + 8], 2) for i in range(0, len(bits), 8))
    tail = scan + b"\xff\xd9"
    head = b"".join(parts)
    if args.size:
        rnd = random.Random(args.seed)
        need = args.size - len(head) - len(tail)
        pads = []
        while need > 4:
            n = min(need - 4, 65533)
            pads.append(seg(0xFE, rnd.randbytes(n) if args.seed else b"p" * n))
            need -= n + 4
        head += b"".join(pads)
        # The last bytes (under 5) go into the scan as padding bits cannot: widen the last comment.
        if need > 0 and pads:
            last = pads[-1]
            head = head[:-len(last)] + seg(0xFE, last[4:] + b"p" * need)
    return head + tail


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--taken")
    ap.add_argument("--gps", nargs=2, type=float)
    ap.add_argument("--marker")
    ap.add_argument("--size", type=int)
    ap.add_argument("--wh", nargs=2, type=int, default=[8, 8])
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    with open(args.out, "wb") as f:
        f.write(jpeg(args))


if __name__ == "__main__":
    main()
