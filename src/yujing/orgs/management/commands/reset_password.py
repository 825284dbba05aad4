"""Set a user's password from the command line through the audited service (all password validators;
the user must change it at next sign-in and is told of the reset)."""

from getpass import getpass

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from yujing.orgs import accounts
from yujing.orgs.models import User


class Command(BaseCommand):
    help = "重置用户密码（经审计，须通过密码规则，用户下次登录时须修改）"

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"没有用户“{username}”")
        password = getpass("新密码：")
        if password != getpass("再次输入新密码："):
            raise CommandError("两次输入的密码不一致")
        try:
            accounts.set_password(user=user, password=password, by=None)
        except ValidationError as error:
            raise CommandError("；".join(error.messages)) from error
        self.stdout.write(f"已重置“{username}”的密码，该用户下次登录时须修改。")
