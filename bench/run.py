#!/usr/bin/env python
"""Yujing benchmarks (`make bench`). Each benchmark prints one row of the README's table.

Runs on a throw-away SQLite database under a temporary folder, or on the database named by
BENCH_DATABASE_URL (e.g. a PostgreSQL database you do not mind being migrated and filled).
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", help="run only the benchmarks whose module name contains one of these (comma-separated), "
                                           "e.g. reminders,pages")
    parser.add_argument("--clues", type=int, help="size of the province, in clues (default BENCH_CLUES or 200000)")
    args = parser.parse_args()

    if args.clues:
        os.environ["BENCH_CLUES"] = str(args.clues)
    tmp = tempfile.mkdtemp(prefix="yujing-bench-")
    os.environ.setdefault("YUJING_VAR_DIR", tmp)
    os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{tmp}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yujing.settings")
    os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    if connection.vendor == "postgresql":
        # the setting deploy/README.md asks for on SSD storage (PostgreSQL's default, 4, models spinning
        # disks and makes the planner scan a province's clues to count one county's)
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_database()")
            cursor.execute(f'ALTER DATABASE "{cursor.fetchone()[0]}" SET random_page_cost = 1.1')
        connection.close()
    from bench import documents, jobs, pages, reminders, rollup, roster_import

    benchmarks = [roster_import, documents, reminders, rollup, jobs, pages]
    print(f"# Yujing benchmarks — {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, {connection.vendor}")
    print("| benchmark | figure | target |")
    print("|---|---|---|")
    for module in benchmarks:
        if args.only and not any(part in module.__name__ for part in args.only.split(",")):
            continue
        for name, figure, target in module.run():
            print(f"| {name} | {figure} | {target} |", flush=True)


if __name__ == "__main__":
    main()
