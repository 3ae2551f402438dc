"""tiers confirm-batch --tier T --batch B --year Y turned a 复核 公示 and a new one of the same
label and year final together (confirm29): with both 公示中 it refuses, lists both and says
how to choose (--review / --new), changing nothing; the one chosen alone becomes 有效."""

from __future__ import annotations

import json

import pytest

from tests.tiers.test_confirm_batch_review_or_new import _pending, _publicised

BATCH = ("confirm-batch", "--tier", "省级专精特新", "--batch", "2026年度", "--year", "2026")


def test_both_lists_publicised_are_refused_with_how_to_choose(cli, database):
    _publicised(database)
    status, out, err = cli(*BATCH)
    assert status == 1 and out == ""
    assert "2026年度 1 家" in err and "2026年度（复核） 2 家" in err, err
    assert "--review" in err and "--new" in err, err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    assert _pending(database) == {False: 1, True: 2}


def test_the_list_chosen_alone_is_confirmed(cli, database):
    _publicised(database)
    status, out, _err = cli("confirm-batch")  # the listing says how to choose beforehand
    assert status == 0 and "分别确认" in out and "--review" in out, out
    status, out, _err = cli(*BATCH, "--review")
    assert status == 0 and "已确认复核名单中的 2 条认定为有效" in out, out
    assert _pending(database) == {False: 1}
    status, out, _err = cli("confirm-batch")
    assert "分别确认" not in out, out  # one list left: nothing to choose
    status, out, _err = cli(*BATCH, "--review")
    assert status == 1  # confirmed already: nothing 公示中 on that list
    status, out, _err = cli(*BATCH, "--new", "--json")
    assert status == 0 and json.loads(out) == {"confirmed": 1}
    assert _pending(database) == {}


def test_review_and_new_together_or_without_a_tier_are_refused(cli, database, capsys):
    """Both options at once: one Chinese line (argparse said "not allowed with argument")."""
    _publicised(database)
    with pytest.raises(SystemExit) as stopped:
        cli(*BATCH, "--review", "--new")
    err = capsys.readouterr().err
    assert stopped.value.code == 2 and "不能同时使用" in err and "not allowed" not in err, err
    status, _out, err = cli("confirm-batch", "--review")
    assert status == 1 and "--tier" in err
    assert _pending(database) == {False: 1, True: 2}
