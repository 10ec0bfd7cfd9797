"""Published figures reproduced from the project's own data and fits."""

from __future__ import annotations

import pytest

from ics_model import PARAMETERS, Inputs, Scenario, presets, project


def test_rtt_reference_points(inputs: Inputs) -> None:
    rtt = inputs.tables["rtt_monthly"].set_index("month")["incomplete_pathways"]
    assert rtt["2020-02"] == 4_573_675  # NHS England RTT, February 2020
    assert rtt["2023-09"] == 7_768_573  # the peak, September 2023
    assert rtt.idxmax() == "2023-09"
    assert inputs.baselines["feb_2020_list"] == 4_573_675


def test_nhs_england_budget(inputs: Inputs) -> None:
    nhse = inputs.tables["budgets"].query("measure == 'nhse_rdel'").set_index("fiscal_year")
    assert nhse.loc["2025/26", "cash_bn"] == pytest.approx(195.6)
    assert nhse.loc["2025/26", "real_bn"] == pytest.approx(195.6)
    assert nhse.loc["2025/26", "status"] == "plan"
    assert inputs.base_funding_bn == pytest.approx(195.6)


def test_icbs_sum_to_registered_population(inputs: Inputs) -> None:
    icbs = inputs.icbs
    assert len(icbs) == 42
    assert icbs["registered_population"].sum() / 1e6 == pytest.approx(63.85, abs=0.005)


def test_real_growth_rates(inputs: Inputs) -> None:
    b = inputs.baselines
    # NHS England real budget: (134.1..145.972/131.248)^(1/5) - 1 = 2.15% a year 2013/14-2018/19
    assert b["nhse_growth_2013_2018"] == pytest.approx(0.0215, abs=0.0005)
    # Plans: (213.813 / 195.6)^(1/3) - 1 = 3.01% a year 2025/26-2028/29
    assert b["current_plans_growth"] == pytest.approx(0.030, abs=0.0005)
    # Long-run real growth of England health spending 1979/80-2019/20: 3.7-3.8% a year
    assert 0.037 <= b["long_run_growth"] <= 0.038
    assert b["growth_2010s"] == pytest.approx(0.014, abs=0.0005)


def test_presets_follow_the_data(inputs: Inputs) -> None:
    named = presets(inputs)
    assert named["Current plans"].funding_uplift == 0.030
    # The Scenario's default is current plans, so a URL or CLI call omitting a field means it.
    assert named["Current plans"] == Scenario()
    assert named["Long Term Plan 2018"].funding_uplift == 0.034
    assert named["IFS/Health Foundation 'improve'"].funding_uplift == 0.040
    assert named["2010s squeeze"].funding_uplift == 0.014
    assert named["Long-run average"].funding_uplift == 0.037
    assert named["Hewitt"].national_targets == 10


def test_demand_default_is_the_fitted_value(inputs: Inputs) -> None:
    # The assumptions table's default must be the statsmodels fit to 0.1 point.
    assert PARAMETERS["demand_growth"].default == round(inputs.baselines["demand_growth"], 3)
    fits = inputs.tables["demand_fits"].set_index("series")
    assert set(fits.index) == {"ae_attendances", "emergency_admissions", "clock_starts"}
    assert (fits["se"] > 0).all()
    assert 0 < inputs.baselines["demand_growth_se"] < 0.02


def test_default_pressure_is_the_ifs_maintain_rate(inputs: Inputs) -> None:
    # unit_cost_growth is calibrated so pressure grows 3.3% a year at the defaults.
    assert project(Scenario(), inputs).headline.breakeven_uplift == pytest.approx(0.033, abs=0.0005)


def test_removal_calibration_reproduces_last_year(inputs: Inputs) -> None:
    b = inputs.baselines
    # referrals - removal_factor x completions = the list's change over the latest 12 months
    assert b["referrals_last12"] - b["removal_factor"] * b["completions_last12"] == pytest.approx(
        b["list_change_last12"]
    )
    assert 1.0 < b["removal_factor"] < 1.3


def test_waiting_list_floor_is_the_lowest_on_record(inputs: Inputs) -> None:
    # 2,315,060 in January 2010; a fast-growing budget empties the backlog down to it.
    assert inputs.baselines["lowest_list"] == 2_315_060
    fast = project(Scenario(funding_uplift=0.06), inputs)
    assert fast.headline.waiting_list_at_horizon == 2_315_060
    assert fast.waiting_list["waiting_list"].min() == 2_315_060
