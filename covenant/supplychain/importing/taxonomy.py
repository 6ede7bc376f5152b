"""The agreement's default facility taxonomy: Open Supply Hub's facility types with their
processing types (https://github.com/opensupplyhub/open-supply-hub, MIT), with stable
codes, English and Dutch labels, and the aliases people write in lists (English, Dutch,
German, French). `map_facility_type` turns free text into it.

Codes are stored in the database and used in URLs: never rename one.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process


@dataclass(frozen=True, slots=True)
class FacilityType:
    code: str
    label: str  # English
    label_nl: str
    osh_label: str  # as Open Supply Hub spells it (for its list format)
    processing_types: tuple[str, ...] = ()

    def label_for(self, language: str) -> str:
        return self.label_nl if language.lower().startswith("nl") else self.label


@dataclass(frozen=True, slots=True)
class ProcessingType:
    code: str
    facility_type: str
    label: str
    label_nl: str

    def label_for(self, language: str) -> str:
        return self.label_nl if language.lower().startswith("nl") else self.label


@dataclass(frozen=True, slots=True)
class TaxonomyMatch:
    """`facility_type`: a code of FACILITY_TYPES, "" when the text did not map;
    `processing_type`: processing-type codes joined by "|" ("" for a bare facility type);
    `exact`: the text was a label or code (not an alias or a near spelling);
    `unmapped`: parts of a list ("cutting, sewing, foo") that did not map."""

    facility_type: str
    processing_type: str
    exact: bool
    unmapped: tuple[str, ...] = ()

    @property
    def matched(self) -> bool:
        return bool(self.facility_type) and not self.unmapped


RAW = "raw_material"
TEXTILE = "textile_material"
WET = "printing_dyeing_laundering"
ASSEMBLY = "final_product_assembly"
WAREHOUSE = "warehousing_distribution"
OFFICE = "office_hq"

# code: (English, Dutch, Open Supply Hub label, aliases)
_FACILITY_TYPES: dict[str, tuple[str, str, str, tuple[str, ...]]] = {
    RAW: (
        "Raw material processing or production",
        "Verwerking of productie van grondstoffen",
        "Raw Material Processing or Production",
        ("raw material", "raw materials", "raw material processing",
         "raw material production", "grondstoffen", "grondstofproductie", "rohstoffe",
         "tier 4 raw material"),
    ),
    TEXTILE: (
        "Textile or material production",
        "Productie van textiel of materialen",
        "Textile or Material Production",
        ("textile production", "material production", "textile", "textiles",
         "textile manufacturing", "fabric production", "textielproductie",
         "materiaalproductie", "textilproduktion", "material creation"),
    ),
    WET: (
        "Printing, product dyeing and laundering",
        "Bedrukken, verven en wassen van producten",
        "Printing, Product Dyeing and Laundering",
        ("printing dyeing laundering", "printing and dyeing", "dyeing and printing",
         "printing dyeing", "dyeing printing", "printing dyeing washing",
         "dyeing washing", "bedrukken verven wassen", "wet processing", "product dyeing",
         "drucken farben waschen"),
    ),
    ASSEMBLY: (
        "Final product assembly",
        "Assemblage van het eindproduct",
        "Final Product Assembly",
        ("final assembly", "product assembly", "final product", "finished goods",
         "finished product", "eindproduct", "eindassemblage", "assemblage eindproduct",
         "endmontage", "konfektion", "garment factory", "garment manufacturer",
         "garment manufacturing", "garment production", "apparel manufacturing",
         "confectie", "kledingproductie", "tier 1"),
    ),
    WAREHOUSE: (
        "Warehousing / distribution",
        "Opslag / distributie",
        "Warehousing / Distribution",
        ("warehousing distribution", "warehouse distribution", "warehousing",
         "distribution", "warehouse", "distribution centre", "distribution center",
         "logistics", "logistic centre", "logistics center", "opslag distributie",
         "magazijn", "opslag", "distributiecentrum", "logistiek", "lager", "lagerhaus",
         "logistikzentrum", "entrepot"),
    ),
    OFFICE: (
        "Office / HQ",
        "Kantoor / hoofdkantoor",
        "Office / HQ",
        ("office hq", "office", "hq", "headquarters", "head office", "head quarters",
         "kantoor", "hoofdkantoor", "buro", "zentrale", "hauptsitz", "bureau", "siege"),
    ),
}  # fmt: skip

# code: (facility type, English, Dutch, aliases)
_PROCESSING_TYPES: dict[str, tuple[str, str, str, tuple[str, ...]]] = {
    # raw material processing or production
    "ginning": (RAW, "Ginning", "Egreneren",
                ("cotton ginning", "gin", "ginnery", "egreneren", "entkornung")),
    "spinning": (RAW, "Spinning", "Spinnen",
                 ("yarn spinning", "spinning mill", "yarn production", "yarn", "spinnerij",
                  "spinnen", "spinnerei", "filature", "garenproductie", "twisting",
                  "texturizing", "twisting texturizing")),
    "tanning": (RAW, "Tanning", "Looien",
                ("tannery", "leather tanning", "looierij", "looien", "gerberei", "tannerie",
                 "leather processing", "leather production", "lederproductie")),
    "farming": (RAW, "Farming", "Landbouw",
                ("farm", "cotton farming", "agriculture", "boerderij", "landbouw",
                 "plantation", "breeding", "landwirtschaft")),
    "fibre_production": (RAW, "Fibre production", "Vezelproductie",
                         ("fiber production", "fibre", "fiber", "fibres", "fibers",
                          "viscose", "extrusion", "melt spinning", "wet spinning",
                          "dry spinning", "vezelproductie", "pulp making", "top making")),
    "recycling": (RAW, "Recycling", "Recycling",
                  ("textile recycling", "mechanical recycling", "chemical recycling",
                   "biological recycling", "sorting", "shredding", "hergebruik")),
    "down_processing": (RAW, "Down processing", "Donsverwerking",
                        ("down", "feather processing", "scouring")),
    # textile or material production
    "knitting": (TEXTILE, "Knitting", "Breien",
                 ("knit", "knitting mill", "circular knitting", "flat knitting", "flat knit",
                  "warp knitting", "knitting warp", "knitting seamless", "lace knitting",
                  "fabric knitting", "breien", "breierij", "stricken", "strickerei",
                  "tricotage", "tricot")),
    "weaving": (TEXTILE, "Weaving", "Weven",
                ("weave", "weaving mill", "weverij", "weven", "weberei", "weben", "tissage",
                 "woven fabric")),
    "fabric_mill": (TEXTILE, "Fabric mill", "Stoffenfabriek",
                    ("textile mill", "mill", "fabric", "fabrics", "textielfabriek",
                     "stoffenfabriek", "stofproductie", "textilfabrik")),
    "nonwoven": (TEXTILE, "Nonwoven manufacturing", "Productie van non-woven",
                 ("non woven", "nonwoven", "non woven manufacturing",
                  "nonwoven processing", "vlies", "vliesstoff")),
    "laminating": (TEXTILE, "Laminating and bonding", "Lamineren en verlijmen",
                   ("laminating", "lamination", "bonding", "fusing", "lamineren")),
    "trims_accessories": (TEXTILE, "Trims and accessories", "Fournituren en accessoires",
                          ("garment accessories manufacturing", "accessories manufacturing",
                           "accessories", "trims", "trim", "labels", "buttons", "zippers",
                           "fournituren", "components", "zubehor", "packaging materials")),
    # printing, product dyeing and laundering
    "printing": (WET, "Printing", "Bedrukken",
                 ("print", "screen printing", "digital printing", "textile printing",
                  "garment printing", "fabric printing", "rotary printing", "heat transfer",
                  "sublimation", "sublimation printing", "direct digital ink printing",
                  "bedrukken", "bedrukking", "drukken", "drukkerij", "zeefdruk", "druckerei",
                  "siebdruck", "drucken", "impression", "printer", "print shop")),
    "dyeing": (WET, "Dyeing", "Verven",
               ("dye", "dye house", "dyehouse", "dyeing mill", "verven", "ververij",
                "farberei", "farben", "teinture", "teinturerie", "garment dyeing",
                "fabric dyeing", "yarn dyeing", "textile dyeing", "piece dyeing",
                "batch dyeing", "continuous dyeing", "hand dye", "tie dye", "tye dye")),
    "washing": (WET, "Washing and laundering", "Wassen",
                ("washing", "wash", "garment wash", "garment washing", "laundry",
                 "laundering", "washing plant", "wasserij", "wassen", "wascherei",
                 "waschen", "denim washing", "stone washing", "blanchisserie")),
    "finishing": (WET, "Finishing", "Veredeling",
                  ("textile finishing", "fabric finishing", "chemical finishing",
                   "garment finishing", "fabric chemical finishing",
                   "textile chemical finishing", "textile mechanical finishing",
                   "veredeling", "veredelen", "veredelung", "ausrustung", "finish",
                   "pre treatment")),
    "coating": (WET, "Coating", "Coaten", ("coating", "coaten", "beschichtung")),
    # final product assembly
    "cut_and_sew": (ASSEMBLY, "Cut & sew", "Snijden en naaien",
                    ("cut and sew", "cut sew", "cut make trim", "cut make", "cmt", "c m t",
                     "snijden naaien", "knippen naaien", "zuschneiden nahen",
                     "garment making", "making up", "ready made garment", "rmg",
                     "ready made garments", "garments", "sewing factory")),
    "cutting": (ASSEMBLY, "Cutting", "Snijden",
                ("cut", "fabric cutting", "snijden", "knippen", "zuschnitt", "zuschneiden",
                 "marker making", "pattern grading", "decoupe")),
    "sewing": (ASSEMBLY, "Sewing", "Naaien",
               ("stitching", "sew", "naaien", "naaierij", "naaiatelier", "stikken", "nahen",
                "nahen", "couture", "seam taping", "tailoring", "kleermakerij")),
    "embroidery": (ASSEMBLY, "Embroidery", "Borduren",
                   ("embroidering", "borduren", "borduurwerk", "borduurderij", "stickerei",
                    "sticken", "broderie")),
    "embellishment": (ASSEMBLY, "Embellishment", "Decoratie",
                      ("decoration", "decoratie", "verfraaiing", "beading", "pleating")),
    "knitwear_assembly": (ASSEMBLY, "Knitwear assembly", "Assemblage van breigoed",
                          ("knitwear", "linking", "sweater", "sweaters", "hand knitting")),
    "assembly": (ASSEMBLY, "Assembly", "Assemblage",
                 ("assembling", "assemblage", "montage", "final product assembly",
                  "footwear assembly", "shoe assembly", "lasting")),
    "manufacturing": (ASSEMBLY, "Manufacturing", "Productie",
                      ("production", "productie", "fabricage", "producent", "manufacturer",
                       "herstellung", "produktion", "fabrication", "factory")),
    "product_finishing": (ASSEMBLY, "Product finishing", "Afwerking",
                          ("product finishing", "afwerking", "afwerken", "ironing",
                           "pressing", "steaming", "strijken", "bugeln", "quality control",
                           "qc", "inspection", "trimming", "repassage")),
    "moulding": (ASSEMBLY, "Moulding", "Gieten",
                 ("molding", "moulding", "injection moulding", "injection molding",
                  "spuitgieten", "gieten")),
    "sample_making": (ASSEMBLY, "Sample making", "Monsters maken",
                      ("sampling", "samples", "sample room", "monsters", "bemustering")),
    # warehousing / distribution
    "warehousing": (WAREHOUSE, "Warehousing", "Opslag",
                    ("warehouse", "storage", "distribution centre", "distribution center",
                     "magazijn", "opslag", "lager")),
    "packing": (WAREHOUSE, "Packing", "Verpakken",
                ("pack", "packing", "packaging", "verpakken", "inpakken", "verpakking",
                 "verpacken", "emballage")),
    # office / HQ
    "office": (OFFICE, "Office", "Kantoor", ("kantoor", "buro", "bureau")),
    "headquarters": (OFFICE, "Headquarters", "Hoofdkantoor",
                     ("hq", "head office", "hoofdkantoor", "zentrale", "siege social")),
    "trading": (OFFICE, "Trading / sourcing agent", "Handel / inkoopagent",
                ("trading", "trading company", "trader", "trade", "sourcing agent",
                 "sourcing", "agent", "agency", "buying office", "buying agent",
                 "inkoopkantoor", "inkoopagent", "handel", "handelsonderneming",
                 "importer", "exporter", "import", "export")),
}  # fmt: skip


FACILITY_TYPES: dict[str, FacilityType] = {
    code: FacilityType(
        code,
        en,
        nl,
        osh,
        tuple(p for p, v in _PROCESSING_TYPES.items() if v[0] == code),
    )
    for code, (en, nl, osh, _aliases) in _FACILITY_TYPES.items()
}

PROCESSING_TYPES: dict[str, ProcessingType] = {
    code: ProcessingType(code, ft, en, nl) for code, (ft, en, nl, _a) in _PROCESSING_TYPES.items()
}

_STOP = frozenset({"and", "or", "of", "the", "en", "und", "et", "y", "a", "an", "de", "het"})
_SPLIT = re.compile(r"\s*(?:[,;/|+\n]|\s-\s|\band\b|&|\ben\b|\bund\b)\s*", re.IGNORECASE)


def taxonomy_key(text: str) -> str:
    """Case, accents, punctuation, "and"/"&", word order and plural -s ignored."""
    text = unicodedata.normalize("NFKD", text.casefold().replace("&", " and "))
    text = "".join(ch if ch.isalnum() else " " for ch in text if not unicodedata.combining(ch))
    words = [w[:-1] if len(w) > 3 and w.endswith("s") else w for w in text.split()]
    return " ".join(sorted(w for w in words if w not in _STOP))


def _build() -> tuple[dict[str, tuple[str, str, bool]], list[str]]:
    table: dict[str, tuple[str, str, bool]] = {}

    def put(text: str, ft: str, pt: str, exact: bool) -> None:
        key = taxonomy_key(text)
        if key and key not in table:
            table[key] = (ft, pt, exact)

    # Facility-type labels and codes first: "Final Product Assembly" is the type, not
    # the processing type of the same name.
    for code, (en, nl, osh, _aliases) in _FACILITY_TYPES.items():
        for label in (code, en, nl, osh):
            put(label, code, "", True)
    for code, (ft, en, nl, _aliases) in _PROCESSING_TYPES.items():
        for label in (code, en, nl):
            put(label, ft, code, True)
    for code, (_en, _nl, _osh, aliases) in _FACILITY_TYPES.items():
        for alias in aliases:
            put(alias, code, "", False)
    for code, (ft, _en, _nl, aliases) in _PROCESSING_TYPES.items():
        for alias in aliases:
            put(alias, ft, code, False)
    return table, sorted(table)


_TABLE, _KEYS = _build()


def _lookup(part: str) -> tuple[str, str, bool] | None:
    key = taxonomy_key(part)
    if not key:
        return None
    hit = _TABLE.get(key)
    if hit:
        return hit
    if len(key) >= 5:  # near spellings ("knittting", "embroidary"), never for short words
        best = process.extractOne(key, _KEYS, scorer=fuzz.ratio, score_cutoff=88)
        if best:
            ft, pt, _exact = _TABLE[best[0]]
            return ft, pt, False
    return None


@lru_cache(maxsize=4096)
def map_facility_type(text: str) -> TaxonomyMatch:
    """Map free text (a facility type or processing type, a code, an English, Dutch or
    Open Supply Hub label, an alias, or a list of them: "Cutting, Sewing, Packing") to the
    taxonomy. For a list, the facility type is that of the first part that maps."""
    text = text.strip()
    if not text:
        return TaxonomyMatch("", "", False)
    whole = _lookup(text)
    if whole:
        return TaxonomyMatch(whole[0], whole[1], whole[2])
    parts = [p for p in _SPLIT.split(text) if p and p.strip()]
    facility_type, codes, unmapped = "", [], []
    for part in parts:
        hit = _lookup(part)
        if hit is None:
            unmapped.append(part.strip())
            continue
        facility_type = facility_type or hit[0]
        if hit[1] and hit[1] not in codes:
            codes.append(hit[1])
    if not facility_type:
        return TaxonomyMatch("", "", False, (text,))
    return TaxonomyMatch(facility_type, "|".join(codes), False, tuple(unmapped))


def facility_type_label(code: str, language: str = "en") -> str:
    """The label of a facility-type code in "en" or "nl"; the code itself if unknown."""
    ft = FACILITY_TYPES.get(code)
    return ft.label_for(language) if ft else code
