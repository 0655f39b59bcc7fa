"""人证比对 with the `local` backend (docs/face-match.md): the time to describe one photo on this CPU.

A comparison describes two photos (the one taken and the ID card's), so it costs twice a row's median.
Photos: the labelled ones the tests ship (tests/workforce/face_images, 400 px) and the same photo blown up
to a phone camera's 4000 px, which the backend first shrinks to 800 px. Skipped with a note when the
`face` extra is not installed.
"""

from __future__ import annotations

import io
import statistics
import time
from pathlib import Path

from bench import yardsticks
from bench.harness import Bench, Row, _ms, percentile

PHOTOS = Path(__file__).resolve().parent.parent / "tests" / "workforce" / "face_images"
ROUNDS = 5


def _phone_photo(path: Path) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    image = Image.open(path).convert("RGB")
    scale = 4000 / max(image.size)
    image.resize((round(image.width * scale), round(image.height * scale))).save(out, "JPEG", quality=90)
    return out.getvalue()


def run(bench: Bench) -> None:
    from django.core.files.base import ContentFile

    from workforce import face_match

    target = "median ≤ 1000 ms per photo"
    if not face_match.local_available():
        bench.missing("人证比对 local: one photo", "", target, "the face extra (pip install .[face])")
        return
    started = time.perf_counter()
    face_match._models()
    load_seconds = time.perf_counter() - started
    files = sorted(PHOTOS.glob("*.jpg"))
    sets = {
        "400 px photos": [ContentFile(p.read_bytes(), name=p.name) for p in files],
        "4000 px phone photo": [ContentFile(_phone_photo(files[0]), name="phone.jpg")],
    }
    for size, photos in sets.items():
        times, faces = [], 0
        for _ in range(ROUNDS):
            for photo in photos:
                begin = time.perf_counter()
                found = face_match.descriptor(photo)
                times.append(time.perf_counter() - begin)
                faces += found is not None
        row = Row(
            "人证比对 local: one photo (detect, landmarks, descriptor)",
            size,
            target,
            faces == len(times),
            _ms(statistics.median(times)),
            _ms(percentile(times, 0.95)),
            note=f"{len(times)} samples, faces found {faces}/{len(times)}; models loaded once in {load_seconds:.2f} s",
        )
        # Pure computation in the process, like the openpyxl dump of the month grid.
        median_ms = statistics.median(times) * 1000
        yardsticks.judge(row, "month_dump", bench.yardstick("month_dump"), median_ms, 1000)
        bench.rows.append(row)
        bench.log(f"  face_match {size}: median {row.median_ms} ms, p95 {row.p95_ms} ms")
