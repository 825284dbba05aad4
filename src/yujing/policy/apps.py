from django.apps import AppConfig
from django.core.exceptions import ImproperlyConfigured


class PolicyConfigError(ImproperlyConfigured):
    """The policy file cannot be used; the message names the file and each wrong key, and is all the user
    needs to see (the command line prints it without a traceback)."""


class PolicyConfig(AppConfig):
    name = "yujing.policy"
    verbose_name = "预警规则"

    def ready(self) -> None:
        # A wrong policy must stop start-up, naming the key, rather than fail on some later day.
        from .loader import get_policy
        from .schema import PolicyError

        try:
            get_policy()
        except PolicyError as exc:
            raise PolicyConfigError(str(exc)) from None
