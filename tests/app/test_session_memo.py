"""remembered: a session value made again only when its inputs change, one per key."""

from types import SimpleNamespace

from app.widgets import session_memo
from app.widgets.session_memo import remembered


def test_remembered_makes_again_only_when_the_inputs_change(monkeypatch):
    monkeypatch.setattr(session_memo, "st", SimpleNamespace(session_state={}))
    made = []

    def make(value):
        made.append(value)
        return value * 2

    assert remembered("k", ("a", 1), lambda: make(1)) == 2
    assert remembered("k", ("a", 1), lambda: make(5)) == 2  # same inputs: the kept value
    assert remembered("k", ("b", 1), lambda: make(3)) == 6
    assert made == [1, 3]
    assert session_memo.st.session_state == {"k": (("b", 1), 6)}  # only the latest is kept


def test_remembered_drops_the_old_value_before_making_the_new(monkeypatch):
    state = {}
    monkeypatch.setattr(session_memo, "st", SimpleNamespace(session_state=state))
    remembered("k", 1, lambda: "old")
    seen = []
    remembered("k", 2, lambda: seen.append(dict(state)) or "new")
    assert seen == [{}] and state["k"] == (2, "new")
