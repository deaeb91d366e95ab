"""Settings several pages share: the picture, the kernel, and stride, padding and dilation."""
