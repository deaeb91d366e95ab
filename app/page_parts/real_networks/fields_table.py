"""The Real networks page's own view: the table of every network's fields beside the
published values (the other views are generic, in ``app.widgets.networks``)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cnn_core.nn.networks import NETWORKS
from cnn_core.nn.stage_fields import PUBLISHED_FIELDS


def fields_table(fields_by_network: dict[str, dict]) -> None:
    """Every network's stages with size / jump / start, and Araujo et al.'s values."""
    rows = []
    for name, fields in fields_by_network.items():
        label = NETWORKS[name].label if name in NETWORKS else "ResNet-50 (2015)"
        for node, field in fields.items():
            published = PUBLISHED_FIELDS.get(name)
            paper = f"{published[1]} / {published[2]}" if published and published[0] == node else ""
            rows.append(
                {
                    "network": label,
                    "stage": node,
                    "size": field.size,
                    "jump": field.jump,
                    "start": field.start,
                    "whole picture": "yes" if field.whole else "",
                    "Araujo et al. 2019 (size / jump)": paper,
                }
            )
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    st.caption(
        "Computed from the modules by following every path of each network's graph "
        "(torch.fx). AlexNet and VGG-16 match the published fields. torchvision's ResNet-50 "
        "(v1.5) strides in the 3 x 3 convolution of each stage's first block where the "
        "original (v1, the one Araujo et al. measured) strides in the 1 x 1 before it, so "
        "the later 3 x 3s run at a smaller jump and the field is 427, not 483. MobileNetV3's "
        "squeeze-and-excitation blocks pool the whole map into a gate, so from its first "
        "block on every unit depends on the whole picture."
    )
