"""``tiers package export`` in 武进区's database that took in other units' firms with
``tiers import --other-counties``: a line says how many of the firms sent as the unit's own
came in that way, and what to do if they are not its (county officer, session 30)."""

from __future__ import annotations

from tests.tiers.unit_helpers import LISTED_ZONE, LISTED_ZONE2, WUJIN, taken_in_from_a_list


def test_the_command_says_the_firms_taken_in_go_as_the_units_own(database, cli, tmp_path):
    taken_in_from_a_list(database, tmp_path)
    status, out, _ = cli("package", "export", tmp_path / "武进区数据包.zip")
    assert status == 0, out
    assert ("注意：所导出的企业中有 2 家是导入名单时“一并导入”的，当时不能认定属于本单位的区县"
            f"（未填区县 2 家，如{LISTED_ZONE[0]}、{LISTED_ZONE2[0]}）：数据包以本单位的名义报送，"
            "市里会把它们当作本单位负责的区县（武进区）的企业；如它们不是本单位的，请在企业档案中"
            "填写它们所属的区县后重新导出，或用 --county 只写要报送的区县") in out, out
    # without the firms without a county: none of them sent, no such line
    status, out, _ = cli("package", "export", tmp_path / "武进区数据包.zip", "--county", WUJIN)
    assert status == 0 and "一并导入" not in out, out
