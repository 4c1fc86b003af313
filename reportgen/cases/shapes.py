"""The tables of case records reportgen reads, in the shapes councils already produce for
the DfE: the CIN census, the SSDA903 return for children looked after, and a legal tracker.

Column names are the specifications' own (`LAchildID`, `CINreferralDate`; `CHILD`,
`DECOM`, `DEC`); a council whose extract names them otherwise maps its names in
`case_records: columns:` in config/authority.yaml. Ofsted's Annex A lists carry the same
facts under their own headings: ANNEX_A maps each list reportgen reads to its table.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Shape:
    """One table: where it comes from, who a record is about, and which columns are dates."""

    name: str
    source: str
    child: str  # the column naming the child
    key: tuple[str, ...]  # one record for each of these (a child and their episode)
    dates: tuple[str, ...]
    spans: tuple[tuple[str, str], ...]  # (start, end): an end before its start is an error
    others: tuple[str, ...] = ()  # the specification's other columns

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys([self.child, *self.key, *self.dates, *self.others]))


_CIN, _903 = "CIN census", "SSDA903"

SHAPES = {
    shape.name: shape
    for shape in (
        Shape(
            "referrals", _CIN, "LAchildID", ("LAchildID", "CINreferralDate"),
            ("CINreferralDate", "CINclosureDate"), (("CINreferralDate", "CINclosureDate"),),
            ("ReferralSource", "PrimaryNeedCode", "ReasonForClosure", "ReferralNFA"),
        ),
        Shape(
            "assessments", _CIN, "LAchildID", ("LAchildID", "AssessmentActualStartDate"),
            ("AssessmentActualStartDate", "AssessmentInternalReviewDate",
             "AssessmentAuthorisationDate"),
            (("AssessmentActualStartDate", "AssessmentAuthorisationDate"),),
            ("AssessmentFactors",),
        ),
        Shape(
            "section47", _CIN, "LAchildID", ("LAchildID", "S47ActualStartDate"),
            ("S47ActualStartDate", "InitialCPCtarget", "DateOfInitialCPC"),
            (("S47ActualStartDate", "DateOfInitialCPC"),),
            ("ICPCnotRequired",),
        ),
        Shape(
            "cp_plans", _CIN, "LAchildID", ("LAchildID", "CPPstartDate"),
            ("CPPstartDate", "CPPendDate"), (("CPPstartDate", "CPPendDate"),),
            ("InitialCategoryOfAbuse", "LatestCategoryOfAbuse", "NumberOfPreviousCPP"),
        ),
        Shape(
            "header", _903, "CHILD", ("CHILD",), ("DOB", "MC_DOB"), (),
            ("SEX", "ETHNIC", "UPN", "MOTHER"),
        ),
        Shape(
            "episodes", _903, "CHILD", ("CHILD", "DECOM"), ("DECOM", "DEC"), (("DECOM", "DEC"),),
            ("RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "REC", "REASON_PLACE_CHANGE",
             "HOME_POST", "PL_POST", "URN"),
        ),
        Shape(
            "reviews", _903, "CHILD", ("CHILD", "REVIEW"), ("DOB", "REVIEW"), (),
            ("REVIEW_CODE",),
        ),
        Shape(
            "missing", _903, "CHILD", ("CHILD", "MIS_START"), ("DOB", "MIS_START", "MIS_END"),
            (("MIS_START", "MIS_END"),), ("MISSING",),
        ),
        Shape(
            "care_leavers", _903, "CHILD", ("CHILD",), ("DOB",), (),
            ("IN_TOUCH", "ACTIV", "ACCOM"),
        ),
        Shape(
            "proceedings", "the council's legal tracker", "CHILD", ("CHILD", "ISSUE_DATE"),
            ("ISSUE_DATE", "FINAL_ORDER_DATE"), (("ISSUE_DATE", "FINAL_ORDER_DATE"),),
            ("COURT",),
        ),
    )
}  # fmt: skip


_ID = "Child Unique ID"

# Ofsted's Annex A lists (the inspection data template, as its 2023 headings give them) that
# hold a table's facts: the list's number, its table, and Annex A's heading for each of the
# table's columns. List 8 gives a child's period of care, not each episode: it has no
# placement (PLACE) or reason for a new episode (RNE).
ANNEX_A: dict[int, tuple[str, dict[str, str]]] = {
    3: ("referrals", {
        "LAchildID": _ID, "CINreferralDate": "Date of referral",
        "ReferralSource": "Referral Source", "ReferralNFA": "Referral NFA?",
    }),
    4: ("assessments", {
        "LAchildID": _ID, "AssessmentActualStartDate": "Continuous Assessment Start Date",
        "AssessmentAuthorisationDate": "Continuous Assessment Date of Authorisation",
    }),
    5: ("section47", {
        "LAchildID": _ID,
        "S47ActualStartDate": "Strategy discussion initiating Section 47 Enquiry Start Date",
        "DateOfInitialCPC": "Date of Initial Child Protection Conference",
        "ICPCnotRequired": "Was an Initial Child Protection Conference deemed unnecessary?",
    }),
    7: ("cp_plans", {
        "LAchildID": _ID, "CPPstartDate": "Child Protection Plan Start Date",
        "CPPendDate": "Child Protection Plan End Date",
        "InitialCategoryOfAbuse": "Initial Category of Abuse",
        "LatestCategoryOfAbuse": "Latest Category of Abuse",
        "NumberOfPreviousCPP": "Number of Previous Child Protection Plans",
    }),
    8: ("episodes", {
        "CHILD": _ID, "DECOM": "Date Started to be Looked After",
        "DEC": "Date Ceased to be Looked After", "LS": "Child's Legal Status",
        "CIN": "Child's Category of Need",
    }),
}  # fmt: skip
