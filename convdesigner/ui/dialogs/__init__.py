"""Modal dialogs: export PyTorch code and figures, import weights."""
