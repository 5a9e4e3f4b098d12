"""Sentences the synthetic library generator composes reviews from.

They describe how agencies responded (recording, sharing, assessing, supporting), never
abuse itself. Each theme has statements that show it, and statements that say it was not
found (which the coder must not count). Neutral sentences pad documents to length.
"""

from __future__ import annotations

SHOWS: dict[str, tuple[str, ...]] = {
    "T01": (
        "Professionals recorded that the young person was making lifestyle choices.",
        "Her accounts were doubted by several of the practitioners involved.",
    ),
    "T02": (
        "The older adult was accepted by staff as the young person's boyfriend.",
        "Practitioners viewed the situation as consensual despite the young person's age.",
    ),
    "T03": (
        "The young person was arrested on two occasions rather than being safeguarded.",
        "The child was threatened with charges while the adults involved were not pursued.",
    ),
    "T04": (
        "The child was not seen alone by any professional during the period reviewed.",
        "No practitioner built a trusted relationship with the young person.",
    ),
    "T05": (
        "Return home interviews were not completed after most missing episodes.",
        "The pattern of missing from care was not analysed by any agency.",
    ),
    "T06": (
        "Information held by health services was not shared with children's social care.",
        "A referral from the school was not followed up by the local authority.",
    ),
    "T07": (
        "Warning signs were recorded by several agencies but were never linked together.",
        "The risk assessment was not updated when new concerns were reported.",
    ),
    "T08": (
        "The police did not use disruption tactics against the adults identified.",
        "No prosecution was pursued once the young person withdrew support.",
    ),
    "T09": (
        "Staff described a reluctance to discuss the ethnicity of the offenders.",
        "Concern about community tensions delayed a decision to act.",
    ),
    "T10": (
        "Case recording was incomplete and the exploitation flag was applied inconsistently.",
        "There was no current problem profile for the area.",
    ),
    "T11": (
        "Senior leaders did not treat exploitation as a strategic priority.",
        "Governance arrangements gave no clear accountability for the response.",
    ),
    "T12": (
        "Few frontline staff had received training on child exploitation.",
        "Practitioners were unaware of the local guidance on exploitation.",
    ),
    "T13": (
        "Social workers carried caseloads well above the local standard.",
        "The specialist team had been reduced because of funding pressures.",
    ),
    "T14": (
        "The residential placement did not prevent the young person leaving at night.",
        "An out-of-area placement was made without telling the host authority.",
    ),
    "T15": (
        "Neglect in the family home had been known for several years without early help.",
        "Domestic abuse in the household was not considered in the assessment.",
    ),
    "T16": (
        "The parents' concerns were not acted on by the agencies they contacted.",
        "Parents were not offered support and felt they were treated as the problem.",
    ),
    "T17": (
        "Taxi licensing checks were not used to follow up vehicles seen by staff.",
        "Hotels and takeaways were not engaged by the licensing team.",
    ),
    "T18": (
        "Therapeutic support was not available until many months after the investigation.",
        "The young person had no support through the court process.",
    ),
    "T19": (
        "Recommendations from a previous review had not been implemented.",
        "Learning from an earlier review had not been embedded in practice.",
    ),
    "T20": (
        "Youth workers reported their concerns but managers did not pass them on.",
        "The outreach team's warnings were dismissed and never escalated.",
    ),
    "T21": (
        "Support ended when the young person turned 18 with no transition to adult services.",
        "As a care leaver she received no continued protection.",
    ),
}

NOT_FOUND: dict[str, tuple[str, ...]] = {
    "T05": (
        "The panel is satisfied that return interviews were offered after each missing episode.",
    ),
    "T06": ("The review found no evidence that information sharing contributed to the delay.",),
    "T09": ("There was no evidence that fear of being seen as racist influenced decisions.",),
    "T13": ("The panel ruled out staff shortages as a factor in the response.",),
    "T16": ("There is nothing to suggest that the parents' concerns were overlooked.",),
    "T01": ("We did not find that the young person's account was doubted.",),
}

# Neutral sentences, as templates filled with numbers so that long documents are not
# one sentence repeated (which would flatter the coder's speed).
NEUTRAL: tuple[str, ...] = (
    "The review panel met on {n} occasions during {year}.",
    "Records from {agency} covering {n} months were examined.",
    "The terms of reference were agreed by the safeguarding partnership in {year}.",
    "Practitioners from {agency} took part in a learning event with {n} attendees.",
    "The chronology covers a period of {n} months from {year}.",
    "The panel was chaired by an independent reviewer appointed in {year}.",
    "Section {n} summarises the involvement of {agency}.",
    "The family were invited to contribute to the review on {n} occasions.",
    "The report was presented to the partnership board in {year}.",
    "Paragraph {n} describes the records held by {agency}.",
)
AGENCIES: tuple[str, ...] = (
    "the police",
    "children's social care",
    "the health trust",
    "the school",
    "the youth service",
    "the housing provider",
    "the GP practice",
)

RECOMMENDS: dict[str, str] = {
    "T01": "Partners should review case recording to remove language that blames children.",
    "T02": "Training should cover the law on consent and how grooming presents.",
    "T03": "The police should review how children at risk are dealt with when found with adults.",
    "T04": "Every child at risk should have one trusted worker who sees them alone.",
    "T05": "Return home interviews should be completed and analysed for patterns.",
    "T06": "Partners should agree a single route for sharing exploitation concerns.",
    "T07": "Risk assessments should be reviewed whenever new information is received.",
    "T08": "The police should use disruption powers against adults identified.",
    "T09": "Leaders should make clear that offenders' ethnicity must be recorded and discussed.",
    "T10": "The partnership should maintain a current problem profile.",
    "T11": "The board should name a senior lead accountable for the exploitation response.",
    "T12": "All frontline staff should complete exploitation training.",
    "T13": "Caseloads in the specialist team should be brought within the local standard.",
    "T14": "Placement providers should report every absence without delay.",
    "T15": "Early help should be offered where neglect is known.",
    "T16": "Agencies should record and respond to every concern raised by parents.",
    "T17": "The licensing authority should use its powers to check drivers and premises.",
    "T18": "Therapeutic support should be available within four weeks of referral.",
    "T19": "The board should track the implementation of every earlier recommendation.",
    "T20": "Concerns from frontline staff should be escalated and answered in writing.",
    "T21": "Transition plans should start at 16 for young people at risk.",
}
