"""Per-record normalisation, computed once when a record enters the index.

Everything here turns free text into plain lower-case ASCII tokens, so the later stages
(blocking, scoring) only compare short ASCII strings:

* any script is transliterated with `anyascii`; Chinese, Japanese and Korean characters
  become one token per syllable, and a few Chinese legal and industry words are turned into
  their English equivalent first (有限公司 -> "co ltd", 服装 -> "garment", 厂 -> "factory");
  so are the legal and industry words of Burmese, Khmer and Thai names (ကုမ္ပဏီ လီမိတက် ->
  "co ltd", រោងចក្រកាត់ដេរ -> "garment factory", บริษัท ... จำกัด -> "co ... ltd"), which
  anyascii would otherwise turn into words that look distinctive ("kumpni limitk");
* legal forms anywhere in the name, in many languages (Ltd, Pvt, A.Ş., San. ve Tic.,
  TNHH, Cong Ty, PT, GmbH, S.A. de C.V. ...) move to `legal`, canonicalised;
* unit, plot, building, section, phase and factory numbers ("Unit 2", "(section-1)",
  "Factory No. 3", "Phase II") move to `units` as canonical tags ("unit2", "phase2");
* in addresses: "n/a", country names and postcodes are taken out, common words are
  abbreviated one way (road -> rd, industrial -> ind ...), and cities known by two names
  get one spelling (Saigon -> ho chi minh, Bombay -> mumbai ...).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from anyascii import anyascii

from covenant.matching.records import Record

# --- legal forms -------------------------------------------------------------------------

# Phrases (as token tuples, after punctuation is gone) mapped to a canonical legal tag.
# Longer phrases are tried first, so "sa de cv" wins over "sa".
_LEGAL_PHRASES: dict[tuple[str, ...], str] = {}


def _legal(canonical: str, *variants: str) -> None:
    for variant in (canonical, *variants):
        _LEGAL_PHRASES[tuple(variant.split())] = canonical


_legal("ltd", "limited", "ltda", "limitada", "limitee", "ltee", "ltdl")
_legal("pvt", "private", "pte", "pty", "prv")
_legal("co", "company", "cie", "cia", "compania", "companhia", "compagnie", "y cia", "and co")
_legal("inc", "incorporated", "incorporation")
_legal("corp", "corporation", "corpn", "corporacion")
_legal("llc", "l l c", "llp", "lp")
_legal("plc", "public limited company", "pcl", "public company", "public co")
_legal("jsc", "joint stock company", "joint stock co", "jsco", "ojsc", "cjsc", "ao", "oao")
_legal("ooo", "zao", "tov", "pao")
_legal("ood", "eood", "ead")  # Bulgarian
# Turkish
_legal("as", "a s", "anonim sirketi", "anonim sirket", "anonim")
_legal("sti", "sirketi", "sirket", "ltd sirketi")
_legal("santic", "san ve tic", "sanayi ve ticaret", "san tic", "san ve dis tic", "sanayi", "san")
_legal("tic", "ticaret", "tic ve san", "dis tic", "dis ticaret", "ith ihr", "ithalat ihracat")
# Vietnamese, Indonesian, Malaysian, Thai
_legal("tnhh", "tnhh mtv", "trach nhiem huu han", "mtv", "mot thanh vien")
_legal("congty", "cong ty", "cty", "ct", "cong ty co phan", "cty cp")
_legal("cp", "co phan")
_legal("pt", "pt tbk", "perseroan terbatas", "persero")
_legal("tbk", "terbuka")
_legal("cv", "ud")
_legal("sdnbhd", "sdn bhd", "sendirian berhad", "sdn")
_legal("bhd", "berhad")
_legal("borisat", "bo ri sat", "chamkat", "mahachon")
# German, Dutch, Nordic, Central European
_legal("gmbh", "gesellschaft mit beschrankter haftung", "gmbh co kg", "mbh", "ug")
_legal("ag", "aktiengesellschaft", "kg", "kgaa", "ohg", "ev")
_legal("bv", "besloten vennootschap", "bvba", "vof")
_legal("nv", "naamloze vennootschap")
_legal("ab", "aps", "asa", "oy", "oyj", "kft", "zrt", "nyrt", "sro", "spol s r o", "doo", "dd")
_legal("spzoo", "sp z o o", "sp z oo", "sp zoo", "spolka z ograniczona odpowiedzialnoscia", "sa sk")
# French, Spanish, Portuguese, Italian
_legal("sa", "s a", "sociedad anonima", "societe anonyme", "saic", "saci", "sae", "saa", "sac")
_legal("sadecv", "sa de cv", "s a de c v", "de cv", "s de rl de cv", "s de rl", "sapi de cv")
_legal("sapi", "sab de cv", "sab")
_legal("srl", "s r l", "sarl", "s a r l", "sas", "sasu", "eurl", "snc", "sl", "slu", "sll")
_legal("spa", "s p a", "sapa", "scarl", "scrl", "soc coop", "sc")
_legal("eireli", "epp")
# Japanese, Korean, Chinese (after transliteration)
_legal("kk", "kabushiki kaisha", "kabushikigaisha", "kabushiki gaisha", "yk", "gk", "godo kaisha")
_legal("jusikhoesa", "ju sik hoe sa", "yuhanhoesa")
_legal("youxiangongsi", "you xian gong si", "you xian ze ren gong si", "gong si", "gufen")

_LEGAL_MAX = max(len(k) for k in _LEGAL_PHRASES)
# legal forms written without spaces, longest first, for names whose spaces are lost
_LEGAL_SUFFIXES = tuple(
    sorted(
        {"".join(k): v for k, v in _LEGAL_PHRASES.items() if len("".join(k)) >= 2}.items(),
        key=lambda item: -len(item[0]),
    )
)
_LEGAL_FIRST = frozenset(k[0] for k in _LEGAL_PHRASES)
# Single tokens that are a legal form only when another name token is left (so a company
# called "Sa" or "Co" keeps its name).
_LEGAL_WEAK = frozenset({"co", "as", "sa", "ab", "sc", "ct", "lp", "ao", "dd", "ev", "san", "ud"})

# Chinese (traditional and simplified), Japanese and Korean words replaced before
# transliteration: legal forms by their Latin equivalent, a few industry words by English.
_CJK_WORDS: tuple[tuple[str, str], ...] = (
    # "第二工厂" (second factory) is a unit tag, as "Factory 2" is
    *(
        (f"第{numeral}{word}", f" factory {n} ")
        for n, numeral in enumerate("一二三四五六七八九", start=1)
        for word in ("工厂", "工廠", "分厂", "分廠", "厂", "廠")
    ),
    ("股份有限公司", " jsc ltd "),
    ("有限责任公司", " co ltd "),
    ("有限責任公司", " co ltd "),
    ("有限公司", " co ltd "),
    ("株式会社", " kk "),
    ("有限会社", " kk "),
    ("주식회사", " jusikhoesa "),
    ("(주)", " jusikhoesa "),
    ("公司", " co "),
    ("集团", " group "),
    ("集團", " group "),
    ("进出口", " import export "),
    ("進出口", " import export "),
    ("服装", " garment "),
    ("服裝", " garment "),
    ("服饰", " apparel "),
    ("服飾", " apparel "),
    ("制衣", " garment "),
    ("製衣", " garment "),
    ("针织", " knitting "),
    ("針織", " knitting "),
    ("纺织", " textile "),
    ("紡織", " textile "),
    ("鞋业", " shoes "),
    ("鞋業", " shoes "),
    ("印染", " dyeing "),
    ("时装", " fashion "),
    ("時裝", " fashion "),
    ("织造", " weaving "),
    ("織造", " weaving "),
    ("毛纺", " woollen "),
    ("毛紡", " woollen "),
    ("家纺", " home textile "),
    ("家紡", " home textile "),
    ("水洗", " washing "),
    ("洗水", " washing "),
    ("丝绸", " silk "),
    ("絲綢", " silk "),
    ("皮革", " leather "),
    ("刺绣", " embroidery "),
    ("刺繡", " embroidery "),
    ("毛织", " knitting "),
    ("毛織", " knitting "),
    ("内衣", " underwear "),
    ("袜业", " socks "),
    ("襪業", " socks "),
    ("制品", " products "),
    ("製品", " products "),
    ("实业", " industries "),
    ("實業", " industries "),
    ("工业", " industries "),
    ("工業", " industries "),
    ("贸易", " trading "),
    ("貿易", " trading "),
    ("国际", " international "),
    ("國際", " international "),
    ("工厂", " factory "),
    ("工廠", " factory "),
    ("分厂", " branch factory "),
    ("厂", " factory "),
    ("廠", " factory "),
    ("工場", " factory "),
    ("工业区", " industrial zone "),
    ("工業區", " industrial zone "),
    ("工业园区", " industrial park "),
    ("工业园", " industrial park "),
    ("工業園", " industrial park "),
    ("开发区", " development zone "),
    ("開發區", " development zone "),
    ("经济技术开发区", " economic technology development zone "),
    ("科技园", " technology park "),
    ("自治区", " autonomous region "),
    ("省", " province "),
    ("市", " city "),
    ("区", " district "),
    ("區", " district "),
    ("县", " county "),
    ("縣", " county "),
    ("镇", " town "),
    ("鎮", " town "),
    ("村", " village "),
    ("路", " rd "),
    ("街", " st "),
    ("号", " no "),
    ("號", " no "),
)

# Chinese provinces and the cities of the garment and textile industry, in characters and
# pinyin: replaced as words, so that "杭州卓华针织" becomes "hangzhou zhuohua knitting" as
# the company writes it in Latin ("Hangzhou Zhuohua Knitting"), not "hangzhouzhuohua".
_CJK_PLACES: dict[str, str] = {
    "广东": "guangdong", "浙江": "zhejiang", "江苏": "jiangsu", "山东": "shandong",
    "福建": "fujian", "湖北": "hubei", "湖南": "hunan", "安徽": "anhui", "河南": "henan",
    "河北": "hebei", "江西": "jiangxi", "四川": "sichuan", "辽宁": "liaoning", "广西": "guangxi",
    "新疆": "xinjiang", "云南": "yunnan", "贵州": "guizhou", "陕西": "shaanxi", "山西": "shanxi",
    "吉林": "jilin", "黑龙江": "heilongjiang", "内蒙古": "inner mongolia", "海南": "hainan",
    "甘肃": "gansu", "宁夏": "ningxia", "青海": "qinghai", "重庆": "chongqing",
    "北京": "beijing", "天津": "tianjin", "上海": "shanghai", "香港": "hong kong",
    "澳门": "macau", "台湾": "taiwan", "台灣": "taiwan", "廣東": "guangdong",
    "广州": "guangzhou", "廣州": "guangzhou", "深圳": "shenzhen", "东莞": "dongguan",
    "東莞": "dongguan", "佛山": "foshan", "中山": "zhongshan", "汕头": "shantou",
    "汕頭": "shantou", "江门": "jiangmen", "惠州": "huizhou", "珠海": "zhuhai",
    "揭阳": "jieyang", "潮州": "chaozhou", "普宁": "puning", "宁波": "ningbo",
    "寧波": "ningbo", "杭州": "hangzhou", "绍兴": "shaoxing", "紹興": "shaoxing",
    "湖州": "huzhou", "温州": "wenzhou", "溫州": "wenzhou", "嘉兴": "jiaxing",
    "嘉興": "jiaxing", "金华": "jinhua", "义乌": "yiwu", "義烏": "yiwu", "台州": "taizhou",
    "桐乡": "tongxiang", "海宁": "haining", "诸暨": "zhuji", "苏州": "suzhou",
    "蘇州": "suzhou", "无锡": "wuxi", "無錫": "wuxi", "常州": "changzhou", "南通": "nantong",
    "常熟": "changshu", "江阴": "jiangyin", "张家港": "zhangjiagang", "南京": "nanjing",
    "扬州": "yangzhou", "泰州": "taizhou", "盐城": "yancheng", "青岛": "qingdao",
    "青島": "qingdao", "潍坊": "weifang", "濰坊": "weifang", "烟台": "yantai",
    "煙台": "yantai", "济南": "jinan", "威海": "weihai", "淄博": "zibo", "厦门": "xiamen",
    "廈門": "xiamen", "泉州": "quanzhou", "晋江": "jinjiang", "晉江": "jinjiang",
    "石狮": "shishi", "福州": "fuzhou", "莆田": "putian", "武汉": "wuhan", "武漢": "wuhan",
    "长沙": "changsha", "長沙": "changsha", "合肥": "hefei", "郑州": "zhengzhou",
    "鄭州": "zhengzhou", "成都": "chengdu", "西安": "xian", "大连": "dalian",
    "沈阳": "shenyang", "天门": "tianmen", "仙桃": "xiantao", "南昌": "nanchang",
}  # fmt: skip

# --- industry words (kept, but down-weighted in blocking and scoring) ----------------------

INDUSTRY_WORDS = frozenset(
    [
        "garment",
        "garments",
        "apparel",
        "apparels",
        "textile",
        "textiles",
        "tekstil",
        "textil",
        "textiles",
        "knitting",
        "knit",
        "knits",
        "knitwear",
        "knitwears",
        "knitter",
        "knitters",
        "factory",
        "factories",
        "fty",
        "industries",
        "industry",
        "industrial",
        "industrias",
        "industria",
        "ind",
        "manufacturing",
        "manufacturer",
        "manufacturers",
        "mfg",
        "mfrs",
        "fashion",
        "home",
        "woollen",
        "woolen",
        "fashions",
        "clothing",
        "clothes",
        "wear",
        "wears",
        "sportswear",
        "sweater",
        "sweaters",
        "shoes",
        "shoe",
        "footwear",
        "footwears",
        "leather",
        "dyeing",
        "dyeing",
        "printing",
        "print",
        "prints",
        "washing",
        "wash",
        "laundry",
        "embroidery",
        "embroideries",
        "accessories",
        "accessory",
        "products",
        "product",
        "fabric",
        "fabrics",
        "mill",
        "mills",
        "spinning",
        "weaving",
        "weavers",
        "denim",
        "designs",
        "design",
        "creation",
        "creations",
        "overseas",
        "global",
        "group",
        "international",
        "intl",
        "enterprise",
        "enterprises",
        "trading",
        "traders",
        "trade",
        "export",
        "exports",
        "exporters",
        "import",
        "imports",
        "impex",
        "holdings",
        "holding",
        "company",
        "konfeksiyon",
        "konfeksiyonu",
        "giyim",
        "tekstil",
        "confecciones",
        "confeccion",
        "maquiladora",
        "taller",
        "tortilleria",
        "panaderia",
        "herreria",
        "plant",
        "branch",
        "division",
        "works",
        "workshop",
        "technology",
        "tech",
        "import",
        "export",
        "the",
        "and",
        "of",
        "for",
        "y",
        "e",
        "de",
        "del",
        "la",
        "el",
        "los",
        "las",
        "di",
        "da",
        "do",
        "du",
        "des",
        "et",
        "und",
        "van",
    ]
)

_STOPWORDS = frozenset({"the", "and", "of", "for", "y", "e", "et", "und", "a", "an"})

# --- unit / plot / section numbers ---------------------------------------------------------

UNIT_KINDS: dict[str, str] = {
    # the facility's place in its group: one kind, so "Unit 2" vs "Plant 3" is a conflict
    # and "Factory 1" vs "Unit 1" agrees
    "unit": "unit",
    "units": "unit",
    "u": "unit",
    "factory": "unit",
    "fty": "unit",
    "fac": "unit",
    "plant": "unit",
    "branch": "unit",
    "division": "unit",
    "div": "unit",
    "plot": "plot",
    "plots": "plot",
    "building": "building",
    "bldg": "building",
    "bld": "building",
    "block": "block",
    "blk": "block",
    "section": "section",
    "sec": "section",
    "sect": "section",
    "phase": "phase",
    "ph": "phase",
    "site": "site",
    "shed": "shed",
    "lot": "lot",
    "hall": "hall",
    "line": "line",
    "floor": "floor",
    "fl": "floor",
    "no": "no",
    "number": "no",
}
_ROMAN = {
    "i": 1,
    "ii": 2,
    "iii": 3,
    "iv": 4,
    "v": 5,
    "vi": 6,
    "vii": 7,
    "viii": 8,
    "ix": 9,
    "x": 10,
}
_FILLER = frozenset({"no", "number", "nr", "num"})

# --- addresses -----------------------------------------------------------------------------

_ADDRESS_WORDS: dict[str, str] = {
    "road": "rd",
    "rd": "rd",
    "street": "st",
    "str": "st",
    "st": "st",
    "strasse": "st",
    "straat": "st",
    "avenue": "ave",
    "av": "ave",
    "avenida": "ave",
    "ave": "ave",
    "boulevard": "blvd",
    "bulevar": "blvd",
    "blvd": "blvd",
    "lane": "ln",
    "ln": "ln",
    "highway": "hwy",
    "hwy": "hwy",
    "district": "dist",
    "dist": "dist",
    "distt": "dist",
    "industrial": "ind",
    "industry": "ind",
    "industries": "ind",
    "ind": "ind",
    "indl": "ind",
    "estate": "estate",
    "est": "estate",
    "park": "park",
    "pk": "park",
    "zone": "zone",
    "zn": "zone",
    "village": "vil",
    "vill": "vil",
    "vil": "vil",
    "vlg": "vil",
    "town": "town",
    "township": "town",
    "county": "county",
    "province": "prov",
    "prov": "prov",
    "city": "city",
    "number": "no",
    "nr": "no",
    "no": "no",
    "building": "bldg",
    "bldg": "bldg",
    "floor": "fl",
    "flr": "fl",
    "fl": "fl",
    "sector": "sector",
    "sec": "sector",
    "mahallesi": "mah",
    "mah": "mah",
    "mh": "mah",
    "sokak": "sk",
    "sokagi": "sk",
    "sk": "sk",
    "cadde": "cd",
    "caddesi": "cd",
    "cad": "cd",
    "cd": "cd",
    "organize": "osb",
    "osb": "osb",
    "colonia": "col",
    "col": "col",
    "calle": "c",
    "carretera": "carr",
    "carr": "carr",
    "kilometro": "km",
    "km": "km",
    "development": "dev",
    "dev": "dev",
    "economic": "econ",
    "econ": "econ",
    "technology": "tech",
    "tech": "tech",
    "export": "export",
    "processing": "proc",
    "epz": "epz",
}
_ADDRESS_DROP = frozenset(
    {"na", "null", "none", "nil", "n", "a", "the", "of", "and", "de", "del", "unknown"}
)

# Cities known under two or more names; every variant maps to the first form.
_CITY_ALIASES: dict[str, tuple[str, ...]] = {
    "ho chi minh": ("saigon", "sai gon", "ho chi minh city", "hcmc", "hcm", "tp hcm", "hochiminh"),
    "hanoi": ("ha noi",),
    "da nang": ("danang",),
    "hai phong": ("haiphong",),
    "mumbai": ("bombay",),
    "chennai": ("madras",),
    "kolkata": ("calcutta",),
    "bengaluru": ("bangalore",),
    "gurugram": ("gurgaon",),
    "pune": ("poona",),
    "vadodara": ("baroda",),
    "kochi": ("cochin",),
    "mysuru": ("mysore",),
    "tiruppur": ("tirupur",),
    "thiruvananthapuram": ("trivandrum",),
    "guangzhou": ("canton",),
    "beijing": ("peking",),
    "nanjing": ("nanking",),
    "xiamen": ("amoy",),
    "chattogram": ("chittagong",),
    "dhaka": ("dacca",),
    "yangon": ("rangoon",),
    "chennai district": ("madras district",),
    "bangkok": ("krung thep",),
    "istanbul": ("stanbul",),
    "izmir": ("smyrna",),
    "mexico city": ("ciudad de mexico", "cdmx", "mexico df", "distrito federal"),
}

PLACE_WORDS = frozenset(w for v in _CJK_PLACES.values() for w in v.split()) | frozenset(
    city for city in _CITY_ALIASES if " " not in city
)
"""Place names that often open a company name ("Hangzhou ...", "Dongguan ..."); the
blocking keys on the start of the name skip them (`covenant.matching.blocking`)."""

# Country names (and common variants) removed from addresses; codes are in `Record.country`.
COUNTRY_WORDS: tuple[str, ...] = (
    "bangladesh",
    "china",
    "peoples republic of china",
    "people s republic of china",
    "p r china",
    "pr china",
    "prc",
    "india",
    "pakistan",
    "vietnam",
    "viet nam",
    "cambodia",
    "kingdom of cambodia",
    "myanmar",
    "burma",
    "indonesia",
    "thailand",
    "malaysia",
    "sri lanka",
    "philippines",
    "turkey",
    "turkiye",
    "egypt",
    "morocco",
    "tunisia",
    "ethiopia",
    "kenya",
    "mauritius",
    "madagascar",
    "lesotho",
    "south africa",
    "jordan",
    "portugal",
    "spain",
    "italy",
    "romania",
    "bulgaria",
    "germany",
    "france",
    "netherlands",
    "the netherlands",
    "belgium",
    "poland",
    "czech republic",
    "hungary",
    "united kingdom",
    "great britain",
    "united states",
    "usa",
    "united states of america",
    "mexico",
    "guatemala",
    "honduras",
    "el salvador",
    "nicaragua",
    "haiti",
    "dominican republic",
    "brazil",
    "brasil",
    "peru",
    "colombia",
    "japan",
    "south korea",
    "republic of korea",
    "korea",
    "taiwan",
    "laos",
    "nepal",
    "uzbekistan",
    "israel",
)

_PUNCT = re.compile(r"[^a-z0-9]+")
_TOKEN = re.compile(r"[a-z]+|[0-9]+")
_DOTTED = re.compile(r"\b(?:[a-z]\.){2,}")
_CJK = re.compile(r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\u3040-\u30ff]")
_CJK_RUN = re.compile(r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\u3040-\u30ff]+")


def _phrases(mapping: dict[str, str]) -> dict[tuple[str, ...], str]:
    return {tuple(k.split()): v for k, v in mapping.items()}


# address phrases: city aliases to their canonical form, country names to nothing
_ADDRESS_PHRASES = _phrases(
    {v: k for k, vs in _CITY_ALIASES.items() for v in vs} | dict.fromkeys(COUNTRY_WORDS, "")
)
_CITY_PHRASES = _phrases({v: k for k, vs in _CITY_ALIASES.items() for v in vs})


def _replace_phrases(toks: list[str], phrases: dict[tuple[str, ...], str]) -> list[str]:
    """Replace the longest known phrase at each position (token-level, greedy)."""
    first = _PHRASE_FIRST[id(phrases)]
    if first.isdisjoint(toks):
        return toks
    out: list[str] = []
    n = len(toks)
    i = 0
    while i < n:
        tok = toks[i]
        if tok in first:
            for length in range(min(6, n - i), 0, -1):
                repl = phrases.get(tuple(toks[i : i + length]))
                if repl is not None:
                    out.extend(repl.split())
                    i += length
                    break
            else:
                out.append(tok)
                i += 1
        else:
            out.append(tok)
            i += 1
    return out


_PHRASE_FIRST = {id(p): frozenset(k[0] for k in p) for p in (_ADDRESS_PHRASES, _CITY_PHRASES)}


_CJK_REPLACEMENTS: tuple[tuple[str, str], ...] = (
    *_CJK_WORDS,
    *(
        (word, " " + latin + " ")
        for word, latin in sorted(_CJK_PLACES.items(), key=lambda item: -len(item[0]))
    ),
)
"""Every replacement of `_cjk_spaced`, in the order they are applied."""


def _by_first(table: tuple[tuple[str, str], ...]) -> dict[str, list[int]]:
    """First character -> positions in `table` of the words that start with it."""
    out: dict[str, list[int]] = {}
    for i, (word, _) in enumerate(table):
        out.setdefault(word[0], []).append(i)
    return out


def _replace_known(
    text: str, table: tuple[tuple[str, str], ...], by_first: dict[str, list[int]]
) -> str:
    """The known words of `table` in `text` replaced, in table order; only the words whose
    first character occurs in the text are tried (`by_first`, from `_by_first(table)`)."""
    for i in sorted({i for c in set(text) for i in by_first.get(c, ())}):
        word, replacement = table[i]
        if word in text:
            text = text.replace(word, replacement)
    return text


_CJK_BY_FIRST = _by_first(_CJK_REPLACEMENTS)


def _cjk_spaced(text: str) -> str:
    """Known words to their Latin/English equivalent (`_CJK_REPLACEMENTS`); each remaining
    run of characters becomes one token ("南通鑫俊" -> "NanTongXinJun" -> "nantongxinjun"),
    as pinyin writes place and company names ("Nantong Xinjun")."""
    text = _replace_known(text, _CJK_REPLACEMENTS, _CJK_BY_FIRST)
    return _CJK_RUN.sub(lambda m: " " + anyascii(m.group(0)) + " ", text)


# Burmese, Khmer and Thai legal and industry words, replaced before transliteration (longest
# first: "အထည်ချုပ်စက်ရုံ" before "စက်ရုံ"). Names in these scripts are written without
# spaces between words, so each replacement is padded with spaces.
_SEA_WORDS: tuple[tuple[str, str], ...] = tuple(
    sorted(
        {
            # Burmese
            "ကုမ္ပဏီ": " co ",  # company
            "လီမိတက်": " ltd ",  # limited
            "ပုဂ္ဂလိက": " pvt ",  # private
            "အများပိုင်": " public ",
            "အထည်ချုပ်": " garment ",
            "အထည်ချုပ်စက်ရုံ": " garment factory ",
            "စက်ရုံ": " factory ",
            "ရက်ကန်း": " weaving ",
            "ဖိနပ်": " shoes ",
            "မြန်မာ": " myanmar ",
            # Khmer
            "ក្រុមហ៊ុន": " co ",  # company
            "ឯ.ក": " co ltd ",  # abbreviation of a private limited company
            "ឯកជន": " pvt ",
            "រោងចក្រ": " factory ",
            "កាត់ដេរ": " garment ",  # sewing
            "សម្លៀកបំពាក់": " garment ",  # clothing
            "វាយនភណ្ឌ": " textile ",
            "ស្បែកជើង": " shoes ",
            "កម្ពុជា": " cambodia ",
            # Thai
            "บริษัท": " co ",  # company
            "จำกัด": " ltd ",  # limited
            "(มหาชน)": " pcl ",  # public company
            "มหาชน": " pcl ",
            "โรงงาน": " factory ",
            "สิ่งทอ": " textile ",
            "เครื่องนุ่งห่ม": " garment ",
            "การ์เมนท์": " garment ",
            "ประเทศไทย": " thailand ",
        }.items(),
        key=lambda item: -len(item[0]),
    )
)
_SEA_BY_FIRST = _by_first(_SEA_WORDS)
_SEA = re.compile(r"[\u0e00-\u0e7f\u1000-\u109f\u1780-\u17ff]")


def to_ascii(text: str) -> str:
    """Lower-case ASCII with dotted abbreviations joined (``S.A.`` -> ``sa``), punctuation
    kept; transliterates any script."""
    if not text.isascii():
        if _CJK.search(text):
            text = _cjk_spaced(text)
        elif _SEA.search(text):
            text = _replace_known(text, _SEA_WORDS, _SEA_BY_FIRST)
        text = anyascii(text)
    text = text.lower()
    if "." in text:
        text = _DOTTED.sub(lambda m: m.group(0).replace(".", "") + " ", text)
    return text


def tokens(text: str) -> list[str]:
    """ASCII tokens of `text`: runs of letters or of digits ("d-163" -> "d", "163")."""
    return _TOKEN.findall(to_ascii(text))


def _unit_number(token: str) -> str | None:
    if token.isdigit():
        return str(int(token))
    if token in _ROMAN:
        return str(_ROMAN[token])
    if len(token) == 1 and token.isalpha():
        return token
    return None


@dataclass(frozen=True, slots=True)
class NormName:
    core: tuple[str, ...]
    legal: tuple[str, ...]
    units: tuple[str, ...]


def _spaced_out(toks: list[str]) -> bool:
    """A name whose letters were spaced apart when it was copied out of a PDF ("m e r c u r y
    appar e l se e th awaka"; Open Supply Hub's older lists have many), judged on its words
    other than legal forms, units and a leading "M/S" (so "Sp. z o.o." and "Unit A" do not
    count): three or more one-letter words, words of one or two letters at least 40% of
    all, and not only initials in front ("A K M Rahman Textiles")."""
    singles = [i for i, t in enumerate(toks) if len(t) == 1 and t.isalpha()]
    if len(singles) < 3 or 10 * sum(len(t) <= 2 for t in toks) < 4 * len(toks):
        return False
    return singles != list(range(len(singles)))


def _despaced(toks: list[str]) -> NormName:
    """A spaced-out name as one word, its legal forms taken off the end ("alextricotsrl"
    -> "alextricot", srl); word boundaries are lost, the letters are not."""
    word = "".join(toks)
    legal: list[str] = []
    while True:
        for joined, canonical in _LEGAL_SUFFIXES:
            if word.endswith(joined) and len(word) - len(joined) >= 4:
                word = word[: -len(joined)]
                if canonical not in legal:
                    legal.append(canonical)
                break
        else:
            break
    return NormName((word,), tuple(sorted(legal)), ())


def normalise_name(name: str) -> NormName:
    """Split a facility name into core tokens, canonical legal forms and unit tags."""
    toks = tokens(name)
    core: list[str] = []
    legal: list[str] = []
    units: list[str] = []
    words: list[str] = []  # the tokens that are not legal forms or units, stopwords too
    n = len(toks)
    start = i = _honorific(toks)
    while i < n:
        tok = toks[i]
        # unit / plot / section numbers: "unit 2", "factory no 3", "phase ii", "section 1"
        kind = UNIT_KINDS.get(tok)
        if kind is not None and i + 1 < n:
            j = i + 1
            while j < n - 1 and toks[j] in _FILLER:
                j += 1
            num = _unit_number(toks[j])
            # a lone letter after "no"/"unit" is too ambiguous ("no a"), and "u" only
            # counts before digits ("U-3", not "U & I")
            if tok == "u" and not toks[j].isdigit():
                num = None
            if num is not None and not (num.isalpha() and kind in ("no", "unit", "line")):
                units.append(kind + num)
                i = j + 1
                continue
        matched = False
        lengths = range(min(_LEGAL_MAX, n - i), 0, -1) if tok in _LEGAL_FIRST else ()
        for length in lengths:
            canonical = _LEGAL_PHRASES.get(tuple(toks[i : i + length]))
            if canonical is not None:
                if length == 1 and tok in _LEGAL_WEAK and not _has_other_core(toks, i):
                    break
                if canonical not in legal:
                    legal.append(canonical)
                i += length
                matched = True
                break
        if matched:
            continue
        words.append(tok)
        if tok not in _STOPWORDS:
            core.append(tok)
        i += 1
    if _spaced_out(words) and not _CJK.search(name):
        return _despaced(toks[start:])
    if not core and legal:
        # the whole name was legal words: keep them as the name
        core = [t for t in toks if t not in _STOPWORDS]
    return NormName(tuple(core), tuple(sorted(legal)), tuple(sorted(set(units))))


_HONORIFICS = (("m", "s"), ("messrs",), ("messers",))


def _honorific(toks: list[str]) -> int:
    """Number of leading tokens that are a form of address, not part of the name: "M/S
    Rahman Knit", "Messrs. Hossain Textiles" (common in South Asian lists)."""
    for form in _HONORIFICS:
        if len(toks) > len(form) and tuple(toks[: len(form)]) == form:
            return len(form)
    return 0


def _has_other_core(toks: list[str], i: int) -> bool:
    return any(j != i and t not in _LEGAL_WEAK and not t.isdigit() for j, t in enumerate(toks))


def normalise_address(address: str) -> tuple[tuple[str, ...], str]:
    """Address tokens (canonical abbreviations, aliases applied, country names, "n/a"
    and the postcode taken out) and the postcode found in it ("" if none): the last
    number of 4 to 6 digits."""
    toks = _replace_phrases(_TOKEN.findall(to_ascii(address)), _ADDRESS_PHRASES)
    postcode = ""
    for tok in reversed(toks):
        if tok.isdigit() and 4 <= len(tok) <= 6:
            postcode = tok
            break
    get = _ADDRESS_WORDS.get
    out = [get(t, t) for t in toks if t not in _ADDRESS_DROP and t != postcode]
    return tuple(out), postcode


def normalise_city(city: str) -> str:
    toks = _replace_phrases(_TOKEN.findall(to_ascii(city)), _CITY_PHRASES)
    if len(toks) > 1 and toks[-1] == "city" and toks != ["mexico", "city"]:
        toks = toks[:-1]
    return " ".join(toks)


def normalise_postcode(postcode: str) -> str:
    return "".join(_TOKEN.findall(to_ascii(postcode))).lstrip("0")


@dataclass(frozen=True, slots=True)
class NormRecord:
    """A record after normalisation. All text is lower-case ASCII.

    `name` is the core name (legal forms and unit tags removed, industry words kept),
    `key_name` the core name without industry words (the distinctive part), `compact` the
    key name without spaces, `numbers` the numbers of the address."""

    id: str
    country: str
    name: str
    key_name: str
    compact: str
    legal: str
    units: str
    address: str
    numbers: str
    city: str
    postcode: str
    lat: float | None
    lng: float | None

    def __reduce__(self) -> tuple[type[NormRecord], tuple[object, ...]]:
        # a plain tuple: batch matching sends every row from a worker process
        return (NormRecord, tuple(getattr(self, f) for f in self.__slots__))


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


_GENERIC_LONG = frozenset(
    w for w in INDUSTRY_WORDS | {"limited", "private", "company", "corporation"} if len(w) >= 5
)
_GENERIC_DELETIONS = frozenset(d for w in _GENERIC_LONG for d in _deletions(w))


@lru_cache(maxsize=65536)
def _misspelt_generic(token: str) -> bool:
    """Is `token` one typing error (a letter missing, added, changed or two swapped) away
    from an industry word or a long legal word ("Knitrting", "Tezxtiles", "Appares",
    "Limitwd")? Such a token says as little about the facility as the word itself, so it
    is left out of the distinctive name like the word. Words of 5+ letters only."""
    if len(token) < 5 or not token.isalpha():
        return False
    if token in _GENERIC_DELETIONS:
        return True
    dels = _deletions(token)
    return not dels.isdisjoint(_GENERIC_LONG) or not dels.isdisjoint(_GENERIC_DELETIONS)


def normalise(record: Record) -> NormRecord:
    """Normalise one record (the work done once when a record is added or matched)."""
    nn = normalise_name(record.name)
    country = record.country.strip().upper()
    code = country.lower()
    core = nn.core
    if code in core and len(core) > 1:
        # "Pioneer Knitwear (BD) Ltd": the country code says nothing about the facility
        core = tuple(t for t in core if t != code)
    addr, found_postcode = normalise_address(record.address)
    postcode = normalise_postcode(record.postal_code) if record.postal_code else ""
    if not postcode:
        postcode = found_postcode.lstrip("0")
    key = [t for t in core if t not in INDUSTRY_WORDS and not _misspelt_generic(t)]
    if not key:
        key = list(core)
    numbers = sorted({t.lstrip("0") or "0" for t in addr if t.isdigit()})
    city = normalise_city(record.city) if record.city else ""
    return NormRecord(
        id=record.id,
        country=country,
        name=" ".join(core),
        key_name=" ".join(key),
        compact="".join(key),
        legal=" ".join(nn.legal),
        units=" ".join(nn.units),
        address=" ".join(addr),
        numbers=" ".join(numbers),
        city=city,
        postcode=postcode,
        lat=record.lat,
        lng=record.lng,
    )
