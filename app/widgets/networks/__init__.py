"""A network's outputs: its layers drawn small, class bars, attributions."""
