def test_home_as_office(browse):
    user = browse("yjb")
    user.shot("home", docs=True)
    user.goto("/cases/")
    user.shot("ledger", docs=True)
