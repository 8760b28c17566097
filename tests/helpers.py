"""Small configs that train in milliseconds, for tests."""
from studio.core.config import Config


def tiny_ring(**changes) -> Config:
    base = {"data.name": "ring", "data.n_samples": 2000, "generator.depth": 2, "generator.width": 16,
            "discriminator.depth": 2, "discriminator.width": 16, "train.batch_size": 32,
            "train.n_fixed": 64, "train.log_every": 5, "train.sample_every": 10, "train.save_every": 10,
            "optim.lr_g": 1e-3, "optim.lr_d": 1e-3}
    base.update(changes)
    return Config().updated(base)


def tiny_digits(**changes) -> Config:
    base = {"data.name": "digits", "data.n_samples": 200, "generator.arch": "dcgan", "generator.z_dim": 8,
            "generator.width": 4, "discriminator.arch": "dcgan", "discriminator.width": 4,
            "train.batch_size": 8, "train.n_fixed": 16, "train.log_every": 5, "train.sample_every": 10,
            "train.save_every": 10}
    base.update(changes)
    return Config().updated(base)


# The window's form for a ring run that trains in milliseconds (values as typed into the Settings panel).
TINY_RING_FORM = {"data.n_samples": "512", "generator.width": "16", "generator.depth": "2",
                  "discriminator.width": "16", "discriminator.depth": "2", "train.batch_size": "32",
                  "train.n_fixed": "64", "train.steps": "100000"}
