"""Small toy datasets made with numpy alone, seeded, so every run draws the same points.

>>> X, y = make_moons(6, noise=0.0, seed=0)
>>> X.shape, y.shape
((6, 2), (6,))
>>> sorted(y.tolist())
[0.0, 0.0, 0.0, 1.0, 1.0, 1.0]
"""

from __future__ import annotations

import numpy as np

from nudge.inputs import require_number


def make_moons(n: int = 200, noise: float = 0.1, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaved half circles in the plane: a task no straight line can solve.

    Returns `X` of shape `(n, 2)` (the points) and `y` of shape `(n,)` (labels 0.0 and 1.0,
    as floats so they go straight into a loss). Class 0 is the upper arc, centred at (0, 0);
    class 1 the lower arc, centred at (1, 0.5). Each point is moved by Gaussian noise with
    standard deviation `noise`, and the rows are shuffled. The same `seed` gives the same points.

    >>> X, y = make_moons(4, noise=0.0, seed=1)
    >>> np.round(np.sort(np.hypot(X[y == 0, 0], X[y == 0, 1])), 6)  # class 0 lies on the unit circle
    array([1., 1.])
    """
    n = require_number(n, who="make_moons", name="n", whole=True, minimum=2)
    noise = require_number(noise, who="make_moons", name="noise", finite=True, minimum=0)
    seed = require_number(seed, who="make_moons", name="seed", whole=True)
    rng = np.random.default_rng(seed)
    n_upper = (n + 1) // 2
    n_lower = n - n_upper
    upper = np.linspace(0, np.pi, n_upper)
    lower = np.linspace(0, np.pi, n_lower)
    X = np.concatenate(
        [
            np.column_stack([np.cos(upper), np.sin(upper)]),
            np.column_stack([1 - np.cos(lower), 0.5 - np.sin(lower)]),
        ]
    )
    y = np.concatenate([np.zeros(n_upper), np.ones(n_lower)])
    X = X + rng.normal(0.0, noise, size=X.shape)
    order = rng.permutation(n)
    return X[order], y[order]


__all__ = ["make_moons"]
