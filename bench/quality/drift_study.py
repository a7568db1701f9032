#!/usr/bin/env python3
"""Why the two bank datasets resist the quality bar: can any honest, time-forward choice pass it?

    drift_study.py --datasets DIR [--doc docs/benchmarks.md] [--command "..."]

For every time-split dataset of DIR (meta.json "split" == "time") whose train base rate differs from its test
base rate by more than 2x, each candidate below is fitted twice: on the oldest 80% of train and scored on the
newest 20% (the "slice": all that a time-forward model choice can see), and on all of train and scored on test.
Every candidate is calibrated the same way GrowthBrain calibrates, by Platt scaling fitted on the slice scores.
The report shows, per candidate, the slice ROC-AUC (what a selection sees), the test ROC-AUC and ECE, and marks
the candidate the slice would pick. The bar is the one of the quality table: AUC >= best peer AUC - 0.005 and
ECE <= XGBoost's ECE (both taken from artifacts/bench-quality/<name>/metrics.json of the last quality run).

Candidates are deliberately the ones GrowthBrain could ship without peeking at test: naive Bayes over field
values and logistic regression (the peers' own implementations), blends of their logits, a stacked blend
(logistic regression over both scores on the slice: blend and calibration in one), and both kinds trained with
recency weights (half-life a quarter of the training window), which is the usual answer to drift.
"""
import argparse
import json
import os
import sys
import warnings

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import peers  # noqa: E402

warnings.filterwarnings("ignore")


def logit(p):
    p = np.clip(np.asarray(p, dtype=float), 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def recency(n, half_life):
    if half_life is None:
        return None
    age = 1 - np.arange(n) / n
    w = 0.5 ** (age / half_life)
    return w * n / w.sum()


def naive_bayes(meta, train, test, weights):
    return logit(peers.fit_naive_bayes(meta, train, test, weights=weights)[0])


def logistic(meta, train, test, weights, c=0.1):
    model = peers.linear_pipeline(meta, c)
    model.fit(peers.frame(meta, train), train[meta["label"]].to_numpy(), lr__sample_weight=weights)
    return logit(model.predict_proba(peers.frame(meta, test))[:, 1])


def platt(scores, y):
    from sklearn.linear_model import LogisticRegression
    m = LogisticRegression(C=1e6, max_iter=1000).fit(np.asarray(scores).reshape(len(y), -1), y)
    return lambda s: m.predict_proba(np.asarray(s).reshape(len(s), -1))[:, 1]


def study(dataset):
    from sklearn.metrics import roc_auc_score
    meta, train, test = peers.load(dataset)
    label = meta["label"]
    cut = int(len(train) * (1 - peers.TAIL))
    old, new = train.iloc[:cut].reset_index(drop=True), train.iloc[cut:].reset_index(drop=True)
    y_new, y_test = new[label].to_numpy(), test[label].to_numpy()

    base = {}
    for kind, fit in (("nb", naive_bayes), ("lr", logistic)):
        for hl in (None, 0.25):
            base[(kind, hl)] = (fit(meta, old, new, recency(len(old), hl)),
                                fit(meta, train, test, recency(len(train), hl)))
    rows = []

    def add(name, slice_scores, test_scores, stacked=False):
        calibrate = platt(slice_scores, y_new)
        p = calibrate(test_scores)
        # A single score is ranked as it is (a Platt map with a negative slope, which a drifting slice can produce,
        # would flip it; GrowthBrain refuses such maps); a stacked blend is ranked by its fitted combination.
        s_auc = roc_auc_score(y_new, calibrate(slice_scores) if stacked else slice_scores)
        t_auc = roc_auc_score(y_test, p if stacked else test_scores)
        rows.append({"candidate": name, "sliceAuc": float(s_auc), "testAuc": float(t_auc),
                     "ece": peers.ece(p, y_test), "meanPredicted": float(p.mean())})

    add("naive Bayes", *base[("nb", None)])
    add("logistic regression", *base[("lr", None)])
    for w in (0.25, 0.5, 0.75):
        (nb_s, nb_t), (lr_s, lr_t) = base[("nb", None)], base[("lr", None)]
        add(f"logit blend, naive Bayes weight {w}", w * nb_s + (1 - w) * lr_s, w * nb_t + (1 - w) * lr_t)
    (nb_s, nb_t), (lr_s, lr_t) = base[("nb", None)], base[("lr", None)]
    add("stacked naive Bayes + logistic (fitted on the slice)", np.column_stack([nb_s, lr_s]),
        np.column_stack([nb_t, lr_t]), stacked=True)
    add("naive Bayes, recency weights (half-life 1/4 of window)", *base[("nb", 0.25)])
    add("logistic regression, recency weights (half-life 1/4)", *base[("lr", 0.25)])
    pick = max(range(len(rows)), key=lambda i: rows[i]["sliceAuc"])
    for i, r in enumerate(rows):
        r["pickedBySlice"] = i == pick
    return {"rows": rows, "trainRate": float(train[label].mean()), "sliceRate": float(y_new.mean()),
            "testRate": float(y_test.mean())}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--datasets", required=True)
    ap.add_argument("--work", default=os.path.join(os.path.dirname(__file__), "../../artifacts/bench-quality"))
    ap.add_argument("--doc")
    ap.add_argument("--command", default="python3 bench/quality/drift_study.py")
    a = ap.parse_args()
    body = [f"Command: `{a.command}` (after `bench/run-scoring.sh quality`, whose peer metrics set the bar). "
            f"Machine: {peers.machine()}.", "",
            "Every candidate is fitted on the oldest 80% of train and scored on the newest 20% (the slice, all "
            "that a time-forward choice sees), then refitted on all of train and scored on test; all are "
            "calibrated by Platt scaling on the slice, as GrowthBrain does. ★ = the candidate the slice picks. "
            "Cells: slice ROC-AUC | test ROC-AUC / ECE / mean predicted; a verdict against the quality bar.", ""]
    for name in sorted(os.listdir(a.datasets)):
        d = os.path.join(a.datasets, name)
        meta_path = os.path.join(d, "meta.json")
        if not os.path.exists(meta_path) or json.load(open(meta_path)).get("split") != "time":
            continue
        meta = json.load(open(meta_path))
        if not meta.get("pos_rate_train") or meta["pos_rate_test"] / meta["pos_rate_train"] < 2:
            continue
        metrics_path = os.path.join(a.work, name, "metrics.json")
        if not os.path.exists(metrics_path):
            print(f"drift_study: {name}: no {metrics_path}; run bench/run-scoring.sh quality first", file=sys.stderr)
            continue
        m = json.load(open(metrics_path))
        bar_auc = max(m[p]["rocAuc"] for p in peers.PEER_NAMES) - 0.005
        bar_ece = m["xgboost"]["ece"]
        r = study(d)
        body.append(f"**{name}**: base rate train {r['trainRate']:.3f}, slice {r['sliceRate']:.3f}, test "
                    f"{r['testRate']:.3f}; bar AUC ≥ {bar_auc:.3f}, ECE ≤ {bar_ece:.3f}.")
        body.append("")
        body.append("| candidate | slice AUC | test AUC / ECE / mean | bar |")
        body.append("|---|--:|---|---|")
        for row in r["rows"]:
            ok_auc, ok_ece = row["testAuc"] >= bar_auc, row["ece"] <= bar_ece
            verdict = "PASS" if ok_auc and ok_ece else "FAIL (" + ", ".join(
                x for x, ok in (("AUC", ok_auc), ("ECE", ok_ece)) if not ok) + ")"
            star = " ★" if row["pickedBySlice"] else ""
            body.append(f"| {row['candidate']}{star} | {row['sliceAuc']:.3f} | {row['testAuc']:.3f} / "
                        f"{row['ece']:.3f} / {row['meanPredicted']:.3f} | {verdict} |")
        picked = next(row for row in r["rows"] if row["pickedBySlice"])
        passing = [row["candidate"] for row in r["rows"] if row["testAuc"] >= bar_auc and row["ece"] <= bar_ece]
        picked_ok = picked["testAuc"] >= bar_auc and picked["ece"] <= bar_ece
        body.append("")
        body.append(f"The slice picks *{picked['candidate']}*, which {'passes' if picked_ok else 'fails'} the bar. " + (
            "No candidate passes." if not passing else
            f"Passing: {', '.join(passing)}; " + ("the slice ranks it" if len(passing) == 1 else "the slice ranks them")
            + " below the pick, so shipping " + ("it" if len(passing) == 1 else "them")
            + " would mean choosing by the test period."))
        body.append("")
        print(f"drift_study: {name} done", file=sys.stderr)
    text = "\n".join(body)
    if a.doc:
        peers.replace_section(a.doc, "## Scoring quality on drifting data (issue 3 study)", text)
    print(text)


if __name__ == "__main__":
    main()
