"""Quiz: predict an output size, a pooled value or which kernel made a map, then see the
worked answer."""

from __future__ import annotations

from app.app_pages import registry
from app.page_parts.quiz.views import QUIZ_SCRATCH, kind_picker, quiz
from app.shell.page_frame import open_page
from app.shell.url_state import PageState, choice, integer
from cnn_core.limits import MAX_SEED
from cnn_core.quiz import QUIZ_KINDS

PAGE = registry.BY_NAME["quiz"]
STATE = PageState(
    PAGE.prefix,
    [choice("kind", QUIZ_KINDS, "size"), integer("q", 0, MAX_SEED, 1)],
    scratch=QUIZ_SCRATCH,
)


def page() -> None:
    open_page(STATE, PAGE.title, PAGE.summary)
    kind_picker(STATE)
    quiz(STATE)
    STATE.publish()


if __name__ == "__main__":
    page()
