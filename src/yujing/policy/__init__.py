"""The rules of the regulation as data: the policy file, period arithmetic and the holiday calendar.

Use :func:`get_policy` for the policy in force, :func:`get_calendar` for the holiday calendar and
:func:`due` for a time limit; all of them are cheap to call.
"""
