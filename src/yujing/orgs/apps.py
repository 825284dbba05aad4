from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "yujing.orgs"
    verbose_name = "单位与人员"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from .accounts import tell_at_sign_in
        from .lockout import forget_failures

        # The notice of account changes needs the previous sign-in time, so it records the new one itself.
        user_logged_in.disconnect(dispatch_uid="update_last_login")
        user_logged_in.connect(tell_at_sign_in, dispatch_uid="yujing_account_changes")
        # a successful sign-in clears that account's failures at that address, not the address's (settings.py)
        user_logged_in.connect(forget_failures, dispatch_uid="yujing_forget_failures")
