# Cadres and their integrity files (廉政档案) are deliberately not in the Django admin: both are business
# content (an integrity record states the facts of a case at its 密级), read only through the pages and
# the API, which check jurisdiction and clearance. The roster changes through its import (one audited
# transaction per file).
