"""Reading one layer of any model: through torch.fx's graph when fx can trace the model,
through a forward hook when it refuses to (each way a forward can make it refuse), and an
error of the model's own that is no refusal of fx is raised, never hidden behind the hook."""

import numpy as np
import pytest
import torch
from torch import nn
from torch.fx.proxy import TraceError
from torchvision.models.feature_extraction import create_feature_extractor

from cnn_core.nn.feature_vis import layer_reader, visualise_channel


class Small(nn.Module):
    def __init__(self):
        super().__init__()
        torch.manual_seed(0)
        self.conv = nn.Conv2d(3, 4, 3, padding=1)
        self.head = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(4, 2))

    def forward(self, x):
        return self.head(torch.relu(self.conv(x)))


class Branches(Small):  # Python control flow on a tensor's value
    def forward(self, x):
        return super().forward(x) if x.mean() > -1e9 else -super().forward(x)


class Iterates(Small):  # a Python loop over a traced tensor
    def forward(self, x):
        return super().forward(torch.stack([image for image in x]))


class LoopsOverBatch(Small):  # range() of a traced number
    def forward(self, x):
        return torch.cat(
            [super(LoopsOverBatch, self).forward(x[i : i + 1]) for i in range(x.shape[0])]
        )


class Numpy(Small):  # leaves torch for numpy
    def forward(self, x):
        return super().forward(torch.from_numpy(x.detach().numpy()))


class NumpyScale(Small):  # a numpy value as an argument fx cannot record
    def forward(self, x):
        return super().forward(x) * np.float32(1.0)


class Length(Small):  # len() of a traced value
    def forward(self, x):
        return super().forward(x) * (len(x) / len(x))


UNTRACEABLE = {
    Branches: TraceError,
    Iterates: TraceError,
    LoopsOverBatch: TypeError,
    Numpy: TypeError,
    NumpyScale: NotImplementedError,
    Length: RuntimeError,
}


@pytest.mark.parametrize("model_type", list(UNTRACEABLE), ids=lambda t: t.__name__)
def test_a_model_fx_refuses_is_read_through_a_hook(model_type):
    model = model_type().eval()
    with pytest.raises(UNTRACEABLE[model_type]):  # fx refuses it: the fallback is what runs
        create_feature_extractor(model, return_nodes={"conv": "out"})
    # one picture: the hook reads a layer's last call, and one model calls it per picture
    x = torch.rand((1, 3, 8, 8), generator=torch.Generator().manual_seed(1))
    read = layer_reader(model, "conv")
    with torch.no_grad():
        torch.testing.assert_close(read(x), model.conv(x), rtol=0, atol=0)


def test_a_traceable_model_is_read_from_its_graph():
    model = Small().eval()
    x = torch.rand((2, 3, 8, 8), generator=torch.Generator().manual_seed(1))
    with torch.no_grad():
        torch.testing.assert_close(layer_reader(model, "conv")(x), model.conv(x))


class MissingPart(Small):  # a bug: the forward uses a layer the model never made
    def forward(self, x):
        return self.head(self.classifier(self.conv(x)))


class FailsCheck(Small):
    def forward(self, x):
        raise RuntimeError("this model was exported for another input")


class WrongArgument(Small):  # a bug of a type fx also raises: raised again by the real pass
    def forward(self, x):
        return self.head(torch.relu(self.conv(x), inplace=True))


@pytest.mark.parametrize(
    ("model_type", "error"), [(MissingPart, AttributeError), (FailsCheck, RuntimeError)]
)
def test_an_error_of_the_model_itself_is_raised_not_hidden(model_type, error):
    with pytest.raises(error):
        layer_reader(model_type().eval(), "conv")


def test_a_genuine_type_error_surfaces_from_the_real_pass():
    with pytest.raises(TypeError, match="inplace"):
        visualise_channel(WrongArgument().eval(), "conv", 0, shape=(3, 8, 8), steps=1)


def test_a_layer_the_model_lacks_is_named_for_traceable_and_untraceable_models():
    for model in (Small(), Branches()):
        with pytest.raises(ValueError, match="no layer named 'conv9'"):
            layer_reader(model.eval(), "conv9")
