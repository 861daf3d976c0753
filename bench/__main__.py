"""``python -m bench``: the serializer benchmark, side by side, in one run.

Regenerates the comparison models (:mod:`bench.codegen`), builds the seeded workload
(:mod:`bench.workload`), then measures for each library, on the same record:

* **decode**: JSON text to validated objects; **encode**: objects to JSON text; **round
  trip**: both, one after the other; for the sizes small, medium, large and the batch of 1,000
  small records (decode and encode only);
* **memory** held by the batch of 1,000 small records as objects (tracemalloc, after a warm-up
  decode so that caches are not counted);
* **cold start**, in fresh processes: ``import attrs, cattrs, pendulum, careroles`` against
  ``import attrs, cattrs, pendulum``, and a cold process's first round trip of a small record
  in careroles against the plain attrs + cattrs + pendulum model (:mod:`bench.models_attrs`).

It prints the tables and writes ``bench/RESULTS.md``.  Samples of different libraries are
interleaved so that a change in machine load hits all of them alike; the ratios come from the
medians of this one run.  ``--quick`` takes fewer samples (for checking the harness only).
"""

from __future__ import annotations

import argparse
import datetime as _dt
import gc
import importlib.metadata
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import attrs

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

SIZES = ("small", "medium", "large", "batch")
OPS = ("decode", "encode", "round trip")
LIBS = ("careroles", "attrs+cattrs", "pydantic", "msgspec", "orjson dicts", "fhir.resources")
#: FHIR on the large record and the batch would take minutes per sample: not run; its round
#: trip is its decode plus its encode (seconds per sample on the medium record).
SKIP = {("fhir.resources", "large"), ("fhir.resources", "batch")}
SKIP_OPS = {("fhir.resources", "round trip")}
FHIR_MEMORY_SAMPLE = 50  # bundles held for the memory figure, scaled to 1,000
FHIR_SOURCE = ["?"]  # which mapping made the Bundle (see bench/fhir_bundle.py)


# --- the libraries ----------------------------------------------------------------------------


@attrs.frozen
class Lib:
    name: str
    decode: Callable[[Any], Any]
    encode: Callable[[Any], Any]
    texts: dict[str, list[Any]]  # size -> canonical JSON texts (one, or 1,000 for the batch)


_ZONED = re.compile(r'(\d{4}-\d\d-\d\dT[^\[\]"]*)\[[^\]]+\]')
_ENVELOPE = ("$type", "$version")


def _plain(obj: Any, zones: bool) -> Any:
    """careroles' JSON data without the document envelope (and without zone names)."""
    if isinstance(obj, dict):
        return {k: _plain(v, zones) for k, v in obj.items() if k not in _ENVELOPE}
    if isinstance(obj, list):
        return [_plain(v, zones) for v in obj]
    if zones and isinstance(obj, str) and (m := _ZONED.fullmatch(obj)) is not None:
        return m[1]
    return obj


def libraries(records: dict[str, list[Any]]) -> list[Lib]:
    """Every library with its canonical text of each size of the same records."""
    import msgspec  # noqa: F401 - fail early when missing
    import orjson
    from fhir.resources.R4B.bundle import Bundle

    import careroles
    from bench import models_attrs, models_msgspec, models_pydantic
    from bench.fhir_bundle import record_bundle
    from bench.workload import Record

    def canonical(loads: Callable[[Any], Any], dumps: Callable[[Any], Any], text: Any) -> Any:
        return dumps(loads(text))

    data = {size: [careroles.unstructure(r) for r in rs] for size, rs in records.items()}
    cr_texts = {size: [careroles.dumps(r) for r in rs] for size, rs in records.items()}

    def per_size(make: Callable[[Any, Any], Any]) -> dict[str, list[Any]]:
        return {
            size: [make(r, d) for r, d in zip(records[size], data[size], strict=True)]
            for size in records
        }

    libs = [
        Lib(
            "careroles",
            lambda t: careroles.loads(t, Record),
            careroles.dumps,
            cr_texts,
        ),
        Lib(
            "attrs+cattrs",
            models_attrs.loads,
            models_attrs.dumps,
            per_size(
                lambda r, d: canonical(
                    models_attrs.loads, models_attrs.dumps, json.dumps(_plain(d, False))
                )
            ),
        ),
        Lib(
            "pydantic",
            models_pydantic.loads,
            models_pydantic.dumps,
            per_size(
                lambda r, d: canonical(
                    models_pydantic.loads, models_pydantic.dumps, orjson.dumps(_plain(d, True))
                )
            ),
        ),
        Lib(
            "msgspec",
            models_msgspec.loads,
            models_msgspec.dumps,
            per_size(
                lambda r, d: canonical(
                    models_msgspec.loads, models_msgspec.dumps, orjson.dumps(_plain(d, True))
                )
            ),
        ),
        Lib("orjson dicts", orjson.loads, orjson.dumps, cr_texts),
    ]

    def fhir_text(record: Any) -> str:
        made, source = record_bundle(record)
        FHIR_SOURCE[0] = source
        return Bundle.model_validate_json(json.dumps(made)).model_dump_json()

    fhir_texts = {size: [fhir_text(r) for r in records[size]] for size in ("small", "medium")}
    fhir_texts["batch"] = [fhir_text(r) for r in records["batch"][:FHIR_MEMORY_SAMPLE]]
    libs.append(
        Lib(
            "fhir.resources", Bundle.model_validate_json, lambda b: b.model_dump_json(), fhir_texts
        )
    )
    return libs


# --- timing -----------------------------------------------------------------------------------


@attrs.frozen
class Stat:
    median: float
    low: float
    high: float
    n: int

    @classmethod
    def of(cls, samples: list[float]) -> Stat:
        return cls(statistics.median(samples), min(samples), max(samples), len(samples))


def _op(lib: Lib, op: str, texts: list[Any], objects: list[Any]) -> Callable[[], Any]:
    decode, encode = lib.decode, lib.encode
    if op == "decode":
        if len(texts) == 1:
            text = texts[0]
            return lambda: decode(text)
        return lambda: [decode(t) for t in texts]
    if op == "encode":
        if len(objects) == 1:
            obj = objects[0]
            return lambda: encode(obj)
        return lambda: [encode(o) for o in objects]
    if len(texts) == 1:
        text = texts[0]
        return lambda: encode(decode(text))
    return lambda: [encode(decode(t)) for t in texts]


def _sample(fn: Callable[[], Any]) -> float:
    """CPU seconds of one call: the machine may be shared, and CPU time is what the code
    costs (wall time would add the time spent waiting for a core)."""
    gc.collect()
    t0 = time.process_time()
    fn()
    return time.process_time() - t0


def time_all(
    libs: list[Lib],
    budget: float,
    min_n: int,
    max_n: int,
    sizes: tuple[str, ...],
    batch: dict[str, list[Any]],
) -> dict[tuple[str, ...], Stat]:
    """Medians of interleaved samples: for each size and operation, round robin over libs."""
    out: dict[tuple[str, ...], Stat] = {}
    for size in sizes:
        ops = OPS if size != "batch" else ("decode", "encode")
        for op in ops:
            fns: dict[str, Callable[[], Any]] = {}
            counts: dict[str, int] = {}
            kept: dict[str, list[float]] = {}
            for lib in libs:
                if (lib.name, size) in SKIP or (lib.name, op) in SKIP_OPS:
                    continue
                if size not in lib.texts:
                    continue
                objects = []
                if op == "encode":
                    objects = batch.get(lib.name) if size == "batch" else None
                    objects = objects or [lib.decode(t) for t in lib.texts[size]]
                fn = _op(lib, op, lib.texts[size], objects)
                first = _sample(fn)  # warm-up, and an estimate of the cost
                slow = size in ("large", "batch")
                if slow:  # every hook was built while preparing the texts: it counts
                    kept[lib.name] = [first]
                n_min = 2 if slow else min_n if first * min_n <= 5 * budget else 5
                counts[lib.name] = max(n_min, min(max_n, int(budget / max(first, 1e-6))))
                fns[lib.name] = fn
            _freeze()
            samples: dict[str, list[float]] = {name: kept.get(name, []) for name in fns}
            for _ in range(max(counts.values())):
                for name, fn in fns.items():
                    if len(samples[name]) < counts[name]:
                        samples[name].append(_sample(fn))
            for name, s in samples.items():
                out[(size, op, name)] = Stat.of(s)
            del fns, objects, fn  # (frozen objects stay until the run ends: a little memory)
            _progress(f"timed {size} {op}")
    return out


def _freeze() -> None:
    """Move every live object out of the collector's reach: the records, texts and objects
    under test are long-lived, and a full collection walking them at every sample would
    dominate the run.  Objects made by the code under test are still collected as usual."""
    gc.collect()
    gc.freeze()


# --- memory -----------------------------------------------------------------------------------


def memory(libs: list[Lib], keep: dict[str, list[Any]]) -> dict[str, tuple[int, int]]:
    """Bytes held by the batch decoded as objects: (bytes for 1,000 records, records measured).

    The objects are left in `keep` (by library) for the batch's encode timing."""
    out = {}
    for lib in libs:
        texts = lib.texts["batch"]
        lib.decode(texts[0])  # warm caches (hooks, zones) outside the measurement
        gc.collect()
        tracemalloc.start()
        held = [lib.decode(t) for t in texts]
        gc.collect()
        size, _ = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        out[lib.name] = (round(size * 1000 / len(texts)), len(texts))
        keep[lib.name] = held
    _progress("measured memory")
    return out


# --- cold start -------------------------------------------------------------------------------

_IMPORT = (
    "import time; t = time.process_time(); {stmt}; "
    "print(time.process_time() - t, time.process_time())"
)
_FIRST = (
    "import time; t = time.process_time(); {stmt}; "
    "text = open({path!r}).read(); dumps(loads(text)); "
    "print(time.process_time() - t, time.process_time())"
)
_CAREROLES_FIRST = (
    "import careroles; from bench.workload import Record; "
    "loads = lambda t: careroles.loads(t, Record); dumps = careroles.dumps"
)
_ATTRS_FIRST = "from bench.models_attrs import loads, dumps"


def _run(code: str) -> tuple[float, float]:
    """CPU seconds (from the code's first statement, since the process started)."""
    env = dict(os.environ, PYTHONPATH=ROOT)
    # bytecode caches are written by the warm-up run and read by the rest, as after any
    # install (pip compiles them); without them careroles' modules are compiled from source
    # in every sample while the libraries' caches in site-packages are read
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    inner, whole = done.stdout.split()
    return float(inner), float(whole)


def cold(records: dict[str, list[Any]], reps: int) -> dict[str, tuple[Stat, Stat]]:
    import careroles
    from bench.workload import Record

    small = records["small"][0]
    plain = json.dumps(_plain(careroles.unstructure(small), False))
    with tempfile.TemporaryDirectory() as tmp:
        cr_path = os.path.join(tmp, "careroles.json")
        plain_path = os.path.join(tmp, "plain.json")
        with open(cr_path, "w") as f:
            f.write(careroles.dumps(small))
        with open(plain_path, "w") as f:
            f.write(plain)
        assert careroles.loads(careroles.dumps(small), Record) == small
        cases = {
            "import attrs, cattrs, pendulum": _IMPORT.format(
                stmt="import attrs, cattrs, pendulum"
            ),
            "import attrs, cattrs, pendulum, careroles": _IMPORT.format(
                stmt="import attrs, cattrs, pendulum, careroles"
            ),
            "import careroles": _IMPORT.format(stmt="import careroles"),
            "import careroles and load every public name": _IMPORT.format(
                stmt="import careroles; [getattr(careroles, n) for n in careroles.__all__]"
            ),
            "import pydantic": _IMPORT.format(stmt="import pydantic"),
            "import msgspec": _IMPORT.format(stmt="import msgspec"),
            "first round trip: careroles": _FIRST.format(stmt=_CAREROLES_FIRST, path=cr_path),
            "first round trip: attrs+cattrs+pendulum": _FIRST.format(
                stmt=_ATTRS_FIRST, path=plain_path
            ),
        }
        for code in cases.values():  # compile the bytecode caches once
            _run(code)
        samples: dict[str, list[tuple[float, float]]] = {name: [] for name in cases}
        for _ in range(reps):
            for name, code in cases.items():
                samples[name].append(_run(code))
    _progress("measured cold start")
    return {
        name: (Stat.of([a for a, _ in s]), Stat.of([b for _, b in s]))
        for name, s in samples.items()
    }


# --- the report -------------------------------------------------------------------------------


def _ms(seconds: float) -> str:
    ms = seconds * 1000
    return f"{ms:.3g}" if ms < 100 else f"{ms:.0f}"


def _ratio(a: float | None, b: float | None) -> str:
    if a is None or b is None or b == 0:
        return "—"
    return f"{a / b:.2f}x" if a / b < 100 else f"{a / b:.0f}x"


@attrs.frozen
class Target:
    text: str
    measured: str
    met: bool
    why: str = ""


def targets(
    times: dict[tuple[str, ...], Stat],
    mem: dict[str, tuple[int, int]],
    cold_: dict[str, tuple[Stat, Stat]],
) -> list[Target]:
    def t(op: str, lib: str) -> float:
        return times[("medium", op, lib)].median

    out = []
    for op in ("decode", "encode"):
        r = t(op, "careroles") / t(op, "pydantic")
        out.append(Target(f"{op} within 2x of pydantic v2 (medium)", f"{r:.2f}x", r <= 2.0))
    for op, goal in (("decode", 30), ("encode", 100)):
        r = t(op, "fhir.resources") / t(op, "careroles")
        out.append(
            Target(
                f"{op} at least {goal}x faster than fhir.resources R4B (medium)",
                f"{r:.0f}x faster",
                r >= goal,
            )
        )
    r = mem["careroles"][0] / mem["msgspec"][0]
    out.append(Target("batch memory within 1.2x of msgspec", f"{r:.2f}x", r <= 1.2))
    imp = (
        cold_["import attrs, cattrs, pendulum, careroles"][0].median
        / cold_["import attrs, cattrs, pendulum"][0].median
    )
    out.append(
        Target(
            "`import careroles` adds at most 30% to importing attrs, cattrs and pendulum",
            f"+{(imp - 1) * 100:.0f}%",
            imp <= 1.3,
        )
    )
    first = (
        cold_["first round trip: careroles"][0].median
        / cold_["first round trip: attrs+cattrs+pendulum"][0].median
    )
    out.append(
        Target(
            "cold first round trip (small) within 1.5x of plain attrs+cattrs+pendulum",
            f"{first:.2f}x",
            first <= 1.5,
        )
    )
    return out


def _versions() -> str:
    names = ("careroles", "attrs", "cattrs", "pendulum", "pydantic", "msgspec", "orjson")
    parts = [f"{n} {importlib.metadata.version(n)}" for n in names]
    parts.append(f"fhir.resources {importlib.metadata.version('fhir.resources')}")
    return ", ".join(parts)


def _commit() -> str:
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "src"], capture_output=True, text=True, cwd=ROOT
        ).stdout.strip()
    except OSError:
        return "unknown"
    return head + (" (with uncommitted changes under src/)" if dirty else "")


def report(
    times: dict[tuple[str, ...], Stat],
    mem: dict[str, tuple[int, int]],
    cold_: dict[str, tuple[Stat, Stat]],
    sizes: dict[str, int],
    goals: list[Target],
    elapsed: float,
) -> str:
    now = _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# Serializer benchmark results",
        "",
        "Regenerate with `make bench` (or `.venv/bin/python -m bench`); do not edit by hand.",
        "What is measured and how the models differ: bench/README.md.",
        "",
        f"- date: {now}; run took {elapsed:.0f} s",
        f"- machine: {platform.platform()}, {os.cpu_count()} cores, {platform.processor() or '?'}",
        f"- python: {platform.python_implementation()} {platform.python_version()}",
        f"- libraries: {_versions()}",
        f"- careroles commit: {_commit()}",
        f"- FHIR Bundle made by: {FHIR_SOURCE[0]}",
        "- JSON text of one record (bytes; careroles unless named): "
        + ", ".join(f"{k} {v:,}" for k, v in sizes.items()),
        "",
        "## Targets (careroles, medium record, default converter, detailed errors on)",
        "",
        "| target | measured | met |",
        "| --- | --- | --- |",
    ]
    for g in goals:
        lines.append(f"| {g.text} | {g.measured} | {'yes' if g.met else '**no**'} |")
    lines += [
        "",
        "## Time",
        "",
        "Milliseconds per record (the batch: per 1,000 records); median, min-max over n "
        "samples; ratios are of medians.",
        "",
        "| size | operation | library | median ms | min-max ms | n | x msgspec | x pydantic |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for size in SIZES:
        for op in OPS:
            for lib in LIBS:
                s = times.get((size, op, lib))
                if s is None:
                    continue
                ms = times.get((size, op, "msgspec"))
                pd = times.get((size, op, "pydantic"))
                lines.append(
                    f"| {size} | {op} | {lib} | {_ms(s.median)} | "
                    f"{_ms(s.low)}-{_ms(s.high)} | {s.n} | "
                    f"{_ratio(s.median, ms.median if ms else None)} | "
                    f"{_ratio(s.median, pd.median if pd else None)} |"
                )
    lines += [
        "",
        "fhir.resources is not run on the large record nor the batch (minutes per sample), "
        "nor timed for the round trip (its decode plus its encode).",
        "",
        "## Memory held by the batch of 1,000 small records as objects",
        "",
        "| library | MiB | KiB per record | x msgspec | x pydantic |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for lib in LIBS:
        if lib not in mem:
            continue
        size, n = mem[lib]
        note = f" (measured on {n}, scaled)" if n != 1000 else ""
        lines.append(
            f"| {lib}{note} | {size / 2**20:.1f} | {size / 1000 / 1024:.1f} | "
            f"{_ratio(size, mem['msgspec'][0])} | {_ratio(size, mem['pydantic'][0])} |"
        )
    lines += [
        "",
        "## Cold start (fresh processes)",
        "",
        "CPU time from the code's first statement (imports included; the targets use this) "
        "and since the process started (interpreter start-up included); median, min-max, ms.",
        "",
        "| what | from first statement | min-max | since process start | min-max | n |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, (inner, whole) in cold_.items():
        lines.append(
            f"| {name} | {_ms(inner.median)} | {_ms(inner.low)}-{_ms(inner.high)} | "
            f"{_ms(whole.median)} | {_ms(whole.low)}-{_ms(whole.high)} | {inner.n} |"
        )
    return "\n".join(lines) + "\n"


def _progress(text: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="few samples: check the harness")
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument("--seed", type=int, default=20260309)
    args = parser.parse_args(argv)
    start = time.perf_counter()

    from bench import codegen

    changed = codegen.main()
    if changed:
        _progress(f"regenerated {', '.join(changed)}")
    from bench import workload

    records = {size: [workload.build(size, args.seed)] for size in ("small", "medium", "large")}
    records["batch"] = list(workload.batch(10 if args.quick else 1000, args.seed))
    _progress("built the workload")
    libs = libraries(records)
    _progress("prepared every library's text")
    held: dict[str, list[Any]] = {}  # the batch as objects, from the memory pass
    budget = (0.2, 2, 3) if args.quick else (1.0, 7, 30)
    cold_ = cold(records, reps=2 if args.quick else 10)
    times = time_all(libs, *budget, sizes=("small", "medium", "large"), batch=held)
    mem = memory(libs, held)  # then the batch: holding it must not weigh on the others
    times.update(time_all(libs, *budget, sizes=("batch",), batch=held))
    sizes = {s: len(libs[0].texts[s][0].encode()) for s in ("small", "medium", "large")}
    for lib in libs[1:]:
        text = lib.texts["medium"][0]
        sizes[f"medium as {lib.name}"] = len(text.encode() if isinstance(text, str) else text)
    goals = targets(times, mem, cold_)
    text = report(times, mem, cold_, sizes, goals, time.perf_counter() - start)
    print(text)
    if not args.no_write:
        with open(os.path.join(HERE, "RESULTS.md"), "w") as f:
            f.write(text)
        _progress("wrote bench/RESULTS.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
