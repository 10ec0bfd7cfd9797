"""The per-system model: each of the 42 ICSs' own funding, demand, gap and waiting list.

All arithmetic is vectorised over the 42 systems (2025/26 boundaries). For system i and
year t = 0..H (the equations are shown on the Assumptions & data page):

- shares converge to fair share: ``s_i(t) = s*_i + (s_i(0) - s*_i) (1 - pace)^t``, so they
  always sum to 1; funding ``F_i(t) = sum(A) (1 + u)^t s_i(t)`` from the actual 2025/26
  allocation A_i (all funding streams);
- local demand growth ``d_i = d - dem + dem_i``: the national demographic component dem is
  replaced by the system's own age-weighted population growth;
- pressure ``P_i(t) = A_i (1 + g_i)^t`` with ``g_i = (1 + d_i)(1 + c) / (1 + p + tau) - 1``;
  gap = pressure - funding, per registered patient and as % of the system's funding;
- waiting list, monthly, from the latest clean reported list: referrals (the system's share
  of national referrals) grow at d_i, removals (set so the first year repeats the system's
  own last-12-month change) grow at the activity its funding buys.

Per-system deficits are not in public files; nothing here estimates them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from ics_model.inputs import Inputs
from ics_model.scenario import CONSTANTS, Scenario
from ics_model.uncertainty import premium_log_growth

BASE_YEAR = 2025
# The per-system equations in LaTeX, for the Assumptions & data page.
EQUATIONS = (  # one short line each, so none overflows a narrow screen
    r"s_i(t) = s^*_i + (s_i(0) - s^*_i)(1 - \text{pace})^t",
    r"F_i(t) = \textstyle\sum_j A_j \, (1 + u)^t \, s_i(t)",
    r"d_i = d - \text{dem} + \text{dem}_i",
    r"g_i = \frac{(1 + d_i)(1 + c)}{1 + p_\text{eff}} - 1, \qquad P_i(t) = A_i (1 + g_i)^t",
    r"\text{gap}_i(t) = P_i(t) - F_i(t), \qquad L_{i,m+1} = L_{i,m} + R_{i,m} - C_{i,m}",
)
BANDS = ("age_0_17", "age_18_64", "age_65_74", "age_75_84", "age_85_plus")
# Each broad age band's group in the bed-day profile (age_cost_profile.csv).
BAND_GROUP = ("under 65", "under 65", "65-84", "65-84", "85+")
TREND_MONTHS = 12


def fiscal_year(start: int) -> str:
    """2025 -> '2025/26'."""
    return f"{start}/{(start + 1) % 100:02d}"


def short_name(name: str) -> str:
    """'NHS Humber and North Yorkshire ICB' -> 'Humber and North Yorkshire'."""
    for suffix in (" Integrated Care Board", " ICB"):
        name = name.removesuffix(suffix)
    return name.removeprefix("NHS ")


def band_shape(profile: pd.DataFrame) -> np.ndarray:
    """Relative hospital use per head by band (under 65 = 1), from bed-day and population shares.

    The published shares are cumulative (65+, 85+); the groups are under 65, 65-84 and 85+.
    """
    rows = profile.set_index("age_group")
    pop = {str(k): float(v) for k, v in rows["population_share"].items()}
    bed = {str(k): float(v) for k, v in rows["bed_day_share"].items()}
    pop65, bed65, pop85, bed85 = pop["65+"], bed["65+"], pop["85+"], bed["85+"]
    per_head = {
        "under 65": (1 - bed65) / (1 - pop65),
        "65-84": (bed65 - bed85) / (pop65 - pop85),
        "85+": bed85 / pop85,
    }
    return np.array([per_head[group] / per_head["under 65"] for group in BAND_GROUP])


def _weighted_growth(populations: np.ndarray, weights: np.ndarray, years: int) -> float:
    """Yearly growth of the age-weighted population from the first row to row ``years``."""
    weighted = populations @ weights
    return float((weighted[years] / weighted[0]) ** (1 / years) - 1)


def calibrate_age_weights(
    profile: pd.DataFrame, national: pd.DataFrame, target_growth: float, first: int = 2025, last: int = 2028
) -> np.ndarray:
    """Cost weights by band: ``1 + lam (shape - 1)``, lam set so that the national age-weighted
    growth first..last on the ONS 2022-based projection equals ``target_growth`` (the REAL
    Centre index the national demand growth uses). Bisection; the growth rises with lam."""
    shape = band_shape(profile)
    wide = national.pivot_table(index="year", columns="age_band", values="population")
    pops = wide.loc[first:last, ["0-17", "18-64", "65-74", "75-84", "85+"]].to_numpy(float)
    lo, hi = 0.0, 10.0
    for _ in range(80):
        mid = (lo + hi) / 2
        if _weighted_growth(pops, 1 + mid * (shape - 1), last - first) < target_growth:
            lo = mid
        else:
            hi = mid
    return 1 + (lo + hi) / 2 * (shape - 1)


@dataclass(frozen=True)
class SystemBase:
    """Scenario-independent per-system arrays, built once per data version."""

    codes: np.ndarray
    names: np.ndarray
    regions: np.ndarray
    allocation_m: np.ndarray  # all funding streams, 2025/26, £m
    core_allocation_m: np.ndarray
    share0: np.ndarray  # actual share of the 42 systems' total
    fair_share: np.ndarray  # fair-shares target share
    core_dft_pct: np.ndarray  # published post-convergence core distance from target, 2025/26
    population: np.ndarray  # GP-registered patients, 2025/26 (allocation tool)
    age_weights: np.ndarray  # by band
    weighted_pop: np.ndarray  # (42, years) age-weighted ONS 2018-based projection from 2025
    list_latest: np.ndarray
    list_change12: np.ndarray
    list_start: np.ndarray  # month index of the latest clean month from `month0`
    list_latest_month: np.ndarray  # 'YYYY-MM'
    month0: pd.Period
    new_names: np.ndarray  # April 2026 ICB name(s)
    relations: np.ndarray  # same / merged / part
    history: pd.DataFrame  # monthly list by ICB, with provider gaps flagged

    @property
    def n(self) -> int:
        return len(self.codes)

    @cached_property
    def index(self) -> dict[str, int]:
        return {str(code): i for i, code in enumerate(self.codes)}

    @property
    def total_m(self) -> float:
        return float(self.allocation_m.sum())


def _fair_share(alloc: pd.DataFrame, need_share: np.ndarray) -> np.ndarray:
    """Fair-shares target share of all funding streams.

    Streams with a published target (core recurrent, specialised physical + HCDD, primary
    medical care) use it (allocation / (1 + post-convergence distance)); the rest (core
    non-recurrent, other specialised, POD, running costs) are shared by need-weighted population.
    """
    targeted = (
        alloc["core_recurrent_m"] / (1 + alloc["core_dft_post_2025_26_pct"] / 100)
        + alloc["specialised_targeted_m"] / (1 + alloc["specialised_dft_post_2025_26_pct"] / 100)
        + alloc["primary_medical_care_m"] / (1 + alloc["pmc_dft_post_2025_26_pct"] / 100)
    ).to_numpy()
    rest = (
        alloc["all_streams_m"]
        - alloc["core_recurrent_m"]
        - alloc["specialised_targeted_m"]
        - alloc["primary_medical_care_m"]
    ).to_numpy()
    target = targeted + need_share * rest.sum()
    # Targets are relative: scale so that the fair shares sum to 1.
    return np.asarray(target / target.sum())


def build_base(inputs: Inputs) -> SystemBase:
    """The per-system arrays from the cached tables (no scenario)."""
    t = inputs.tables
    alloc = t["icb_allocations"].sort_values("icb_code").reset_index(drop=True)
    codes = alloc["icb_code"].to_numpy()
    icbs = t["icbs"].set_index("icb_code").loc[codes]
    need = icbs["need_weighted_population"].to_numpy(float)
    allocation = alloc["all_streams_m"].to_numpy(float)

    weights = calibrate_age_weights(
        t["age_cost_profile"], t["population_projection"], inputs.baselines["demographic_growth_proj"]
    )
    pop = t["icb_population_projection"]
    pop = pop[pop["year"] >= BASE_YEAR].sort_values(["icb_code", "year"])
    years = pop["year"].nunique()
    cube = pop[list(BANDS)].to_numpy(float).reshape(len(codes), years, len(BANDS))
    assert (pop["icb_code"].to_numpy().reshape(len(codes), years)[:, 0] == codes).all()

    rtt = t["rtt_by_icb"].sort_values(["icb_code", "month"])
    clean = rtt[~rtt["provider_gap"].astype(bool)]
    latest = clean.groupby("icb_code").tail(1).set_index("icb_code").loc[codes]
    by_month = clean.set_index(["icb_code", "month"])["incomplete_pathways"]
    latest_months = [pd.Period(m, freq="M") for m in latest["month"]]
    earlier = [
        by_month.get((code, str(month - TREND_MONTHS)), np.nan)
        for code, month in zip(codes, latest_months, strict=True)
    ]
    list_latest = latest["incomplete_pathways"].to_numpy(float)
    change = np.nan_to_num(list_latest - np.array(earlier, dtype=float))
    month0 = min(latest_months)

    changes = t["icb_changes_2026"]
    new_names = changes.groupby("old_icb_code")["new_icb_name"].agg(lambda s: " / ".join(sorted(s)))
    relation = changes.groupby("old_icb_code")["relation"].agg(
        lambda s: "part" if "part" in set(s) else s.iloc[0]
    )
    return SystemBase(
        codes=codes,
        names=alloc["icb_name"].to_numpy(),
        regions=alloc["region"].to_numpy(),
        allocation_m=allocation,
        core_allocation_m=alloc["core_total_m"].to_numpy(float),
        share0=allocation / allocation.sum(),
        fair_share=_fair_share(alloc, need / need.sum()),
        core_dft_pct=alloc["core_dft_post_2025_26_pct"].to_numpy(float),
        population=icbs["registered_population"].to_numpy(float),
        age_weights=weights,
        weighted_pop=cube @ weights,
        list_latest=list_latest,
        list_change12=change,
        list_start=np.array([(m - month0).n for m in latest_months]),
        list_latest_month=np.array([str(m) for m in latest_months]),
        month0=month0,
        new_names=new_names.loc[codes].to_numpy(),
        relations=relation.loc[codes].to_numpy(),
        history=rtt.reset_index(drop=True),
    )


_BASES: dict[int, tuple[Inputs, SystemBase]] = {}


def system_base(inputs: Inputs) -> SystemBase:
    """The SystemBase for these inputs, built on first use and kept with them."""
    held = _BASES.get(id(inputs))
    if held is None or held[0] is not inputs:
        if len(_BASES) > 4:
            _BASES.clear()
        held = (inputs, build_base(inputs))
        _BASES[id(inputs)] = held
    return held[1]


def converged_shares(share0: np.ndarray, fair: np.ndarray, pace: float, years: np.ndarray) -> np.ndarray:
    """``s(t) = s* + (s(0) - s*)(1 - pace)^t`` for every system (rows) and year (columns)."""
    return np.asarray(fair[:, None] + (share0 - fair)[:, None] * (1 - pace) ** years[None, :])


def local_demand_growth(base: SystemBase, scenario: Scenario, demographic: float) -> np.ndarray:
    """``d_i = d - dem + dem_i``; dem_i is the national dem scaled by the system's age-weighted
    growth relative to England's on the 2018-based projection, over the horizon (to 2043 at most)."""
    span = min(scenario.horizon_years, base.weighted_pop.shape[1] - 1)
    own = (base.weighted_pop[:, span] / base.weighted_pop[:, 0]) ** (1 / span) - 1
    england = base.weighted_pop.sum(axis=0)
    national = (england[span] / england[0]) ** (1 / span) - 1
    dem_i = (1 + demographic) * (1 + own) / (1 + national) - 1
    return np.asarray(scenario.demand_growth - demographic + dem_i)


@dataclass(frozen=True)
class SystemsResult:
    """The 42 systems under one scenario: yearly arrays (system x year) and monthly lists."""

    base: SystemBase
    scenario: Scenario
    years: np.ndarray
    shares: np.ndarray
    funding: np.ndarray  # £m
    pressure: np.ndarray  # £m
    demand_growth: np.ndarray  # d_i
    activity_growth: np.ndarray  # a_i
    months: pd.PeriodIndex
    lists: np.ndarray  # (42, months), NaN before each system's latest clean month

    @property
    def gap(self) -> np.ndarray:
        return self.pressure - self.funding

    def table(self) -> pd.DataFrame:
        """One row per system with the figures at the horizon."""
        b = self.base
        gap_h = self.gap[:, -1]
        return pd.DataFrame(
            {
                "icb_code": b.codes,
                "allocation_m": b.allocation_m,
                "core_allocation_m": b.core_allocation_m,
                "distance_from_target_pct": b.core_dft_pct,
                "fair_share_distance_pct": (b.share0 / b.fair_share - 1) * 100,
                "local_demand_growth": self.demand_growth,
                "funding_m_at_horizon": self.funding[:, -1],
                "pressure_m_at_horizon": self.pressure[:, -1],
                "gap_m_at_horizon": gap_h,
                "gap_per_head": gap_h * 1e6 / b.population,
                "gap_pct_of_allocation": gap_h / self.funding[:, -1] * 100,
                "allocation_per_head": b.allocation_m * 1e6 / b.population,
                "waiting_list_latest": b.list_latest,
                "waiting_list_latest_month": b.list_latest_month,
                "waiting_list_at_horizon": self.lists[:, -1],
                "waiting_list_per_1000": self.lists[:, -1] / b.population * 1000,
                "icb_name_2026": b.new_names,
                "change_2026": b.relations,
            }
        )


def project_systems(scenario: Scenario, inputs: Inputs) -> SystemsResult:
    """Every system's funding, pressure and waiting list under the scenario (numpy only)."""
    from ics_model.projection import growth_rates, targets_dividend  # avoid an import cycle

    base = system_base(inputs)
    s = scenario
    bl = inputs.baselines
    years = np.arange(s.horizon_years + 1)
    tau = float(targets_dividend(s.national_targets, s.autonomy_share, s.autonomy_dividend))
    d_i = local_demand_growth(base, s, bl["demographic_growth_proj"])
    g_i, _ = growth_rates(s.funding_uplift, d_i, s.unit_cost_growth, s.productivity_growth, tau)
    shares = converged_shares(base.share0, base.fair_share, s.pace_of_change, years)
    funding = base.total_m * (1 + s.funding_uplift) ** years[None, :] * shares
    pressure = base.allocation_m[:, None] * (1 + np.asarray(g_i))[:, None] ** years[None, :]
    # Activity funded: the system's average funding growth over the horizon, as nationally.
    f_i = (funding[:, -1] / funding[:, 0]) ** (1 / max(s.horizon_years, 1)) - 1
    _, a_i = growth_rates(f_i, d_i, s.unit_cost_growth, s.productivity_growth, tau)
    months, lists = _system_lists(base, inputs, s, d_i, np.asarray(a_i))
    return SystemsResult(
        base=base,
        scenario=s,
        years=years,
        shares=shares,
        funding=funding,
        pressure=pressure,
        demand_growth=d_i,
        activity_growth=np.asarray(a_i),
        months=months,
        lists=lists,
    )


def _system_lists(
    base: SystemBase, inputs: Inputs, s: Scenario, d_i: np.ndarray, a_i: np.ndarray
) -> tuple[pd.PeriodIndex, np.ndarray]:
    """Monthly ``L[m+1] = L[m] + R[m] - C[m]`` for each system from its latest clean month."""
    bl = inputs.baselines
    end = pd.Period(f"{BASE_YEAR + s.horizon_years + 1}-03", freq="M")
    months = pd.period_range(base.month0, end, freq="M")
    k = np.arange(len(months))[None, :] - base.list_start[:, None]  # months since own start
    moy = (base.month0.month - 1 + np.arange(len(months))) % 12  # calendar month of each column
    # Share of national flows: the system's share of the national list.
    q = base.list_latest / bl["latest_list"]
    referrals_year = q * bl["referrals_last12"]
    removals_year = referrals_year - base.list_change12  # the first year repeats its own trend
    ref = referrals_year[:, None] / 12 * inputs.referral_season[moy][None, :] * (1 + d_i[:, None]) ** (k / 12)
    # As nationally: activity without the premium, times the transitory premium's cumulative factor.
    premium = premium_log_growth(
        bl.get("activity_premium", 0.0), np.maximum(k, 0), CONSTANTS["activity_premium_half_life"]
    )
    rem = (
        removals_year[:, None]
        / 12
        * inputs.completion_season[moy][None, :]
        * (1 + a_i[:, None]) ** (k / 12)
        * np.exp(premium)
    )
    flow = np.where(k >= 1, ref - rem, 0.0)
    lists = base.list_latest[:, None] + np.cumsum(flow, axis=1)
    floor = base.list_latest * min(1.0, bl["lowest_list"] / bl["latest_list"])
    lists = np.maximum(lists, floor[:, None])
    return months, np.where(k >= 0, lists, np.nan)


@dataclass(frozen=True)
class SystemProjection:
    """One system: its row of figures, yearly gap frame and monthly waiting list."""

    code: str
    row: pd.Series
    gap: pd.DataFrame
    waiting_list: pd.DataFrame


def find_system(code: str, inputs: Inputs) -> int | None:
    """The row of an ODS code among the 42 systems (case-insensitive), or None."""
    return system_base(inputs).index.get(code.strip().upper()) if isinstance(code, str) else None


def project_system(
    code: str, scenario: Scenario, inputs: Inputs, result: SystemsResult | None = None
) -> SystemProjection:
    """One system's yearly gap (£m) and monthly waiting list (history and projection).

    Raises:
        ValueError: the code is not one of the 42 ICB ODS codes of 2025/26.
    """
    i = find_system(code, inputs)
    if i is None:
        raise ValueError(f"{code!r} is not one of the 42 ICB codes of 2025/26 (e.g. QOQ)")
    r = result if result is not None else project_systems(scenario, inputs)
    b = r.base
    from ics_model.projection import growth_rates, targets_dividend

    s = scenario
    tau = float(targets_dividend(s.national_targets, s.autonomy_share, s.autonomy_dividend))
    g, _ = growth_rates(s.funding_uplift, s.demand_growth, s.unit_cost_growth, s.productivity_growth, tau)
    gap = pd.DataFrame(
        {
            "fiscal_year": [fiscal_year(BASE_YEAR + int(t)) for t in r.years],
            "t": r.years,
            "funding_m": r.funding[i],
            "pressure_m": r.pressure[i],
            "gap_m": r.gap[i],
            "gap_pct": r.gap[i] / r.funding[i] * 100,
            "share": r.shares[i],
            # The national paths scaled to the system's 2025/26 allocation, for comparison.
            "national_funding_m": b.allocation_m[i] * (1 + s.funding_uplift) ** r.years,
            "national_pressure_m": b.allocation_m[i] * (1 + float(g)) ** r.years,
        }
    )
    history = b.history[b.history["icb_code"] == b.codes[i]]
    actual = pd.DataFrame(
        {
            "month": pd.PeriodIndex(history["month"], freq="M").to_timestamp(),
            "waiting_list": history["incomplete_pathways"].to_numpy(float),
            "series": np.where(history["provider_gap"].astype(bool), "Provider not reporting", "Reported"),
        }
    )
    keep = ~np.isnan(r.lists[i])
    projected = pd.DataFrame(
        {"month": r.months[keep].to_timestamp(), "waiting_list": r.lists[i][keep], "series": "Projection"}
    )
    row = r.table().iloc[i]
    return SystemProjection(
        code=str(b.codes[i]), row=row, gap=gap, waiting_list=pd.concat([actual, projected], ignore_index=True)
    )
