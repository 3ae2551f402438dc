"""Write the small lists the smoke test imports (committed beside this script; run again
only to change them): an .xlsx 创新型中小企业 list with a title row, and a GBK CSV roster.
The .xls comes from tests/data (saved by LibreOffice)."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

from tiers.model import credit_code

HERE = Path(__file__).resolve().parent


def code(serial: int, county: str) -> str:
    return credit_code.make(f"91{county}MA7N{serial:04d}")


def main() -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "名单"
    sheet.append(["2024年度创新型中小企业名单（第一批）"])
    sheet.append(["序号", "企业名称", "统一社会信用代码", "所在县（市、区）"])
    for number, (name, county) in enumerate(
            [("常州烟测精密机械有限公司", "320412"), ("常州烟测新材料科技有限公司", "320412"),
             ("常州烟测智能装备有限公司", "320411")], start=1):
        sheet.append([number, name, code(number, county), {"320412": "武进区",
                                                             "320411": "新北区"}[county]])
    book.save(HERE / "innovative_2024.xlsx")
    lines = ["企业名称,统一社会信用代码,所在县（市、区）,所在镇（街道）"]
    for number, name in enumerate(["常州烟测电子有限公司", "常州烟测纺织有限公司"], start=11):
        lines.append(f"{name},{code(number, '320412')},武进区,湖塘镇")
    (HERE / "roster_gbk.csv").write_bytes(("\r\n".join(lines) + "\r\n").encode("gbk"))


if __name__ == "__main__":
    main()
