# The audit log is deliberately not in the Django admin (三员分立): administrators manage accounts, units and
# settings; auditors read the log at /audit/, which checks their role. Event details name clues, cases and
# cadres, which an administrator is not cleared for.
