//! A synthetic collection for the search benchmark, the same on every run (fixed seed).
//!
//! Real craft-village records are scarce and private, so the benchmark makes its own: titles and
//! descriptions in Vietnamese-like text (syllables built from real onsets, rhymes and the six
//! tones, in NFC, Zipf-distributed) mixed with a vocabulary of real craft words, so that phrases
//! such as "làng nghề" and "dệt lụa" occur about as often as in a real catalogue. About 40% of
//! records also have an English title and description whose words come inflected (weaving,
//! weavers, woven) the way real English text does. Each record belongs to one of 60 villages (the
//! six of the Hà Nam sample and synthetic ones), one of 16 crafts, a kind, an EDTF date and an
//! access level (about 5% restricted).

use std::collections::BTreeMap;

use disan::index::authorities::Authorities;
use disan::index::search::AuthorityNames;
use disan::model::text::{fold, nfc, slug};
use disan::model::{
    Access, Craft, CraftId, Edtf, Kind, Lang, LangValue, Provenance, Record, RecordId, RiskStatus,
    SCHEMA_VERSION, Village, VillageId,
};

/// splitmix64: small, fast and good enough to make test data.
pub struct Rng(u64);

impl Rng {
    /// A generator started from `seed`.
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// A number in `low..=high`.
    pub fn between(&mut self, low: usize, high: usize) -> usize {
        low + self.below(high - low + 1)
    }

    /// A number in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// One item of a non-empty slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Draws ranks 0..n with probability proportional to 1 / (rank + 1)^exponent.
pub struct Zipf {
    cumulative: Vec<f64>,
}

impl Zipf {
    /// The distribution over `n` ranks.
    pub fn new(n: usize, exponent: f64) -> Self {
        let mut total = 0.0;
        let cumulative = (0..n)
            .map(|rank| {
                total += 1.0 / ((rank + 1) as f64).powf(exponent);
                total
            })
            .collect();
        Zipf { cumulative }
    }

    /// One rank.
    pub fn sample(&self, rng: &mut Rng) -> usize {
        let total = self.cumulative.last().copied().unwrap_or(0.0);
        let x = rng.unit() * total;
        self.cumulative
            .partition_point(|&c| c <= x)
            .min(self.cumulative.len() - 1)
    }
}

const ONSETS: &[&str] = &[
    "", "b", "c", "ch", "d", "đ", "g", "gi", "h", "k", "kh", "l", "m", "n", "ng", "nh", "p", "ph",
    "qu", "r", "s", "t", "th", "tr", "v", "x",
];
const OPEN_RHYMES: &[&str] = &[
    "a", "ai", "ao", "au", "ay", "âu", "ây", "e", "eo", "ê", "êu", "i", "ia", "iu", "iêu", "o",
    "oa", "oai", "oe", "oi", "ô", "ôi", "ơ", "ơi", "u", "ua", "ui", "uy", "uôi", "ư", "ưa", "ưi",
    "ươi", "ươu", "y",
];
const NUCLEI: &[&str] = &[
    "a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "iê", "oa", "oă", "uâ", "uô", "ươ",
    "uyê",
];
const CODAS: &[&str] = &["c", "m", "n", "ng", "p", "t"];
const PALATAL_RHYMES: &[&str] = &[
    "anh", "ach", "ênh", "êch", "inh", "ich", "oanh", "oach", "uynh", "uych",
];
/// No tone, sắc, huyền, hỏi, ngã, nặng (as combining marks).
const TONES: [Option<char>; 6] = [
    None,
    Some('\u{301}'),
    Some('\u{300}'),
    Some('\u{309}'),
    Some('\u{303}'),
    Some('\u{323}'),
];

/// The commonest Vietnamese words, which head the lexicon.
const FUNCTION_WORDS: &[&str] = &[
    "và", "của", "là", "có", "được", "các", "những", "trong", "một", "cho", "với", "người", "này",
    "đã", "từ", "khi", "theo", "để", "nhiều", "còn", "vào", "ra", "như", "năm", "lại", "đến",
    "thì", "cũng", "đó", "về", "ở", "nhà", "làm", "hai", "rất", "mới", "cùng", "nay", "xưa",
];

/// Real craft words, commonest first (entries of several syllables are one vocabulary item).
const CRAFT_WORDS: &[&str] = &[
    "làng",
    "nghề",
    "làng nghề",
    "sản phẩm",
    "truyền thống",
    "nghệ nhân",
    "dệt",
    "thợ",
    "lụa",
    "gỗ",
    "dệt lụa",
    "tre",
    "hoa văn",
    "kỹ thuật",
    "trống",
    "đồng",
    "gốm",
    "thêu",
    "mây",
    "đan",
    "sơn",
    "mài",
    "sơn mài",
    "chạm",
    "khắc",
    "chạm khắc",
    "đúc",
    "đúc đồng",
    "lễ hội",
    "khung cửi",
    "sợi",
    "tơ",
    "tằm",
    "nuôi tằm",
    "nhuộm",
    "màu",
    "học nghề",
    "tổ nghề",
    "đình",
    "chùa",
    "hợp tác xã",
    "xuất khẩu",
    "thủ công",
    "mỹ nghệ",
    "sừng",
    "ren",
    "mây tre đan",
    "da trâu",
    "mặt trống",
    "tang trống",
    "nan",
    "cói",
    "chiếu",
    "nón",
    "giấy dó",
    "khảm trai",
    "men",
    "lò nung",
    "đất sét",
    "bàn xoay",
    "khuôn",
    "rèn",
    "bạc",
    "thếp vàng",
    "tượng",
    "bình phong",
    "tranh",
    "khắc gỗ",
    "bảo tồn",
    "di sản",
    "phục dựng",
    "bí quyết",
    "cha truyền con nối",
    "niêu đất",
    "phường",
];

/// English words, commonest first, with the inflections real text has.
const ENGLISH_WORDS: &[&str] = &[
    "the",
    "of",
    "and",
    "in",
    "a",
    "with",
    "for",
    "by",
    "from",
    "on",
    "is",
    "are",
    "was",
    "were",
    "village",
    "craft",
    "villages",
    "crafts",
    "weaving",
    "silk",
    "traditional",
    "artisans",
    "made",
    "woven",
    "weavers",
    "weave",
    "weaver",
    "weaves",
    "drum",
    "drums",
    "drummer",
    "drumming",
    "carving",
    "carved",
    "carvers",
    "carve",
    "carver",
    "lacquer",
    "lacquered",
    "lacquerware",
    "embroidery",
    "embroidered",
    "embroiderers",
    "bamboo",
    "rattan",
    "basket",
    "baskets",
    "basketry",
    "bronze",
    "casting",
    "cast",
    "casters",
    "pottery",
    "potter",
    "potters",
    "pots",
    "glaze",
    "glazed",
    "glazes",
    "kiln",
    "kilns",
    "festival",
    "festivals",
    "pattern",
    "patterns",
    "patterned",
    "tradition",
    "traditions",
    "artisan",
    "master",
    "masters",
    "apprentice",
    "apprentices",
    "apprenticeship",
    "workshop",
    "workshops",
    "loom",
    "looms",
    "thread",
    "threads",
    "dye",
    "dyed",
    "dyeing",
    "dyes",
    "horn",
    "lace",
    "temple",
    "temples",
    "communal",
    "house",
    "houses",
    "family",
    "families",
    "generation",
    "generations",
    "technique",
    "techniques",
    "product",
    "products",
    "export",
    "exported",
    "exports",
    "restore",
    "restored",
    "restoration",
    "heritage",
    "photograph",
    "photographed",
    "photographs",
    "recording",
    "recorded",
    "recordings",
    "interview",
    "interviewed",
    "interviews",
    "old",
    "new",
    "making",
    "makes",
    "make",
    "hand",
    "handmade",
    "wood",
    "wooden",
    "paper",
    "mat",
    "mats",
    "hat",
    "hats",
    "conical",
    "inlay",
    "inlaid",
    "mother-of-pearl",
    "blacksmith",
    "blacksmiths",
    "forged",
    "forging",
    "painting",
    "paintings",
    "painted",
    "woodblock",
    "print",
    "prints",
    "printed",
    "cooperative",
    "market",
    "markets",
    "sold",
    "selling",
    "worship",
    "worshipped",
    "ancestor",
    "ancestors",
    "founder",
    "spring",
    "autumn",
    "river",
    "delta",
    "province",
    "district",
    "commune",
    "revival",
    "revived",
    "endangered",
    "surviving",
    "survives",
    "shows",
    "showing",
    "shown",
    "early",
    "late",
    "century",
];

/// The villages of the Hà Nam sample batch: id, name, English name, district, craft.
const SAMPLE_VILLAGES: &[(&str, &str, &str, &str, &str)] = &[
    ("doi-tam", "Đọi Tam", "Doi Tam", "Duy Tiên", "lam-trong"),
    ("nha-xa", "Nha Xá", "Nha Xa", "Duy Tiên", "det-lua"),
    (
        "ngoc-dong",
        "Ngọc Động",
        "Ngoc Dong",
        "Duy Tiên",
        "may-tre-dan",
    ),
    ("do-hai", "Đô Hai", "Do Hai", "Bình Lục", "sung-my-nghe"),
    ("thanh-ha", "Thanh Hà", "Thanh Ha", "Thanh Liêm", "theu-ren"),
    ("vu-dai", "Vũ Đại", "Vu Dai", "Lý Nhân", "ca-kho"),
];

const DISTRICTS: &[&str] = &[
    "Duy Tiên",
    "Bình Lục",
    "Thanh Liêm",
    "Lý Nhân",
    "Kim Bảng",
    "Phủ Lý",
    "Thường Tín",
    "Chương Mỹ",
    "Ứng Hòa",
    "Gia Lâm",
    "Thuận Thành",
    "Bát Tràng",
];

/// Crafts: id, name, English name.
const CRAFTS: &[(&str, &str, &str)] = &[
    ("lam-trong", "Làm trống", "Drum making"),
    ("det-lua", "Dệt lụa", "Silk weaving"),
    ("may-tre-dan", "Mây tre đan", "Rattan and bamboo weaving"),
    ("sung-my-nghe", "Sừng mỹ nghệ", "Horn craft"),
    ("theu-ren", "Thêu ren", "Embroidery and lace"),
    ("ca-kho", "Cá kho", "Braised fish"),
    ("gom-su", "Gốm sứ", "Pottery and porcelain"),
    ("son-mai", "Sơn mài", "Lacquer painting"),
    ("cham-khac-go", "Chạm khắc gỗ", "Wood carving"),
    ("duc-dong", "Đúc đồng", "Bronze casting"),
    ("det-chieu", "Dệt chiếu", "Mat weaving"),
    ("lam-non", "Làm nón", "Conical hat making"),
    ("giay-do", "Giấy dó", "Dó paper making"),
    ("kham-trai", "Khảm trai", "Mother-of-pearl inlay"),
    ("ren-sat", "Rèn sắt", "Blacksmithing"),
    (
        "tranh-dan-gian",
        "Tranh dân gian",
        "Folk woodblock painting",
    ),
];

const VILLAGES: usize = 60;
const LEXICON: usize = 6000;

/// A village or craft the records point to.
pub struct Authority {
    /// Stable id.
    pub id: String,
    /// Vietnamese name.
    pub name: String,
    /// English name.
    pub name_en: String,
    /// District (villages only).
    pub district: Option<String>,
    /// Decree 52/2018 class (villages only, when known).
    pub status: Option<RiskStatus>,
    /// The craft a village practises most (villages only).
    craft: usize,
}

/// The generated records and the authorities they cite.
pub struct Collection {
    /// Every record, in id order.
    pub records: Vec<Record>,
    /// Villages, the six sample ones first.
    pub villages: Vec<Authority>,
    /// Crafts.
    pub crafts: Vec<Authority>,
    /// Multi-syllable craft phrases, commonest first.
    pub craft_phrases: Vec<&'static str>,
    /// Single-syllable craft words, commonest first.
    pub craft_words: Vec<&'static str>,
    village_by_id: BTreeMap<String, usize>,
    craft_by_id: BTreeMap<String, usize>,
}

impl Collection {
    /// Makes `count` records from `seed`.
    pub fn generate(count: usize, seed: u64) -> Collection {
        let mut rng = Rng::new(seed);
        let lexicon = lexicon(&mut rng);
        let crafts: Vec<Authority> = CRAFTS
            .iter()
            .map(|(id, name, name_en)| Authority {
                id: id.to_string(),
                name: name.to_string(),
                name_en: name_en.to_string(),
                district: None,
                status: None,
                craft: 0,
            })
            .collect();
        let craft_index = |id: &str| crafts.iter().position(|c| c.id == id).unwrap_or(0);
        let mut villages: Vec<Authority> = SAMPLE_VILLAGES
            .iter()
            .map(|(id, name, name_en, district, craft)| Authority {
                id: id.to_string(),
                name: name.to_string(),
                name_en: name_en.to_string(),
                district: Some(district.to_string()),
                status: None,
                craft: craft_index(craft),
            })
            .collect();
        while villages.len() < VILLAGES {
            let words: Vec<String> = (0..2)
                .map(|_| capitalised(&lexicon[rng.between(40, 1500)]))
                .collect();
            let name = words.join(" ");
            let id = slug(&name);
            if id.is_empty() || villages.iter().any(|v| v.id == id) {
                continue;
            }
            villages.push(Authority {
                name_en: fold(&name)
                    .split(' ')
                    .map(capitalised)
                    .collect::<Vec<_>>()
                    .join(" "),
                id,
                name,
                district: Some(rng.pick(DISTRICTS).to_string()),
                status: None,
                craft: rng.below(crafts.len()),
            });
        }
        for village in &mut villages {
            village.status = match rng.below(10) {
                0 => Some(RiskStatus::AtRiskIrreversible),
                1 | 2 => Some(RiskStatus::AtRiskRevivable),
                3..=6 => Some(RiskStatus::Developing),
                _ => None,
            };
        }
        let writer = Writer {
            lexicon_zipf: Zipf::new(lexicon.len(), 1.05),
            lexicon,
            craft_zipf: Zipf::new(CRAFT_WORDS.len(), 0.9),
            english_zipf: Zipf::new(ENGLISH_WORDS.len(), 0.9),
        };
        let village_zipf = Zipf::new(villages.len(), 0.8);
        let mut records = Vec::with_capacity(count);
        for n in 0..count {
            let village = (!rng.chance(0.02)).then(|| village_zipf.sample(&mut rng));
            let craft = if rng.chance(0.02) {
                None
            } else if let Some(v) = village.filter(|_| rng.chance(0.85)) {
                Some(villages[v].craft)
            } else {
                Some(rng.below(crafts.len()))
            };
            let kind = pick_kind(&mut rng);
            let village = village.map(|v| &villages[v]);
            let craft = craft.map(|c| &crafts[c]);
            let mut dc = BTreeMap::new();
            let title = writer.vietnamese_title(&mut rng, kind, village, craft);
            let description = {
                let length = rng.between(40, 200);
                writer.vietnamese_text(&mut rng, length, village, craft)
            };
            let mut titles = vec![LangValue {
                value: title,
                lang: Lang::Vi,
            }];
            let mut descriptions = vec![LangValue {
                value: description,
                lang: Lang::Vi,
            }];
            if rng.chance(0.4) {
                titles.push(LangValue {
                    value: writer.english_title(&mut rng, kind, village, craft),
                    lang: Lang::En,
                });
                descriptions.push(LangValue {
                    value: {
                        let length = rng.between(30, 120);
                        writer.english_text(&mut rng, length)
                    },
                    lang: Lang::En,
                });
            }
            dc.insert("title".to_string(), titles);
            dc.insert("description".to_string(), descriptions);
            let id = format!("syn-{n:06}");
            records.push(Record {
                schema: SCHEMA_VERSION,
                id: RecordId::parse(&id).expect("valid record id"),
                kind,
                access: if rng.chance(0.05) {
                    Access::Restricted
                } else {
                    Access::Public
                },
                files_access: None,
                village: village.map(|v| VillageId::parse(&v.id).expect("valid village id")),
                craft: craft.map(|c| CraftId::parse(&c.id).expect("valid craft id")),
                artisans: Vec::new(),
                products: Vec::new(),
                stops: Vec::new(),
                date: date(&mut rng),
                dc,
                body: BTreeMap::new(),
                extra: BTreeMap::new(),
                files: Vec::new(),
                provenance: Provenance {
                    batch: "synthetic".to_string(),
                    path: id,
                },
                withdrawal: None,
                withheld_versions: Vec::new(),
            });
        }
        let village_by_id = villages
            .iter()
            .enumerate()
            .map(|(i, v)| (v.id.clone(), i))
            .collect();
        let craft_by_id = crafts
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id.clone(), i))
            .collect();
        Collection {
            records,
            villages,
            crafts,
            craft_phrases: CRAFT_WORDS
                .iter()
                .copied()
                .filter(|w| w.contains(' '))
                .collect(),
            craft_words: CRAFT_WORDS
                .iter()
                .copied()
                .filter(|w| !w.contains(' '))
                .collect(),
            village_by_id,
            craft_by_id,
        }
    }

    /// The authorities as `disan reindex` copies them beside the index, for the site.
    pub fn authorities(&self) -> Authorities {
        let villages = self
            .villages
            .iter()
            .map(|v| {
                let id = VillageId::parse(&v.id).expect("valid village id");
                let village = Village {
                    name_en: Some(v.name_en.clone()),
                    district: v.district.clone(),
                    province: Some("Hà Nam".to_string()),
                    crafts: vec![CraftId::parse(&self.crafts[v.craft].id).expect("valid craft id")],
                    status: v.status,
                    ..Village::new(id.clone(), v.name.clone())
                };
                (id, village)
            })
            .collect();
        let crafts = self
            .crafts
            .iter()
            .map(|c| {
                let id = CraftId::parse(&c.id).expect("valid craft id");
                let craft = Craft {
                    schema: SCHEMA_VERSION,
                    id: id.clone(),
                    name: c.name.clone(),
                    name_en: Some(c.name_en.clone()),
                };
                (id, craft)
            })
            .collect();
        Authorities::from_maps(&villages, &crafts)
    }

    /// The village a record cites.
    pub fn village(&self, record: &Record) -> Option<&Authority> {
        let id = record.village.as_ref()?;
        self.village_by_id
            .get(id.as_str())
            .map(|&i| &self.villages[i])
    }

    /// The craft a record cites.
    pub fn craft(&self, record: &Record) -> Option<&Authority> {
        let id = record.craft.as_ref()?;
        self.craft_by_id.get(id.as_str()).map(|&i| &self.crafts[i])
    }
}

/// The decade Disan's facet puts a record in.
pub fn decade(record: &Record) -> Option<i32> {
    let year = record.date.as_ref()?.earliest()?.year;
    Some(year.div_euclid(10) * 10)
}

impl AuthorityNames for Collection {
    fn village_names(&self, id: &str) -> Vec<String> {
        self.village_by_id
            .get(id)
            .map(|&i| {
                vec![
                    self.villages[i].name.clone(),
                    self.villages[i].name_en.clone(),
                ]
            })
            .unwrap_or_default()
    }

    fn craft_names(&self, id: &str) -> Vec<String> {
        self.craft_by_id
            .get(id)
            .map(|&i| vec![self.crafts[i].name.clone(), self.crafts[i].name_en.clone()])
            .unwrap_or_default()
    }

    fn village_district(&self, id: &str) -> Option<String> {
        self.village_by_id
            .get(id)
            .and_then(|&i| self.villages[i].district.clone())
    }

    fn village_status(&self, id: &str) -> Option<RiskStatus> {
        self.village_by_id
            .get(id)
            .and_then(|&i| self.villages[i].status)
    }
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn pick_kind(rng: &mut Rng) -> Kind {
    match rng.below(100) {
        0..45 => Kind::Photo,
        45..60 => Kind::Document,
        60..68 => Kind::Film,
        68..75 => Kind::Audio,
        75..83 => Kind::Pattern,
        83..90 => Kind::Technique,
        90..96 => Kind::Festival,
        _ => Kind::Story,
    }
}

/// An EDTF date from 1900 to 2025, more often recent: a day, a month, a year, an approximate
/// year, a decade (`199X`), or none.
fn date(rng: &mut Rng) -> Option<Edtf> {
    let year = (1900 + (126.0 * rng.unit().sqrt()) as i32).min(2025);
    let text = match rng.below(100) {
        0..8 => return None,
        8..15 => format!("{}X", year / 10),
        15..20 => format!("{year}~"),
        20..55 => year.to_string(),
        55..80 => format!("{year}-{:02}", rng.between(1, 12)),
        _ => format!("{year}-{:02}-{:02}", rng.between(1, 12), rng.between(1, 28)),
    };
    Some(Edtf::parse(&text).expect("valid EDTF"))
}

fn is_vowel(c: char) -> bool {
    "aăâeêioôơuưy".contains(c)
}

/// Where the tone mark goes: on the marked vowel (ê, ơ…), else on the last vowel of a closed
/// rhyme, else on the second of `oa`, `oe`, `uy` and the middle of three vowels, else the first.
fn tone_position(rhyme: &str, closed: bool) -> usize {
    let chars: Vec<char> = rhyme.chars().collect();
    let vowels: Vec<usize> = (0..chars.len()).filter(|&i| is_vowel(chars[i])).collect();
    if let Some(&marked) = vowels.iter().rev().find(|&&i| "ăâêôơư".contains(chars[i])) {
        return marked;
    }
    if closed || vowels.len() == 1 {
        return *vowels.last().expect("a rhyme has a vowel");
    }
    match (rhyme, vowels.len()) {
        ("oa" | "oe" | "uy", _) | (_, 3) => vowels[1],
        _ => vowels[0],
    }
}

/// One random syllable, NFC.
fn syllable(rng: &mut Rng) -> String {
    let (rhyme, closed, stop) = match rng.below(10) {
        0..4 => (rng.pick(OPEN_RHYMES).to_string(), false, false),
        4 => {
            let rhyme = rng.pick(PALATAL_RHYMES);
            (rhyme.to_string(), true, rhyme.ends_with("ch"))
        }
        _ => {
            let coda = rng.pick(CODAS);
            (
                format!("{}{coda}", rng.pick(NUCLEI)),
                true,
                matches!(*coda, "c" | "p" | "t"),
            )
        }
    };
    let tone = if stop {
        *rng.pick(&[TONES[1], TONES[5]])
    } else {
        *rng.pick(&TONES)
    };
    let at = tone_position(&rhyme, closed);
    let mut toned = String::new();
    for (i, c) in rhyme.chars().enumerate() {
        toned.push(c);
        if i == at
            && let Some(mark) = tone
        {
            toned.push(mark);
        }
    }
    let front = rhyme.starts_with(['i', 'e', 'ê', 'y']);
    // A rounded glide after /k/ is written qu: qua, quân, quyên (never coa, cuân).
    let glide = ["oa", "oă", "oe", "uâ", "uy"]
        .iter()
        .any(|g| rhyme.starts_with(g));
    let word = match (*rng.pick(ONSETS), front) {
        ("c" | "k" | "qu", _) if glide => format!("qu{}", &toned[1..]),
        ("qu", _) if rhyme.starts_with(['u', 'o', 'ô', 'ơ', 'ư']) => toned,
        ("c" | "k", true) => format!("k{toned}"),
        ("c" | "k", false) => format!("c{toned}"),
        ("g", true) => format!("gh{toned}"),
        ("ng", true) => format!("ngh{toned}"),
        ("gi", _) if rhyme.starts_with('i') => format!("g{toned}"),
        (onset, _) => format!("{onset}{toned}"),
    };
    nfc(&word).into_owned()
}

/// The lexicon in rank order: real function words, then distinct generated syllables.
fn lexicon(rng: &mut Rng) -> Vec<String> {
    let mut words: Vec<String> = FUNCTION_WORDS.iter().map(|w| w.to_string()).collect();
    let mut seen: std::collections::HashSet<String> = words.iter().cloned().collect();
    for word in CRAFT_WORDS {
        seen.insert(word.to_string());
    }
    while words.len() < LEXICON {
        let word = syllable(rng);
        if seen.insert(word.clone()) {
            words.push(word);
        }
    }
    words
}

struct Writer {
    lexicon: Vec<String>,
    lexicon_zipf: Zipf,
    craft_zipf: Zipf,
    english_zipf: Zipf,
}

impl Writer {
    fn craft_word(&self, rng: &mut Rng) -> &'static str {
        CRAFT_WORDS[self.craft_zipf.sample(rng)]
    }

    fn word(&self, rng: &mut Rng) -> &str {
        if rng.chance(0.3) {
            self.craft_word(rng)
        } else {
            &self.lexicon[self.lexicon_zipf.sample(rng)]
        }
    }

    fn vietnamese_title(
        &self,
        rng: &mut Rng,
        kind: Kind,
        village: Option<&Authority>,
        craft: Option<&Authority>,
    ) -> String {
        let target = rng.between(3, 9);
        let mut words: Vec<String> = vec![
            match kind {
                Kind::Photo => "Ảnh",
                Kind::Film => "Phim",
                Kind::Audio => "Ghi âm",
                Kind::Pattern => "Hoa văn",
                Kind::Technique => "Kỹ thuật",
                Kind::Festival => "Lễ hội",
                Kind::Document => "Tài liệu",
                Kind::Story => "Câu chuyện",
                Kind::Visit => "Chuyến tham quan",
            }
            .to_string(),
        ];
        if let Some(craft) = craft.filter(|_| rng.chance(0.5)) {
            words.push(craft.name.to_lowercase());
        }
        let village = village.filter(|_| rng.chance(0.4));
        let reserved = if village.is_some() { 2 } else { 0 };
        while count_words(&words) + reserved < target {
            let word = if rng.chance(0.6) {
                self.craft_word(rng)
            } else {
                &self.lexicon[self.lexicon_zipf.sample(rng)]
            };
            words.push(word.to_string());
        }
        if let Some(village) = village {
            words.push(village.name.clone());
        }
        words.join(" ")
    }

    fn vietnamese_text(
        &self,
        rng: &mut Rng,
        length: usize,
        village: Option<&Authority>,
        craft: Option<&Authority>,
    ) -> String {
        let mut text = String::new();
        let mut written = 0;
        let mut sentence_left = 0;
        let mut mention_village = village.filter(|_| rng.chance(0.5)).map(|v| v.name.as_str());
        let mut mention_craft = craft
            .filter(|_| rng.chance(0.5))
            .map(|c| c.name.to_lowercase());
        let mention_at = rng.below(length);
        while written < length {
            let start = sentence_left == 0;
            if start {
                if !text.is_empty() {
                    text.push_str(". ");
                }
                sentence_left = rng.between(6, 18);
            } else if rng.chance(0.08) {
                text.push_str(", ");
            } else {
                text.push(' ');
            }
            let word: String = if written >= mention_at
                && let Some(name) = mention_village.take()
            {
                format!("làng {name}")
            } else if written >= mention_at / 2
                && let Some(name) = mention_craft.take()
            {
                name
            } else {
                self.word(rng).to_string()
            };
            let n = word.split(' ').count();
            if start {
                text.push_str(&capitalised(&word));
            } else {
                text.push_str(&word);
            }
            written += n;
            sentence_left = sentence_left.saturating_sub(n);
        }
        text.push('.');
        text
    }

    fn english_title(
        &self,
        rng: &mut Rng,
        kind: Kind,
        village: Option<&Authority>,
        craft: Option<&Authority>,
    ) -> String {
        let mut words = vec![
            match kind {
                Kind::Photo => "Photograph of",
                Kind::Film => "Film of",
                Kind::Audio => "Recording of",
                Kind::Pattern => "Pattern of",
                Kind::Technique => "Technique of",
                Kind::Festival => "Festival of",
                Kind::Document => "Document on",
                Kind::Story => "Story of",
                Kind::Visit => "Visit to",
            }
            .to_string(),
        ];
        if let Some(craft) = craft.filter(|_| rng.chance(0.6)) {
            words.push(craft.name_en.to_lowercase());
        }
        for _ in 0..rng.between(1, 4) {
            words.push(self.english_word(rng, 14).to_string());
        }
        if let Some(village) = village.filter(|_| rng.chance(0.5)) {
            words.push(format!("in {}", village.name_en));
        }
        words.join(" ")
    }

    /// An English word, skipping the `skip` commonest (function words) when asked.
    fn english_word(&self, rng: &mut Rng, skip: usize) -> &'static str {
        loop {
            let rank = self.english_zipf.sample(rng);
            if rank >= skip {
                return ENGLISH_WORDS[rank];
            }
        }
    }

    fn english_text(&self, rng: &mut Rng, length: usize) -> String {
        let mut text = String::new();
        let mut sentence_left = 0;
        for _ in 0..length {
            let start = sentence_left == 0;
            if start {
                if !text.is_empty() {
                    text.push_str(". ");
                }
                sentence_left = rng.between(6, 16);
            } else {
                text.push(' ');
            }
            let word = self.english_word(rng, 0);
            if start {
                text.push_str(&capitalised(word));
            } else {
                text.push_str(word);
            }
            sentence_left -= 1;
        }
        text.push('.');
        text
    }
}

fn count_words(words: &[String]) -> usize {
    words.iter().map(|w| w.split(' ').count()).sum()
}
