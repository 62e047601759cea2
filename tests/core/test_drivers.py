"""Tests of spatial.drivers on synthetic panels with a known generating model.

D = 0.6 X5 + 0.1 X1 + noise; X2-X4, X6-X9 are pure noise. Expected values
come from the generating model, from hand-written least squares, or from
scikit-learn fitted directly in the test.
"""

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from sklearn.linear_model import LinearRegression
from sklearn.metrics import mean_squared_error, r2_score
from sklearn.model_selection import GroupKFold, cross_val_score
from sklearn.tree import DecisionTreeRegressor

from spatial.drivers import (
    COEFFICIENTS_COLUMNS,
    IMPORTANCE_COLUMNS,
    METRICS_COLUMNS,
    PARTIAL_DEPENDENCE_COLUMNS,
    driver_analysis,
)
from spatial.errors import InputError

DRIVERS = [f"X{k}" for k in range(1, 10)]
NOISE = [d for d in DRIVERS if d not in ("X1", "X5")]
SMALL = {"forest": {"n_estimators": 20}, "boosting": {"n_estimators": 50}}
FAST = dict(model_params=SMALL, cv_folds=3, n_repeats=5)


def make_panel(units=60, years=8, seed=0, noise=0.01):
    rng = np.random.default_rng(seed)
    n = units * years
    df = pd.DataFrame({
        "id": np.repeat([f"c{u:02d}" for u in range(units)], years),
        "year": np.tile(np.arange(2011, 2011 + years), units),
    })
    for k in range(1, 10):
        df[f"X{k}"] = rng.random(n)
    df["D"] = 0.6 * df["X5"] + 0.1 * df["X1"] + rng.normal(0.0, noise, n)
    df["region"] = np.repeat(np.array(["east", "west", "north"])[np.arange(units) % 3], years)
    return df


@pytest.fixture(scope="module")
def panel():
    return make_panel()


@pytest.fixture(scope="module")
def result(panel):
    before = panel.copy()
    res = driver_analysis(panel, "D", DRIVERS, id_field="id", group_field="region", **FAST)
    pd.testing.assert_frame_equal(panel, before)  # caller's table untouched
    return res


def test_tables_have_the_contract_columns_and_both_splits(result):
    assert list(result.metrics.columns) == METRICS_COLUMNS
    assert list(result.importance.columns) == IMPORTANCE_COLUMNS
    assert list(result.coefficients.columns) == COEFFICIENTS_COLUMNS
    assert list(result.partial_dependence.columns) == PARTIAL_DEPENDENCE_COLUMNS
    m = result.metrics
    assert result.primary_split == "grouped"
    assert set(m["GROUP"]) == {"all", "east", "north", "west"}
    assert set(m["MODEL"]) == {"tree", "forest", "boosting", "ols"}
    assert len(m) == 4 * 4 * 2
    # primary split first, then the comparison split
    n_primary = (m["SPLIT"] == "grouped").sum()
    assert (m["SPLIT"].iloc[:n_primary] == "grouped").all()
    assert (m["SPLIT"].iloc[n_primary:] == "random").all()
    sizes = {"all": 480, "east": 160, "west": 160, "north": 160}
    assert ((m["N_TRAIN"] + m["N_TEST"]) == m["GROUP"].map(sizes)).all()
    assert m.loc[m["MODEL"] != "ols", "ADJ_R2"].isna().all()
    assert any("primary split: grouped" in note for note in result.notes)


def test_tree_models_rank_x5_first_and_x1_second(result):
    imp = result.importance
    for (group, model), rows in imp[imp["MODEL"] != "ols"].groupby(["GROUP", "MODEL"]):
        ranked = rows.sort_values("IMPORTANCE", ascending=False)["DRIVER"].tolist()
        assert ranked[0] == "X5", (group, model)
        if group == "all":
            assert ranked[1] == "X1", (group, model)


def test_importances_sum_to_one(result):
    sums = result.importance.groupby(["GROUP", "MODEL"])["IMPORTANCE"].sum()
    assert np.allclose(sums, 1.0)
    assert len(sums) == 16


def test_ols_importance_is_share_of_abs_standardised_coefficient(result, panel):
    train, _ = result.splits[("all", "grouped")]
    sub = panel.iloc[train]
    A = np.column_stack([np.ones(len(sub)), sub[DRIVERS].to_numpy()])
    beta = np.linalg.solve(A.T @ A, A.T @ sub["D"].to_numpy())[1:]
    std_beta = np.abs(beta) * sub[DRIVERS].std(ddof=0).to_numpy()
    expected = std_beta / std_beta.sum()
    got = result.importance.query("GROUP == 'all' and MODEL == 'ols'")["IMPORTANCE"].to_numpy()
    assert np.allclose(got, expected, atol=1e-10)


def test_permutation_importance_of_noise_drivers_is_about_zero(result):
    imp = result.importance
    noise = imp[imp["DRIVER"].isin(NOISE)]
    assert noise["PERM_IMPORTANCE"].abs().max() < 0.02
    x5 = imp[imp["DRIVER"] == "X5"]
    assert (x5["PERM_IMPORTANCE"] > 1.0).all()  # permuting X5 destroys the fit
    assert (imp["PERM_STD"] >= 0).all()


def test_ols_recovers_the_coefficients_and_their_standard_errors(result, panel):
    for group, sub in [("all", panel), ("east", panel[panel["region"] == "east"])]:
        X = sub[DRIVERS].to_numpy()
        y = sub["D"].to_numpy()
        A = np.column_stack([np.ones(len(y)), X])
        n, k = A.shape
        beta = np.linalg.solve(A.T @ A, A.T @ y)  # normal equations
        resid = y - A @ beta
        s2 = resid @ resid / (n - k)
        se = np.sqrt(np.diag(s2 * np.linalg.inv(A.T @ A)))
        t = beta / se
        p = 2 * stats.t.sf(np.abs(t), n - k)
        got = result.coefficients[result.coefficients["GROUP"] == group]
        assert got["DRIVER"].tolist() == ["const"] + DRIVERS
        assert np.allclose(got["COEF"], beta, atol=1e-10)
        assert np.allclose(got["STD_ERR"], se, rtol=1e-8)
        assert np.allclose(got["T"], t, rtol=1e-8)
        assert np.allclose(got["P"], p, rtol=1e-6, atol=1e-300)
        truth = dict.fromkeys(DRIVERS, 0.0) | {"X5": 0.6, "X1": 0.1}
        coef = dict(zip(got["DRIVER"], got["COEF"]))
        for driver, value in truth.items():
            assert coef[driver] == pytest.approx(value, abs=0.01), (group, driver)


def test_ols_metrics_and_adjusted_r2(result, panel):
    ols = result.metrics[result.metrics["MODEL"] == "ols"]
    for _, row in ols.iterrows():
        n, p = row["N_TRAIN"], 9
        assert row["ADJ_R2"] == pytest.approx(1 - (1 - row["R2_TRAIN"]) * (n - 1) / (n - p - 1))
    train, test = result.splits[("all", "grouped")]
    fit = LinearRegression().fit(panel.iloc[train][DRIVERS], panel.iloc[train]["D"])
    row = ols[(ols["GROUP"] == "all") & (ols["SPLIT"] == "grouped")].iloc[0]
    pred = fit.predict(panel.iloc[test][DRIVERS])
    assert row["R2_TEST"] == pytest.approx(r2_score(panel.iloc[test]["D"], pred))
    assert row["RMSE_TEST"] == pytest.approx(np.sqrt(np.mean((panel.iloc[test]["D"] - pred) ** 2)))
    # grouped 3-fold cross-validation over units, as scikit-learn computes it
    cv = cross_val_score(LinearRegression(), panel[DRIVERS], panel["D"], groups=panel["id"],
                         cv=GroupKFold(n_splits=3), scoring="r2")
    assert row["R2_CV_MEAN"] == pytest.approx(cv.mean())
    assert row["R2_CV_STD"] == pytest.approx(cv.std())
    assert result.cv_folds[("all", "grouped")] == 3


def test_tree_metrics_match_scikit_learn_fitted_directly(result, panel):
    for split in ("grouped", "random"):
        train, test = result.splits[("east", split)]
        tree = DecisionTreeRegressor(max_depth=6, min_samples_leaf=5, random_state=42)
        tree.fit(panel.iloc[train][DRIVERS].to_numpy(), panel.iloc[train]["D"].to_numpy())
        pred = tree.predict(panel.iloc[test][DRIVERS].to_numpy())
        row = result.metrics.query(f"GROUP == 'east' and MODEL == 'tree' and SPLIT == '{split}'").iloc[0]
        assert row["R2_TEST"] == pytest.approx(r2_score(panel.iloc[test]["D"], pred))
        assert row["RMSE_TEST"] == pytest.approx(np.sqrt(mean_squared_error(panel.iloc[test]["D"], pred)))


def test_grouped_split_shares_no_unit_random_split_does(result, panel):
    for group in ("all", "east", "west", "north"):
        train, test = result.splits[(group, "grouped")]
        train_ids = set(panel["id"].iloc[train])
        test_ids = set(panel["id"].iloc[test])
        assert train_ids and test_ids
        assert not train_ids & test_ids, group
        if group != "all":
            assert set(panel["region"].iloc[np.concatenate([train, test])]) == {group}
        rtrain, rtest = result.splits[(group, "random")]
        assert set(panel["id"].iloc[rtrain]) & set(panel["id"].iloc[rtest])
        assert len(rtest) == int(np.ceil(0.3 * (480 if group == "all" else 160)))
    train, test = result.splits[("all", "grouped")]
    assert len(set(panel["id"].iloc[test])) == 18  # ceil(0.3 * 60) units held out


def test_partial_dependence_of_leading_drivers_follows_the_model(result, panel):
    pdp = result.partial_dependence
    assert set(pdp["MODEL"]) == {"forest", "boosting"}
    for (group, model), rows in pdp.groupby(["GROUP", "MODEL"]):
        if group == "all":
            assert list(dict.fromkeys(rows["DRIVER"])) == ["X5", "X1"]
        x5 = rows[rows["DRIVER"] == "X5"]
        assert len(x5) == 20
        train, _ = result.splits[(group, "grouped")]  # the grid spans the training rows
        lo, hi = np.quantile(panel["X5"].iloc[train], [0.05, 0.95])
        # scikit-learn's percentiles interpolate a little differently from numpy's
        assert x5["GRID_VALUE"].min() == pytest.approx(lo, abs=0.01)
        assert x5["GRID_VALUE"].max() == pytest.approx(hi, abs=0.01)
        assert x5["GRID_VALUE"].is_monotonic_increasing
        slope = np.polyfit(x5["GRID_VALUE"], x5["PD_VALUE"], 1)[0]
        assert slope == pytest.approx(0.6, abs=0.1), (group, model)


def test_same_seed_gives_identical_numbers_other_seed_differs(panel):
    opts = dict(id_field="id", models=("tree", "forest", "ols"), cv_folds=2, n_repeats=3,
                model_params={"forest": {"n_estimators": 10}})
    a = driver_analysis(panel, "D", DRIVERS, **opts)
    b = driver_analysis(panel, "D", DRIVERS, **opts)
    c = driver_analysis(panel, "D", DRIVERS, seed=7, **opts)
    for name in ("metrics", "importance", "coefficients", "partial_dependence"):
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name))
    for key in a.splits:
        assert all(np.array_equal(x, y) for x, y in zip(a.splits[key], b.splits[key]))
    assert not np.array_equal(a.splits[("all", "grouped")][1], c.splits[("all", "grouped")][1])


def test_the_full_sample_and_the_groups_fitted_apart_are_the_whole_analysis(panel, result):
    """samples="all" and "groups" (a study's two pieces on two workers): each
    sample's models as in one run; the tables are their rows, GROUP-major."""
    whole = result  # group_field="region", **FAST
    alone = {samples: driver_analysis(panel, "D", DRIVERS, id_field="id", group_field="region",
                                      samples=samples, **FAST) for samples in ("all", "groups")}
    assert set(alone["all"].metrics.GROUP) == {"all"}
    assert set(alone["groups"].metrics.GROUP) == {"east", "north", "west"}
    for name in ("importance", "coefficients", "partial_dependence", "shap", "shap_values"):
        joined = pd.concat([getattr(alone["all"], name), getattr(alone["groups"], name)], ignore_index=True)
        pd.testing.assert_frame_equal(joined, getattr(whole, name))
    metrics = pd.concat([alone["all"].metrics, alone["groups"].metrics], ignore_index=True)
    metrics = metrics.sort_values("SPLIT", key=lambda s: s.map({"grouped": 0, "random": 1}), kind="stable",
                                  ignore_index=True)
    pd.testing.assert_frame_equal(metrics, whole.metrics)
    assert alone["groups"].notes == whole.notes  # notes of the whole analysis either way
    with pytest.raises(InputError, match="needs a group field"):
        driver_analysis(panel, "D", DRIVERS, id_field="id", samples="groups")


def test_random_primary_split_is_listed_first(panel):
    res = driver_analysis(panel, "D", DRIVERS, id_field="id", split="random",
                          models=("ols",), cv_folds=0)
    assert res.primary_split == "random"
    assert res.metrics["SPLIT"].tolist() == ["random", "grouped"]
    assert res.metrics["R2_CV_MEAN"].isna().all()
    assert any("primary split: random" in note for note in res.notes)


def test_leakage_gap_is_visible():
    """Target fixed per unit, drivers identify the unit: random split 'predicts', grouped does not."""
    rng = np.random.default_rng(3)
    units, years = 40, 8
    unit_effect = rng.normal(size=units)
    unit_tag = rng.random(units)
    df = pd.DataFrame({
        "id": np.repeat(np.arange(units), years),
        "tag": np.repeat(unit_tag, years),
        "other": rng.random(units * years),
        "y": np.repeat(unit_effect, years) + rng.normal(0, 0.01, units * years),
    })
    res = driver_analysis(df, "y", ["tag", "other"], id_field="id", models=("tree",), cv_folds=4,
                          cv_both_splits=True,
                          model_params={"tree": {"max_depth": None, "min_samples_leaf": 1}})
    m = res.metrics.set_index("SPLIT")
    assert m.loc["random", "R2_TEST"] > 0.9
    assert m.loc["grouped", "R2_TEST"] < 0.3
    assert m.loc["random", "R2_CV_MEAN"] > 0.9
    assert m.loc["grouped", "R2_CV_MEAN"] < 0.3


def test_cross_validation_only_for_the_primary_split_by_default(panel):
    res = driver_analysis(panel, "D", ["X1", "X5"], id_field="id", models=("ols",), cv_folds=3)
    m = res.metrics.set_index("SPLIT")
    assert not np.isnan(m.loc["grouped", "R2_CV_MEAN"])
    assert np.isnan(m.loc["random", "R2_CV_MEAN"])


def test_collinear_drivers_are_dropped_and_reported(panel):
    df = panel.copy()
    df["X10"] = df["X1"] + 2 * df["X2"]
    df["X11"] = 3.0
    drivers = DRIVERS + ["X10", "X11"]
    res = driver_analysis(df, "D", drivers, id_field="id", models=("ols", "tree"), cv_folds=2, n_repeats=2)
    assert res.dropped_collinear == {"all": ["X10", "X11"]}
    assert any("X10" in note and "X11" in note for note in res.notes)
    coef = res.coefficients.set_index("DRIVER")
    assert coef.loc[["X10", "X11"], ["COEF", "STD_ERR", "T", "P"]].isna().all().all()
    assert coef.loc["X5", "COEF"] == pytest.approx(0.6, abs=0.01)
    imp = res.importance.query("MODEL == 'ols'").set_index("DRIVER")["IMPORTANCE"]
    assert imp["X10"] == 0 and imp["X11"] == 0 and imp.sum() == pytest.approx(1.0)
    ols = res.metrics.query("MODEL == 'ols'").iloc[0]
    n = ols["N_TRAIN"]
    assert ols["ADJ_R2"] == pytest.approx(1 - (1 - ols["R2_TRAIN"]) * (n - 1) / (n - 9 - 1))


def test_nulls_are_deleted_listwise_and_counted(panel):
    df = panel.copy()
    df["X3"] = df["X3"].astype("float64")
    df.loc[df.index[[0, 5, 10, 15, 20]], "X3"] = np.nan
    df.loc[df.index[[20, 30, 40]], "D"] = np.nan
    df.loc[df.index[[50]], "region"] = None
    before = df.copy()
    res = driver_analysis(df, "D", DRIVERS, id_field="id", group_field="region",
                          models=("ols",), cv_folds=0)
    pd.testing.assert_frame_equal(df, before)
    assert res.n_dropped_rows == 8
    assert res.n_rows == 472
    note = next(n for n in res.notes if "listwise" in n)
    assert "'X3': 5" in note and "'D': 3" in note and "'region': 1" in note and "8 of 480" in note
    used = np.concatenate(res.splits[("all", "grouped")])
    assert not set(used) & {0, 5, 10, 15, 20, 30, 40, 50}
    assert len(used) == 472


def test_tuning_picks_values_from_the_grid(panel):
    res = driver_analysis(panel.iloc[:240], "D", DRIVERS, id_field="id", models=("forest",),
                          tune=True, cv_folds=2, n_repeats=2, model_params={"forest": {"n_estimators": 5}})
    assert set(res.best_params) == {("all", "grouped", "forest"), ("all", "random", "forest")}
    for params in res.best_params.values():
        assert params["min_samples_leaf"] in (1, 5)
        assert params["max_depth"] in (None, 8)


def test_progress_is_reported_and_cancel_interrupts(panel):
    calls = []
    driver_analysis(panel, "D", DRIVERS, id_field="id", models=("ols", "tree"), cv_folds=0,
                    n_repeats=1, progress=lambda f, m: calls.append((f, m)))
    fractions = [f for f, _ in calls]
    assert len(calls) == 4 and fractions == sorted(fractions) and fractions[-1] == 1.0
    assert all(isinstance(m, str) and m for _, m in calls)
    with pytest.raises(InterruptedError):
        driver_analysis(panel, "D", DRIVERS, id_field="id", models=("ols",),
                        is_canceled=lambda: len(calls) > 0)


# --------------------------------------------------------------------- bad input


def run(df, target="D", drivers=DRIVERS, **kw):
    opts = dict(id_field="id", models=("ols",), cv_folds=0)
    opts.update(kw)
    return driver_analysis(df, target, drivers, **opts)


def test_group_with_too_few_rows_is_named(panel):
    df = panel.copy()
    df.loc[df.index[:8], "region"] = "tiny"
    with pytest.raises(InputError, match=r"group 'tiny' in group field 'region' has 8 row"):
        run(df, group_field="region")


def test_group_with_one_unit_is_named(panel):
    df = panel.copy()
    df.loc[df["id"] == "c00", "region"] = "solo"
    with pytest.raises(InputError, match=r"group 'solo' in group field 'region' holds only 1 unit of 'id'"):
        run(df, group_field="region", min_rows=5)


def test_constant_target_is_named_with_its_group(panel):
    df = panel.copy()
    df.loc[df["region"] == "west", "D"] = 0.5
    with pytest.raises(InputError, match=r"target field 'D' is constant.*group 'west'"):
        run(df, group_field="region")
    with pytest.raises(InputError, match=r"target field 'D' is constant.*full sample"):
        run(df.assign(D=1.0))


@pytest.mark.parametrize("field", ["D", "X4"])
def test_text_field_is_named(panel, field):
    df = panel.copy()
    df[field] = df[field].astype(str)
    df.loc[df.index[3], field] = "n/a"
    with pytest.raises(InputError, match=f"field '{field}'"):
        run(df)


def test_unknown_model_and_split_list_the_choices(panel):
    with pytest.raises(InputError, match=r"'svm'.*tree, forest, boosting, ols"):
        run(panel, models=("tree", "svm"))
    with pytest.raises(InputError, match=r"'kfold'.*random, grouped"):
        run(panel, split="kfold")


@pytest.mark.parametrize("kw, pattern", [
    ({"test_size": 1.2}, "test size"),
    ({"test_size": 0}, "test size"),
    ({"cv_folds": 1}, "cv_folds"),
    ({"seed": -1}, "seed"),
    ({"group_field": "nowhere"}, "'nowhere'"),
    ({"drivers": []}, "no driver"),
    ({"drivers": ["X1", "X1"]}, "'X1'"),
    ({"drivers": ["X1", "D"]}, "'D' is also listed"),
    ({"model_params": {"forest": {"n_trees": 3}}}, "forest"),
    ({"model_params": {"ols": {}}}, "'ols'"),
    ({"tune": True, "cv_folds": 0}, "cv_folds"),
])
def test_bad_options(panel, kw, pattern):
    with pytest.raises(InputError, match=pattern):
        run(panel, **kw)


def test_infinite_values_and_null_ids_are_refused(panel):
    df = panel.copy()
    df.loc[df.index[2], "X7"] = np.inf
    with pytest.raises(InputError, match="'X7'.*infinite"):
        run(df)
    df = panel.copy()
    df["id"] = df["id"].astype(object)
    df.loc[df.index[2], "id"] = None
    with pytest.raises(InputError, match="id field 'id'"):
        run(df)


def test_numeric_tiers_are_labelled_as_whole_numbers_in_order(panel):
    df = panel.copy()
    df["TIER"] = np.where(df["region"] == "east", 2.0, np.where(df["region"] == "west", 0.0, 1.0))
    res = run(df, group_field="TIER")
    assert list(dict.fromkeys(res.metrics["GROUP"])) == ["all", "0", "1", "2"]
    assert list(res.dropped_collinear) == ["all", "0", "1", "2"]


# --------------------------------------------------------------------- SHAP


def path_dependent_value(tree, x, subset):
    """E[f(x) | x_S] as TreeSHAP's path-dependent algorithm defines it (Lundberg
    et al. 2020, Algorithm 1): a split on a driver in S follows x, any other
    split averages both children weighted by their training rows."""
    t = tree.tree_

    def value(node):
        if t.children_left[node] == -1:
            return t.value[node].ravel()[0]
        left, right = t.children_left[node], t.children_right[node]
        if t.feature[node] in subset:
            return value(left if x[t.feature[node]] <= t.threshold[node] else right)
        w_left, w_right = t.weighted_n_node_samples[left], t.weighted_n_node_samples[right]
        return (w_left * value(left) + w_right * value(right)) / (w_left + w_right)

    return value(0)


def brute_force_shapley(tree, x, p):
    """phi_i = sum over S of |S|!(p-|S|-1)!/p! (v(S u {i}) - v(S)), every subset S."""
    from itertools import combinations
    from math import factorial

    phi = np.zeros(p)
    for i in range(p):
        others = [j for j in range(p) if j != i]
        for size in range(p):
            weight = factorial(size) * factorial(p - size - 1) / factorial(p)
            for subset in combinations(others, size):
                s = set(subset)
                phi[i] += weight * (path_dependent_value(tree, x, s | {i})
                                    - path_dependent_value(tree, x, s))
    return phi


def test_tree_shap_equals_brute_force_shapley_values_on_a_small_tree():
    from spatial.driver_importance import shap_values

    rng = np.random.default_rng(5)
    X = rng.random((300, 4))
    y = X[:, 0] * 2 + np.where(X[:, 1] > 0.5, X[:, 2], -X[:, 3]) + rng.normal(0, 0.05, 300)
    tree = DecisionTreeRegressor(max_depth=4, random_state=0).fit(X, y)
    rows = X[:12]
    values, expected = shap_values(tree, "tree", rows, X)
    assert expected == pytest.approx(path_dependent_value(tree, rows[0], set()))
    for x, phi in zip(rows, values):
        np.testing.assert_allclose(phi, brute_force_shapley(tree, x, 4), atol=1e-10)


def test_shap_values_add_up_to_prediction_minus_expected_value(result, panel):
    X = panel[DRIVERS].to_numpy()
    for (group, model), (positions, values, expected) in result.shap_samples.items():
        estimator = result.estimators[(group, model)]
        np.testing.assert_allclose(values.sum(axis=1) + expected, estimator.predict(X[positions]),
                                   atol=1e-8, err_msg=f"{group} {model}")
        _, test = result.splits[(group, result.primary_split)]
        assert set(positions) <= set(test)  # held-out rows are explained


def test_shap_table_is_the_mean_absolute_value_and_ranks_x5_first(result):
    from spatial.drivers import SHAP_COLUMNS

    table = result.shap
    assert list(table.columns) == SHAP_COLUMNS
    assert len(table) == 4 * 4 * 9
    for (group, model), rows in table.groupby(["GROUP", "MODEL"]):
        _, values, _ = result.shap_samples[(group, model)]
        np.testing.assert_allclose(rows["MEAN_ABS_SHAP"], np.abs(values).mean(axis=0))
        assert rows.sort_values("MEAN_ABS_SHAP")["DRIVER"].iloc[-1] == "X5", (group, model)


def test_ols_shap_values_are_shaps_linear_explainer_values(result, panel):
    import shap

    train, _ = result.splits[("all", result.primary_split)]
    positions, values, expected = result.shap_samples[("all", "ols")]
    ols = result.estimators[("all", "ols")]
    X_train = panel[DRIVERS].to_numpy()[train]
    explainer = shap.LinearExplainer((ols.coef_, ols.intercept_), shap.maskers.Independent(
        X_train, max_samples=len(X_train)))
    reference = explainer.shap_values(panel[DRIVERS].to_numpy()[positions])
    np.testing.assert_allclose(values, reference, atol=1e-10)
    assert expected == pytest.approx(explainer.expected_value)


def test_shap_rows_caps_the_explained_sample_and_zero_turns_shap_off(panel):
    res = driver_analysis(panel, "D", DRIVERS, id_field="id", models=("tree",), cv_folds=0,
                          shap_rows=25)
    positions, values, _ = res.shap_samples[("all", "tree")]
    assert values.shape == (25, 9) and len(set(positions)) == 25
    assert any("SHAP values of a seeded sample of 25" in note for note in res.notes)
    off = driver_analysis(panel, "D", DRIVERS, id_field="id", models=("tree",), cv_folds=0,
                          shap_rows=0)
    assert off.shap.empty and not off.shap_samples


# --------------------------------------------------------------------- defaults at scale


def hist_gain_by_hand(model, X, y):
    """Sum over the trees of each split's decrease in the squared residuals,
    the residuals of stage k being y minus the raw prediction after stage k-1."""
    raw = np.full(len(y), model._baseline_prediction.ravel()[0])
    staged = list(model.staged_predict(X))
    gains = np.zeros(X.shape[1])
    for k, (predictor,) in enumerate(model._predictors):
        r = y - raw
        nodes = predictor.nodes

        def walk(node, rows):
            if nodes["is_leaf"][node]:
                return
            f = nodes["feature_idx"][node]
            go_left = X[rows, f] <= nodes["num_threshold"][node]
            left, right = rows[go_left], rows[~go_left]
            sse = lambda v: ((v - v.mean()) ** 2).sum()  # noqa: E731
            gains[f] += sse(r[rows]) - sse(r[left]) - sse(r[right])
            walk(nodes["left"][node], left)
            walk(nodes["right"][node], right)

        walk(0, np.arange(len(y)))
        raw = staged[k]
    return gains / gains.sum()


def test_histogram_boosting_importance_is_the_decrease_in_squared_residuals():
    from sklearn.ensemble import HistGradientBoostingRegressor

    from spatial.driver_importance import impurity_importance

    rng = np.random.default_rng(2)
    X = rng.random((400, 3))
    y = 3 * X[:, 0] + X[:, 1] ** 2 + rng.normal(0, 0.1, 400)
    model = HistGradientBoostingRegressor(max_iter=5, max_depth=3, max_leaf_nodes=None,
                                          min_samples_leaf=1, early_stopping=False,
                                          random_state=0).fit(X, y)
    got = impurity_importance(model, "boosting", X, y)
    np.testing.assert_allclose(got, hist_gain_by_hand(model, X, y), rtol=1e-6)
    assert got.sum() == pytest.approx(1.0)


def test_boosting_is_histogram_based_by_default(panel, monkeypatch):
    from sklearn.ensemble import GradientBoostingRegressor, HistGradientBoostingRegressor

    from spatial import driver_models

    opts = dict(id_field="id", models=("boosting",), cv_folds=0, n_pdp=0, shap_rows=20,
                n_repeats=1, model_params={"boosting": {"n_estimators": 30}})
    monkeypatch.setattr(driver_models, "HIST_BOOSTING_ROWS", 400)  # a threshold still works
    small = driver_analysis(panel, "D", DRIVERS, **opts)  # 336 training rows
    assert type(small.estimators[("all", "boosting")]) is GradientBoostingRegressor
    monkeypatch.undo()
    large = driver_analysis(panel, "D", DRIVERS, **opts)
    hist = large.estimators[("all", "boosting")]
    assert type(hist) is HistGradientBoostingRegressor
    assert hist.max_iter == 30 and hist.max_depth == 3 and hist.learning_rate == 0.1
    assert hist.n_iter_ == 30  # no early stopping
    assert any("histogram-based" in note for note in large.notes)
    imp = large.importance.set_index("DRIVER")["IMPORTANCE"]
    assert imp.sum() == pytest.approx(1.0) and imp.idxmax() == "X5"
    assert large.metrics["R2_TEST"].min() > 0.9
    exact = driver_analysis(panel, "D", DRIVERS, boosting="exact", **opts)
    assert type(exact.estimators[("all", "boosting")]) is GradientBoostingRegressor


def test_forest_trees_grow_on_capped_bootstrap_samples(panel):
    opts = dict(id_field="id", models=("forest",), cv_folds=0, n_pdp=0, shap_rows=0,
                model_params={"forest": {"n_estimators": 10}})
    capped = driver_analysis(panel, "D", DRIVERS, forest_max_rows=100, **opts)
    forest = capped.estimators[("all", "forest")]
    assert forest.max_samples == 100
    # each tree's root saw exactly 100 bootstrap draws
    assert all(t.tree_.weighted_n_node_samples[0] == 100 for t in forest.estimators_)
    assert any("at most 100 rows" in note for note in capped.notes)
    full = driver_analysis(panel, "D", DRIVERS, **opts)
    assert full.estimators[("all", "forest")].max_samples is None  # 336 rows < 500


def test_large_groups_are_not_cross_validated(panel):
    res = driver_analysis(panel, "D", DRIVERS, id_field="id", group_field="region",
                          models=("ols",), cv_folds=3, cv_max_rows=200)
    primary = res.metrics[res.metrics["SPLIT"] == "grouped"].set_index("GROUP")
    assert np.isnan(primary.loc["all", "R2_CV_MEAN"])       # 480 rows > 200
    assert primary.drop("all")["R2_CV_MEAN"].notna().all()  # 160 rows each
    assert res.cv_folds[("all", "grouped")] == 0 and res.cv_folds[("east", "grouped")] == 3
    assert any("cross-validation skipped for group(s) 'all'" in note for note in res.notes)


@pytest.mark.parametrize("model", ["ols", "forest"])
def test_permutation_importance_on_a_capped_sample_of_held_out_rows(panel, model):
    """OLS predicts part by part, the forest everything in one call: both give
    scikit-learn's permutation importance and metrics of the fitted model."""
    from sklearn.inspection import permutation_importance

    res = driver_analysis(panel, "D", DRIVERS, id_field="id", models=(model,), cv_folds=0,
                          perm_rows=50, n_repeats=3, shap_rows=0)
    train, test = res.splits[("all", "grouped")]
    rng = np.random.default_rng(42)
    sample = np.sort(test[np.sort(rng.choice(len(test), 50, replace=False))])
    estimator = res.estimators[("all", model)]
    X, y = panel[DRIVERS].to_numpy(), panel["D"].to_numpy()
    expected = permutation_importance(estimator, X[sample], y[sample], n_repeats=3, random_state=42)
    got = res.importance.query("MODEL == @model")
    np.testing.assert_allclose(got["PERM_IMPORTANCE"], expected.importances_mean, rtol=1e-12)
    np.testing.assert_allclose(got["PERM_STD"], expected.importances_std, rtol=1e-12)
    metrics = res.metrics.query("GROUP == 'all' and SPLIT == 'grouped'").iloc[0]
    assert metrics["R2_TRAIN"] == r2_score(y[train], estimator.predict(X[train]))
    assert metrics["R2_TEST"] == r2_score(y[test], estimator.predict(X[test]))


def test_threads_do_not_change_any_number(panel, monkeypatch):
    from spatial import driver_models, drivers

    monkeypatch.setattr(driver_models, "HIST_BOOSTING_ROWS", 200)
    monkeypatch.setattr(drivers, "PARALLEL_ROWS", 0)  # threads even on this small panel
    opts = dict(id_field="id", models=("forest", "boosting"), cv_folds=0, n_pdp=1, shap_rows=10,
                n_repeats=1, pdp_grid=5,
                model_params={"forest": {"n_estimators": 8}, "boosting": {"n_estimators": 10}})
    one = driver_analysis(panel, "D", DRIVERS, n_jobs=1, **opts)
    two = driver_analysis(panel, "D", DRIVERS, n_jobs=2, **opts)
    for name in ("metrics", "importance", "partial_dependence", "shap"):
        pd.testing.assert_frame_equal(getattr(one, name), getattr(two, name))


@pytest.mark.parametrize("kind", ["forest", "histogram"])
def test_one_call_permutations_and_partial_dependence_are_sklearns(kind):
    """The stacked predictions give scikit-learn's own permutation importance and
    brute partial dependence, to the last bit (ties: a driver of 5 distinct values)."""
    from sklearn.ensemble import HistGradientBoostingRegressor, RandomForestRegressor
    from sklearn.inspection import partial_dependence, permutation_importance

    from spatial.driver_importance import partial_dependence_rows, permutation_importances

    rng = np.random.default_rng(3)
    X = rng.random((250, 4))
    X[:, 3] = rng.integers(0, 5, 250)
    y = X[:, 0] + X[:, 1] ** 2 + 0.1 * X[:, 3] + rng.normal(0, 0.1, 250)
    model = (RandomForestRegressor(n_estimators=15, random_state=0) if kind == "forest"
             else HistGradientBoostingRegressor(max_iter=20, random_state=0)).fit(X, y)
    expected = permutation_importance(model, X, y, n_repeats=4, random_state=11)
    mean, std = permutation_importances(model, X, y, 4, 11)
    np.testing.assert_array_equal(mean, expected.importances_mean)
    np.testing.assert_array_equal(std, expected.importances_std)
    rows = partial_dependence_rows(model, X, np.array([0.4, 0.3, 0.2, 0.1]), list("abcd"), "all",
                                   kind, 4, 20, 1000, 0, [])
    for j, name in enumerate("abcd"):
        pdp = partial_dependence(model, X, [j], grid_resolution=20, percentiles=(0.05, 0.95),
                                 method="brute", kind="average")
        mine = [row for row in rows if row[2] == name]
        np.testing.assert_array_equal([row[3] for row in mine], pdp["grid_values"][0])
        np.testing.assert_allclose([row[4] for row in mine], pdp["average"][0], rtol=0, atol=1e-12)
    assert len([row for row in rows if row[2] == "d"]) == 5  # its distinct values, not 20
    # every prediction of a fitted model in one call: the numbers of one call per block
    from spatial.driver_importance import pd_copies, predicted_parts, permuted_copies

    plan = pd_copies(X, np.array([0.4, 0.3, 0.2, 0.1]), list("abcd"), "all", kind, 2, 20, 100, 0, [])
    parts = [[X[:50]], [X[50:]], permuted_copies(X[50:], 4, 11)] + [blocks for _, _, blocks in plan]
    for blocks, predicted in zip(parts, predicted_parts(model, parts)):
        np.testing.assert_array_equal(predicted, [model.predict(block) for block in blocks])


def test_shap_value_table_holds_the_explained_rows_one_by_one(result, panel):
    """Each explained row: its drivers' values, SHAP values that add up to the
    model's prediction minus EXPECTED, and MEAN_ABS_SHAP is their mean |SHAP|."""
    table = result.shap_values
    assert list(table.columns) == ["GROUP", "MODEL", "ROW", "DRIVER", "VALUE", "SHAP", "EXPECTED"]
    for (group, model), estimator in result.estimators.items():
        part = table[(table["GROUP"] == group) & (table["MODEL"] == model)]
        rows = part["ROW"].to_numpy().reshape(-1, len(DRIVERS))[:, 0]
        np.testing.assert_array_equal(part["VALUE"].to_numpy().reshape(-1, len(DRIVERS)),
                                      panel[DRIVERS].to_numpy()[rows])
        _, test = result.splits[(group, "grouped")]
        assert set(rows) <= set(test)  # held-out rows only
        shap_sum = part["SHAP"].to_numpy().reshape(-1, len(DRIVERS)).sum(axis=1)
        prediction = estimator.predict(panel[DRIVERS].to_numpy()[rows])
        np.testing.assert_allclose(shap_sum + part["EXPECTED"].iloc[0], prediction, atol=1e-6)
        means = part.assign(A=part["SHAP"].abs()).groupby("DRIVER")["A"].mean()
        listed = result.shap.query("GROUP == @group and MODEL == @model").set_index("DRIVER")
        np.testing.assert_allclose(listed["MEAN_ABS_SHAP"], means.reindex(listed.index))


def test_no_frame_of_the_analysis_outlives_it():
    """shap, imported the first time inside the analysis, keeps tracebacks of
    its missing optional packages; they must not hold the analysis' frames and
    arrays (1.3 GiB at 5·10^6 unit-years). In a fresh process, so that shap is
    imported there for the first time."""
    import subprocess
    import sys
    import textwrap

    script = textwrap.dedent("""
        import gc, sys, types
        sys.path.insert(0, sys.argv[1])
        from tests.core.test_drivers import DRIVERS, SMALL, make_panel
        from spatial.drivers import driver_analysis
        assert "shap" not in sys.modules
        res = driver_analysis(make_panel(), "D", DRIVERS, id_field="id", model_params=SMALL)
        assert "shap" in sys.modules and len(res.shap)
        gc.collect()
        analysis = ("driver_analysis", "_analyse_group", "_explain", "shap_values")
        alive = [f.f_code.co_name for f in gc.get_objects() if isinstance(f, types.FrameType)
                 and f.f_code.co_name in analysis]
        print(alive)
        sys.exit(1 if alive else 0)
    """)
    root = __file__.rsplit("/tests/", 1)[0]
    done = subprocess.run([sys.executable, "-c", script, root], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr[-2000:]


@pytest.mark.parametrize("block", [7, 65536])
def test_collinear_columns_are_those_of_the_rank_of_the_whole_matrix(block):
    """The rank built block by block from R agrees with numpy.linalg.matrix_rank of the
    whole centred, scaled matrix, column set by column set, for exact and near collinearity."""
    from spatial.ols import independent_columns

    rng = np.random.default_rng(3)
    n = 500
    X = rng.standard_normal((n, 6))
    X[:, 2] = X[:, 0] - 2 * X[:, 1] + 5.0  # exact combination of the intercept and earlier columns
    X[:, 3] = 7.0
    X[:, 5] = X[:, 4] + 1e-9 * rng.standard_normal(n)  # near: well above matrix_rank's tolerance
    centred = X - X.mean(axis=0)
    scales = np.sqrt((centred ** 2).mean(axis=0))
    scaled = centred / np.where(scales > 0, scales, 1.0)
    expected_kept = []
    for j in range(X.shape[1]):
        if np.ptp(X[:, j]) > 0 and np.linalg.matrix_rank(scaled[:, expected_kept + [j]]) == len(expected_kept) + 1:
            expected_kept.append(j)
    kept, dropped = independent_columns(X, block=block)
    assert kept == expected_kept == [0, 1, 4, 5]
    assert dropped == [2, 3]
