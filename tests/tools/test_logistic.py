"""The numpy logistic regression finds scikit-learn's optimum, and the scores match its metrics."""

from __future__ import annotations

import numpy as np
import pytest

from tools.nudge_engine.logistic import LogisticModel, accuracy, brier, roc_auc

sklearn = pytest.importorskip("sklearn")  # the reference; a slim install has no scikit-learn


def data(seed: int, n: int = 2_000) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = np.column_stack(
        [
            rng.integers(0, 6, n),  # a stage
            rng.exponential(60, n),  # an age in days
            rng.normal(10, 1.5, n),  # a log amount
            rng.poisson(3, n),  # touches
            np.full(n, 4.0),  # a constant feature: scale 1, no division by zero
        ]
    ).astype(float)
    logit = 0.8 * x[:, 0] - 0.01 * x[:, 1] + 0.3 * (x[:, 3] - 3) - 2
    y = rng.random(n) < 1 / (1 + np.exp(-logit))
    return x, y


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_fit_equals_scikit_learns(seed: int) -> None:
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    x, y = data(seed)
    ours = LogisticModel.fit(x, y)
    theirs = make_pipeline(StandardScaler(), LogisticRegression(max_iter=10_000, tol=1e-10))
    theirs.fit(x, y)
    assert np.allclose(ours.coef, theirs[-1].coef_[0], atol=1e-5)
    assert ours.intercept == pytest.approx(theirs[-1].intercept_[0], abs=1e-5)
    assert np.allclose(ours.probabilities(x), theirs.predict_proba(x)[:, 1], atol=1e-6)


def test_separable_classes_still_fit_to_a_finite_model() -> None:
    x = np.arange(40, dtype=float)[:, None]
    y = x[:, 0] >= 20  # perfectly separable: only the penalty keeps the weight finite
    model = LogisticModel.fit(x, y)
    p = model.probabilities(x)
    assert np.isfinite(model.coef).all() and accuracy(y, p >= 0.5) == 1.0


def test_the_scores_equal_scikit_learns() -> None:
    from sklearn.metrics import accuracy_score, brier_score_loss, roc_auc_score

    rng = np.random.default_rng(5)
    y = rng.random(500) < 0.3
    p = np.round(np.clip(0.3 + 0.3 * (y - 0.3) + rng.normal(0, 0.2, 500), 0, 1), 1)  # many ties
    assert roc_auc(y, p) == pytest.approx(roc_auc_score(y, p), abs=1e-12)
    assert brier(y, p) == pytest.approx(brier_score_loss(y, p), abs=1e-12)
    assert accuracy(y, p >= 0.5) == pytest.approx(accuracy_score(y, p >= 0.5))
