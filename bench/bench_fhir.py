"""Benchmark careroles' FHIR R4 Bundle export and import against its own JSON round trip.

The record is the serializer benchmark's seeded workload (``bench/workload.py``: a patient,
their team, consents, a care plan with goals and activities, appointments with legal
histories, and an advocacy case with its interaction log and deadlines).  Both sides encode
the same values and read them back:

* careroles JSON: ``careroles.dumps`` of the record, then ``careroles.loads`` of the text;
* FHIR: ``careroles.fhir.bundle(...)`` written and read with the same JSON writer and reader
  as ``careroles.dumps`` and ``loads`` (orjson when installed), then
  ``careroles.fhir.from_bundle`` of the parsed Bundle (which includes the not-carried report:
  each entry is exported again and compared).

Run ``python bench/bench_fhir.py`` (``--size small|medium|large``, ``--repeat N``).  It prints
the best of N interleaved runs (the machine may be shared: the least disturbed run is the
fairest), the ratio FHIR / careroles JSON for each direction and for the round trip (target:
at most 3x), and, when ``fhir.resources`` is installed, the time its R4B models take to
validate the same Bundle, for scale.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository root

import careroles
from bench.workload import Record, build
from careroles.fhir import bundle, from_bundle

TARGET = 3.0

try:  # the same JSON writer and reader careroles.dumps and loads use, when installed
    import orjson

    def to_text(data: Any) -> str:
        return str(orjson.dumps(data).decode())

    def from_text(text: str) -> Any:
        return orjson.loads(text)

except ImportError:  # pragma: no cover

    def to_text(data: Any) -> str:
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))

    def from_text(text: str) -> Any:
        return json.loads(text)


def best_seconds(fns: dict[str, Callable[[], Any]], repeat: int) -> dict[str, float]:
    """The best time of each function, measured interleaved (one of each per round), so that
    a load change on a shared machine hits both sides alike."""
    for fn in fns.values():
        fn()  # warm caches (type hints, hooks)
    best = dict.fromkeys(fns, float("inf"))
    for _ in range(repeat):
        for name, fn in fns.items():
            start = time.perf_counter()
            fn()
            best[name] = min(best[name], time.perf_counter() - start)
    return best


def fhir_bundle(record: Record) -> dict[str, Any]:
    return bundle(
        record.patient,
        team=record.team,
        consents=record.consents,
        plans=(record.plan,),
        appointments=record.appointments,
        cases=(record.case,),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="medium", choices=("small", "medium", "large"))
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args(argv)

    record = build(args.size)
    own_text = careroles.dumps(record)
    fhir_text = to_text(fhir_bundle(record))

    back = from_bundle(from_text(fhir_text))
    assert back.patient == record.patient, "lossy round trip"
    assert not back.not_carried, "lossy round trip"
    assert careroles.loads(own_text, Record) == record

    best = best_seconds(
        {
            "own_out": lambda: careroles.dumps(record),
            "fhir_out": lambda: to_text(fhir_bundle(record)),
            "own_in": lambda: careroles.loads(own_text, Record),
            "fhir_in": lambda: from_bundle(from_text(fhir_text)),
        },
        args.repeat,
    )
    own_out, fhir_out, own_in, fhir_in = (
        best[k] for k in ("own_out", "fhir_out", "own_in", "fhir_in")
    )

    entries = len(json.loads(fhir_text)["entry"])
    print(f"record: {args.size} ({len(record.appointments)} appointments, {entries} entries)")
    print(f"size:   careroles JSON {len(own_text):,} B, FHIR Bundle {len(fhir_text):,} B")
    rows = [
        ("export", own_out, fhir_out),
        ("import", own_in, fhir_in),
        ("round trip", own_out + own_in, fhir_out + fhir_in),
    ]
    print(f"{'':12} {'careroles JSON':>15} {'FHIR Bundle':>12} {'ratio':>7}")
    for name, own, fhir in rows:
        print(f"{name:12} {own * 1e3:12.1f} ms {fhir * 1e3:9.1f} ms {fhir / own:6.2f}x")
    ratio = (fhir_out + fhir_in) / (own_out + own_in)
    verdict = "meets" if ratio <= TARGET else "misses"
    print(f"round-trip ratio {ratio:.2f}x {verdict} the target of {TARGET:.0f}x")
    try:
        from fhir.resources.R4B.bundle import Bundle
    except ImportError:
        return 0
    data = json.loads(fhir_text)
    validate = best_seconds(
        {"validate": lambda: Bundle.model_validate(data)}, max(1, args.repeat // 2)
    )["validate"]
    print(f"for scale: fhir.resources R4B validates the Bundle in {validate * 1e3:.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
