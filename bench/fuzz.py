"""Fuzz ``careroles.loads`` with a million mutated documents: only ValidationError may come out.

Run ``python -m bench.fuzz --count 1000000`` (``--jobs 2`` to use two processes).

Inputs are built from valid values of every type in :data:`careroles.strategies.STRATEGIES`
(drawn once with Hypothesis), serialized, then mutated with ``random.Random(seed)`` for speed:
drop a key, change a value's type, insert unknown keys, corrupt date-times, durations, dates and
enum values, shuffle strings between fields, damage the JSON text itself, or replace the whole
document with an arbitrary JSON value.  Each input goes to :func:`careroles.loads` for its type.

Counted as failures:

* **crashes**: any exception other than :class:`careroles.ValidationError`;
* **opaque errors**: a ValidationError whose problem is the converter's catch-all
  ``"invalid value"`` (an internal exception was swallowed: a crash in disguise);
* **leaks**: an error message containing a sensitive value of the document;
* **accepted but not rewritable**: an accepted input whose value does not dump and load back
  equal;
* **fast-path disagreements**: the same input read by a converter without the fast paths
  (cattrs' detailed functions only) gives a different value, or different problems.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import random
import sys
import time
import warnings
from collections.abc import Iterator
from typing import Any

import hypothesis  # noqa: F401 - import before careroles.strategies (entry-point hook order)
from hypothesis.errors import NonInteractiveExampleWarning

import careroles
from careroles import serialization
from careroles.strategies import STRATEGIES, sensitive_texts, with_canaries

__all__ = ["Report", "base_documents", "fuzz", "main", "mutate"]

Json = Any
PathT = tuple[str | int, ...]

_DATETIME_SAMPLES = (
    "2026-03-08T09:00:00-04:00[America/New_York]",
    "2026-03-08T02:30:00-05:00[America/New_York]",  # does not exist
    "2024-10-27T02:30:00+01:00[Europe/Paris]",
    "2024-10-27T02:30:00+05:00[Europe/Paris]",  # offset and zone disagree
    "2024-10-27T02:30:00",  # naive
    "2024-10-27T02:30:00Z",
    "2024-10-27T02:30:00+01:00[Mars/Olympus]",
    "2024-10-27T02:30:00+01:00[]",
    "2024-02-30T02:30:00+01:00",
    "9999-12-31T23:59:59-05:00[America/New_York]",
    "0001-01-01T00:00:00+14:00",
    "2024-10-27 02:30:00+01:00",
    "2024-10-27T24:00:00Z",
    "2024-10-27T02:30:00.1234567Z",
    "2024-10-27",
    "P1D",
)
_OTHER_VALUES: tuple[Json, ...] = (
    None,
    True,
    False,
    0,
    -1,
    1.5,
    1e308,
    10**30,
    "",
    " ",
    "x",
    "true",
    "null",
    "7",
    "P",
    "PT45M",
    "P99999999999999999999Y",
    "P1Y2M3W4DT5H6M7.5S",
    "-P1D",
    "400.00",
    "4e2",
    "NaN",
    "24:00",
    "09:00",
    "2024-13-01",
    "\uff12\uff10\uff12\uff14-01-01",  # full-width digits
    "\x00",
    "\ud800",
    [],
    [None],
    [[]],
    {},
    {"$type": "Patient"},
    {"": None},
)
_UNKNOWN_KEYS = ("extra", "nickname", "$type", "$version", "", "__class__", "Id", "id ")


def base_documents(per_type: int, seed: int) -> list[tuple[type, Json, frozenset[str]]]:
    """Valid documents of every registered type: (type, JSON tree, sensitive texts).

    Sensitive texts are replaced by canaries where the type still accepts them; otherwise the
    drawn texts themselves are used (non-ASCII ones only, which no message template contains).
    """
    out = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NonInteractiveExampleWarning)
        for cls, factory in sorted(STRATEGIES.items(), key=lambda kv: kv[0].__name__):
            strategy = factory()
            for _ in range(per_type):
                value = strategy.example()
                tree = json.loads(careroles.dumps(value))
                marked, canaries = with_canaries(value, tree)
                try:
                    careroles.loads(json.dumps(marked), cls)
                except careroles.ValidationError:
                    secrets = frozenset(t for t in sensitive_texts(value) if not t.isascii())
                    out.append((cls, tree, secrets))
                else:
                    out.append((cls, marked, canaries))
    random.Random(seed).shuffle(out)
    return out


# --- mutations --------------------------------------------------------------------------------


def _paths(tree: Json, prefix: PathT = ()) -> Iterator[tuple[PathT, Json]]:
    yield prefix, tree
    if isinstance(tree, dict):
        for k, v in tree.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(tree, list):
        for i, v in enumerate(tree):
            yield from _paths(v, (*prefix, i))


def _replace(tree: Json, path: PathT, new: Json) -> Json:
    """A copy of `tree` with the node at `path` replaced by `new` (path copying)."""
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(tree, dict):
        copy: Any = dict(tree)
    else:
        copy = list(tree)
    copy[head] = _replace(tree[head], rest, new)
    return copy


def _random_json(rng: random.Random, depth: int = 0) -> Json:
    roll = rng.random()
    if depth > 3 or roll < 0.5:
        return rng.choice(_OTHER_VALUES + _DATETIME_SAMPLES)
    if roll < 0.75:
        return [_random_json(rng, depth + 1) for _ in range(rng.randint(0, 3))]
    return {
        rng.choice((*_UNKNOWN_KEYS, "id", "status", "start")): _random_json(rng, depth + 1)
        for _ in range(rng.randint(0, 3))
    }


def _corrupt_text(rng: random.Random, s: str) -> str:
    roll = rng.randrange(9)
    if not s:
        return rng.choice(("x", " ", "\x00"))
    i = rng.randrange(len(s))
    if roll == 0:
        return s[:i]
    if roll == 1:
        return s[:i] + s[i + 1 :]
    if roll == 2:
        return s[:i] + rng.choice("0123456789-:+TZPYMDHS[]/._ é٣") + s[i:]
    if roll == 3:
        return s[:i] + rng.choice("0123456789-:+TZ[]/") + s[i + 1 :]
    if roll == 4:
        return s.upper() if rng.random() < 0.5 else s.swapcase()
    if roll == 5 and "[" in s:
        return s.split("[")[0]  # drop the zone
    if roll == 6 and ("+" in s or s.endswith("Z")):
        return s.rsplit("+", 1)[0].rstrip("Z")  # drop the offset (naive)
    if roll == 7 and "[" in s:
        zone = rng.choice(("UTC", "Europe/Paris", "Australia/Lord_Howe", "Nowhere/Land", "utc"))
        return s.split("[")[0] + f"[{zone}]"
    return s + s


def mutate(rng: random.Random, tree: Json, secrets: frozenset[str]) -> Json:
    """One to three random mutations of a JSON tree (the original is never modified)."""
    for _ in range(rng.choice((1, 1, 1, 2, 3))):
        path, node = rng.choice(list(_paths(tree)))
        tree = _replace(tree, path, _mutated(rng, node, secrets))
    return tree


def _mutated(rng: random.Random, node: Json, secrets: frozenset[str]) -> Json:
    kind = rng.randrange(10)
    if kind == 0 and isinstance(node, dict) and node:  # drop a key
        key = rng.choice(list(node))
        return {a: b for a, b in node.items() if a != key}
    if kind == 1:  # change a value's type
        return _random_json(rng)
    if kind == 2 and isinstance(node, dict):  # insert an unknown key
        return {**node, rng.choice(_UNKNOWN_KEYS): _random_json(rng)}
    if kind in (3, 4) and isinstance(node, str):  # corrupt a string (date-times too)
        return _corrupt_text(rng, node)
    if kind == 5 and isinstance(node, str):  # a date-time-shaped value anywhere
        return rng.choice(_DATETIME_SAMPLES)
    if kind == 6 and isinstance(node, list):  # list surgery
        return _list_surgery(rng, node)
    if kind == 7 and secrets:  # move a sensitive text somewhere it does not belong
        return rng.choice(sorted(secrets))
    if kind == 8 and isinstance(node, bool | int | float):
        return rng.choice((str(node), float(node), -1, None))
    return [node] if rng.random() < 0.5 else {"value": node}  # wrap


def _list_surgery(rng: random.Random, xs: list[Json]) -> list[Json]:
    if not xs:
        return [_random_json(rng)]
    roll = rng.randrange(3)
    if roll == 0:
        return [*xs, xs[0]]  # duplicate an item
    if roll == 1:
        return xs[1:]
    return [xs[-1], *xs[:-1]]


def _inputs(
    rng: random.Random, bases: list[tuple[type, Json, frozenset[str]]]
) -> Iterator[tuple[type, str | bytes, frozenset[str]]]:
    while True:
        cls, tree, secrets = rng.choice(bases)
        roll = rng.random()
        if roll < 0.04:
            yield cls, json.dumps(_random_json(rng)), secrets
        elif roll < 0.08:
            text = json.dumps(tree)
            i = rng.randrange(len(text))
            yield cls, text[:i] + rng.choice('{}[]",:\\0aé') + text[i + 1 :], secrets
        elif roll < 0.09:
            yield cls, rng.randbytes(rng.randrange(1, 20)), secrets
        else:
            yield cls, json.dumps(mutate(rng, tree, secrets), ensure_ascii=False), secrets


# --- the run ----------------------------------------------------------------------------------

Report = dict[str, Any]


def fuzz(count: int, seed: int, per_type: int = 12, examples: int = 5) -> Report:
    """Feed `count` inputs to :func:`careroles.loads`; return counts and a few examples."""
    rng = random.Random(seed)
    bases = base_documents(per_type, seed)
    report: Report = {
        "inputs": 0,
        "accepted": 0,
        "refused": 0,
        "crashes": 0,
        "opaque": 0,
        "leaks": 0,
        "redump": 0,
        "disagree": 0,
        "examples": [],
    }
    plain = serialization._build_converter(lenient=False, straight=False)
    feed = _inputs(rng, bases)
    for _ in range(count):
        cls, text, secrets = next(feed)
        report["inputs"] += 1
        problem = None
        value: Any = None
        try:
            value = careroles.loads(text, cls)
        except careroles.ValidationError as exc:
            report["refused"] += 1
            if (disagreement := _disagreement(plain, text, cls, exc)) is not None:
                report["disagree"] += 1
                problem = disagreement
            rendered = str(exc)
            if any(p.message == "invalid value" for p in exc.problems):
                report["opaque"] += 1
                problem = "opaque: " + "; ".join(exc.messages)
            elif any(s in rendered for s in secrets):
                report["leaks"] += 1
                problem = "leak: " + "; ".join(exc.messages)
        except Exception as exc:
            report["crashes"] += 1
            problem = f"crash: {type(exc).__name__}: {exc}"
        else:
            report["accepted"] += 1
            problem = _redump_problem(value, cls)
            if problem is not None:
                report["redump"] += 1
            elif (disagreement := _disagreement(plain, text, cls, value)) is not None:
                report["disagree"] += 1
                problem = disagreement
        if problem is not None and len(report["examples"]) < examples:
            shown = text if isinstance(text, str) else repr(text)
            report["examples"].append(f"{cls.__name__}: {problem}\n    input: {shown[:300]}")
    return report


def _disagreement(plain: Any, text: str | bytes, cls: type, fast: Any) -> str | None:
    """How reading `text` without the fast paths differs from `fast` (a value or an error)."""
    try:
        slow: Any = serialization._structure(plain, serialization._parse_json(text, cls), cls)
    except careroles.ValidationError as exc:
        if not isinstance(fast, careroles.ValidationError):
            return "the fast path accepts what the detailed path refuses: " + str(exc)
        if exc.problems != fast.problems:
            return f"the paths report different problems: {fast} / {exc}"
        return None
    if isinstance(fast, careroles.ValidationError):
        return "the fast path refuses what the detailed path accepts: " + str(fast)
    if careroles.unstructure(slow) != careroles.unstructure(fast) or repr(slow) != repr(fast):
        return "the paths read different values"
    return None


def _redump_problem(value: Any, cls: type) -> str | None:
    """What is wrong with an accepted value: it must dump and load back equal."""
    try:
        again: Any = careroles.loads(careroles.dumps(value), cls)
    except Exception as exc:
        return f"accepted but cannot be written back: {type(exc).__name__}: {exc}"
    if again != value:
        return "accepted but does not load back equal"
    return None


def _worker(args: tuple[int, int]) -> Report:
    return fuzz(*args)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.fuzz", description=__doc__)
    parser.add_argument("--count", type=int, default=100_000, help="number of inputs")
    parser.add_argument("--seed", type=int, default=20260309)
    parser.add_argument("--jobs", type=int, default=1, help="worker processes")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    if args.jobs > 1:
        share = -(-args.count // args.jobs)
        with multiprocessing.Pool(args.jobs) as pool:
            parts = pool.map(_worker, [(share, args.seed + i) for i in range(args.jobs)])
    else:
        parts = [fuzz(args.count, args.seed)]
    elapsed = time.perf_counter() - started
    total: Report = {k: sum(p[k] for p in parts) for k in parts[0] if k != "examples"}
    print(
        f"careroles fuzz: {total['inputs']:,} inputs over {len(STRATEGIES)} types in "
        f"{elapsed:.1f} s ({total['inputs'] / elapsed:,.0f}/s), seed {args.seed}, "
        f"{args.jobs} job(s)"
    )
    print(
        f"  accepted {total['accepted']:,}  refused {total['refused']:,}  "
        f"crashes {total['crashes']:,}  opaque errors {total['opaque']:,}  "
        f"leaks {total['leaks']:,}  accepted-but-not-rewritable {total['redump']:,}  "
        f"fast-path disagreements {total['disagree']:,}"
    )
    for example in [e for p in parts for e in p["examples"]][:10]:
        print("  " + example)
    failures = sum(total[k] for k in ("crashes", "opaque", "leaks", "redump", "disagree"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
