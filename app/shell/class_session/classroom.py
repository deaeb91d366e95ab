"""Follow the teacher: a class session started by one browser and followed by many.

The teacher starts a class and gets a short code, a link and its QR code. Every time
the teacher's page publishes its settings (``PageState.publish``), the page and those
settings go to the class store and the class's students are woken (``class_signal``);
a woken student's run switches to the same page with the same settings before drawing
anything. Uploads stay private: a student sees the teacher's picture only when the
teacher shares it. A student can leave to explore alone and rejoin.
"""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

import streamlit as st

from app.widgets.controls import keyed
from app.widgets.controls.cookie import set_cookie
from app.widgets.controls.qr import show_link

from ..navigation import known_page, open_page
from ..page_style import styled_title
from ..url_state import PUBLISH_LISTENERS
from . import class_signal
from .class_store import CLASS_HOURS, class_store, normalise_code

TEACHING = "_class_teaching"  # (code, token) while this session teaches a class
FOLLOWING = "_class_following"  # {"code", "version"} while this session follows one
LEFT = "_class_left"  # the code of a class this session left (to rejoin)
STUDENT_ID = "_class_student"
SHARING = "_class_sharing"  # the teacher shares the working picture
CURRENT_PAGE = "_class_current_page"  # url path of the page this run shows
MAX_ANSWER_CHARS = 40  # a quiz answer is a number or a kernel name
PAUSED = "_class_paused"  # the teacher's "pause the class" switch
# The teacher's code and token, kept in the teacher's browser so that a reload keeps the
# class; never in the address, which the projector shows and students copy.
TEACHER_COOKIE = "convscope_teacher"
FORGET_COOKIE = "_class_forget_cookie"  # set when the class ended: clear the cookie once
COOKIE_READ = "_class_cookie_read"  # the session's first run has looked for the cookie


def following_banner() -> None:
    """One line above every page while following, so a student knows why it changes."""
    if code := following():
        st.caption(
            f"Following the teacher (class {code}). To explore on your own, "
            "leave the class at the bottom of the sidebar."
        )


def note_current_page(url_path: str) -> None:
    st.session_state[CURRENT_PAGE] = url_path


def teaching() -> tuple[str, str] | None:
    return st.session_state.get(TEACHING)


def following() -> str | None:
    state = st.session_state.get(FOLLOWING)
    return state["code"] if state else None


def student_id() -> str:
    return st.session_state.setdefault(STUDENT_ID, secrets.token_hex(6))


def origin() -> str:
    """Scheme and host the browser used (so links work behind a proxy too)."""
    parts = urlsplit(st.context.url or "http://localhost:8501/")
    return f"{parts.scheme}://{parts.netloc}"


def join_link(code: str) -> str:
    return f"{origin()}/?class={code}"


def _broadcast(page: str, params: dict) -> None:
    """Send the teacher's view to the class (only when it changed)."""
    held = teaching()
    if held is None:
        return
    view = (st.session_state.get(CURRENT_PAGE, ""), params)
    if st.session_state.get("_class_sent") == view:
        return
    code, token = held
    try:
        class_store().publish(code, token, view[0], params)
        st.session_state["_class_sent"] = view
    except (PermissionError, OSError):
        st.session_state.pop(TEACHING, None)
        return
    class_signal.announce(code)


PUBLISH_LISTENERS.append(_broadcast)


def resume_teaching() -> None:
    """A teacher's reload (or a new tab in the same browser) takes the class back: the
    code and token come from the teacher's cookie and must match the class's token."""
    if teaching() or following() or st.session_state.get(COOKIE_READ):
        return
    st.session_state[COOKIE_READ] = True  # once a session: reading cookies costs ~2.5 ms
    kept = st.context.cookies.get(TEACHER_COOKIE)
    if not isinstance(kept, str):
        return
    code, _, token = kept.partition(".")
    code = normalise_code(code)
    if code and token and class_store().is_teacher(code, token):
        st.session_state[TEACHING] = (code, token)


def join_from_link() -> None:
    """``?class=CODE`` in the URL (the QR code's link) joins that class once."""
    code = normalise_code(st.query_params.get("class", ""))
    fresh = code and not teaching() and not following() and st.session_state.get(LEFT) != code
    if fresh and class_store().exists(code):
        st.session_state[FOLLOWING] = {"code": code, "version": -1}


def class_panel() -> None:
    """The sidebar's class controls: start, join, leave, rejoin, share."""
    st.subheader("Class")
    store = class_store()
    held, code = teaching(), following()
    if held:
        _teacher_panel(store, *held)
    elif code:
        st.markdown(f"Following class **{code}**: your screen shows the teacher's.")
        st.button("Leave, explore on my own", on_click=_leave, icon=":material/logout:")
    else:
        if st.session_state.pop(FORGET_COOKIE, False):
            set_cookie(TEACHER_COOKIE, None, max_age_s=0, key="_class_cookie")
        left = st.session_state.get(LEFT)
        if left and store.exists(left):
            st.button(f"Rejoin class {left}", on_click=_join, args=(left,), icon=":material/login:")
        st.button("Start a class", on_click=_start, icon=":material/co_present:")
        with st.form("class_join", border=False):
            typed = st.text_input("Class code", max_chars=8, placeholder="e.g. KTRW")
            if st.form_submit_button("Join"):
                _join(typed)
                if following():
                    st.rerun()  # draw the page as a follower at once


def _teacher_panel(store, code: str, token: str) -> None:
    class_signal.watch(code, class_signal.TEACHER, student_id())
    st.markdown(f"Class code **{code}**")
    now, left = class_signal.presence(code)
    st.caption(
        f"{now} student{'s' if now != 1 else ''} following now"
        + (f", {left} left to explore" if left else "")
        + "."
    )
    show_link(join_link(code), caption="Students open the link or scan the code.")
    set_cookie(TEACHER_COOKIE, f"{code}.{token}", max_age_s=CLASS_HOURS * 3600, key="_class_cookie")
    keyed.toggle(
        "Pause the class",
        key=PAUSED,
        on_change=_pause,
        help="Students see a notice instead of the page until you switch it off.",
    )
    sharing = keyed.toggle("Share my picture with the class", key=SHARING)
    if not sharing and st.session_state.get("_class_shared"):
        store.share_image(code, token, None)
        st.session_state["_class_shared"] = None
        class_signal.announce(code)
    st.button("End the class", on_click=_end, icon=":material/stop_circle:")


def _start() -> None:
    code, token = class_store().create()
    st.session_state[TEACHING] = (code, token)
    st.session_state.pop(FOLLOWING, None)


def _end() -> None:
    code, token = st.session_state.pop(TEACHING)
    class_store().end(code, token)
    st.session_state[FORGET_COOKIE] = True
    st.session_state.pop(PAUSED, None)
    class_signal.announce(code)


def _pause() -> None:
    code, token = teaching()
    class_store().pause(code, token, bool(st.session_state.get(PAUSED)))
    class_signal.announce(code)


def _join(typed: str) -> None:
    code = normalise_code(typed)
    if code is None or not class_store().exists(code):
        st.session_state["_class_join_error"] = f"There is no class {typed!r} running here."
        return
    st.session_state[FOLLOWING] = {"code": code, "version": -1}
    st.session_state.pop(LEFT, None)


def _leave() -> None:
    state = st.session_state.pop(FOLLOWING, None)
    if state:
        st.session_state[LEFT] = state["code"]
        class_signal.leave(state["code"], student_id())


def join_error() -> str | None:
    return st.session_state.pop("_class_join_error", None)


def follow_teacher() -> bool:
    """At the top of every run of a following student: take the teacher's view when it
    changed (the run switches to the teacher's page and settings before drawing).
    True while the teacher has paused the class: the page is not drawn."""
    code = following()
    if code is None:
        return False
    class_signal.watch(code, class_signal.STUDENTS, student_id())
    view = class_store().view(code)
    state = st.session_state.get(FOLLOWING)
    if view is None:
        st.session_state.pop(FOLLOWING, None)
        st.session_state[LEFT] = None
        st.warning(f"Class {code} has ended.")
        return False
    if view.paused:
        return True
    if view.version > state["version"]:
        state["version"] = view.version
        if known_page(view.page):
            open_page(view.page, view.params, here=st.session_state.get(CURRENT_PAGE))
    return False


def paused_page(title: str) -> None:
    """What a following student sees while the teacher has paused the class."""
    styled_title(title)
    st.info("Your teacher has paused the class. The page comes back when the class goes on.")


def shared_picture_bytes() -> tuple[int, bytes] | None:
    """The teacher's shared picture (its version and JPEG bytes), for a following student."""
    code = following()
    if code is None:
        return None
    store = class_store()
    view = store.view(code)
    if view is None or view.image_version == 0:
        return None
    data = store.image(code)
    return (view.image_version, data) if data else None


def share_picture(jpeg: bytes) -> None:
    """The teacher's working picture to the class, when sharing is on (once per picture)."""
    held = teaching()
    if held is None or not st.session_state.get(SHARING):
        return
    if st.session_state.get("_class_shared") == jpeg:
        return
    class_store().share_image(*held, jpeg)
    st.session_state["_class_shared"] = jpeg
    class_signal.announce(held[0])


def send_answer(question: str, value: str) -> bool:
    """A following student's quiz answer, to the teacher's count; False when not in a class."""
    code = following()
    if code is None:
        return False
    class_store().answer(code, question[:MAX_ANSWER_CHARS], student_id(), value[:MAX_ANSWER_CHARS])
    return True


def class_answers(question: str) -> list[str] | None:
    """The class's answers to ``question`` (one per student), for the teacher; None when
    this session teaches no class."""
    held = teaching()
    if held is None:
        return None
    return list(class_store().answers(held[0], question).values())
