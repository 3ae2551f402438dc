"""Random cells and shapes: the importer refuses or plans, never crashes, never writes on refusal."""

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from importers import ImportRefused, apply_plan, build_plan, detect, drain, open_source
from tests.conftest import make_code
from tests.importers.helpers import table_counts, write_xlsx

HEADERS = ["企业名称", "统一社会信用代码", "镇街", "成立日期", "营业收入（万元）", "年度", "认定日期",
           "扶持金额", "序号", "备注", "杂项", "", "细分市场占有率", "梯度层级", "曾用名"]
cells = st.one_of(
    st.none(), st.text(max_size=12), st.integers(-10**12, 10**12),
    st.floats(allow_nan=True, allow_infinity=True), st.booleans(),
    st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2100, 1, 1)),
    st.sampled_from(["-", "/", "无", "待定", "12.5万元", "1.2亿", "12%", "2015年3月8日",
                     "=HYPERLINK(\"x\")", "+86-1", "@SUM(A1)", "合计", "注：排名不分先后",
                     "小巨人", "第五批", "常州甲有限公司", make_code(1), make_code(2).lower(),
                     "\u3000", "（）", "2015/2/30", "1,234.50"]),
)


@st.composite
def sheets(draw):
    width = draw(st.integers(1, 6))
    header = draw(st.lists(st.sampled_from(HEADERS), min_size=width, max_size=width))
    titles = draw(st.lists(st.lists(cells, max_size=3), max_size=3))
    body = draw(st.lists(st.lists(cells, min_size=0, max_size=width + 1), max_size=8))
    return [*titles, header, *body]


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(rows=sheets(), kind=st.sampled_from([None, "roster", "recognitions", "support", "figures"]))
def test_never_crashes_never_writes_on_refusal(tmp_path_factory, database, rows, kind):
    path = write_xlsx(tmp_path_factory.mktemp("h") / "random.xlsx", {"S": rows})
    before = table_counts(database)
    try:
        detection = detect(open_source(path))
        if kind:
            detection = detection.with_options(kind=kind, tier="小巨人", batch_year=2023)
        with database.session() as session:
            plan = drain(build_plan(session, detection))
            drain(apply_plan(session, plan))
    except ImportRefused as refused:
        assert str(refused)
        assert table_counts(database) == before
        return
    for row in plan.rows:
        assert row.action in {"create", "update", "unchanged", "unmatched", "error"}
        for problem in row.problems:
            assert problem.row == row.row and problem.message


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=300), suffix=st.sampled_from([".xlsx", ".xls", ".csv", ".txt"]))
def test_random_bytes_are_refused_or_read(tmp_path_factory, data, suffix):
    path = tmp_path_factory.mktemp("b") / f"f{suffix}"
    path.write_bytes(data)
    try:
        detect(open_source(path))
    except ImportRefused as refused:
        assert str(refused)
