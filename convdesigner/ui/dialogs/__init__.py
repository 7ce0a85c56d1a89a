"""Modal dialogs: export PyTorch code, export figures, import weights, prepare a picture like an
MNIST digit."""
