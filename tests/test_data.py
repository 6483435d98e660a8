"""`make_moons`: seeded, the right shapes and labels, on the two arcs, and no straight line separates it."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nudge.data import make_moons


@settings(max_examples=50, deadline=None)
@given(st.integers(2, 301), st.floats(0, 0.5), st.integers(0, 2**32 - 1))
def test_shapes_labels_and_balance(n, noise, seed):
    X, y = make_moons(n, noise=noise, seed=seed)
    assert X.shape == (n, 2) and y.shape == (n,)
    assert X.dtype == np.float64 and y.dtype == np.float64
    assert set(np.unique(y)) <= {0.0, 1.0}
    assert (y == 0).sum() == (n + 1) // 2  # an odd point goes to class 0
    assert np.all(np.isfinite(X))


def test_the_same_seed_gives_the_same_points_and_another_seed_other_points():
    first, again, other = (make_moons(50, noise=0.1, seed=s) for s in (3, 3, 4))
    np.testing.assert_array_equal(first[0], again[0])
    np.testing.assert_array_equal(first[1], again[1])
    assert not np.array_equal(first[0], other[0])


def test_without_noise_the_points_lie_on_the_two_arcs():
    X, y = make_moons(101, noise=0.0, seed=0)
    upper, lower = X[y == 0], X[y == 1]
    np.testing.assert_allclose(np.hypot(*upper.T), 1.0)  # unit circle around (0, 0), upper half
    assert np.all(upper[:, 1] >= -1e-12)
    np.testing.assert_allclose(np.hypot(lower[:, 0] - 1, lower[:, 1] - 0.5), 1.0)  # around (1, 0.5), lower half
    assert np.all(lower[:, 1] <= 0.5 + 1e-12)


def test_noise_moves_points_off_the_arcs_by_about_its_standard_deviation():
    X, y = make_moons(4000, noise=0.05, seed=1)
    off_upper = np.hypot(*X[y == 0].T) - 1
    off_lower = np.hypot(X[y == 1, 0] - 1, X[y == 1, 1] - 0.5) - 1
    for off in (off_upper, off_lower):
        assert abs(np.mean(off)) < 0.01
        assert np.std(off) == pytest.approx(0.05, rel=0.1)


def test_no_straight_line_separates_the_classes():
    # the upper arc's convex hull is the upper half-disc; the tip of the lower arc lies inside it
    X, y = make_moons(200, noise=0.0, seed=0)
    lower = X[y == 1]
    inside = (np.hypot(*lower.T) < 0.99) & (lower[:, 1] > 0.01)
    assert inside.any()


def test_rows_are_shuffled():
    _, y = make_moons(200, noise=0.1, seed=0)
    assert 0 < y[:100].sum() < 100


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"n": 1}, ValueError, r"n must be at least 2, got 1"),
        ({"n": 10.0}, TypeError, r"expected a whole number for n, got float 10.0"),
        ({"n": True}, TypeError, r"expected a whole number for n, got bool True"),
        ({"noise": -0.1}, ValueError, r"noise must be at least 0 and finite, got -0.1"),
        ({"noise": float("nan")}, ValueError, r"noise must be at least 0"),
        ({"noise": "0.1"}, TypeError, r"expected a number for noise, got str '0.1'"),
        ({"seed": 1.5}, TypeError, r"expected a whole number for seed, got float 1.5"),
    ],
)
def test_bad_arguments_say_what_was_expected(kwargs, error, message):
    with pytest.raises(error, match=message):
        make_moons(**kwargs)
