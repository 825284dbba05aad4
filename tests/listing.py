"""Reading a paginated list page in the sorting tests: which of the named objects it shows, in order."""


def page_of(client, url: str):
    """GET a list page that must answer 200."""
    response = client.get(url)
    assert response.status_code == 200, url
    return response


def shown(response, named: dict) -> str:
    """The keys of ``named`` (key -> object) in the order the page lists the objects, e.g. "cdab"."""
    keys = {obj.pk: key for key, obj in named.items()}
    return "".join(keys[row.pk] for row in response.context["page"].object_list)
