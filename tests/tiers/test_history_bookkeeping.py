"""变更记录 and 导入记录 → 查看企业 after a 数据包 and its undo (a new-user tester's finding:
the firm's history showed a line 来源数据包 1 → 3 for every package and 3 → 1 for its undo,
and the undo's lines had an empty 来源导入): the provenance the exchange writes is
bookkeeping, not a change of the firm, and an undo's lines say which batch they took back."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from importers.undo import undo_batch
from tests.tiers.exchange_helpers import DAY, WUJIN, imported, sent
from tiers.model.orm import Enterprise
from tiers.progress import drain
from tiers.queries.history import history
from tiers.queries.imports import batch_enterprises
from tiers.services import enterprises


def test_provenance_is_no_change_and_the_undo_names_its_batch(county, city, tmp_path):
    with county.session() as session:
        firm = session.scalars(select(Enterprise).where(
            Enterprise.county_code == WUJIN).order_by(Enterprise.id)).first()
        firm_id, code = firm.id, firm.credit_code
    imported(city, sent(county, tmp_path / "wj1.zip", WUJIN, DAY))
    with county.session() as session:
        enterprises.update(session, firm_id, {"contact_phone": "0519-3000"})
    second = imported(city, sent(county, tmp_path / "wj2.zip", WUJIN,
                                 DAY + dt.timedelta(days=1))).batch_id
    with city.session() as session:
        city_id = session.scalar(select(Enterprise.id).where(Enterprise.credit_code == code))
        firms = batch_enterprises(session, second)
        assert [(row["enterprise_id"], row["changes"]) for row in firms] == [(city_id, 1)]
        drain(undo_batch(session, second, user="市局"))
    with city.session() as session:
        lines = history(session, city_id)
    assert not [line for line in lines if line["field"] == "source_package_id"]
    updates = [(line["field"], line["import_file"]) for line in lines
               if line["action"] == "update"]
    assert updates[0] == ("contact_phone", f"撤销导入（批次 {second}）")
    assert updates[1][0] == "contact_phone" and updates[1][1].endswith("wj2.zip")
