#!/usr/bin/env python3
"""Hostile-file benchmark: the cost of every hostile fixture to `disan ingest` and `disan reindex`.

What it measures: each hostile file of issue 11's cases (SVG renderer aborts, stack overflows and
blurs; PDF text-extraction, Flate and nesting bombs; JPEG/PNG/GIF/BMP/TIFF/WebP decompression
bombs; YAML alias amplification and nesting; Markdown quotations 200,000 deep), generated here,
goes into its own batch beside one ordinary photo; `disan ingest` runs on it with a fresh archive
and index, then `disan reindex` on that archive (with its index deleted), then one batch holding
every fixture at once (the workers then run side by side). For each run: exit status, wall time,
and peak memory, both of the largest single process (ru_maxrss through GNU time: the ingest or
one of its decoder workers) and of the whole process tree (the sum of VmRSS over the ingest and
its workers, sampled every 2 ms).

Goals (issue 11): no file costs more than 30 s (the decoders' deadline per file; the batch's
photo and the archive write add a few tenths); an ingest's peak memory stays under 1 GiB whatever
the batch holds; every run exits 0 or 1 (never killed by a signal), and the control photo goes in.

Run from the repository root:  python3 benches/hostile.py [path/to/disan]
(default target/release/disan; build it first with `cargo build --release`). Scratch files go to
a temporary folder, removed at the end. Needs only Python 3 and Linux's /proc.
"""
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import threading
import time
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CONTROL = os.path.join(ROOT, "tests/fixtures/batches/valid/objects/anh/mat-trong.jpg")


# ---- fixtures (the generators of ../shared/cases/*/make.py, condensed) -------------------------

def pdf(objs, extra_trailer=""):
    out = b"%PDF-1.7\n"
    offs = []
    for i, o in enumerate(objs, 1):
        offs.append(len(out))
        out += f"{i} 0 obj\n".encode() + o + b"\nendobj\n"
    x = len(out)
    out += f"xref\n0 {len(objs)+1}\n0000000000 65535 f \n".encode()
    for o in offs:
        out += f"{o:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objs)+1} /Root 1 0 R {extra_trailer}>>\nstartxref\n{x}\n%%EOF\n".encode()
    return out


def stream(data, filt=b""):
    return b"<< /Length " + str(len(data)).encode() + filt + b" >>\nstream\n" + data + b"\nendstream"


def flate(data):
    return stream(zlib.compress(data, 9), b" /Filter /FlateDecode")


CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"
PAGES = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << >> >>"
CONTENT = stream(b"BT /F1 12 Tf 72 712 Td (hello) Tj ET")


def pdfs():
    n = 100000
    yield "pdf-bomb-4m-ops.pdf", pdf([CATALOG, PAGES, PAGE, flate(b"BT (a) Tj ET " * (4 << 20))])
    yield "pdf-1m-ops.pdf", pdf([CATALOG, PAGES, PAGE, flate(b"BT (a) Tj ET " * (1 << 20))])
    yield "pdf-nested-array.pdf", pdf([CATALOG, PAGES, PAGE, CONTENT, b"[" * n + b"]" * n])
    yield "pdf-nested-dict.pdf", pdf([CATALOG, PAGES, PAGE, CONTENT, b"<< /A " * n + b">>" * n])
    yield "pdf-nested-content.pdf", pdf([CATALOG, PAGES, PAGE, stream(b"BT " + b"[" * n + b"]" * n + b" TJ ET")])
    yield "pdf-pages-cycle.pdf", pdf([CATALOG, b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>", PAGE, CONTENT])
    c = zlib.compressobj(9)
    comp = b"".join(c.compress(b" " * (1 << 20)) for _ in range(1024)) + c.flush()
    yield "pdf-flate-bomb-1g.pdf", pdf([CATALOG, PAGES, PAGE, stream(comp, b" /Filter /FlateDecode")])
    kids = b" ".join(f"{i} 0 R".encode() for i in range(4, 204))
    objs = [CATALOG, b"<< /Type /Pages /Kids [" + kids + b"] /Count 200 >>", flate(b"BT (a) Tj ET " * (4 << 20))]
    objs += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 3 0 R /Resources << >> >>"] * 200
    yield "pdf-shared-bomb-200-pages.pdf", pdf(objs)
    base = pdf([CATALOG, PAGES, PAGE, CONTENT])
    x = base.rindex(b"startxref\n") + len(b"startxref\n")
    previous = int(base[x:base.index(b"\n", x)])
    yield "pdf-prev-loop.pdf", pdf([CATALOG, PAGES, PAGE, CONTENT], extra_trailer=f"/Prev {previous} ")


def svgs():
    ns = 'xmlns="http://www.w3.org/2000/svg"'
    yield "svg-pattern-10tb.svg", (f'<svg {ns} width="100" height="100"><pattern id="p" width="1" height="1" '
                                   'patternUnits="userSpaceOnUse" patternTransform="scale(100000)"><rect width="1" height="1"/>'
                                   '</pattern><rect width="100" height="100" fill="url(#p)"/></svg>').encode()

    def masks(n):
        s = [f'<svg {ns} width="100" height="100"><defs><mask id="m0"><rect width="100" height="100" fill="white"/></mask>']
        s += [f'<mask id="m{i}"><rect width="100" height="100" fill="white" mask="url(#m{i-1})"/></mask>' for i in range(1, n)]
        s.append(f'</defs><rect width="100" height="100" mask="url(#m{n-1})"/></svg>')
        return "".join(s).encode()
    yield "svg-mask-chain-1000.svg", masks(1000)
    yield "svg-mask-chain-8.svg", masks(8)
    yield "svg-blur.svg", (f'<svg {ns} width="100000" height="100000"><filter id="b" x="-100" y="-100" width="200" '
                           'height="200"><feGaussianBlur stdDeviation="5000"/></filter><rect width="100000" '
                           'height="100000" filter="url(#b)"/></svg>').encode()
    filters = "".join(f'<filter id="f{i}" x="-10" y="-10" width="20" height="20"><feGaussianBlur stdDeviation="300"/></filter>' for i in range(10))
    inner = '<rect width="1000" height="1000" fill="red"/>'
    for i in range(10):
        inner = f'<g filter="url(#f{i})">{inner}</g>'
    yield "svg-ten-chained-blurs.svg", f'<svg {ns} width="1000" height="1000">{filters}{inner}</svg>'.encode()
    rects = "".join(f'<rect x="{i % 600}" y="{i // 40}" width="400" height="400" filter="url(#b)"/>' for i in range(20000))
    yield "svg-20000-blurred-rects.svg", (f'<svg {ns} width="1000" height="1000"><filter id="b"><feGaussianBlur '
                                          f'stdDeviation="40"/></filter>{rects}</svg>').encode()
    yield "svg-100000-nested-groups.svg", f'<svg {ns}>{"<g>" * 100000}{"</g>" * 100000}</svg>'.encode()


def rasters():
    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)

    def png(w, h, color_type=2):
        ch = {0: 1, 2: 3, 6: 4}[color_type]
        ihdr = struct.pack(">IIBBBBB", w, h, 8, color_type, 0, 0, 0)
        data = zlib.compress(b"\0" * (1 + w * ch) * 4)
        return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", data) + chunk(b"IEND", b"")

    def jpeg(w, h, progressive=False):
        out = b"\xff\xd8\xff\xdb" + struct.pack(">H", 67) + b"\x00" + bytes([16] * 64)
        out += b"\xff" + (b"\xc2" if progressive else b"\xc0") + struct.pack(">HBHHB", 17, 8, h, w, 3)
        out += b"\x01\x11\x00\x02\x11\x00\x03\x11\x00"
        dht = b"\x00" + bytes([0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0]) + bytes(range(12))
        out += b"\xff\xc4" + struct.pack(">H", 2 + len(dht)) + dht
        sos = b"\x03\x01\x00\x02\x00\x03\x00" + (b"\x00\x00\x01" if progressive else b"\x00\x3f\x00")
        return out + b"\xff\xda" + struct.pack(">H", 2 + len(sos)) + sos + b"\x00" * 64 + b"\xff\xd9"

    def gif(w, h):
        out = b"GIF89a" + struct.pack("<HHBBB", w, h, 0x80, 0, 0) + b"\x00\x00\x00\xff\xff\xff"
        return out + b"\x2c" + struct.pack("<HHHHB", 0, 0, w, h, 0) + b"\x02\x02\x4c\x01\x00\x3b"

    def bmp(w, h):
        size = ((w * 3 + 3) & ~3) * h
        out = b"BM" + struct.pack("<IHHI", 54 + size, 0, 0, 54)
        return out + struct.pack("<IiiHHIIiiII", 40, w, h, 1, 24, 0, size, 2835, 2835, 0, 0) + b"\0" * 100

    def tiff(w, h):
        e = lambda tag, typ, count, value: struct.pack("<HHII", tag, typ, count, value)
        entries = [e(256, 4, 1, w), e(257, 4, 1, h), e(258, 3, 1, 8), e(259, 3, 1, 1), e(262, 3, 1, 1),
                   e(273, 4, 1, 8), e(277, 3, 1, 1), e(278, 4, 1, h), e(279, 4, 1, (w * h) & 0xffffffff)]
        ifd = struct.pack("<H", len(entries)) + b"".join(entries) + b"\0\0\0\0"
        return b"II*\x00" + struct.pack("<I", 8) + ifd + b"\0" * 64

    def webp(w, h):
        vp8l = b"\x2f" + struct.pack("<I", (w - 1) | ((h - 1) << 14)) + b"\0" * 16
        body = b"VP8L" + struct.pack("<I", len(vp8l)) + vp8l
        return b"RIFF" + struct.pack("<I", 4 + len(body)) + b"WEBP" + body

    yield "png-60000.png", png(60000, 60000)
    yield "png-11000-rgba-truncated.png", png(11000, 11000, 6)
    yield "jpeg-60000.jpg", jpeg(60000, 60000)
    yield "jpeg-13000.jpg", jpeg(13000, 13000)
    yield "jpeg-13000-progressive.jpg", jpeg(13000, 13000, True)
    yield "gif-65535.gif", gif(65535, 65535)
    yield "gif-13000.gif", gif(13000, 13000)
    yield "bmp-13000.bmp", bmp(13000, 13000)
    yield "tiff-60000.tif", tiff(60000, 60000)
    yield "tiff-20000.tif", tiff(20000, 20000)
    yield "webp-16384.webp", webp(16384, 16384)


def texts():
    anchor = "A" * 1000
    yield "yaml-aliases-100000.md", f'---\nx: &x "{anchor}"\ndc.subject: [{", ".join(["*x"] * 100000)}]\n---\nbody\n'.encode()
    yield "yaml-aliases-60.md", f'---\nx: &x "{"B" * 60000}"\ndc.subject: [{", ".join(["*x"] * 60)}]\n---\nbody\n'.encode()
    yield "yaml-nested-brackets.md", f'---\ndc.title: {"[" * 60000}\n---\nbody\n'.encode()
    yield "markdown-200000-quotes.md", f'---\ndc.title: x\n---\n{">" * 200000} quote\n'.encode()


def fixtures():
    for generator in (svgs, pdfs, rasters, texts):
        yield from generator()


# ---- measurement -------------------------------------------------------------------------------

def tree_rss_kb(pid):
    """VmRSS of `pid` and all its descendants, in KiB."""
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        try:
            with open(f"/proc/{p}/status") as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
            # Workers are forked by whichever thread decodes: read every thread's children.
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as children:
                    stack.extend(int(c) for c in children.read().split())
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            pass
    return total


def run(args):
    """Runs `args`; returns (exit status or -signal, seconds, largest process KiB, tree KiB, stderr).

    Through GNU time (`/usr/bin/time -f %M`): a process started straight from this script would
    inherit its peak RSS (ru_maxrss survives fork and exec), and these fixtures make it large.
    """
    started = time.monotonic()
    report = tempfile.NamedTemporaryFile(mode="r")
    process = subprocess.Popen(["/usr/bin/time", "-q", "-f", "%M", "-o", report.name] + args,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = [0]
    done = threading.Event()

    def sample():
        while not done.is_set():
            peak[0] = max(peak[0], tree_rss_kb(process.pid))
            time.sleep(0.002)
    sampler = threading.Thread(target=sample)
    sampler.start()
    stderr = process.stderr.read().decode(errors="replace")
    code = process.wait()
    elapsed = time.monotonic() - started
    done.set()
    sampler.join()
    lines = report.read().split()
    largest = int(lines[-1]) if lines and lines[-1].isdigit() else 0
    if lines and "signal" in " ".join(lines):
        code = -1
    return code, elapsed, largest, max(peak[0], largest), stderr


def main():
    disan = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "target/release/disan"))
    if not os.path.exists(disan):
        sys.exit(f"{disan} not found: cargo build --release first")
    scratch = tempfile.mkdtemp(prefix="disan-hostile-")
    rows, failures = [], []
    try:
        every = os.path.join(scratch, "every", "objects")
        os.makedirs(every)
        shutil.copy(CONTROL, every)
        print(f"{'fixture':34} {'step':8} {'exit':>4} {'time s':>7} {'largest MB':>10} {'tree MB':>8}  first message")
        for name, data in fixtures():
            work = os.path.join(scratch, name)
            objects = os.path.join(work, "batch", "objects")
            os.makedirs(objects)
            shutil.copy(CONTROL, objects)
            for folder in (objects, every):
                with open(os.path.join(folder, name), "wb") as f:
                    f.write(data)
            base = [disan, "--archive", os.path.join(work, "archive"), "--index", os.path.join(work, "index")]
            for step, args in (("ingest", base + ["ingest", os.path.join(work, "batch")]), ("reindex", base + ["reindex"])):
                if step == "reindex":
                    shutil.rmtree(os.path.join(work, "index"), ignore_errors=True)
                code, seconds, largest, tree, stderr = run(args)
                message = next((l for l in stderr.splitlines() if name in l or "warning" in l or "error" in l), "")
                rows.append((name, step, code, seconds, largest, tree))
                print(f"{name:34} {step:8} {code:>4} {seconds:7.2f} {largest / 1024:10.1f} {tree / 1024:8.1f}  {message[:110]}")
                if code not in (0, 1) or seconds > 31 or tree > 1 << 20:
                    failures.append(f"{name} {step}: exit {code}, {seconds:.1f} s, {tree / 1024:.0f} MB")
            shutil.rmtree(work)
        base = [disan, "--archive", os.path.join(scratch, "every-archive"), "--index", os.path.join(scratch, "every-index")]
        code, seconds, largest, tree, _ = run(base + ["ingest", os.path.dirname(every)])
        rows.append(("(every fixture in one batch)", "ingest", code, seconds, largest, tree))
        print(f"{'(every fixture in one batch)':34} {'ingest':8} {code:>4} {seconds:7.2f} {largest / 1024:10.1f} {tree / 1024:8.1f}")
        if code not in (0, 1) or tree > 1 << 20:
            failures.append(f"every fixture: exit {code}, {tree / 1024:.0f} MB")
        worst_time = max((r for r in rows if not r[0].startswith("(")), key=lambda r: r[3])
        worst_memory = max(rows, key=lambda r: r[5])
        print(f"\nworst time:   {worst_time[3]:.2f} s ({worst_time[0]}, {worst_time[1]}); goal: the 30 s deadline per file")
        print(f"worst memory: {worst_memory[5] / 1024:.1f} MB for the process tree ({worst_memory[0]}, {worst_memory[1]}), "
              f"{max(r[4] for r in rows) / 1024:.1f} MB for one process; goal < 1024 MB")
        print("all runs exited 0 or 1 within the goals" if not failures else "MISSED:\n  " + "\n  ".join(failures))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
