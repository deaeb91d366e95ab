"""The floor for the browser budget: one slider redrawing one photo of the same size."""

import numpy as np
import streamlit as st
from PIL import Image

from cnn_core.samples import SAMPLES_DIR

SAMPLE = SAMPLES_DIR / "astronaut.jpg"


@st.cache_data
def photo(side: int) -> np.ndarray:
    return np.asarray(Image.open(SAMPLE).convert("RGB").resize((side, side)), dtype=np.float32)


side = int(st.query_params.get("side", "512"))
value = st.slider("Value", 1, 20, 1)
st.image((photo(side) * (0.5 + value / 40)).clip(0, 255).astype(np.uint8), width="stretch")
