"""World regions of countries, for the matching's "cross-region" figure.

The five regions of the United Nations' M49 standard (Africa, the Americas, Asia,
Europe, Oceania), keyed by ISO 3166-1 alpha-2 code. A country missing here
(Antarctica, or a code such as XK some sites use) is a region of its own.
"""

_CODES = {
    "africa": """
        DZ EG LY MA SD TN EH IO BI KM DJ ER ET TF KE MG MW MU YT MZ RE RW SC SO SS UG TZ
        ZM ZW AO CM CF TD CG CD GQ GA ST BW SZ LS NA ZA BJ BF CV CI GM GH GN GW LR ML MR
        NE NG SH SN SL TG
    """,
    "americas": """
        AI AG AW BS BB BQ VG KY CU CW DM DO GD GP HT JM MQ MS PR BL KN LC MF VC SX TT TC
        VI BZ CR SV GT HN MX NI PA AR BO BV BR CL CO EC FK GF GY PY PE GS SR UY VE BM CA
        GL PM US
    """,
    "asia": """
        KZ KG TJ TM UZ CN HK MO KP JP MN KR TW BN KH ID LA MY MM PH SG TH TL VN AF BD BT
        IN IR MV NP PK LK AM AZ BH CY GE IQ IL JO KW LB OM QA SA PS SY TR AE YE
    """,
    "europe": """
        BY BG CZ HU PL MD RO RU SK UA AX DK EE FO FI GG IS IE IM JE LV LT NO SJ SE GB AL
        AD BA HR GI GR VA IT MT ME MK PT SM RS SI ES AT BE FR DE LI LU MC NL CH
    """,
    "oceania": """
        AU NZ HM NF CX CC FJ NC PG SB VU GU KI MH FM NR MP PW UM AS CK PF NU PN WS TK TO
        TV WF
    """,
}

REGIONS = {code: region for region, codes in _CODES.items() for code in codes.split()}


def region_of(country_code):
    """The M49 region of an ISO country code; the code itself when it has none."""
    code = str(country_code or "").upper()
    return REGIONS.get(code, code)
