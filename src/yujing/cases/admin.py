# Warning cases are deliberately not in the Django admin: administrators keep the system running but
# have no need to know case content (第三十三条(六)). Cases are reached only through the pages and
# the API, which check jurisdiction.
