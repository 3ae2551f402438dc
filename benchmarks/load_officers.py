"""Ten officers on one server for a minute: searches, profile opens and edits, often of the
same few firms, to provoke crossing saves. Prints the p50/p95 latency of each kind beside
its floor (a bare one-row SELECT timed in the same loop, under the same load), the
conflicts detected, what merged by itself, and the updates lost, which must be 0.

    .venv/bin/python benchmarks/load_officers.py --db postgresql://user@127.0.0.1:5432/tiers \
        [--officers 10] [--seconds 60] [--demo 2000] [--hot 5]

Each officer is its own process with its own engine (as ten desktop clients would be). An
edit opens a firm (``profile.load``: version, profile, 变更记录 as the window reads them),
"types" for a moment, and saves what the window would save (``save_profile`` against the
version it read, the profile read back in the same transaction). A conflict is settled as
an officer would (keep mine or keep theirs, at random) and saved again.

Lost updates are counted from the database's own change log: every value a benchmark
officer wrote is unique, so each logged change (old → new) is matched with what its writer
believed was there before (the value it read, or 对方的修改 it was shown in a conflict). A
change whose old value its writer never saw overwrote another officer's save unseen: lost.
A value an officer believes saved that the log does not hold is lost as well.
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import statistics
import time
from collections import Counter
from typing import Any

FIELDS = ("address", "contact_phone", "main_product", "tags", "notes")
SEARCHES = ("机械", "科技", "液压", "常州", "电子", "新材料", "czhl", "MA3X", "湖塘", "智能")
EMPTY = "（空）"


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


# --- one officer ----------------------------------------------------------------------------

class Officer:
    def __init__(self, url: str, number: int, ids: list[int], hot: list[int], *,
                 checked: bool = True) -> None:
        from tiers.storage.database import open_database

        self.database = open_database(url, migrate=False)
        self.number, self.ids, self.hot = number, ids, hot
        self.random = random.Random(number)
        self.times: dict[str, list[float]] = {k: [] for k in ("floor", "search", "open", "save")}
        self.counts: Counter[str] = Counter()
        self.beliefs: list[tuple[int, str, str, str]] = []  # firm, field, new, believed old
        self.serial = 0
        self.checked = checked  # False: save as before versions (shows what the check finds)

    def timed(self, kind: str, work):
        start = time.perf_counter()
        result = work()
        self.times[kind].append(time.perf_counter() - start)
        return result

    def floor(self) -> None:
        from sqlalchemy import text

        firm = self.random.choice(self.ids)
        with self.database.session() as session:
            session.execute(text("SELECT name FROM enterprise WHERE id = :id"),
                            {"id": firm}).scalar()

    def search(self) -> None:
        from tiers.queries import roster

        word = self.random.choice(SEARCHES)
        with self.database.session() as session:
            ids = roster.roster_ids(session, roster.RosterFilter(search=word))
            roster.roster_rows(session, ids[:50])  # the table's first screen

    def open(self, firm: int):
        from tiers.queries import history
        from tiers.services.profile import load

        with self.database.session() as session:
            base = load(session, firm)
            history.history(session, firm)
        return base

    def edit(self) -> None:
        firm = self.random.choice(self.hot if self.random.random() < 0.7 else self.ids)
        base = self.timed("open", lambda: self.open(firm))
        time.sleep(self.random.uniform(0.05, 0.6))  # the officer types
        fields = self.random.sample(FIELDS, self.random.choice((1, 1, 2)))
        basic = {}
        for field in fields:
            self.serial += 1
            basic[field] = f"{field}-o{self.number}-{self.serial}"
        self.save(firm, base, basic)

    def save(self, firm: int, base, basic: dict[str, str]) -> None:
        from tiers.queries import history
        from tiers.services.profile import (
            Choice,
            ProfileConflict,
            Resolutions,
            load,
            save_profile,
        )
        from tiers.services.profile_merge import KEEP_MINE, KEEP_THEIRS

        resolutions: Resolutions | None = None
        theirs_shown: dict[str, str] = {}
        for _attempt in range(8):
            def job(resolutions=resolutions):
                with self.database.session() as session:
                    saved = save_profile(session, firm, basic,
                                         base=base if self.checked else None,
                                         resolutions=resolutions, user=f"officer-{self.number}")
                    load(session, firm)
                    history.history(session, firm)
                    return saved
            try:
                saved = self.timed("save", job)
            except ProfileConflict as conflict:
                self.counts["conflicts"] += 1
                self.counts["conflicting fields"] += len(conflict.conflicts)
                choices = {c.key: Choice(self.random.choice((KEEP_MINE, KEEP_THEIRS)))
                           for c in conflict.conflicts}
                theirs_shown = {c.key: c.theirs for c in conflict.conflicts}
                resolutions = Resolutions(conflict.version, choices)
                continue
            self.counts["saves"] += 1
            if saved.merged_theirs:
                self.counts["merged by themselves"] += 1
            for field in saved.basic_fields & set(basic):
                seen = theirs_shown.get(f"basic:{field}")
                if seen is None or resolutions is None or f"basic:{field}" not in \
                        resolutions.choices:
                    before = base.profile.get(field) or ""
                else:
                    before = "" if seen == EMPTY else seen
                self.beliefs.append((firm, field, basic[field], before))
            return
        self.counts["gave up"] += 1

    def run(self, seconds: float) -> dict[str, Any]:
        # untimed: the imports and the first compile of each statement, once per client
        self.floor()
        self.search()
        self.open(self.random.choice(self.ids))
        deadline = time.perf_counter() + seconds
        while time.perf_counter() < deadline:
            roll = self.random.random()
            if roll < 0.10:
                self.timed("floor", self.floor)
            elif roll < 0.45:
                self.timed("search", self.search)
            elif roll < 0.70:
                self.timed("open", lambda: self.open(self.random.choice(self.ids)))
            else:
                self.edit()
        self.database.dispose()
        return {"times": self.times, "counts": dict(self.counts), "beliefs": self.beliefs}


def run_officer(arguments: tuple) -> dict[str, Any]:
    url, number, ids, hot, seconds, checked = arguments
    return Officer(url, number, ids, hot, checked=checked).run(seconds)


# --- the bench ------------------------------------------------------------------------------

def prepare(url: str, demo_firms: int) -> tuple[list[int], int]:
    from sqlalchemy import func, select

    from tiers.model.orm import Change, Enterprise
    from tiers.services import demo
    from tiers.storage.database import open_database

    database = open_database(url)
    with database.session() as session:
        if demo_firms and not session.scalar(select(func.count()).select_from(Enterprise)):
            for _ in demo.generate(session, enterprises=demo_firms):
                pass
    with database.session() as session:
        ids = list(session.scalars(select(Enterprise.id).where(Enterprise.deleted_at.is_(None))))
        last_change = session.scalar(select(func.max(Change.id))) or 0
    database.dispose()
    return ids, last_change


def lost_updates(url: str, since: int, beliefs: list[tuple[int, str, str, str]]) -> int:
    """Replay the change log against what each officer believes it saved."""
    from sqlalchemy import select

    from tiers.model.orm import Change, Enterprise
    from tiers.services.audit import from_json
    from tiers.storage.database import open_database

    believed = {(firm, field, new): old for firm, field, new, old in beliefs}
    database = open_database(url, migrate=False)
    lost = 0
    with database.session() as session:
        logged = session.execute(
            select(Change.enterprise_id, Change.field, Change.old_value, Change.new_value)
            .where(Change.id > since, Change.entity == "enterprise",
                   Change.action == "update", Change.field.in_(FIELDS))
            .order_by(Change.id)).all()
        seen_new = set()
        last: dict[tuple[int, str], str] = {}
        for firm, field, old, new in logged:
            old, new = from_json(old) or "", from_json(new) or ""
            seen_new.add((firm, field, new))
            last[(firm, field)] = new
            writer_saw = believed.get((firm, field, new))
            if writer_saw is None or writer_saw != old:
                lost += 1  # written over a value its writer never saw (or by no officer)
        lost += sum(1 for key in believed if key not in seen_new)  # believed saved, absent
        for (firm, field), value in last.items():
            stored = session.get(Enterprise, firm)
            if (getattr(stored, field) or "") != value:
                lost += 1
    database.dispose()
    return lost


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="database URL (or a SQLite path)")
    parser.add_argument("--officers", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--hot", type=int, default=5, help="firms most edits go to")
    parser.add_argument("--demo", type=int, default=2000,
                        help="demo firms to generate when the database has none")
    parser.add_argument("--without-check", action="store_true",
                        help="save without the version check, as before (lost updates show)")
    parser.add_argument("--runs", type=int, default=1, help="runs; the table gives medians")
    args = parser.parse_args()
    ids, _since = prepare(args.db, args.demo)
    hot = random.Random(0).sample(ids, min(args.hot, len(ids)))
    print(f"{len(ids)} 家企业，{args.officers} 位模拟用户，{args.seconds:.0f} 秒 × {args.runs} 次；"
          f"多数修改集中在 {len(hot)} 家企业")
    runs = [one_run(args, ids, hot) for _ in range(args.runs)]
    print(f"\n{'kind':<8}{'n/run':>8}{'p50 ms':>10}{'p95 ms':>10}{'p50/floor':>11}{'p95/floor':>11}"
          "   (medians of the runs; floor = a bare one-row SELECT under the same load)")
    for kind in ("floor", "search", "open", "save"):
        def median(key, kind=kind):
            return statistics.median(run[kind][key] for run in runs)
        print(f"{kind:<8}{median('n'):>8.0f}{median('p50') * 1000:>10.1f}"
              f"{median('p95') * 1000:>10.1f}{median('p50/floor'):>11.1f}"
              f"{median('p95/floor'):>11.1f}")
    for key in ("saves", "conflicts", "conflicting fields", "merged by themselves", "gave up",
                "lost"):
        print(f"{key:<22}" + "  ".join(f"{run['counts'].get(key, 0):>5}" for run in runs))


def one_run(args, ids: list[int], hot: list[int]) -> dict[str, Any]:
    """One run of all officers at once: latencies by kind, counts, updates lost."""
    _ids, since = prepare(args.db, 0)
    context = multiprocessing.get_context("spawn")
    with context.Pool(args.officers) as pool:
        results = pool.map(run_officer, [(args.db, n, ids, hot, args.seconds,
                                          not args.without_check)
                                         for n in range(args.officers)])
    times: dict[str, list[float]] = {}
    counts: Counter[str] = Counter()
    beliefs = []
    for result in results:
        for kind, values in result["times"].items():
            times.setdefault(kind, []).extend(values)
        counts.update(result["counts"])
        beliefs.extend(result["beliefs"])
    counts["lost"] = lost_updates(args.db, since, beliefs)
    floor = times["floor"]
    out: dict[str, Any] = {"counts": counts}
    for kind, values in times.items():
        out[kind] = {"n": len(values), "p50": percentile(values, 0.5),
                     "p95": percentile(values, 0.95),
                     "p50/floor": percentile(values, 0.5) / percentile(floor, 0.5),
                     "p95/floor": percentile(values, 0.95) / percentile(floor, 0.95)}
    print(f"run: saves {counts['saves']}, conflicts {counts['conflicts']}, "
          f"updates lost {counts['lost']}", flush=True)
    return out

if __name__ == "__main__":
    main()
