"""``tiers import`` of a sheet with hundreds of columns it does not take names the first
30 and how many there are: it printed every label on one line, all 16,000 of a hostile
sheet (the break campaign of #17)."""

from __future__ import annotations

from tests.conftest import make_code
from ui.cli import main as cli


def test_the_columns_not_imported_are_counted_past_thirty(tmp_path, capsys):
    path = tmp_path / "名单.csv"
    labels = [f"列{i}" for i in range(1, 901)]
    path.write_text(",".join(["企业名称", "统一社会信用代码", *labels]) + "\n"
                    + ",".join(["常州甲公司", make_code(1), *["" for _ in labels]]) + "\n",
                    encoding="utf-8")
    assert cli.main(["--db", str(tmp_path / "t.sqlite3"), "import", str(path), "--dry-run"]) == 0
    [line] = [line for line in capsys.readouterr().out.splitlines() if "未导入的列" in line]
    assert line == ("  未导入的列：" + "、".join(f"{column} 列{i}" for i, column in enumerate(
        ["C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M", "N", "O", "P", "Q", "R", "S",
         "T", "U", "V", "W", "X", "Y", "Z", "AA", "AB", "AC", "AD", "AE", "AF"], start=1))
        + " ……共 900 列")
