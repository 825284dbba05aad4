from django.apps import AppConfig
from django.core.exceptions import ImproperlyConfigured


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
            raise ImproperlyConfigured(str(exc)) from None
