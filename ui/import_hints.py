"""Where the import wizard lets the user give what a refusal or a problem says is missing
(its ``hint_field``): the library's messages name no widget, the wizard adds its own."""

from __future__ import annotations

from tiers.errors import with_hint  # (not through importers: the window opens without them)

HINTS = {"tier": "（在“梯度层级”中选择）",
         "year": "（在“年度”中填写）",
         "link": "；如是同一家，可选中该行点“指定关联”",
         "short_name": "；核对后点“采用简称匹配”关联这类行，不对的行再“取消关联”",
         "mapping": "，如不对请回到上一步改正列的对应字段",
         "code_or_link": "，或选中该行点“指定关联”",
         # a package chosen as a list, a list chosen as a package
         "package": "，请用“文件 → 导入数据包…”导入",
         "lists": "；名单请用“文件 → 导入…”导入",
         # a row outside the unit's counties the officer may take in
         "take_in": "（勾选“一并导入这些行”，或选中本行点“导入此行”）"}


def hinted(message: str, hint_field: str) -> str:
    return with_hint(message, HINTS.get(hint_field, ""))
