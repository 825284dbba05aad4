from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from yujing.api import services
from yujing.api.models import ApiToken
from yujing.core.dates import office_day, office_time
from yujing.orgs.models import Unit, User


def _user(username: str) -> User:
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"没有启用的用户 {username}")
    return user


class Command(BaseCommand):
    help = ("管理接口令牌：create 为对接系统的用户创建令牌（绑定其一个角色和单位，令牌只显示一次），"
            "revoke 吊销，list 列出。须以系统管理员身份执行（--by）；须两步验证或可阅知秘密以上事项的角色，"
            "其令牌只能由用户本人创建（--by 与 --user 相同）。每次创建和吊销都记入审计。")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True)
        create = sub.add_parser("create", help="创建令牌")
        create.add_argument("--by", required=True, help="系统管理员用户名，或用户本人")
        create.add_argument("--user", required=True, help="对接系统使用的用户")
        create.add_argument("--name", required=True, help="用途，如“人事系统”")
        create.add_argument("--role", default="", help="角色代码（用户有多个角色时必填）")
        create.add_argument("--unit", default="", help="单位代码（用户有多个角色时必填）")
        revoke = sub.add_parser("revoke", help="吊销令牌")
        revoke.add_argument("--by", required=True, help="系统管理员用户名")
        revoke.add_argument("prefix", help="令牌前缀（list 中显示）")
        sub.add_parser("list", help="列出令牌")

    def handle(self, *args, **options):
        try:
            getattr(self, f"_{options['what']}")(options)
        except PermissionDenied as error:
            raise CommandError(str(error)) from None
        except ValidationError as error:
            raise CommandError("；".join(error.messages)) from None

    def _create(self, options):
        unit = None
        if options["unit"]:
            unit = Unit.objects.filter(code=options["unit"]).first()
            if unit is None:
                raise CommandError(f"没有单位代码 {options['unit']}")
        _, text = services.create_token(user=_user(options["user"]), name=options["name"], role=options["role"],
                                        unit=unit, by=_user(options["by"]))
        self.stdout.write(text)

    def _revoke(self, options):
        token = ApiToken.objects.filter(prefix=options["prefix"], revoked_at__isnull=True).first()
        if token is None:
            raise CommandError(f"没有有效的令牌 {options['prefix']}")
        services.revoke_token(token=token, by=_user(options["by"]))
        self.stdout.write(f"已吊销 {token}")

    def _list(self, options):
        for t in ApiToken.objects.select_related("user", "unit"):
            state = f"已吊销 {office_day(t.revoked_at):%Y-%m-%d}" if t.revoked_at else "有效"
            used = f"{office_time(t.last_used_at):%Y-%m-%d %H:%M}" if t.last_used_at else "从未使用"
            unit = t.unit.code if t.unit else "—"
            self.stdout.write(f"{t.prefix}  {t.name}  {t.user.username}  {t.role or '—'}@{unit}  {state}  最近使用 {used}")
