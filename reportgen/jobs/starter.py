"""A new council's first project: `reportgen init DIR --la-code N`.

Everything the council needs to build its first papers at once, and nothing copied by hand:
its name, region and ten statistical neighbours from the DfE model file; the DfE files as
downloaded, with a starter catalogue of the measures in them (with polarities and
targets to edit); a year of sample monthly figures for two local indicators, to be replaced
by the council's own; an information report and a performance report with live figures;
and a meeting file for an agenda pack. The house styles are built in.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from reportgen.errors import InputError, Problem, Problems, did_you_mean
from reportgen.inputs.dfe import read_model

# The DfE files the starter catalogue reads, as the DfE publishes them.
DFE_FILES = (
    "c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv",
    "d3_cpps_subsequent_plan_2013_to_2025.csv",
    "d5_cpps_at31march_by_duration_2013_to_2025.csv",
    "la_cla_placement_stability.csv",
    "la_conviction_health_outcome_cla.csv",
    "cla_number_and_rate_per_10k_children.csv",
    "la_care_leavers_accommodation_suitability.csv",
    "la_care_leavers_activity.csv",
    "csww_indicators_2017_to_2025.csv",
)
EXAMPLE_DFE = Path(__file__).resolve().parents[2] / "data" / "dfe"  # in a checkout

AUTHORITY = """\
# The council this project writes papers for: check the name as the council writes it.
name: {name}
short_name: {name}
financial_year_start: 4        # April
# The DfE's code for the council (old_la_code): its statistical neighbours ({neighbours})
# and region ({region}) come from the DfE model in data/dfe/.
la_code: {code}
"""

CATALOGUE = """\
# The indicator catalogue: every indicator a paper may report on (see the README).
# The DfE measures come from the files in data/dfe/ as downloaded; targets and tolerances
# here are starting points: set the council's own. L1 and L2 are the council's own monthly
# figures, in data/indicators/.
{themes}indicators:
  - id: L1
    number: 1
    theme: Safeguarding
    title: Single assessments completed within 45 working days
    unit: percent
    polarity: higher
    target: 90
    tolerance: 5

  - id: L2
    number: 2
    theme: Front door and early help
    title: Contacts received by the children's front door
    unit: count
    polarity: none

{dfe_entries}"""

INFORMATION_REPORT = """\
# An information report with live figures: every {{ … }} is filled in from data/ when the
# paper is built. Edit the words; `reportgen check` says if a figure is misspelt.
template: information_report
committee: Children's Services Scrutiny Committee
meeting_date: 2026-11-04
subject: INFORMATION REPORT – Children's Services Performance
responsible_officer: Director of Children's Services
exempt: false
key_decision: false
period: 2026-09
indicators: [L1, L2, CIN1, CP2, LAC1, LAC4, CL2, WF2]

summary: |
  This report presents children's services performance as at the end of {{ report.period }},
  with {{ authority.short_name }}'s latest published figures beside its statistical
  neighbours and England.

recommendations: |
  **FOR INFORMATION**

  The Committee is asked to note the performance set out in this report.

key_points:
  - >-
    **Assessments:** {{ L1.latest }} of single assessments were completed within 45
    working days in {{ L1.latest.period.month_name }} ({{ L1.latest.numerator }} of
    {{ L1.latest.denominator }}); the year to date is {{ L1.ytd }} against a
    {{ L1.target }} target (**{{ L1.rag }}**).
  - >-
    **Contacts:** the front door received {{ L2.latest }} contacts in
    {{ L2.latest.period.month_name }}, and {{ L2.ytd }} so far this year.
  - >-
    **Re-referrals:** {{ CIN1.latest }} of referrals in {{ CIN1.latest.period }} were
    re-referrals within 12 months, against {{ CIN1.benchmarks["England"] }} in England
    and {{ CIN1.benchmarks["Statistical neighbours"] }} among
    {{ authority.short_name }}'s statistical neighbours.

sections:
  - heading: Children in care and care leavers
    text: |
      {{ LAC4.latest }} children were looked after in {{ LAC4.latest.period }}. Of
      care leavers aged 19 to 21, {{ CL2.latest }} were in education, employment or
      training.

contacts:
  - name: Performance Team
    title: Children's Services Performance
    email: performance@example.org

financial_implications: There are no financial implications arising from this report.
risk_management_implications: None.
background_papers: None.
"""

PERFORMANCE_REPORT = """\
# A performance report in the 2019 paper's style, with the performance index by theme and
# charts. Edit the words; figures are live.
template: performance_report
committee: Children's Services Scrutiny Committee
meeting_date: 2026-11-04
subject: Performance Report
wards: All
responsible_officer: Director of Children's Services
portfolio_holder: Portfolio Holder for Children's Services
period: 2026-09
indicators: [L2, L1, CIN1, CP1, CP2, LAC1, LAC2, LAC3, LAC4, CL1, CL2, WF1, WF2]
scorecard:
  title: Performance Index
  periods: 3
  charts: [L1, CIN1, LAC2, CL2]

recommendations: |
  Members of the committee to discuss and comment on the contents of the report.

summary: |
  The report summarises performance information up to {{ report.period }}. It is
  accompanied by the performance index, which gives the most recent performance data
  against the agreed indicators, with charts of each indicator's trend and
  {{ authority.short_name }}'s position among its statistical neighbours.

sections:
  - heading: Assessments
    text: |
      {{ L1.latest }} of single assessments were completed within 45 working days in
      {{ L1.latest.period.month_name }}; the year to date is {{ L1.ytd }}
      (**{{ L1.rag }}**).

contacts:
  - name: Performance Team
    title: Children's Services Performance
    email: performance@example.org

financial_implications: None.
legal_implications: None.
risk_management_implications: None.
equalities_implications: None.
background_papers: None.
"""

MEETING = """\
# The agenda of the meeting: `reportgen pack data/meetings/<this file>` builds its pack.
committee: Children's Services Scrutiny Committee
date: 2026-11-04
time: 7.00 pm
venue: Committee Room 1
items:
  - title: Apologies for absence
  - title: Declarations of interest
  - narrative: ../narrative/2026-11-04-performance-report.yaml
  - narrative: ../narrative/2026-11-04-performance-information.yaml
  - title: Any other urgent business
"""


def create(folder: Path, la_code: str, dfe: Path | None = None) -> dict[Path, bytes]:
    """A new council's project for `folder` (which must be new or empty), for the
    authority with DfE code `la_code`, from the DfE files in `dfe` (as downloaded; by
    default the example's): every file to write, by path."""
    source = dfe or EXAMPLE_DFE
    problems = Problems()
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        problems.add(
            folder, None, "", "is not an empty folder", "name a new folder for the project"
        )
    models = sorted(source.glob("sn_model*.csv")) if source.is_dir() else []
    missing = [name for name in DFE_FILES if not (source / name).is_file()]
    if not models or missing:
        problems.add(
            source,
            None,
            "",
            f"does not hold the DfE files ({(missing or ['sn_model_*.csv'])[0]} is missing)",
            "download them from explore-education-statistics, as listed in the README, into "
            "one folder, and give it with the `dfe` option",
        )
    problems.raise_if_any()
    model = read_model(models[0], problems)
    problems.raise_if_any()
    entry = model.get(str(la_code))
    if entry is None:
        by_name = {e.name.lower(): e for e in model.values()}
        named = by_name.get(str(la_code).lower())
        fix = (
            f"{named.name} is {named.code}: use the `la_code` option {named.code}"
            if named
            else did_you_mean(str(la_code), list(model), otherwise="")
            or "use the authority's three-digit DfE code (old_la_code), e.g. 310 for Harrow"
        )
        raise InputError([Problem("", None, "la_code", f"{la_code} is not in the DfE model", fix)])
    neighbours = ", ".join(model[c].name if c in model else c for c in entry.neighbours)
    files = {
        "config/authority.yaml": AUTHORITY.format(
            name=entry.name, code=entry.code, region=entry.region, neighbours=neighbours
        ),
        "config/indicators.yaml": CATALOGUE.format(themes=THEMES, dfe_entries=DFE_ENTRIES),
        "data/indicators/sample-2026-27.csv": _sample_data(entry.code),
        "data/narrative/2026-11-04-performance-information.yaml": INFORMATION_REPORT,
        "data/narrative/2026-11-04-performance-report.yaml": PERFORMANCE_REPORT,
        "data/meetings/2026-11-04-childrens-services-scrutiny-committee.yaml": MEETING,
    }
    made = {folder / relative: text.encode("utf-8") for relative, text in files.items()}
    for name in (*DFE_FILES, models[0].name):  # copied as downloaded
        made[folder / "data" / "dfe" / name] = (source / name).read_bytes()
    return made


def _sample_data(code: str) -> str:
    """A year of illustrative monthly figures for L1 and L2, the same for the same code:
    placeholders for the council's own, marked provisional."""
    seed = int(code) if code.isdigit() else 7
    lines = ["indicator,period,numerator,denominator,value,status,note,source"]
    for index, month in enumerate(range(4, 10)):  # April to September 2026
        period = f"2026-{month:02d}"
        denominator = 150 + (seed * 7 + index * 13) % 60
        share = Decimal(86 + (seed + index * 3) % 9) / 100
        numerator = int(denominator * share)
        contacts = 900 + (seed * 11 + index * 37) % 400
        lines.append(f"L1,{period},{numerator},{denominator},,provisional,sample figure,")
        lines.append(f"L2,{period},,,{contacts},provisional,sample figure,")
    return "\n".join(lines) + "\n"


# The themes of the performance index, and the DfE measures: as in the example project.
THEMES = """\
themes:
  - Front door and early help
  - Safeguarding
  - Looked-after children
  - Care leavers
  - Education
  - Workforce

"""

DFE_ENTRIES = """\
  - id: CIN1
    number: 4
    theme: Safeguarding
    title: Re-referrals to children's social care within 12 months of a previous referral
    unit: percent
    polarity: lower
    grain: year
    decimals: 1
    target: 18
    tolerance: 2
    dfe:
      file: c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv
      value: rereferral_percent
      numerator: rereferral_count
      denominator: referral_count

  - id: CP1
    number: 6
    theme: Safeguarding
    title: Child protection plans starting in the year that were a second or subsequent plan
    unit: percent
    polarity: none         # too high and too low both need looking at
    grain: year
    decimals: 1
    target: {range: [12, 20]}   # the acceptable range: inside it is Green
    tolerance: 2
    dfe:
      file: d3_cpps_subsequent_plan_2013_to_2025.csv
      value: CPP_subsequent_percent
      numerator: CPP_subsequent
      denominator: CPP_start

  - id: CP2
    number: 7
    theme: Safeguarding
    title: Child protection plans at 31 March that had lasted two years or more
    unit: percent
    polarity: lower
    grain: year
    decimals: 1
    target: as low as possible
    dfe:
      file: d5_cpps_at31march_by_duration_2013_to_2025.csv
      value: 2_years_or_more_percent
      numerator: 2_years_or_more
      denominator: CPP_At31

  - id: LAC1
    number: 9
    theme: Looked-after children
    title: Looked-after children with three or more placements during the year
    unit: percent
    polarity: lower
    grain: year
    target: 10
    floor: 13              # above 13% is Red, 11% to 13% Amber
    dfe:
      file: la_cla_placement_stability.csv
      filters:
        cla_group: CLA on 31 March
        placement_stability: With 3 or more placements during the year
      value: children_percent
      numerator: children_count

  - id: LAC2
    number: 10
    theme: Looked-after children
    title: Looked-after children under 16, in care 2.5 years or more, with the same carer for at least 2 years
    unit: percent
    polarity: higher
    grain: year
    target: 70
    tolerance: 10%         # within 10% of the target (63% to 69%) is Amber
    dfe:
      file: la_cla_placement_stability.csv
      filters:
        cla_group: Children looked after continuously for at least 2.5 years on 31 March aged under 16 years
        placement_stability: Living with the same carer for at least 2 years
      value: children_percent
      numerator: children_count

  - id: LAC3
    number: 11
    theme: Looked-after children
    title: Looked-after children whose annual health assessment was up to date
    unit: percent
    polarity: higher
    grain: year
    target: 95
    tolerance: 3
    dfe:
      file: la_conviction_health_outcome_cla.csv
      filters:
        characteristic: "Health assessments: Children looked after all ages"
        breakdown: Had their annual health assessment
      value: children_percent
      numerator: children_count

  - id: LAC4
    number: 12
    theme: Looked-after children
    title: Children looked after at 31 March, rate per 10,000 children
    unit: rate_per_10k
    polarity: none
    grain: year
    measure: snapshot
    dfe:
      file: cla_number_and_rate_per_10k_children.csv
      filters:
        population_type: Children looked after on 31 March each year
      value: rate_per_10000
      numerator: children_count
      denominator: population_estimate

  - id: CL1
    number: 13
    theme: Care leavers
    title: Care leavers aged 19 to 21 in suitable accommodation
    unit: percent
    polarity: higher
    grain: year
    target: 90
    tolerance: 5
    dfe:
      file: la_care_leavers_accommodation_suitability.csv
      filters:
        care_leaver_age: 19 to 21 years
        breakdown: Accommodation considered suitable
      value: care_leaver_percent
      numerator: care_leaver_count

  - id: CL2
    number: 14
    theme: Care leavers
    title: Care leavers aged 19 to 21 in education, employment or training
    unit: percent
    polarity: higher
    grain: year
    target: 60
    tolerance: 5
    dfe:
      file: la_care_leavers_activity.csv
      filters:
        care_leaver_age: 19 to 21 years
        breakdown: Total in education, employment or training
      value: care_leaver_percent
      numerator: care_leaver_count

  - id: WF1
    number: 15
    theme: Workforce
    title: Average caseload of children's social workers
    # It replaced two caseload indicators in November 2026 (see data/published/).
    replaces: [WF3, WF4]
    decision: To replace indicators 17 and 18 with a combined indicator outlining average caseloads.
    unit: average
    unit_word: cases per worker
    polarity: lower
    grain: year
    measure: snapshot
    decimals: 1
    target: 16
    tolerance: 2
    dfe:
      file: csww_indicators_2017_to_2025.csv
      value: caseload_fte
      numerator: cases
      denominator: case_holders_fte
      time_period_month: 9   # the workforce census is a snapshot at 30 September

  - id: WF2
    number: 16
    theme: Workforce
    title: Agency social workers (full-time equivalent) as a share of all social workers
    unit: percent
    polarity: lower
    grain: year
    measure: snapshot
    decimals: 1
    target: 20
    floor: 30              # above 30% is Red
    dfe:
      file: csww_indicators_2017_to_2025.csv
      value: agency_rate_fte
      time_period_month: 9
"""
