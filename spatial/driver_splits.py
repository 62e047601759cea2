"""Train/test splits and cross-validation folds of a panel, random or grouped by unit.

A panel holds several years of every unit. A random row split
(``"random"``, ``sklearn.model_selection.train_test_split``; the reference
study's way) puts a unit's other years into the training set, so the test R²
measures interpolation within known units. A split grouped by unit
(``"grouped"``, ``GroupShuffleSplit``) keeps every unit entirely in train or
entirely in test; the test share is then the share of *units* held out.

Cross-validated R² uses ``GroupKFold`` over units for the grouped split and
shuffled, seeded ``KFold`` for the random split, on the whole sample of a
group. With fewer units (or rows) than folds the number of folds is
reduced. Groups larger than ``cv_max_rows`` (default
:data:`CV_MAX_ROWS`, 20,000 rows) are not cross-validated: there the held-out
test part — 6,000 rows or more at the default test share — already measures
the test R² precisely, and K more fits of every model would multiply the run
time by K + 1.
"""

import numpy as np
from sklearn.model_selection import GroupKFold, GroupShuffleSplit, KFold, train_test_split

__all__ = ["SPLITS", "CV_MAX_ROWS", "train_test_positions", "cv_splitter"]

SPLITS = ("random", "grouped")
#: Largest group that is cross-validated by default.
CV_MAX_ROWS = 20_000


def train_test_positions(n, units, test_size, seed):
    """``{"random": (train, test), "grouped": (train, test)}``: sorted row
    positions 0..n-1; ``units`` the unit code of each row."""
    train, test = train_test_split(np.arange(n), test_size=test_size, random_state=seed)
    splits = {"random": (np.sort(train), np.sort(test))}
    shuffle = GroupShuffleSplit(n_splits=1, test_size=test_size, random_state=seed)
    train, test = next(shuffle.split(np.zeros((n, 1)), groups=units))
    splits["grouped"] = (np.sort(train), np.sort(test))
    return splits


def cv_splitter(split_name, folds, units, n, seed):
    """The K-fold splitter for the cross-validated R² of one split (None if ``folds`` is 0)."""
    if folds == 0:
        return None
    if split_name == "grouped":
        return GroupKFold(n_splits=min(folds, len(np.unique(units))))
    return KFold(n_splits=min(folds, n), shuffle=True, random_state=seed)
