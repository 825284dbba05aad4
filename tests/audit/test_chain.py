"""The audit log is hash-chained: edits, deletions and insertions are caught."""

from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from yujing.audit.models import ChainHead, Event
from yujing.audit.services import record, verify_chain


@pytest.fixture
def chain(db):
    with transaction.atomic():
        for i in range(5):
            record("tests.thing.happened", by=None, data={"n": i, "text": "测试"})
    return list(Event.objects.order_by("id"))


def test_intact_chain_verifies(chain, capsys):
    assert verify_chain() is None
    call_command("audit_verify")
    assert "校验通过" in capsys.readouterr().out
    assert chain[1].prev_hash == chain[0].hash


def test_record_outside_a_transaction_is_refused(transactional_db):
    with pytest.raises(RuntimeError):
        record("tests.thing.happened", by=None)


def _sql(statement, params=()):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_edited_row_is_found(chain):
    _sql("UPDATE audit_event SET action = %s WHERE id = %s", ["tests.thing.hidden", chain[2].id])
    broken = verify_chain()
    assert broken.event_id == chain[2].id
    assert "被修改" in broken.reason
    with pytest.raises(CommandError, match=f"事件 #{chain[2].id}"):
        call_command("audit_verify")


def test_deleted_row_is_found(chain):
    _sql("DELETE FROM audit_event WHERE id = %s", [chain[2].id])
    assert verify_chain().event_id == chain[3].id


def test_deleted_last_row_is_found(chain):
    _sql("DELETE FROM audit_event WHERE id = %s", [chain[4].id])
    broken = verify_chain()
    assert broken.event_id is None
    assert "链尾" in broken.reason


def test_inserted_row_is_found(chain):
    forged = Event.objects.get(id=chain[4].id)
    forged.pk = None
    forged.hash = "f" * 64
    forged.prev_hash = chain[4].hash
    forged.save()
    assert verify_chain() is not None
    ChainHead.objects.filter(pk=1).update(last_hash=forged.hash, count=6)
    assert verify_chain().event_id == forged.id


def test_auditors_search_and_export_the_log(login, users, cadres):
    from yujing.clues import services as clue_services
    from yujing.clues.services import Concerned

    day = date(2026, 11, 20)
    clue = clue_services.register_clue(by=users["yjb"], today=day,
                                       received_on=day, channel="petition",
                                       summary="反映问题甲", detail="详情", concerned=[Concerned(cadre_id=cadres["MH0001"].pk)])
    login("yjb").get(f"/clues/{clue.pk}/")
    auditor = login("shenji")
    page = auditor.get("/audit/", {"person": "方晓春", "action": "clues.clue.viewed"})
    rows = list(page.context["page"])
    assert [(e.actor_name, e.action, e.object_id) for e in rows] == [("方晓春", "clues.clue.viewed", str(clue.pk))]
    assert "查看线索" in page.content.decode()
    assert auditor.get("/audit/", {"from": "2000-01-01", "to": "2000-12-31"}).context["page"].paginator.count == 0
    export = auditor.get("/audit/export.csv", {"object": clue.number})
    text = b"".join(export.streaming_content).decode("utf-8-sig")
    assert text.splitlines()[0] == "编号,时间,操作人,事件,说明,对象,来源地址,哈希"
    assert "反映问题甲" in text and "登记线索" in text
    assert Event.objects.filter(action="audit.log.exported").count() == 1
    assert login("yjb").get("/audit/").status_code == 403
    assert login("shuji").get("/audit/").status_code == 200
