"""Named views in config.toml: parsing, strict errors, writing back with comments, 0600."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from closetui.config import ConfigError, View, config_path, load_config, save_view
from tests.unit.helpers import SHOWN, problem, write

WITH_VIEWS = """\
# My closetui settings
default_profile = "acme"

[profiles.acme]
api_key_env = "CLOSE_KEY"  # set in ~/.profile

# Only Ann's deals, in this org
[profiles.acme.views.Mine]
owner = "Ann Lee"  # by name, not id

# Views for every profile
[views."Won this month"]
status_type = "won"
date_won_from = "-1m"
order_by = "-date_won"

[views.Open]
status = ["Proposal", "Sales/Lead"]
"""


@pytest.fixture
def path() -> Path:
    """The default config file (not created)."""
    return config_path()


def test_views_load_global_and_per_profile(path: Path) -> None:
    write(path, WITH_VIEWS)
    config = load_config().config
    won = config.views["Won this month"]
    assert won.status_type == ("won",)
    assert won.date_won_from == "-1m"
    assert won.order_by == "-date_won"
    assert config.views["Open"].status == ("Proposal", "Sales/Lead")
    assert config.profiles["acme"].views["Mine"].owner == ("Ann Lee",)
    assert list(config.views_for("acme")) == ["Won this month", "Open", "Mine"]
    assert list(config.views_for(None)) == ["Won this month", "Open"]
    assert list(config.views_for("other")) == ["Won this month", "Open"]


def test_a_profile_view_replaces_a_global_one_of_the_same_name(path: Path) -> None:
    write(
        path,
        '[views.Mine]\nowner = "Bob"\n\n[profiles.acme]\napi_key_env = "K"\n\n'
        '[profiles.acme.views.Mine]\nowner = "Ann"\n',
    )
    config = load_config().config
    assert config.views_for("acme")["Mine"].owner == ("Ann",)
    assert config.views_for(None)["Mine"].owner == ("Bob",)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "[views.X]\nowners = 'Ann'\n",
            "views.X.owners: unknown key, expected one of pipeline, status, status_type, "
            "owner, date_won_from, date_won_to, query, order_by (did you mean owner?)",
        ),
        (
            '[profiles.acme]\napi_key_env = "K"\n[profiles.acme.views.X]\nstatuss = "Won"\n',
            "profiles.acme.views.X.statuss: unknown key, expected one of pipeline, status, "
            "status_type, owner, date_won_from, date_won_to, query, order_by "
            "(did you mean status?)",
        ),
        (
            "[views.X]\nstatus_type = 'wonn'\n",
            'views.X.status_type: expected "active", "won" or "lost", got "wonn" '
            "(did you mean won?)",
        ),
        (
            "[views.X]\nstatus_type = ['won', 'Lost']\n",
            'views.X.status_type: expected "active", "won" or "lost", got "Lost"',
        ),
        (
            "[views.X]\ndate_won_from = 'last month'\n",
            "views.X.date_won_from: expected a date like 2026-11-01, today, yesterday, "
            'tomorrow or a shift like -1w, -1m, +1y, got "last month"',
        ),
        (
            "[views.X]\ndate_won_to = 2026-11-01\n",
            "views.X.date_won_to: expected a string in quotes, got 2026-11-01",
        ),
        (
            "[views.X]\norder_by = '-valeu'\n",
            "views.X.order_by: expected one of date_won, date_updated, date_created, "
            "confidence, user_name, value, annualized_value, annualized_expected_value "
            '(prefixed with - for descending), got "-valeu" (did you mean value?)',
        ),
        (
            "[views.X]\nstatus = 3\n",
            'views.X.status: expected a string like "Won" or a list of strings like '
            '["Won", "Lost"]',
        ),
        ("[views.X]\nowner = ['Ann', '']\n", "views.X.owner: expected a string like"),
        ("[views.X]\nquery = true\n", "views.X.query: expected a string in quotes, got true"),
        ("views = 3\n", 'views: expected tables like [views."Won this month"]'),
        ('[views." padded"]\nquery = "x"\n', 'views." padded": expected a view name of 1 to 60'),
        ("[views.X]\npipeline = ['A', 'B']\n", "views.X.pipeline: expected a string in quotes"),
    ],
)
def test_view_errors_name_file_key_and_expectation(path: Path, text: str, message: str) -> None:
    assert f"{SHOWN}: {message}" in problem(path, text)


def test_saving_a_view_keeps_comments_and_other_views(path: Path) -> None:
    write(path, WITH_VIEWS)
    replaced = save_view(
        path, "Big renewals", View(pipeline="Renewals", status=("Won", "Lost"), query="note:x")
    )
    assert not replaced
    text = path.read_text()
    assert text.startswith(WITH_VIEWS)  # every comment, key and table as it was
    assert text.endswith(
        '\n[views."Big renewals"]\npipeline = "Renewals"\nstatus = ["Won", "Lost"]\n'
        'query = "note:x"\n\n'
    )
    loaded = load_config().config
    assert loaded.views["Big renewals"] == View(
        pipeline="Renewals", status=("Won", "Lost"), query="note:x"
    )
    assert list(loaded.views) == ["Won this month", "Open", "Big renewals"]


def test_saving_over_a_view_replaces_it_in_place(path: Path) -> None:
    write(path, WITH_VIEWS)
    assert save_view(path, "Won this month", View(status_type=("won",), date_won_from="today"))
    text = path.read_text()
    assert "# Views for every profile" in text
    assert text.count('[views."Won this month"]') == 1
    assert load_config().config.views["Won this month"].date_won_from == "today"
    assert load_config().config.views["Won this month"].order_by is None


def test_saving_a_profile_view(path: Path) -> None:
    write(path, WITH_VIEWS)
    save_view(path, "Churn", View(status=("Churned",)), profile="acme")
    text = path.read_text()
    # The comment heading the global views still heads them.
    assert (
        '[profiles.acme.views.Churn]\nstatus = "Churned"\n\n'
        '# Views for every profile\n[views."Won this month"]\n'
    ) in text
    assert 'owner = "Ann Lee"  # by name, not id' in text
    config = load_config().config
    assert config.profiles["acme"].views["Churn"].status == ("Churned",)
    assert "Churn" not in config.views


def test_a_first_view_creates_a_private_file(path: Path) -> None:
    assert not path.exists()
    save_view(path, "Lost", View(status_type=("lost",)))
    text = path.read_text()
    assert text.startswith("# closetui settings")  # the new file's header stays on top
    assert text.endswith('\n[views.Lost]\nstatus_type = "lost"\n\n')
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert load_config().config.views["Lost"].status_type == ("lost",)


def test_bad_names_profiles_and_broken_files_are_refused(path: Path) -> None:
    write(path, WITH_VIEWS)
    before = path.read_text()
    with pytest.raises(ConfigError, match="expected a view name"):
        save_view(path, "", View())
    with pytest.raises(ConfigError, match="no profile 'nope'"):
        save_view(path, "X", View(), profile="nope")
    assert path.read_text() == before
    write(path, "[views.X]\nowners = 'x'\n")
    with pytest.raises(ConfigError, match="owners"):
        save_view(path, "Y", View())
    assert path.read_text() == "[views.X]\nowners = 'x'\n"


def test_removing_views_keeps_the_rest_of_the_file(path: Path) -> None:
    from closetui.config import remove_view

    write(path, WITH_VIEWS)
    assert remove_view(path, "Won this month") == "views"
    assert remove_view(path, "Mine", profile="acme") == "profiles.acme.views"
    text = path.read_text()
    assert "# My closetui settings" in text
    assert 'api_key_env = "CLOSE_KEY"  # set in ~/.profile' in text
    assert "[profiles.acme.views" not in text  # the emptied table went too
    config = load_config().config
    assert list(config.views) == ["Open"]
    assert config.profiles["acme"].views == {}
    with pytest.raises(ConfigError, match=r"no view 'Mine' in .* \[views\]"):
        remove_view(path, "Mine")
    with pytest.raises(ConfigError, match="no profile 'nope'"):
        remove_view(path, "Open", profile="nope")
