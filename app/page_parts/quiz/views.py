"""The quiz's flow: pick a kind, answer, see whether it was right and why, keep score;
in a class, students' answers go to the teacher, who sees how they spread."""

from __future__ import annotations

import secrets

import streamlit as st

from app.shell.class_session import classroom
from app.widgets.controls import keyed
from app.widgets.networks.class_bars import class_bars_html
from cnn_core.kernels import kernel_label
from cnn_core.limits import MAX_SEED
from cnn_core.quiz import KernelQuestion, answer_spread, is_right, make_question, normal_answer

from .questions import ask, worked

QUIZ_SCRATCH = ("answers",)  # question id -> (answer given, right?)
KIND_LABELS = {
    "size": "Output size",
    "pool": "Pooled value",
    "kernel": "Which kernel?",
}


def kind_picker(state) -> None:
    keyed.segmented_control(
        "Question",
        tuple(KIND_LABELS),
        key=state.key("kind"),
        required=True,
        format_func=KIND_LABELS.get,
    )


def quiz(state) -> None:
    kind, seed = state["kind"], state["q"]
    question = make_question(kind, seed)
    qid = f"{kind}-{seed}"
    answers = st.session_state.setdefault(state.scratch("answers"), {})
    ask(question)
    if qid not in answers:
        _answer_form(question, qid, answers)
    else:
        given, right = answers[qid]
        shown = kernel_label(given) if isinstance(question, KernelQuestion) else given
        expected = (
            kernel_label(question.answer)
            if isinstance(question, KernelQuestion)
            else _number(question.answer)
        )
        if right:
            st.success(f"Right: {expected}.", icon=":material/check_circle:")
        else:
            st.warning(
                f"Your answer {shown} is not it: the answer is {expected}.", icon=":material/info:"
            )
        worked(question)

    def new_question() -> None:
        state.set("q", secrets.randbelow(MAX_SEED + 1))

    st.button("New question", on_click=new_question, icon=":material/casino:")
    right = sum(1 for _, ok in answers.values() if ok)
    st.caption(f"This session: {right} of {len(answers)} answered right.")
    if classroom.teaching():
        st.fragment(run_every=1.0)(_class_spread)(question, qid)


def _number(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _answer_form(question, qid: str, answers: dict) -> None:
    with st.columns([1, 2])[0], st.form(f"quiz_{qid}", border=False):
        if isinstance(question, KernelQuestion):
            given = st.radio("Your answer", question.choices, index=None, format_func=kernel_label)
        else:
            given = st.text_input("Your answer", placeholder="a number, e.g. 12 or 4.25")
        sent = st.form_submit_button("Check", type="primary")
    if not sent:
        return
    if given is None or not str(given).strip():
        st.info("Choose or type an answer first.")
        return
    if (
        not isinstance(question, KernelQuestion)
        and normal_answer(question, given) == "(not a number)"
    ):
        st.info(
            f"{given[:40]!r} is not a number: type digits, a decimal like 4.25 or a "
            "fraction like 37/9."
        )
        return
    answers[qid] = (str(given).strip()[:40], is_right(question, given))
    classroom.send_answer(qid, answers[qid][0])
    st.rerun()


def _class_spread(question, qid: str) -> None:
    """The teacher's view of the class's answers, refreshed every second."""
    given = classroom.class_answers(qid) or []
    if not given:
        st.info("No answers from the class yet.")
        return
    rows = answer_spread(question, given)
    total = sum(row.count for row in rows)
    right = sum(row.count for row in rows if row.right)
    st.markdown(f"**{total} answered**, {right} right.")
    labels = [
        ("✓ " if row.right else "")
        + (kernel_label(row.answer) if isinstance(question, KernelQuestion) else row.answer)
        for row in rows
    ]
    st.html(class_bars_html(labels, [row.count / total for row in rows], label_width="9em"))
