"""The `yujing` command: Django's manage.py under the project's own name."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yujing.settings")
    from django.core.management import execute_from_command_line

    from yujing.policy.apps import PolicyConfigError

    try:
        execute_from_command_line(sys.argv)
    except PolicyConfigError as exc:
        # a wrong policy file is the user's to fix: say which key, not where in Django it was found
        sys.stderr.write(f"{exc}\n")
        sys.exit(1)


if __name__ == "__main__":
    main()
