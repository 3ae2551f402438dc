"""A 链主 imported from a 链主 list (no chain role) is on its chain in ``tiers show`` and
``tiers enterprises`` (chainshow28: it showed only in the 梯度认定 list)."""

import json

from tests.conftest import make_code

HEADER = "统一社会信用代码,企业名称,县（市、区）,梯度层级,认定批次,认定年度,是否复核,复核批次,认定日期,有效期至,所属产业链\n"


def _import(cli, tmp_path, name, chain):
    path = tmp_path / name
    path.write_text(HEADER + f"{make_code(74)},审计七号（链主）有限公司,武进区,链主企业,,2025,否,,,,"
                    f"{chain}\n", encoding="utf-8")
    status, out, err = cli("import", path, "--kind", "recognitions", "--as", "认定")
    assert status == 0, err


def test_show_and_enterprises_name_the_chain_of_the_title(cli, tmp_path):
    _import(cli, tmp_path, "chain1.csv", "起重机")
    status, out, _ = cli("show", make_code(74))
    assert status == 0
    chains = out.split("产业链：\n")[1].split("年度数据：")[0]
    assert chains.strip() == "工程机械集群 / 起重机  链主（认定：2025年度）"
    status, out, _ = cli("enterprises", "--chain", "起重机", "--format", "json")
    rows = json.loads(out)
    assert status == 0 and [r["chains"] for r in rows] == ["起重机（链主）"]
    # 链主 of a second chain, from a second list: both, each once
    _import(cli, tmp_path, "chain2.csv", "挖掘机")
    _, out, _ = cli("enterprises", "--format", "json")
    assert [r["chains"] for r in json.loads(out)] == ["起重机（链主）、挖掘机（链主）"]
    _, out, _ = cli("enterprises", "--chain", "挖掘机", "--format", "json")
    assert len(json.loads(out)) == 1
    _, out, _ = cli("show", make_code(74), "--json")
    assert [c["chain"] for c in json.loads(out)["chain_titles"]] == ["起重机", "挖掘机"]
    _, out, _ = cli("show", make_code(74))
    assert "工程机械集群 / 挖掘机  链主（认定：2025年度）" in out
