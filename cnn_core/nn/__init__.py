"""ConvScope's PyTorch side: the digit network, its training and files, real ImageNet
networks, attributions, feature visualisation and receptive fields of whole networks.

Everything that imports PyTorch lives in this package; ``import cnn_core`` never loads it.
"""
