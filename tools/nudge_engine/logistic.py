"""Standardised L2 logistic regression and the backtest's scores, in numpy.

The win model has eight features and at most 20,000 deals: Newton's method reaches the optimum
in about ten 9x9 solves. scikit-learn found the same optimum (the objective is strictly convex,
so there is one; tests/tools/test_win_model.py holds the two to 1e-6 where scikit-learn is
installed) but brought scipy with it, about 190 MB of a slim install for this one fit.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MAX_ITERATIONS = 100
TOLERANCE = 1e-10  # on the Newton decrement: far below anything a probability shows


@dataclass(frozen=True)
class Scaler:
    """Zero mean and unit variance per feature (population variance; a constant keeps scale 1)."""

    mean: np.ndarray
    scale: np.ndarray

    @classmethod
    def fit(cls, x: np.ndarray) -> Scaler:
        scale = x.std(axis=0)
        return cls(x.mean(axis=0), np.where(scale > 0, scale, 1.0))

    def transform(self, x: np.ndarray) -> np.ndarray:
        return np.asarray((x - self.mean) / self.scale)


@dataclass(frozen=True)
class LogisticModel:
    """P(y) = sigmoid(scaled x . coef + intercept), fitted with the penalty 0.5 |coef|^2 / C."""

    scaler: Scaler
    coef: np.ndarray
    intercept: float

    @classmethod
    def fit(cls, x: np.ndarray, y: np.ndarray, c: float = 1.0) -> LogisticModel:
        scaler = Scaler.fit(np.asarray(x, dtype=float))
        z = np.column_stack([scaler.transform(np.asarray(x, dtype=float)), np.ones(len(x))])
        target = np.asarray(y, dtype=float)
        penalty = np.eye(z.shape[1]) / c
        penalty[-1, -1] = 0.0  # the intercept is not penalised
        w = np.zeros(z.shape[1])
        loss = _loss(z, target, w, penalty)
        for _ in range(MAX_ITERATIONS):
            p = _sigmoid(z @ w)
            gradient = z.T @ (p - target) + penalty @ w
            hessian = (z * (p * (1 - p))[:, None]).T @ z + penalty
            # lstsq: a feature that separates the classes leaves the Hessian near singular.
            step = np.linalg.lstsq(hessian, gradient, rcond=None)[0]
            if float(gradient @ step) / 2 < TOLERANCE:
                break
            w, loss = _descend(z, target, w, step, penalty, loss)
        return cls(scaler, w[:-1], float(w[-1]))

    def probabilities(self, x: np.ndarray) -> np.ndarray:
        scaled = self.scaler.transform(np.asarray(x, dtype=float))
        return _sigmoid(scaled @ self.coef + self.intercept)


def _sigmoid(t: np.ndarray) -> np.ndarray:
    return np.asarray(0.5 * (1.0 + np.tanh(0.5 * t)))  # no overflow for any t


def _loss(z: np.ndarray, y: np.ndarray, w: np.ndarray, penalty: np.ndarray) -> float:
    t = z @ w
    # log(1 + e^t) - y t, written so that a large |t| cannot overflow.
    return float((np.logaddexp(0.0, t) - y * t).sum() + 0.5 * w @ penalty @ w)


def _descend(
    z: np.ndarray, y: np.ndarray, w: np.ndarray, step: np.ndarray, penalty: np.ndarray, loss: float
) -> tuple[np.ndarray, float]:
    """The Newton step, halved until the loss goes down (a full step almost always does)."""
    size = 1.0
    for _ in range(30):
        candidate = w - size * step
        new = _loss(z, y, candidate, penalty)
        if new <= loss:
            return candidate, new
        size /= 2
    return w, loss


def accuracy(actual: np.ndarray, predicted: np.ndarray) -> float:
    return float(np.mean(np.asarray(actual, bool) == np.asarray(predicted, bool)))


def brier(actual: np.ndarray, p: np.ndarray) -> float:
    return float(np.mean((np.asarray(p, float) - np.asarray(actual, float)) ** 2))


def roc_auc(actual: np.ndarray, p: np.ndarray) -> float:
    """The chance a won deal scores above a lost one, ties counting half (Mann-Whitney U)."""
    y = np.asarray(actual, bool)
    scores = np.asarray(p, float)
    order = np.argsort(scores, kind="mergesort")
    ranks = np.empty(len(scores))
    ranks[order] = np.arange(1, len(scores) + 1)
    # Tied scores share the mean of their ranks.
    unique, inverse, counts = np.unique(scores, return_inverse=True, return_counts=True)
    sums = np.bincount(inverse, weights=ranks, minlength=len(unique))
    ranks = (sums / counts)[inverse]
    positives, negatives = int(y.sum()), int((~y).sum())
    u = ranks[y].sum() - positives * (positives + 1) / 2
    return float(u / (positives * negatives))
