"""Page settings kept in the URL, so a link reopens exactly the same view.

Each page declares its settings once (name in the URL, default, parser). Before the
widgets are drawn, ``PageState.restore`` fills ``st.session_state`` for every widget key:
from this session's last value when the user comes back to the page, else from the URL,
else the default. A value in the URL that does not parse falls back to the default and is
listed in a notice. After the widgets, ``PageState.publish`` writes the settings that
differ from their defaults back to the URL.

A page also declares its scratch names: values that live for the session but not in the
URL (an upload, the sliding window's step, a grid editor's version). ``scratch(name)``
gives each its session-state key, so no widget invents keys in a page's namespace; a
widget receives the keys it needs as arguments.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import streamlit as st

from cnn_core.kernel_text import KernelError, format_kernel, parse_kernel
from cnn_core.limits import MAX_POSITION

MAX_PARAM_LENGTH = 600  # a 15x15 kernel written out fits; anything longer is refused
# URL parameters that belong to the whole app, not to a page: presenter mode, the colour
# palette and the class being followed. Every page keeps them in the URL and none calls
# them unknown.
GLOBAL_PARAMS = ("present", "palette", "class")
# Set (to True) when the next page to run must take its settings from the URL even if
# the session remembers others: a student following the teacher switches to the
# teacher's page and settings this way.
APPLY_URL_KEY = "_apply_url_once"
# The page and URL parameters this session last sent to the browser (see publish).
LAST_URL_SENT = "_url_last_sent"
# Functions called with (page name, its non-default settings) whenever a page publishes
# its state: the class session sends the teacher's view to the students through one.
PUBLISH_LISTENERS: list[Callable[[str, dict], None]] = []


@dataclass(frozen=True)
class Setting:
    """One setting: its name in the URL, its default, and how to read and write it."""

    name: str
    default: Any
    parse: Callable[[str], Any]  # raises ValueError for text it cannot accept
    dump: Callable[[Any], str] = str
    # What it accepts, for a control that offers the same: a choice's values, in order, or
    # the lowest and highest of a whole number.
    choices: tuple = ()
    bounds: tuple[int, int] | None = None


def choice(name: str, options: Sequence[str], default: str) -> Setting:
    def parse(text: str) -> str:
        if text not in options:
            raise ValueError(f"must be one of {', '.join(options)}")
        return text

    return Setting(name, default, parse, choices=tuple(options))


def integer(name: str, low: int, high: int, default: int, *, message: str = "") -> Setting:
    message = message or f"must be a whole number from {low} to {high}"

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise ValueError(message) from None
        if not low <= value <= high:
            raise ValueError(message)
        return value

    return Setting(name, default, parse, bounds=(low, high))


CENTRE = -1  # a position not chosen yet: the page picks the middle of the map


def position(name: str, high: int = MAX_POSITION) -> Setting:
    """A row or column of a map, or CENTRE until the user picks one."""
    message = f"must be a pixel position, a whole number from 0 to {high}"
    return integer(name, CENTRE, high, CENTRE, message=message)


def int_choice(name: str, options: Sequence[int], default: int) -> Setting:
    def parse(text: str) -> int:
        if text not in {str(o) for o in options}:
            raise ValueError(f"must be one of {', '.join(map(str, options))}")
        return int(text)

    return Setting(name, default, parse, choices=tuple(options))


def name_list(name: str, options: Sequence[str], default: list[str], *, most: int) -> Setting:
    """Several of ``options`` (at least one, at most ``most``), comma-separated in the URL."""

    def parse(text: str) -> list[str]:
        names = list(dict.fromkeys(n.strip() for n in text.split(",") if n.strip()))
        if not names or any(n not in options for n in names):
            raise ValueError(f"must list one to {most} of {', '.join(options)}")
        return names[:most]

    return Setting(name, list(default), parse, ",".join)


def on_off(text: str) -> bool:
    """A yes/no URL value: 1, true, yes, on or 0, false, no, off (any case)."""
    lowered = text.lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise ValueError("must be 1 or 0")


def flag(name: str, default: bool) -> Setting:
    return Setting(name, default, on_off, lambda value: "1" if value else "0")


def text(name: str, default: str, validate: Callable[[str], str]) -> Setting:
    """Free text that ``validate`` checks (and may normalise), raising ValueError if bad."""
    return Setting(name, default, validate)


def grid_setting(name: str, default: str, what: str, limit: int) -> Setting:
    """A small grid of numbers (a kernel, a worked example's input) kept in the URL as
    text; it must read as a kernel of at most ``limit`` x ``limit`` and is stored tidied."""

    def parse(value: str) -> str:
        try:
            return format_kernel(parse_kernel(value, max_size=limit, what=what))
        except KernelError as error:
            raise ValueError(str(error)) from None

    return text(name, default, parse)


def setting_key(page: str, name: str, generation: int) -> str:
    """The widget key of setting ``name`` of ``page`` after ``generation`` runs that took
    the page's settings from the URL (see ``PageState.restore``)."""
    return f"{page}_{name}" + (f"_{generation}" if generation else "")


def generation_key(page: str) -> str:
    """Where a session keeps the number of runs that took ``page``'s settings from the URL."""
    return f"_{page}_generation"


class PageState:
    """The settings of one page, their widget keys, their place in the URL, and the
    page's scratch values (kept for the session, not in the URL)."""

    def __init__(self, page: str, settings: Sequence[Setting], scratch: Sequence[str] = ()):
        self.page = page
        self.settings = {setting.name: setting for setting in settings}
        self.scratch_names = frozenset(scratch)
        clash = self.scratch_names & set(self.settings)
        if clash:
            raise ValueError(f"{sorted(clash)} are both settings and scratch values")

    def key(self, name: str) -> str:
        """The ``st.session_state`` key of a setting's widget: the setting's own name, with
        the number of the last run that took the settings from the URL (see restore)."""
        if name not in self.settings:
            raise KeyError(name)
        return setting_key(self.page, name, st.session_state.get(self._generation_key, 0))

    def _keys(self) -> dict[str, str]:
        """Every setting's ``key``, reading the generation once (each read of session state
        takes its lock: a page with 30 settings read it 60 times a run)."""
        generation = st.session_state.get(self._generation_key, 0)
        return {name: setting_key(self.page, name, generation) for name in self.settings}

    def _remembered(self) -> dict[str, Any]:
        """Each setting's last published value (the same in every generation), in one
        entry of session state per page: Streamlit walks every entry of session state
        for each radio and selectbox it draws and at the start of every run, so an
        entry per setting made every run of a page with 30 settings pay for 30 more."""
        return st.session_state.setdefault(f"_{self.page}_remembered", {})

    @property
    def _generation_key(self) -> str:
        return generation_key(self.page)

    def scratch(self, name: str) -> str:
        """The ``st.session_state`` key of a declared scratch value or non-URL widget."""
        if name not in self.scratch_names:
            raise KeyError(f"{name!r} is not a declared scratch value of the {self.page} page")
        return f"{self.page}_{name}"

    def __getitem__(self, name: str) -> Any:
        return st.session_state[self.key(name)]

    def clamp_position(self, name: str, size: int) -> int:
        """The position setting ``name`` moved inside ``0 .. size - 1`` (CENTRE becomes the
        middle), written back so its widget shows it."""
        value = self[name]
        clamped = size // 2 if value < 0 else min(value, size - 1)
        if clamped != value:
            self.set(name, clamped)
        return clamped

    def restore(self) -> None:
        """Give every setting a value before its widget is drawn.

        A run that must take its settings from the URL (``APPLY_URL_KEY``) also gives the
        widgets new keys. A click made before the browser has drawn that run's widgets
        (a student pressing a control as the teacher's change arrives) reaches the server
        with the values of the widgets from before; Streamlit matches a browser's value
        to a widget by key, so those values belong to widgets that are no longer drawn
        and are dropped, and the URL's settings stand. Telling them apart this way needs
        no guess of how long a browser takes to draw."""
        params = st.query_params
        problems = []
        remembered = self._remembered()
        if st.session_state.pop(APPLY_URL_KEY, False):
            for key in self._keys().values():
                st.session_state.pop(key, None)
            remembered.clear()
            generation = st.session_state.get(self._generation_key, 0) + 1
            st.session_state[self._generation_key] = generation
        keys = self._keys()
        for name, setting in self.settings.items():
            key = keys[name]
            if key in st.session_state:
                continue
            if name in remembered:
                st.session_state[key] = remembered[name]
                continue
            raw = params.get(name)
            if raw is None:
                st.session_state[key] = setting.default
                continue
            try:
                if len(raw) > MAX_PARAM_LENGTH:
                    raise ValueError(f"is longer than {MAX_PARAM_LENGTH} characters")
                st.session_state[key] = setting.parse(raw)
            except (ValueError, TypeError, OverflowError) as error:
                problems.append(f"`{name}` {str(error).rstrip('.')}")
                st.session_state[key] = setting.default
        unknown = [n for n in params if n not in self.settings and n not in GLOBAL_PARAMS]
        if unknown:
            problems.append("unknown " + ", ".join(f"`{_clip(n)}`" for n in unknown[:5]))
        if problems and self._notice_key not in st.session_state:
            st.session_state[self._notice_key] = problems

    @property
    def _notice_key(self) -> str:
        return f"_{self.page}_url_notice"

    def notice(self) -> str | None:
        """A sentence about link settings that were replaced by defaults, once per session."""
        problems = st.session_state.get(self._notice_key)
        if not problems or st.session_state.get(self._notice_key + "_shown"):
            return None
        st.session_state[self._notice_key + "_shown"] = True
        return (
            "Some settings in this link could not be used, so their defaults are shown: "
            + "; ".join(problems)
            + "."
        )

    def set(self, name: str, value: Any) -> None:
        """Change a setting from a callback (before its widget is drawn again)."""
        st.session_state[self.key(name)] = value

    def reset(self) -> None:
        """Every setting back to its default (use as a button's on_click)."""
        keys = self._keys()
        for name, setting in self.settings.items():
            st.session_state[keys[name]] = setting.default

    def publish(self) -> None:
        """Remember the values for this session and put the non-default ones in the URL."""
        wanted = {}
        remembered = self._remembered()
        keys = self._keys()
        for name, setting in self.settings.items():
            key = keys[name]
            if key not in st.session_state:
                continue
            value = st.session_state[key]
            if value is None:  # an emptied widget: its default stands
                continue
            remembered[name] = value
            if value != setting.default:
                wanted[name] = setting.dump(value)
        for listener in PUBLISH_LISTENERS:
            listener(self.page, dict(wanted))
        current = st.query_params.to_dict()
        wanted.update({name: current[name] for name in GLOBAL_PARAMS if name in current})
        # ``current`` is the URL the browser sent with this run's request. A URL that an
        # earlier run sent can reach the browser after that request left (a key pressed
        # twice quickly), so the URL is also sent when it differs from the last one sent.
        if current != wanted or st.session_state.get(LAST_URL_SENT) != (self.page, wanted):
            st.query_params.from_dict(wanted)
            st.session_state[LAST_URL_SENT] = (self.page, wanted)


def _clip(name: str) -> str:
    cleaned = "".join(ch for ch in name if ch.isprintable() and ch != "`")
    return cleaned[:24]
