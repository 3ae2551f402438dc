"""A bulk action previewed, then written after another user changed the same firms: the
result names the firms done meanwhile, why they are skipped now and who changed them (the
loser of a race on 加入培育库 was told only 没有需要修改的企业: tester22)."""

from __future__ import annotations

from tiers.services import bulk, enterprises

VALUES = {"target_tier": "创新型", "target_year": 2027}


def test_the_firms_another_user_changed_since_the_preview_are_named(database, code):
    with database.session() as session:
        ids = [enterprises.create(session, {"credit_code": code(i), "county": "武进区",
                                            "name": f"常州竞{i}有限公司"}).id for i in (1, 2)]
    with database.session() as session:
        draft = bulk.preview(session, "cultivate", ids, VALUES)
    assert draft.summary() == "将为 2 家企业加入培育库。"
    with database.session() as session:  # a colleague adds the first one meanwhile
        bulk.apply(session, "cultivate", ids[:1], VALUES, user="wujin02")
    with database.session() as session:
        result = bulk.apply(session, "cultivate", ids, VALUES, user="wujin01",
                            previewed=[item.enterprise_id for item in draft.changing])
    assert result.changed == [ids[1]]
    assert result.meanwhile == [("常州竞1有限公司", "已在培育库中（创新型中小企业 2027年）",
                                 "wujin02")]
    assert result.summary().endswith(
        "。预览之后已由其他用户修改、这次未改的企业："
        "常州竞1有限公司：已在培育库中（创新型中小企业 2027年）（wujin02 刚刚修改）")
    with database.session() as session:  # both done already: nothing written, said so
        again = bulk.apply(session, "cultivate", ids, VALUES, user="wujin01",
                           previewed=[item.enterprise_id for item in draft.changing])
    assert again.batch_id is None and len(again.meanwhile) == 2
    assert again.summary().startswith("加入培育库：没有修改任何企业。预览之后已由其他用户修改")
    # without a preview to compare (the old callers), as before
    with database.session() as session:
        plain = bulk.apply(session, "cultivate", ids, VALUES)
    assert plain.meanwhile == [] and plain.summary() == "加入培育库：没有需要修改的企业"
