"""The cadre's page writes the birth month the Chinese way: 1975年3月, not 1975.03."""

from datetime import date


def test_birth_month_without_a_leading_zero(login, cadres):
    cadre = cadres["MH0001"]
    cadre.birth_month = date(1975, 3, 1)
    cadre.save(update_fields=["birth_month"])
    page = login("yjb").get(f"/cadres/{cadre.pk}/").content.decode()
    assert '<dt class="col-5">出生年月</dt><dd class="col-7">1975年3月</dd>' in page
    assert "1975.03" not in page


def test_the_term_end_is_shown_or_said_to_be_unrecorded(login, cadres):
    cadre = cadres["MH0001"]
    page = login("yjb").get(f"/cadres/{cadre.pk}/").content.decode()
    assert '<dt class="col-5">任期届满日期</dt><dd class="col-7">未登记</dd>' in page
    cadre.term_ends_on = date(2027, 1, 5)
    cadre.save(update_fields=["term_ends_on"])
    page = login("yjb").get(f"/cadres/{cadre.pk}/").content.decode()
    assert '<dt class="col-5">任期届满日期</dt><dd class="col-7">2027年1月5日</dd>' in page
