"""The Your model page's architecture picker: torchvision's architectures, then small timm
models when timm is installed (each opens on the page and goes into the link); without
timm, no timm names and a line saying how to install it."""

import sys

import pytest

from cnn_core.nn.architectures import SMALL_TIMM_MODELS, TIMM_INSTALL

from .conftest import assert_clean, run_app

pytestmark = pytest.mark.usefixtures("no_pretrained_weights")


def picker(at):
    return next(s for s in at.selectbox if s.label == "Architecture")


def texts(elements) -> str:
    return " ".join(e.value for e in elements)


def stage_lines(at) -> list[str]:
    return [m.value for m in at.markdown if "maps of" in m.value]


def test_small_timm_models_are_offered_after_torchvision_and_open_on_the_page():
    pytest.importorskip("timm")
    at = run_app("your_model", res=128)
    options = picker(at).options
    assert options[-len(SMALL_TIMM_MODELS) :] == [f"timm:{n}" for n in SMALL_TIMM_MODELS]
    assert "resnet18" in options and "vgg16" in options
    assert TIMM_INSTALL not in texts(at.caption)
    at = picker(at).set_value("timm:resnet10t").run()
    assert_clean(at)
    assert "timm:resnet10t with random weights" in texts(at.caption)
    assert at.query_params["arch"] == "timm:resnet10t"  # the link reopens it
    heights = [w.value for w in at.number_input if "height" in w.key]
    assert heights == [176]  # resnet10t's own input size, from timm's configuration
    assert len(stage_lines(at)) == 5 and "88 x 88" in stage_lines(at)[0]


@pytest.mark.parametrize("name", SMALL_TIMM_MODELS)
def test_every_offered_timm_model_opens_from_a_link(name):
    pytest.importorskip("timm")
    at = run_app("your_model", arch=f"timm:{name}", res=128)
    assert_clean(at)
    assert not at.warning, texts(at.warning)  # the link's name was taken
    assert f"timm:{name} with random weights" in texts(at.caption)
    assert stage_lines(at)


def test_without_timm_the_picker_says_how_to_install_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "timm", None)  # import timm fails, as when not installed
    at = run_app("your_model", res=128)
    assert_clean(at)
    assert not any(o.startswith("timm:") for o in picker(at).options)
    assert TIMM_INSTALL in texts(at.caption)
    linked = run_app("your_model", arch="timm:resnet10t", res=128)
    assert "`arch`" in texts(linked.warning)  # not offered here: back to the default
    assert "resnet18 with random weights" in texts(linked.caption)
