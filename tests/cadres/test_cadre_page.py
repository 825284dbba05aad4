"""The cadre's page writes the birth month the Chinese way: 1975年3月, not 1975.03."""

from datetime import date


def test_birth_month_without_a_leading_zero(login, cadres):
    cadre = cadres["MH0001"]
    cadre.birth_month = date(1975, 3, 1)
    cadre.save(update_fields=["birth_month"])
    page = login("yjb").get(f"/cadres/{cadre.pk}/").content.decode()
    assert '<dt class="col-5">出生年月</dt><dd class="col-7">1975年3月</dd>' in page
    assert "1975.03" not in page
