"""The Real networks page through AppTest, offline: the trained weights cannot be
downloaded here, so the page must say so, name the file, and work with random weights."""

import re

import pytest

from cnn_core.nn.network_weights import weights_file
from cnn_core.nn.networks import NETWORKS

from .conftest import assert_clean, run_app


def warnings(at) -> str:
    return " ".join(w.value for w in at.warning)


@pytest.fixture(autouse=True)
def _offline(monkeypatch, tmp_path):
    """An empty torch cache and no network: every download fails at once."""
    import urllib.error
    import urllib.request

    monkeypatch.setenv("TORCH_HOME", str(tmp_path))

    def refuse(*args, **kwargs):
        raise urllib.error.URLError("offline")

    monkeypatch.setattr(urllib.request, "urlopen", refuse)


def test_offline_the_page_names_the_file_and_keeps_working():
    at = run_app("real_networks", net="alexnet", res=256)
    assert not at.exception
    text = warnings(at)
    assert weights_file("alexnet").name in text and "download.pytorch.org" in text
    assert "python -m cnn_core.nn.networks fetch alexnet" in text
    assert "Random weights" in " ".join(c.value for c in at.caption)
    assert [m.value for m in at.markdown if m.value.startswith("## ")], "an answer is shown"
    assert not at.error


@pytest.mark.parametrize("name", sorted(NETWORKS))
def test_every_network_opens_untrained(name):
    at = run_app("real_networks", net=name, trained=0, res=256)
    assert_clean(at)
    stage_lines = [m.value for m in at.markdown if "maps of" in m.value]
    assert len(stage_lines) == len(NETWORKS[name].stages)


@pytest.mark.parametrize("view", ["filters", "field", "table"])
def test_every_view_opens(view):
    at = run_app("real_networks", net="resnet18", trained=0, view=view, res=256)
    assert_clean(at)


def test_the_fields_table_holds_the_published_values():
    at = run_app("real_networks", trained=0, view="table")
    table = at.dataframe[0].value
    vgg = table[(table["network"] == "VGG-16 (2014)") & (table["stage"] == "features.29")]
    assert tuple(vgg.iloc[0][["size", "jump", "start"]]) == (196, 16, -90)
    resnet50 = table[(table["network"] == "ResNet-50 (2015)") & (table["stage"] == "layer4")]
    assert resnet50.iloc[0]["size"] == 427
    assert resnet50.iloc[0]["Araujo et al. 2019 (size / jump)"] == "483 / 32"


def test_the_effective_field_is_smaller_than_the_theoretical_one():
    at = run_app("real_networks", net="resnet18", trained=0, view="field", stage="layer2")
    assert_clean(at)
    text = " ".join(m.value for m in at.markdown)
    effective = int(re.search(r"effective field is \*\*(\d+) pixels\*\*", text).group(1))
    theoretical = int(re.search(r"against a theoretical \*\*(\d+)\*\*", text).group(1))
    assert theoretical == 99 and 0 < effective < theoretical


def test_explanations_run_on_request():
    at = run_app("real_networks", net="alexnet", trained=0, view="why", stage="features.4", res=128)
    at.button(key="real_explained_button").click().run()
    assert_clean(at)
    captions = " ".join(c.value for c in at.caption)
    assert "**Grad-CAM**" in captions and "add up to" in captions


def test_feature_visualisation_runs_and_ranks_the_samples():
    at = run_app(
        "real_networks",
        net="mobilenet_v3_small",
        trained=0,
        view="wants",
        stage="features.3",
        channel=2,
        steps=32,
    )
    at.button(key="real_visual_button").click().run()
    assert_clean(at)
    assert "The three samples that excite this channel most" in " ".join(
        c.value for c in at.caption
    )
