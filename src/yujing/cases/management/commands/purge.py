from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from yujing.cases.services import kept_until, purge_candidates, purge_expired
from yujing.core.commands import add_date_argument, day
from yujing.orgs.models import User


class Command(BaseCommand):
    help = ("列出（加 --yes 则销毁）保存期满的已归档预警事项（保存年限见策略文件 [retention] keep_years，自办结之日起算）。"
            "须以系统管理员身份执行并写明销毁依据；每件销毁记入审计日志，审计日志、文号登记、线索和廉政档案记录不删除。")

    def add_arguments(self, parser):
        parser.add_argument("--user", required=True, help="执行销毁的系统管理员用户名")
        parser.add_argument("--reason", default="", help="销毁依据（批准文件或会议）")
        add_date_argument(parser)
        parser.add_argument("--yes", action="store_true", help="确认销毁；不加则只列出")

    def handle(self, *args, **options):
        today = day(options)
        user = User.objects.filter(username=options["user"], is_active=True).first()
        if user is None:
            raise CommandError(f"没有启用的用户 {options['user']}")
        found = purge_candidates(user, today=today)
        for case in found.due:
            self.stdout.write(f"可销毁  {case.number}  办结 {case.closed_on}  保存至 {kept_until(case.closed_on)}")
        for case, why in found.held:
            self.stdout.write(f"暂不能  {case.number}  {why}")
        if not options["yes"]:
            self.stdout.write(f"共 {len(found.due)} 件可销毁（未执行；确认后加 --yes）。")
            return
        try:
            numbers = purge_expired(by=user, today=today, reason=options["reason"])
        except PermissionDenied as error:
            raise CommandError(f"{user.username} 不是系统管理员：{error}") from None
        except ValidationError as error:
            raise CommandError("；".join(error.messages)) from None
        self.stdout.write(f"已销毁 {len(numbers)} 件：{'、'.join(numbers)}。")
