"""Benchmark :meth:`careroles.Schedule.conflicts` on 10,000 appointments (seeded, plain script).

One patient, 10,000 appointments of 15 minutes to 3 hours spread over about four years in three
time zones, in every status (cancelled, no-show and entered-in-error ones are skipped by the
sweep), with enough overlaps to report a few thousand pairs.

Run ``python bench/bench_schedule.py`` (``--count N``, ``--repeat R``, ``--seed S``).  It prints
the median time of one ``conflicts()`` call, without and with a 30-minute travel buffer, the
number of pairs found and, for scale, the time it took to build the appointments.  The sweep is
O(n log n + k); it should take well under a second.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable
from typing import Any

import pendulum

from careroles import (
    Appointment,
    AppointmentKind,
    AppointmentStatus,
    Cancellation,
    CancellationReason,
    NoShowFollowUp,
    Schedule,
    is_late_cancellation,
)

ZONES = ("America/New_York", "Europe/Paris", "America/Los_Angeles")
PATIENT = "p-bench"


def build(count: int, seed: int) -> Schedule:
    rng = random.Random(seed)
    base = pendulum.datetime(2026, 1, 1, tz="UTC")
    span_minutes = 4 * 365 * 24 * 60
    statuses = list(AppointmentStatus)
    items = []
    for i in range(count):
        start = base.add(minutes=rng.randrange(0, span_minutes, 5)).in_timezone(rng.choice(ZONES))
        end = start.add(minutes=rng.choice((15, 30, 45, 60, 90, 120, 180)))
        status = rng.choice(statuses)
        extra: dict[str, Any] = {}
        if status is AppointmentStatus.CANCELLED:
            at = start.subtract(hours=rng.randint(1, 72))
            extra["cancellation"] = Cancellation(
                reason=CancellationReason.OTHER, at=at, late=is_late_cancellation(start, at)
            )
        elif status is AppointmentStatus.NOSHOW:
            extra["follow_up"] = NoShowFollowUp(opened_at=end)
        items.append(
            Appointment(
                id=f"a-{i:05d}",
                patient_id=PATIENT,
                kind=AppointmentKind.TREATMENT,
                start=start,
                end=end,
                status=status,
                **extra,
            )
        )
    return Schedule(patient_id=PATIENT, appointments=tuple(items))


def median_seconds(fn: Callable[[], object], repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--seed", type=int, default=20260309)
    args = parser.parse_args()

    t0 = time.perf_counter()
    schedule = build(args.count, args.seed)
    built = time.perf_counter() - t0
    buffer = pendulum.duration(minutes=30)

    plain = schedule.conflicts()
    buffered = schedule.conflicts(buffer)
    t_plain = median_seconds(schedule.conflicts, args.repeat)
    t_buffered = median_seconds(lambda: schedule.conflicts(buffer), args.repeat)

    print(f"appointments: {args.count:,} (seed {args.seed}); built in {built:.2f} s")
    print(
        f"conflicts():            {t_plain * 1000:8.1f} ms median of {args.repeat}, "
        f"{len(plain):,} pairs"
    )
    print(
        f"conflicts(30 min):      {t_buffered * 1000:8.1f} ms median of {args.repeat}, "
        f"{len(buffered):,} pairs"
    )


if __name__ == "__main__":
    main()
