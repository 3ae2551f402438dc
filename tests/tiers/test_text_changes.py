"""变更记录 in Chinese: labels, values and which record a change touched."""

import datetime as dt

from tiers.queries import history, profiles
from tiers.services import chains, figures, measures, recognitions
from tiers.text import changes as change_text


def _texts(session, enterprise_id, **context):
    return [change_text.describe(row, **context)
            for row in history.history(session, enterprise_id)]


def test_created_records_read_in_chinese_without_internal_keys(session, enterprise_factory):
    firm = enterprise_factory("常州恒力机械有限公司")
    recognitions.add(session, firm.id, {"tier_code": "zjtx", "level": "省级",
                                        "batch_year": 2024, "issuer": "江苏省工业和信息化厅",
                                        "is_review": True})
    measures.add(session, firm.id, {"kind": "奖励资金", "name": "智改数转专项",
                                    "amount": "50.000", "year": 2024, "status": "已兑现"})
    chains.set_role(session, firm.id, "C01", "链主")
    session.flush()
    texts = _texts(session, firm.id)
    by_entity = {t.entity: t for t in texts if t.action == "新增"}
    assert set(by_entity) >= {"企业", "认定", "扶持措施", "产业链角色"}
    recognition = by_entity["认定"]
    assert recognition.subject == "省级专精特新中小企业 2024年度（复核）"  # tester27b #8
    assert "梯度层级：省级专精特新中小企业" in recognition.new
    assert "认定级别：省级" in recognition.new
    assert "复核通过：是" in recognition.new
    assert "认定单位：江苏省工业和信息化厅" in recognition.new
    for text in texts:
        for internal in ("enterprise_id", "import_batch_id", "name_key", "pinyin_initials",
                         "zjtx", "tier_code", "issuer", "True"):
            assert internal not in text.new, (internal, text)
    measure = by_entity["扶持措施"]
    assert "项目名称：智改数转专项" in measure.new
    assert "企业名称" not in measure.new
    assert "金额（万元）：50；" in measure.new + "；"
    assert "状态：已兑现" in measure.new
    chain_name = next(t for t in texts if t.entity == "产业链角色").new
    assert "C01" not in chain_name and "产业链：" in chain_name and "角色：链主" in chain_name
    enterprise = by_entity["企业"].new
    assert "企业名称：常州恒力机械有限公司" in enterprise
    assert "统一社会信用代码：" in enterprise


def test_revoke_names_the_recognition_from_context(session, enterprise_factory):
    firm = enterprise_factory()
    recognition = recognitions.add(session, firm.id, {"tier_code": "little_giant",
                                                      "level": "国家级", "batch_year": 2023})
    session.flush()
    recognitions.revoke(session, recognition.id, reason="企业迁出", on=dt.date(2025, 3, 1))
    session.flush()
    profile = profiles.profile(session, firm.id)
    context = {("recognition", r["id"]): r for r in profile["recognitions"]}
    texts = _texts(session, firm.id, records=context)
    revoked = next(t for t in texts if t.field == "撤销日期")
    assert revoked.action == "撤销"
    assert revoked.entity == "认定"
    assert revoked.subject == "专精特新“小巨人”企业 2023年度"
    assert revoked.new == "2025-03-01" and revoked.old == ""
    reason = next(t for t in texts if t.field == "撤销原因")
    assert reason.new == "企业迁出"
    # without context an update cannot tell which recognition, but says nothing wrong
    bare = [t for t in _texts(session, firm.id) if t.field == "撤销原因"][0]
    assert bare.subject == "" and bare.entity == "认定"


def test_updates_render_values_for_people(session, enterprise_factory):
    firm = enterprise_factory()
    figures.set_year(session, firm.id, 2024, {"revenue": "1200.50"})
    figures.set_year(session, firm.id, 2024, {"revenue": "1300"})
    session.flush()
    texts = _texts(session, firm.id)
    update = next(t for t in texts if t.entity == "年度数据" and t.action == "修改")
    assert update.field == "营业收入"
    assert (update.old, update.new) == ("1200.5", "1300")
    text = change_text.describe({"entity": "cultivation_entry", "action": "update",
                                 "field": "target_tier", "old": '"zjtx"',
                                 "new": '"little_giant"'})
    assert (text.entity, text.field, text.old, text.new) == (
        "培育库", "目标梯度", "省级专精特新中小企业", "专精特新“小巨人”企业")
    moved = change_text.describe({"entity": "enterprise", "action": "delete", "field": "",
                                  "old": None, "new": None})
    assert (moved.entity, moved.action, moved.old, moved.new) == ("企业", "删除", "", "")
    when = change_text.describe({"entity": "enterprise", "action": "update",
                                 "field": "deleted_at", "old": None,
                                 "new": '"2026-01-02T09:30:15"'})
    assert when.field == "删除时间" and when.new == "2026-01-02 09:30"
