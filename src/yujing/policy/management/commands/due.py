from datetime import date

from django.core.management.base import BaseCommand, CommandError

from yujing.policy.holidays import NoticeError
from yujing.policy.loader import due
from yujing.policy.periods import Period, PeriodError


class Command(BaseCommand):
    help = "计算期限：yujing due 起算日 期间（如 2026-01-31 1m；7d、10d、5wd 为工作日）。最后一行只输出到期日。"

    def add_arguments(self, parser):
        parser.add_argument("start", help="起算日，YYYY-MM-DD（当日不计入）")
        parser.add_argument("period", help="期间：7d、10d、1m、1y，或 5wd（工作日）")

    def handle(self, *args, **options):
        try:
            start = date.fromisoformat(options["start"])
        except ValueError:
            raise CommandError(f"起算日“{options['start']}”不是 YYYY-MM-DD 格式的日期") from None
        try:
            period = Period.parse(options["period"])
            result = due(start, period)
        except (PeriodError, NoticeError) as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"起算日 {start.isoformat()}（不计入），期间 {period.label}")
        if result.rolled:
            self.stdout.write(
                f"期间届满日 {result.nominal.isoformat()} 为休息日，顺延 {len(result.skipped)} 日"
            )
        if result.provisional:
            self.stdout.write("注意：所涉年度尚无节假日安排，按周末推算，结果为暂定，请录入该年度节假日通知后复核。")
        self.stdout.write(result.date.isoformat())
