"""Synthetic batch files for benchmarks and tests (seeded; no real patients)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from decision.flat import COLUMNS

BOOL_RATES = {
    "prior_cerclage_for_painless_dilation": 0.03, "cervical_surgery": 0.08, "in_utero_des_exposure": 0.01,
    "uterine_or_cervical_anomaly": 0.03, "cervical_trauma": 0.02, "funneling": 0.05, "cerclage_in_place": 0.05,
    "regular_contractions_or_labor": 0.04, "vaginal_bleeding": 0.03, "signs_of_intraamniotic_infection": 0.02,
    "fetal_demise": 0.005, "lethal_fetal_anomaly": 0.005,
}


def synthetic_frame(rows: int, seed: int = 7, invalid_rate: float = 0.01) -> pd.DataFrame:
    """A realistic mix of clinic cases as CSV text cells, with ``invalid_rate`` of bad rows."""
    rng = np.random.default_rng(seed)
    weeks = rng.integers(8, 41, rows)
    days = rng.integers(0, 7, rows)
    ga = weeks * 7 + days
    frame: dict[str, np.ndarray] = {"ga_weeks": weeks.astype(str), "ga_days": days.astype(str)}
    frame["plurality"] = np.where(rng.random(rows) < 0.04, "2", "1")
    frame["second_trimester_losses_painless_dilation"] = rng.choice(["0", "1", "2", "3"], rows, p=[0.9, 0.06, 0.03, 0.01])
    frame["spontaneous_preterm_births_before_34w"] = rng.choice(["0", "1", "2", "3"], rows, p=[0.85, 0.1, 0.04, 0.01])
    for column, rate in BOOL_RATES.items():
        frame[column] = np.where(rng.random(rows) < rate, "true", "false")
    measured = rng.random(rows) < 0.6
    frame["length_mm"] = np.where(measured, rng.integers(4, 50, rows).astype(str), "")
    examined = rng.random(rows) < 0.2
    dilation = rng.integers(0, 13, rows) / 2
    frame["dilation_cm"] = np.where(examined, dilation.astype(str), "")
    at_os = examined & (dilation >= 1) & (rng.random(rows) < 0.4)
    frame["membranes_at_or_beyond_external_os"] = np.where(at_os, "true", "false")
    frame["membranes_prolapsed_into_vagina"] = np.where(at_os & (rng.random(rows) < 0.3), "true", "false")
    ruptured = rng.random(rows) < 0.08
    rupture_ga = ga - rng.integers(0, 14, rows)
    rupture_ga = np.maximum(rupture_ga, 28)
    frame["membranes_status"] = np.where(ruptured, "ruptured", "intact")
    frame["rupture_ga_weeks"] = np.where(ruptured, (rupture_ga // 7).astype(str), "")
    frame["rupture_ga_days"] = np.where(ruptured, (rupture_ga % 7).astype(str), "")
    serial = np.full(rows, "", dtype=object)
    has_serial = measured & (rng.random(rows) < 0.1) & (ga >= 18 * 7)
    for i in np.flatnonzero(has_serial):
        first = int(ga[i]) - 14
        serial[i] = f"{first // 7}+{first % 7}:{int(rng.integers(20, 45))}"
    frame["serial_cervical_lengths"] = serial
    cerclage = frame["cerclage_in_place"] == "true"
    frame["cerclage_type"] = np.where(cerclage, rng.choice(["", "transvaginal", "transabdominal"], rows, p=[0.5, 0.4, 0.1]), "")
    frame["rhd_negative"] = rng.choice(["", "false", "true"], rows, p=[0.5, 0.42, 0.08])
    for column in ("steroids_ga_weeks", "steroids_ga_days", "steroid_courses"):
        frame[column] = np.full(rows, "", dtype=object)
    out = pd.DataFrame(frame)[list(COLUMNS)]
    bad = np.flatnonzero(rng.random(rows) < invalid_rate)
    for n, i in enumerate(bad):
        column, value = [("ga_weeks", "43"), ("length_mm", "ninety"), ("dilation_cm", "11"),
                         ("plurality", "7"), ("cervical_surgery", "maybe")][n % 5]
        out.iat[int(i), out.columns.get_loc(column)] = value
    return out


def write_synthetic(path: Path, rows: int, seed: int = 7) -> Path:
    synthetic_frame(rows, seed).to_csv(path, index=False)
    return path


def write_invalid(path: Path, rows: int, seed: int = 7) -> Path:
    """Every row bad, and bad differently: the clinic mix with one bad cell per row, plus a distinct
    out-of-range gestational age on every other row (nothing can be shared between rows)."""
    frame = synthetic_frame(rows, seed, invalid_rate=1.0)
    half = frame.index % 2 == 0
    frame.loc[half, "ga_weeks"] = (43 + frame.index[half]).astype(str)
    frame.to_csv(path, index=False)
    return path


def write_long_cell(path: Path, megabytes: int = 24) -> Path:
    """One serial cell of ``megabytes`` MB (finding 4 of issue 14), then one ordinary row."""
    cell = ";".join(["16+0:31"] * (megabytes * 1_000_000 // 8))
    path.write_text(f"ga_weeks,serial_cervical_lengths\n20,{cell}\n20,16+0:31\n")
    return path
