from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from yujing.orgs.models import User
from yujing.orgs.roles import Secrecy
from yujing.orgs.services import set_clearance


class Command(BaseCommand):
    help = ("设定（或取消）某人的本人密级上限：其所任各角色可知悉的密级均不超过此级（不会高于角色本身的密级）。"
            "须以系统管理员身份执行并写明依据，记入审计日志。")

    def add_arguments(self, parser):
        parser.add_argument("username", help="被设定的用户名")
        parser.add_argument("level", choices=[*Secrecy.values, "none"],
                            help="normal 一般、confidential 秘密、secret 机密；none 取消上限")
        parser.add_argument("--by", required=True, help="执行设定的系统管理员用户名")
        parser.add_argument("--reason", default="", help="依据（决定或批准文件）")

    def handle(self, *args, **options):
        by = User.objects.filter(username=options["by"], is_active=True).first()
        if by is None:
            raise CommandError(f"没有启用的用户 {options['by']}")
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"没有用户 {options['username']}")
        level = "" if options["level"] == "none" else options["level"]
        try:
            set_clearance(user=user, level=level, reason=options["reason"], by=by)
        except ValidationError as error:
            raise CommandError("；".join(error.messages)) from None
        label = Secrecy(level).label if level else "无（按角色）"
        self.stdout.write(f"{user.username} 的本人密级上限：{label}。")
