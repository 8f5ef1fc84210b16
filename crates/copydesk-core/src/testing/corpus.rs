//! A deterministic generator of Vietnamese news-like Markdown and of large substitution
//! packs, for benchmarks and stress tests.
//!
//! Everything here is a pure function of its arguments: the same seed gives the same
//! bytes on every machine and every run (a small splitmix64 generator, no `rand`).
//!
//! - [`article`] / [`articles`]: Markdown news copy (headline, sapo, paragraphs,
//!   subheadings, quotes, lists, links) about police, courts, traffic, the economy and
//!   sport, with numbers, dates, abbreviations defined on first use, and, at a
//!   configurable rate ([`Options`]), planted errors: misspellings from
//!   [`substitution_pairs`], straight quotes, doubled spaces, old-style tone marks,
//!   `ngàn`, a space before punctuation, undefined abbreviations, repeated words. Words
//!   in decomposed Unicode (NFD) and emoji appear occasionally.
//! - [`substitution_pack`]: a rule file with any number of plausible `wrong → right`
//!   spelling entries, to measure how the matcher scales with the size of a term list.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::sync::OnceLock;

use unicode_normalization::UnicodeNormalization;

/// splitmix64: tiny, fast, and good enough to pick words.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            return 0;
        }
        (self.next_u64() % n as u64) as usize
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next_u64() % (hi.saturating_sub(lo) + 1)
    }

    /// `true` with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        p > 0.0 && ((self.next_u64() >> 11) as f64 / (1u64 << 53) as f64) < p
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// How noisy the generated copy is. Rates are per sentence (errors, emoji) and per
/// word (NFD).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Options {
    /// Probability that a sentence carries a planted error.
    pub error_rate: f64,
    /// Probability that a word is written in decomposed Unicode (NFD).
    pub nfd_rate: f64,
    /// Probability that a sentence ends with an emoji.
    pub emoji_rate: f64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            error_rate: 0.05,
            nfd_rate: 0.002,
            emoji_rate: 0.01,
        }
    }
}

/// One Markdown article of at least `approx_bytes` bytes (a little more: it ends on a
/// whole paragraph), with the default [`Options`].
pub fn article(seed: u64, approx_bytes: usize) -> String {
    article_with(&Options::default(), seed, approx_bytes)
}

/// `n` different articles of about `approx_bytes` each.
pub fn articles(seed: u64, n: usize, approx_bytes: usize) -> Vec<String> {
    (0..n)
        .map(|i| {
            article(
                Rng::new(seed ^ (i as u64).wrapping_mul(0xA24B_AED4_963E_E407)).next_u64(),
                approx_bytes,
            )
        })
        .collect()
}

/// [`article`] with explicit noise rates.
pub fn article_with(options: &Options, seed: u64, approx_bytes: usize) -> String {
    let mut g = Gen::new(*options, seed);
    g.article(approx_bytes)
}

// ---------------------------------------------------------------------------------
// Vocabulary

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Topic {
    Police,
    Court,
    Traffic,
    Economy,
    Sport,
}

const TOPICS: [Topic; 5] = [
    Topic::Police,
    Topic::Court,
    Topic::Traffic,
    Topic::Economy,
    Topic::Sport,
];

const FAMILY: &[&str] = &[
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương",
    "Lý",
];
const MIDDLE: &[&str] = &[
    "Văn", "Thị", "Minh", "Hữu", "Đức", "Thanh", "Quốc", "Ngọc", "Xuân", "Công", "Thu", "Hoài",
];
const GIVEN: &[&str] = &[
    "An", "Bình", "Cường", "Dũng", "Hà", "Hải", "Hùng", "Lan", "Linh", "Long", "Mai", "Nam", "Phong", "Quân", "Sơn",
    "Thảo", "Trang", "Tuấn", "Việt", "Yến", "Khánh", "Hưng", "Phúc", "Đạt",
];
const PROVINCES: &[&str] = &[
    "Hà Nội",
    "TP.HCM",
    "Đà Nẵng",
    "Hải Phòng",
    "Cần Thơ",
    "Nghệ An",
    "Thanh Hóa",
    "Quảng Ninh",
    "Bình Dương",
    "Đồng Nai",
    "Khánh Hòa",
    "Lâm Đồng",
    "Bắc Ninh",
    "Thừa Thiên Huế",
    "Kiên Giang",
    "Gia Lai",
];
const DISTRICTS: &[&str] = &[
    "quận Hoàn Kiếm",
    "quận Ba Đình",
    "quận 1",
    "quận Bình Thạnh",
    "huyện Sóc Sơn",
    "huyện Củ Chi",
    "thị xã Sơn Tây",
    "phường Bến Nghé",
    "xã Tân Phú",
];

/// (full name, abbreviation, topic or `None` for any).
const ABBREVIATIONS: &[(&str, &str, Option<Topic>)] = &[
    ("Ủy ban nhân dân", "UBND", None),
    ("Hội đồng nhân dân", "HĐND", None),
    ("Cơ quan Cảnh sát điều tra", "CQCSĐT", Some(Topic::Police)),
    ("Công an nhân dân", "CAND", Some(Topic::Police)),
    ("Tòa án nhân dân", "TAND", Some(Topic::Court)),
    ("Viện kiểm sát nhân dân", "VKSND", Some(Topic::Court)),
    ("Cảnh sát giao thông", "CSGT", Some(Topic::Traffic)),
    ("an toàn giao thông", "ATGT", Some(Topic::Traffic)),
    ("Ngân hàng Nhà nước", "NHNN", Some(Topic::Economy)),
    ("tổng sản phẩm trong nước", "GDP", Some(Topic::Economy)),
    ("doanh nghiệp nhỏ và vừa", "DNNVV", Some(Topic::Economy)),
    ("Liên đoàn Bóng đá Việt Nam", "VFF", Some(Topic::Sport)),
    ("Ban tổ chức", "BTC", Some(Topic::Sport)),
];

/// Abbreviations nobody defines: planted errors.
const UNDEFINED_ABBREVIATIONS: &[&str] = &["BQLDA", "TTGT", "KCN", "QLTT", "HTX", "CTV"];

/// Subjects; a leading `~` marks a common noun, lower-cased after a connector.
fn subjects(topic: Topic) -> &'static [&'static str] {
    match topic {
        Topic::Police => &[
            "Công an {district}",
            "Cơ quan Cảnh sát điều tra Công an tỉnh {prov}",
            "Phòng Cảnh sát hình sự Công an {prov}",
            "~Lực lượng chức năng",
            "~Cảnh sát khu vực",
            "Đội Cảnh sát điều tra tội phạm về ma túy",
            "Thượng tá {name}, Trưởng Công an {district},",
        ],
        Topic::Court => &[
            "Tòa án nhân dân {prov}",
            "~Hội đồng xét xử",
            "Viện kiểm sát nhân dân tỉnh {prov}",
            "~Luật sư bào chữa cho bị cáo",
            "Bị cáo {name}",
            "Tòa án nhân dân cấp cao tại TP.HCM",
            "~Đại diện viện kiểm sát",
        ],
        Topic::Traffic => &[
            "~Chiếc xe tải mang biển kiểm soát {plate}",
            "~Tài xế xe khách",
            "~Người điều khiển xe máy",
            "~Cảnh sát giao thông",
            "Sở Giao thông vận tải {prov}",
            "Cục Đường bộ Việt Nam",
            "Ban quản lý dự án đường sắt đô thị",
        ],
        Topic::Economy => &[
            "Ngân hàng Nhà nước",
            "Tổng cục Thống kê",
            "Bộ Tài chính",
            "~Giá vàng miếng",
            "~Chỉ số VN-Index",
            "~Các doanh nghiệp xuất khẩu",
            "Tập đoàn Điện lực Việt Nam",
            "~Nhà đầu tư nước ngoài",
        ],
        Topic::Sport => &[
            "Đội tuyển Việt Nam",
            "Huấn luyện viên {name}",
            "Câu lạc bộ Hà Nội",
            "Tiền đạo {name}",
            "Ban tổ chức V-League",
            "Thủ môn {name}",
            "Liên đoàn Bóng đá Việt Nam",
        ],
    }
}

fn predicates(topic: Topic) -> &'static [&'static str] {
    match topic {
        Topic::Police => &[
            "đã khởi tố vụ án, khởi tố bị can đối với {n} đối tượng về hành vi lừa đảo chiếm đoạt tài sản",
            "tạm giữ hình sự một người đàn ông {age} tuổi để điều tra về hành vi cố ý gây thương tích",
            "triệt phá đường dây đánh bạc qua mạng với số tiền giao dịch hơn {money}",
            "thu giữ {n} bánh heroin cùng nhiều tang vật liên quan",
            "đang truy bắt nghi phạm bỏ trốn khỏi hiện trường",
            "lấy lời khai của các nhân chứng có mặt tại thời điểm xảy ra vụ việc",
            "phát hiện {n} kho hàng chứa hàng hóa nhập lậu không rõ nguồn gốc",
            "khám xét nơi ở của đối tượng và thu giữ nhiều chứng cứ quan trọng",
            "ra quyết định truy nã đối với bị can bỏ trốn khỏi địa phương",
            "xử lý nghiêm các hành vi vi phạm trật tự, an ninh trên địa bàn",
        ],
        Topic::Court => &[
            "tuyên phạt bị cáo {name} {n} năm tù về tội tham ô tài sản",
            "bác kháng cáo và giữ nguyên bản án sơ thẩm",
            "đề nghị mức án từ {n} đến {n2} năm tù đối với các bị cáo",
            "hoãn phiên tòa do vắng mặt người có quyền lợi, nghĩa vụ liên quan",
            "buộc các bị cáo liên đới bồi thường {money} cho người bị hại",
            "cho rằng cáo trạng truy tố đúng người, đúng tội",
            "thừa nhận hành vi sai phạm và xin được giảm nhẹ hình phạt",
            "trả hồ sơ để điều tra bổ sung vì chứng cứ chưa đầy đủ",
            "xác định thiệt hại cho ngân sách nhà nước là hơn {money}",
            "mở phiên phúc thẩm xét xử vụ án nhận hối lộ tại cơ quan đăng kiểm",
        ],
        Topic::Traffic => &[
            "va chạm với ô tô con khi đang lưu thông trên quốc lộ {ql}",
            "bị phạt {money} vì vi phạm nồng độ cồn",
            "khiến giao thông ùn tắc kéo dài gần {n} km",
            "đề xuất mở rộng cao tốc lên sáu làn xe",
            "kiểm tra hơn {n} phương tiện trong đợt cao điểm",
            "đưa nạn nhân đi cấp cứu tại bệnh viện gần nhất",
            "lắp đặt thêm camera giám sát tại các nút giao trọng điểm",
            "yêu cầu nhà thầu đẩy nhanh tiến độ thi công đoạn tuyến còn lại",
            "tạm giữ phương tiện và giấy phép lái xe của tài xế",
            "phân luồng từ xa để tránh ùn tắc vào giờ cao điểm",
        ],
        Topic::Economy => &[
            "cho biết tăng trưởng kinh tế quý {q} đạt {pct}",
            "điều chỉnh lãi suất điều hành giảm {pct}",
            "tăng {money} mỗi lượng so với phiên trước",
            "đóng cửa ở mức {index} điểm, tăng {pct}",
            "ghi nhận kim ngạch xuất khẩu đạt {usd}",
            "bán ròng hơn {money} trên sàn HOSE",
            "kiến nghị tháo gỡ vướng mắc về thủ tục hoàn thuế giá trị gia tăng",
            "dự báo lạm phát năm nay ở mức {pct}",
            "công bố doanh thu hợp nhất đạt {money}, lợi nhuận sau thuế tăng {pct}",
            "hoàn tất việc sáp nhập hai công ty con vào cuối tháng {m}",
        ],
        Topic::Sport => &[
            "giành chiến thắng {score} trước Thái Lan ở lượt trận thứ {n}",
            "ghi bàn ở phút {min} sau đường chuyền của đồng đội",
            "công bố danh sách {n} cầu thủ tập trung chuẩn bị cho vòng loại",
            "bị phạt thẻ đỏ vì pha vào bóng nguy hiểm",
            "giữ vững vị trí dẫn đầu bảng xếp hạng với {n} điểm",
            "chia sẻ rằng toàn đội đã chơi với tinh thần quyết tâm cao",
            "giành huy chương vàng nội dung {n} mét tự do",
            "lên kế hoạch tập huấn tại Hàn Quốc trong {n} tuần",
            "được hàng chục nghìn cổ động viên chào đón tại sân vận động Mỹ Đình",
            "phải chia điểm với đội khách sau {n} phút bù giờ",
        ],
    }
}

const ADVERBIALS: &[&str] = &[
    "vào rạng sáng {date}",
    "trong đêm {date}",
    "sau nhiều ngày theo dõi",
    "theo nguồn tin từ cơ quan chức năng",
    "tại khu vực chợ đầu mối {district}",
    "vào khoảng {time} ngày {dm}",
    "trong tuần qua",
    "từ đầu năm đến nay",
    "tại trụ sở ở {prov}",
];

const CONNECTORS: &[&str] = &[
    "Theo thông tin ban đầu,",
    "Trước đó,",
    "Cũng trong ngày {dm},",
    "Được biết,",
    "Tuy nhiên,",
    "Trao đổi với phóng viên,",
    "Theo kế hoạch,",
    "Sáng {date},",
    "Chiều cùng ngày,",
];

const GENERIC: &[&str] = &[
    "Đại diện {org} cho biết sẽ phối hợp với các đơn vị liên quan để làm rõ vụ việc.",
    "Theo {org}, tình hình trên địa bàn cơ bản ổn định nhưng vẫn còn nhiều khó khăn.",
    "Vụ việc đang được {org} tiếp tục điều tra, làm rõ.",
    "{org} yêu cầu các sở, ngành báo cáo kết quả trước ngày {dm}.",
    "Người dân có thể phản ánh qua đường dây nóng {phone} hoặc trực tuyến trên cổng dịch vụ công.",
    "Số liệu trên cao hơn {pct} so với cùng kỳ năm trước.",
    "Thời tiết xấu, mưa lớn kéo dài khiến việc cứu hộ, cứu nạn gặp nhiều khó khăn.",
    "Chương trình được triển khai tại {n} tỉnh, thành phố với tổng kinh phí khoảng {money}.",
];

const QUOTES: &[&str] = &[
    "Chúng tôi sẽ làm rõ trách nhiệm của từng cá nhân liên quan",
    "Đây là kết quả xứng đáng sau nhiều tháng chuẩn bị",
    "Người dân cần chấp hành nghiêm quy định về an toàn giao thông",
    "Thị trường sẽ còn biến động trong những tháng cuối năm",
    "Tôi rất tiếc về sự việc đã xảy ra và mong được khoan hồng",
    "Cả đội đã thi đấu hết mình, khán giả xứng đáng với chiến thắng này",
    "Doanh nghiệp cần thêm thời gian để hoàn thiện hồ sơ",
];

const ROLES: &[&str] = &[
    "Phó Giám đốc Sở Giao thông vận tải",
    "Trưởng phòng Cảnh sát hình sự",
    "chuyên gia kinh tế",
    "luật sư bào chữa",
    "Chủ tịch UBND huyện",
    "huấn luyện viên trưởng",
    "Tổng giám đốc công ty",
];

const SUBHEADS: &[&str] = &[
    "Diễn biến vụ việc",
    "Hậu quả nghiêm trọng",
    "Cơ quan chức năng vào cuộc",
    "Ý kiến chuyên gia",
    "Thị trường biến động",
    "Kết quả trận đấu",
    "Kiến nghị của doanh nghiệp",
    "Bài học về quản lý",
];

const EMOJI: &[&str] = &["🔥", "👍", "⚽", "📈", "🚗", "😢", "🙏", "🎉"];

/// Old (left) and new (right) tone placement; planted errors use the old one.
const OLD_TONES: &[(&str, &str)] = &[
    ("hòa", "hoà"),
    ("Hòa", "Hoà"),
    ("hóa", "hoá"),
    ("Hóa", "Hoá"),
    ("thủy", "thuỷ"),
    ("khỏe", "khoẻ"),
    ("họa", "hoạ"),
    ("lũy", "luỹ"),
];

// ---------------------------------------------------------------------------------
// Articles

struct Gen {
    rng: Rng,
    opts: Options,
    topic: Topic,
    /// (full, abbreviation, defined yet)
    abbrs: Vec<(&'static str, &'static str, bool)>,
}

impl Gen {
    fn new(opts: Options, seed: u64) -> Gen {
        let mut rng = Rng::new(seed);
        let topic = *rng.pick(&TOPICS);
        let mut abbrs: Vec<_> = ABBREVIATIONS
            .iter()
            .filter(|(_, _, t)| t.is_none_or(|t| t == topic))
            .map(|&(f, a, _)| (f, a, false))
            .collect();
        // Keep two or three of them, in a seed-dependent order.
        for i in (1..abbrs.len()).rev() {
            let j = rng.below(i + 1);
            abbrs.swap(i, j);
        }
        abbrs.truncate(2 + rng.below(2));
        Gen {
            rng,
            opts,
            topic,
            abbrs,
        }
    }

    fn name(&mut self) -> String {
        let f = *self.rng.pick(FAMILY);
        let m = *self.rng.pick(MIDDLE);
        let g = *self.rng.pick(GIVEN);
        format!("{f} {m} {g}")
    }

    fn digits(&mut self, lo: u64, hi: u64) -> u64 {
        self.rng.range(lo, hi)
    }

    fn date(&mut self) -> String {
        let d = self.digits(1, 28);
        let m = self.digits(1, 12);
        let y = self.digits(2019, 2025);
        match self.rng.below(3) {
            0 => format!("{d}/{m}"),
            1 => format!("{d}/{m}/{y}"),
            _ => format!("ngày {d} tháng {m} năm {y}"),
        }
    }

    /// A date to write after `ngày`.
    fn day_month(&mut self) -> String {
        let d = self.digits(1, 28);
        let m = self.digits(1, 12);
        if self.rng.chance(0.5) {
            format!("{d}/{m}")
        } else {
            format!("{d}/{m}/{}", self.digits(2019, 2025))
        }
    }

    fn money(&mut self) -> String {
        match self.rng.below(4) {
            0 => format!("{} triệu đồng", self.digits(2, 950)),
            1 => format!("{},{} tỷ đồng", self.digits(1, 99), self.digits(1, 9)),
            2 => format!("{}.{:03} tỷ đồng", self.digits(1, 9), self.digits(0, 999)),
            _ => format!("{}.{:03}.000 đồng", self.digits(1, 999), self.digits(0, 999)),
        }
    }

    fn pct(&mut self) -> String {
        format!("{},{}%", self.digits(0, 15), self.digits(0, 99))
    }

    /// Fills `{slot}`s in a template.
    fn fill(&mut self, template: &str) -> String {
        let mut out = String::with_capacity(template.len() + 32);
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let Some(close) = after.find('}') else {
                out.push_str(&rest[open..]);
                return out;
            };
            let slot = &after[..close];
            let value = match slot {
                "date" => self.date(),
                "dm" => self.day_month(),
                "money" => self.money(),
                "pct" => self.pct(),
                "n" => self.digits(2, 30).to_string(),
                "n2" => self.digits(31, 60).to_string(),
                "m" => self.digits(1, 12).to_string(),
                "q" => ["I", "II", "III", "IV"][self.rng.below(4)].to_string(),
                "age" => self.digits(18, 70).to_string(),
                "min" => self.digits(1, 90).to_string(),
                "ql" => ["1A", "5", "14", "51", "32", "18"][self.rng.below(6)].to_string(),
                "score" => format!("{}-{}", self.digits(1, 4), self.digits(0, 1)),
                "index" => format!("1.{:03},{}", self.digits(100, 300), self.digits(10, 99)),
                "usd" => format!("{},{} tỷ USD", self.digits(1, 40), self.digits(1, 9)),
                "plate" => format!(
                    "{}C-{:03}.{:02}",
                    self.digits(29, 99),
                    self.digits(100, 999),
                    self.digits(0, 99)
                ),
                "phone" => format!(
                    "0{} {:03} {:04}",
                    self.digits(24, 28),
                    self.digits(100, 999),
                    self.digits(0, 9999)
                ),
                "time" => format!("{}h{:02}", self.digits(0, 23), self.digits(0, 59)),
                "name" => self.name(),
                "prov" => self.rng.pick(PROVINCES).to_string(),
                "district" => self.rng.pick(DISTRICTS).to_string(),
                "org" => self.org(),
                _ => format!("{{{slot}}}"),
            };
            out.push_str(&value);
            rest = &after[close + 1..];
        }
        out.push_str(rest);
        out
    }

    /// An abbreviation: defined on first use, bare afterwards.
    fn org(&mut self) -> String {
        if self.abbrs.is_empty() {
            return "UBND".into();
        }
        let i = self.rng.below(self.abbrs.len());
        let (full, abbr, defined) = &mut self.abbrs[i];
        if *defined {
            abbr.to_string()
        } else {
            *defined = true;
            format!("{full} ({abbr})")
        }
    }

    fn topic_for_sentence(&mut self) -> Topic {
        if self.rng.chance(0.75) {
            self.topic
        } else {
            *self.rng.pick(&TOPICS)
        }
    }

    /// A sentence with its final punctuation, before noise.
    fn plain_sentence(&mut self) -> String {
        if self.rng.chance(0.15) {
            let t = *self.rng.pick(GENERIC);
            return self.fill(t);
        }
        let topic = self.topic_for_sentence();
        let subject = *self.rng.pick(subjects(topic));
        let predicate = *self.rng.pick(predicates(topic));
        let mut s = String::new();
        let (common, subject) = match subject.strip_prefix('~') {
            Some(rest) => (true, rest),
            None => (false, subject),
        };
        let mut subject = self.fill(subject);
        if self.rng.chance(0.3) {
            let c = *self.rng.pick(CONNECTORS);
            s.push_str(&self.fill(c));
            s.push(' ');
            if common {
                subject = lower_first(&subject);
            }
        }
        s.push_str(&subject);
        s.push(' ');
        s.push_str(&self.fill(predicate));
        if self.rng.chance(0.4) {
            let a = *self.rng.pick(ADVERBIALS);
            s.push(' ');
            s.push_str(&self.fill(a));
        }
        s.push('.');
        s
    }

    fn sentence(&mut self) -> String {
        let mut s = self.plain_sentence();
        if self.rng.chance(self.opts.error_rate) {
            s = self.plant_error(s);
        }
        if self.opts.nfd_rate > 0.0 {
            s = self.nfd_words(s);
        }
        if self.rng.chance(self.opts.emoji_rate) {
            s.push(' ');
            s.push_str(self.rng.pick::<&str>(EMOJI));
        }
        s
    }

    fn nfd_words(&mut self, s: String) -> String {
        let mut out = String::with_capacity(s.len() + 8);
        let mut changed = false;
        for (i, word) in s.split(' ').enumerate() {
            if i > 0 {
                out.push(' ');
            }
            if !word.is_ascii() && self.rng.chance(self.opts.nfd_rate) {
                out.extend(word.nfd());
                changed = true;
            } else {
                out.push_str(word);
            }
        }
        if changed {
            out
        } else {
            s
        }
    }

    fn plant_error(&mut self, s: String) -> String {
        match self.rng.below(10) {
            // A misspelling the generated substitution packs know.
            0..=2 => {
                let pairs = base_pairs();
                if let Some((wrong, right)) = pairs.iter().find(|(_, r)| s.contains(r.as_str())) {
                    if self.rng.chance(0.5) {
                        return s.replacen(right.as_str(), wrong, 1);
                    }
                }
                let (wrong, _) = &pairs[self.rng.below(pairs.len())];
                insert_before_period(&s, &format!(", liên quan đến việc {wrong}"))
            }
            3 => format!("{} \"{}\".", s.trim_end_matches('.'), self.rng.pick(QUOTES)),
            4 => s.replacen(' ', "  ", 1 + self.rng.below(2)),
            5 => {
                for (new, old) in OLD_TONES {
                    if s.contains(new) {
                        return s.replacen(new, old, 1);
                    }
                }
                insert_before_period(&s, " tại Thanh Hoá")
            }
            6 => {
                let n = self.digits(2, 900);
                insert_before_period(&s, &format!(", với khoảng {n} ngàn người tham gia"))
            }
            7 => match s.find(',') {
                Some(i) => format!("{} {}", &s[..i], &s[i..]),
                None => insert_before_period(&s, " ."),
            },
            8 => {
                let a = *self.rng.pick(UNDEFINED_ABBREVIATIONS);
                insert_before_period(&s, &format!(", theo {a}"))
            }
            _ => match s.find(" của ") {
                Some(i) => format!("{} của{}", &s[..i], &s[i..]),
                None => insert_before_period(&s, "..."),
            },
        }
    }

    fn paragraph(&mut self) -> String {
        let n = 2 + self.rng.below(4);
        let mut p = String::new();
        for i in 0..n {
            if i > 0 {
                p.push(' ');
            }
            p.push_str(&self.sentence());
        }
        if self.rng.chance(0.05) {
            let year = self.digits(2019, 2025);
            let id = self.digits(4_000_000, 4_999_999);
            write!(
                p,
                " Xem thêm [diễn biến trước đó](https://tin.example.vn/{year}/bai-{id}.html)."
            )
            .ok();
        }
        p
    }

    fn quote_paragraph(&mut self) -> String {
        let q = *self.rng.pick(QUOTES);
        let honorific = if self.rng.chance(0.5) { "ông" } else { "bà" };
        let name = self.name();
        let role = *self.rng.pick(ROLES);
        format!("“{q}”, {honorific} {name}, {role}, nói.")
    }

    fn list(&mut self) -> String {
        let mut out = String::new();
        for _ in 0..3 + self.rng.below(3) {
            out.push_str("- ");
            out.push_str(&self.sentence());
            out.push('\n');
        }
        out.pop();
        out
    }

    fn headline(&mut self) -> String {
        let s = self.plain_sentence();
        let s = s.trim_end_matches('.');
        // Headlines are short: keep the first dozen words.
        let words: Vec<&str> = s.split(' ').take(12).collect();
        words.join(" ").trim_end_matches(',').to_string()
    }

    fn article(&mut self, approx_bytes: usize) -> String {
        let mut out = String::with_capacity(approx_bytes + 2048);
        out.push_str("# ");
        let h = self.headline();
        out.push_str(&h);
        out.push_str("\n\n");
        let place = *self.rng.pick(PROVINCES);
        write!(out, "**{place}** – {}\n\n", self.paragraph()).ok();
        let mut since_subhead = 0;
        while out.len() < approx_bytes {
            since_subhead += 1;
            if since_subhead > 4 && self.rng.chance(0.3) {
                since_subhead = 0;
                write!(out, "## {}\n\n", self.rng.pick(SUBHEADS)).ok();
            }
            let block = match self.rng.below(20) {
                0 | 1 => self.quote_paragraph(),
                2 => self.list(),
                3 => format!("> {}", self.paragraph()),
                4 if self.rng.chance(0.3) => {
                    let id = self.digits(1, 9999);
                    format!(
                        "![Ảnh minh họa](https://anh.example.vn/{id}.jpg)\n*Hiện trường vụ việc. Ảnh: {}*",
                        self.name()
                    )
                }
                _ => self.paragraph(),
            };
            out.push_str(&block);
            out.push_str("\n\n");
        }
        let author = self.name();
        writeln!(out, "*{author}*").ok();
        out
    }
}

fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn insert_before_period(s: &str, insert: &str) -> String {
    let body = s.strip_suffix('.').unwrap_or(s);
    format!("{body}{insert}.")
}

// ---------------------------------------------------------------------------------
// Substitution pairs

/// Right forms: common words of news copy (police, courts, traffic, economy, sport,
/// administration), comma-separated.
const WORDS_TEXT: &str = "\
    khởi tố, điều tra, bị can, bị cáo, tạm giam, tạm giữ, truy nã, tang vật, hiện trường, nạn nhân, \
    nghi phạm, đối tượng, lừa đảo, chiếm đoạt, tài sản, xét xử, tuyên phạt, kháng cáo, sơ thẩm, \
    phúc thẩm, cáo trạng, truy tố, bồi thường, luật sư, bào chữa, hình sự, trách nhiệm, vi phạm, xử lý, \
    xử phạt, trật tự, an ninh, ma túy, buôn lậu, tham ô, hối lộ, giám định, khám xét, chứng cứ, \
    nhân chứng, lời khai, thẩm phán, kiểm sát, chánh án, chiến sĩ, cảnh sát, công an, phạm tội, \
    tội phạm, giảm nhẹ, hình phạt, bản án, phiên tòa, đánh bạc, thương tích, giao thông, tai nạn, \
    phương tiện, tài xế, xe tải, xe khách, xe máy, cao tốc, quốc lộ, ùn tắc, nồng độ, nút giao, \
    đường sắt, sân bay, hành khách, biển số, va chạm, lưu thông, cấp cứu, bệnh viện, tử vong, sửa chữa, \
    thi công, dự án, giải phóng, mặt bằng, đền bù, nhà thầu, tiến độ, phân luồng, giấy phép, lái xe, \
    đăng kiểm, camera, trọng điểm, kinh tế, tăng trưởng, lãi suất, ngân hàng, tín dụng, xuất khẩu, \
    nhập khẩu, doanh nghiệp, doanh thu, lợi nhuận, cổ phiếu, chứng khoán, nhà đầu tư, thị trường, \
    giá vàng, lạm phát, ngân sách, hoàn thuế, đầu tư, sáp nhập, giải ngân, trái phiếu, bất động sản, \
    chung cư, nông sản, sản xuất, tiêu dùng, bán lẻ, hàng hóa, năng lượng, điện lực, xăng dầu, \
    kim ngạch, giao dịch, vướng mắc, thủ tục, hợp nhất, công ty, điều hành, biến động, bóng đá, \
    đội tuyển, huấn luyện, cầu thủ, tiền đạo, hậu vệ, thủ môn, trận đấu, chiến thắng, thất bại, \
    vòng loại, bảng xếp hạng, giải đấu, vô địch, huy chương, vận động viên, thể thao, sân vận động, \
    khán giả, cổ động viên, trọng tài, phạt đền, thẻ đỏ, ghi bàn, đồng đội, tập huấn, quyết tâm, \
    tinh thần, bù giờ, chính phủ, thủ tướng, bộ trưởng, chủ tịch, giám đốc, ủy ban, nhân dân, \
    thành phố, người dân, chính sách, quy định, nghị định, thông tư, triển khai, thực hiện, kiểm tra, \
    giám sát, phối hợp, chỉ đạo, báo cáo, kết quả, tình hình, sự việc, chuẩn bị, quyết định, đề xuất, \
    kiến nghị, hồ sơ, chứng chỉ, xây dựng, quy hoạch, trường học, học sinh, giáo viên, sức khỏe, y tế, \
    môi trường, ô nhiễm, thời tiết, mưa lớn, lũ lụt, sạt lở, cứu hộ, cứu nạn, sản phẩm, chất lượng, \
    dịch vụ, trung tâm, sự kiện, chương trình, khẩn trương, nghiêm trọng, nghiêm túc, chặt chẽ, \
    sửa đổi, bổ sung, chỉ số, số liệu, trực tuyến, diễn biến, xã hội, địa phương, khó khăn, ổn định, \
    liên quan, chức năng, đơn vị, cơ quan, phản ánh, đường dây, kinh phí, cùng kỳ, chuyên gia, \
    khoan hồng, xứng đáng, hoàn thiện, chấp hành, nghiêm cấm, tiếp nhận";

/// [`WORDS_TEXT`] as a list.
fn words() -> &'static [&'static str] {
    static WORDS: OnceLock<Vec<&'static str>> = OnceLock::new();
    WORDS.get_or_init(|| WORDS_TEXT.split(',').map(str::trim).filter(|w| !w.is_empty()).collect())
}

/// Initial consonants that writers confuse, longest first.
const INITIAL_SWAPS: &[(&str, &str)] = &[
    ("tr", "ch"),
    ("ch", "tr"),
    ("gi", "d"),
    ("s", "x"),
    ("x", "s"),
    ("d", "gi"),
    ("r", "d"),
    ("l", "n"),
    ("n", "l"),
];

/// Final consonants that writers confuse.
const FINAL_SWAPS: &[(&str, &str)] = &[("ng", "n"), ("nh", "n"), ("c", "t"), ("t", "c"), ("n", "ng")];

/// The hỏi and ngã tones, pairwise.
const HOI_NGA: &[(char, char)] = &[
    ('ả', 'ã'),
    ('ẻ', 'ẽ'),
    ('ỉ', 'ĩ'),
    ('ỏ', 'õ'),
    ('ủ', 'ũ'),
    ('ỷ', 'ỹ'),
    ('ẩ', 'ẫ'),
    ('ể', 'ễ'),
    ('ổ', 'ỗ'),
    ('ở', 'ỡ'),
    ('ử', 'ữ'),
    ('ẳ', 'ẵ'),
];

/// Misspellings of one syllable.
fn syllable_variants(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    // Initial consonant (a cluster like `ng`, `nh`, `th` is left alone).
    let cluster = ["ngh", "ng", "nh", "th", "kh", "ph", "gh", "qu"];
    if !cluster.iter().any(|c| s.starts_with(c)) {
        if let Some((from, to)) = INITIAL_SWAPS.iter().find(|(f, _)| s.starts_with(f)) {
            let rest = &s[from.len()..];
            if rest
                .chars()
                .next()
                .is_some_and(|c| !c.is_ascii() || "aeiouy".contains(c))
            {
                out.push(format!("{to}{rest}"));
            }
        }
    }
    // Final consonant.
    if let Some((from, to)) = FINAL_SWAPS.iter().find(|(f, _)| s.ends_with(f)) {
        let stem = &s[..s.len() - from.len()];
        // The stem must end in a vowel: `ch`, `ng`, `nh` are finals of their own.
        if !stem.is_empty() && !stem.ends_with(|c: char| c.is_ascii() && !"aeiouy".contains(c)) {
            out.push(format!("{stem}{to}"));
        }
    }
    // hỏi ↔ ngã.
    if let Some(swapped) = swap_hoi_nga(s) {
        out.push(swapped);
    }
    out.retain(|v| v != s);
    out
}

fn swap_hoi_nga(s: &str) -> Option<String> {
    let mut changed = false;
    let out: String = s
        .chars()
        .map(|c| {
            for &(h, n) in HOI_NGA {
                if c == h {
                    changed = true;
                    return n;
                }
                if c == n {
                    changed = true;
                    return h;
                }
            }
            c
        })
        .collect();
    changed.then_some(out)
}

/// Misspellings of a word: one syllable changed at a time.
fn word_variants(word: &str) -> Vec<String> {
    let syllables: Vec<&str> = word.split(' ').collect();
    let mut out = Vec::new();
    for (i, syl) in syllables.iter().enumerate() {
        for v in syllable_variants(syl) {
            let mut parts: Vec<&str> = syllables.clone();
            parts[i] = &v;
            out.push(parts.join(" "));
        }
    }
    out
}

/// The single-word pairs, round robin over [`words`] so that any prefix spans many words.
fn base_pairs() -> &'static [(String, String)] {
    static PAIRS: OnceLock<Vec<(String, String)>> = OnceLock::new();
    PAIRS.get_or_init(|| {
        let words = words();
        let rights: HashSet<&str> = words.iter().copied().collect();
        let variants: Vec<Vec<String>> = words.iter().map(|w| word_variants(w)).collect();
        let most = variants.iter().map(Vec::len).max().unwrap_or(0);
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        for k in 0..most {
            for (w, vs) in words.iter().zip(&variants) {
                if let Some(v) = vs.get(k) {
                    if !rights.contains(v.as_str()) && seen.insert(v.clone()) {
                        out.push((v.clone(), w.to_string()));
                    }
                }
            }
        }
        out
    })
}

/// `n` distinct `(wrong, right)` spelling pairs, the same on every call: first
/// misspelled single words, then misspelled two-word phrases.
pub fn substitution_pairs(n: usize) -> Vec<(String, String)> {
    let base = base_pairs();
    let mut out: Vec<(String, String)> = base.iter().take(n).cloned().collect();
    if out.len() >= n {
        return out;
    }
    let mut seen: HashSet<String> = out.iter().map(|(w, _)| w.clone()).collect();
    let mut rng = Rng::new(0xC0_DE5C);
    // Each misspelled word followed by another word of the list: plenty of phrases.
    let mut attempts = 0usize;
    while out.len() < n && attempts < n.saturating_mul(20) + 1000 {
        attempts += 1;
        let (wrong, right) = &base[rng.below(base.len())];
        let next = *rng.pick(words());
        let w = format!("{wrong} {next}");
        if seen.insert(w.clone()) {
            out.push((w, format!("{right} {next}")));
        }
    }
    // Beyond what phrases of two give (millions), add a third word.
    while out.len() < n {
        let (wrong, right) = &base[rng.below(base.len())];
        let (a, b) = (*rng.pick(words()), *rng.pick(words()));
        let w = format!("{wrong} {a} {b}");
        if seen.insert(w.clone()) {
            out.push((w, format!("{right} {a} {b}")));
        }
    }
    out
}

fn toml_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => {
                write!(out, "\\u{:04X}", c as u32).ok();
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A rule file (one pack, `bench-terms`) with `n_terms` substitution entries from
/// [`substitution_pairs`], split over rules of at most 500 entries.
pub fn substitution_pack(n_terms: usize) -> String {
    let pairs = substitution_pairs(n_terms);
    let mut out = String::with_capacity(n_terms * 64 + 256);
    writeln!(
        out,
        "# Generated by copydesk::testing::corpus::substitution_pack({n_terms}): plausible misspellings, for benchmarks."
    )
    .ok();
    out.push_str("[pack]\nname = \"bench-terms\"\ndescription = \"Generated spelling list for benchmarks\"\n");
    for (chunk_no, chunk) in pairs.chunks(500).enumerate() {
        out.push_str("\n[[rule]]\n");
        writeln!(out, "id = \"spelling.generated-{chunk_no}\"").ok();
        out.push_str("kind = \"substitution\"\n");
        out.push_str("message = \"Sai chính tả: “{found}” → “{expected}”\"\n");
        out.push_str("terms = [\n");
        for (wrong, right) in chunk {
            writeln!(
                out,
                "  {{ wrong = {}, right = {} }},",
                toml_string(wrong),
                toml_string(right)
            )
            .ok();
        }
        out.push_str("]\n");
    }
    out
}

/// A rule file (pack `bench-kinds`) with the two kinds the default profile of `vi-news`
/// does not use, `existence` and `pattern`, so that an "every kind" benchmark runs every
/// kind. Their words and regexes occur in the generated articles.
pub fn other_kinds_pack() -> String {
    r#"# Generated by copydesk::testing::corpus::other_kinds_pack(): for benchmarks.
[pack]
name = "bench-kinds"
description = "Existence and pattern rules for benchmarks"

[[rule]]
id = "style.cliches"
kind = "existence"
message = "Tránh sáo ngữ “{found}”"
tokens = [
  { match = ["được biết", "theo nguồn tin", "hết sức", "vô cùng", "cực kỳ", "kinh hoàng", "cực sốc"] },
  { match = ["trao đổi với phóng viên", "làm rõ vụ việc", "gặp nhiều khó khăn"] },
  { pattern = 'sốc (?:nặng|toàn tập)', message = "Tránh “{found}”" },
  { pattern = '(?i)\bcơ bản ổn định\b' },
]

[[rule]]
id = "units.percent-words"
kind = "pattern"
message = "Viết “%” sau số: “{found}” → “{expected}”"
pattern = '(?<n>\d+(?:,\d+)?) phần trăm\b'
replacement = "${n}%"

[[rule]]
id = "style.long-numbers"
kind = "pattern"
message = "Số điện thoại viết liền: “{found}”"
pattern = '\b0\d{9}\b'
"#
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_other_kinds_pack_loads_and_finds_something() {
        let pack = crate::pack::load_files(
            "bench-kinds",
            "bench",
            vec![crate::pack::SourceFile::new("kinds.toml", other_kinds_pack())],
        )
        .expect("the pack loads");
        let kinds: std::collections::HashSet<&str> = pack.rules.iter().map(|r| r.raw.meta.kind).collect();
        assert_eq!(kinds, ["existence", "pattern"].into_iter().collect());
        let engine = crate::project::build_engine(&[pack], None, &[], None).expect("the pack compiles");
        let found = engine.check(&crate::Document::markdown(article(3, 50_000)));
        assert!(!found.is_empty());
    }

    #[test]
    fn articles_are_deterministic_and_sized() {
        let a = article(7, 5_000);
        assert_eq!(a, article(7, 5_000));
        assert_ne!(a, article(8, 5_000));
        assert!(a.len() >= 5_000 && a.len() < 8_000, "{}", a.len());
        assert!(a.starts_with("# "));
        let many = articles(1, 3, 2_000);
        assert_eq!(many.len(), 3);
        assert_ne!(many[0], many[1]);
    }

    #[test]
    fn articles_carry_noise_at_the_requested_rate() {
        let clean = Options {
            error_rate: 0.0,
            nfd_rate: 0.0,
            emoji_rate: 0.0,
        };
        let text = article_with(&clean, 3, 50_000);
        assert!(!text.contains("  ") && !text.contains('"'));
        assert!(text.nfc().eq(text.chars()));
        let noisy = Options {
            error_rate: 1.0,
            nfd_rate: 0.05,
            emoji_rate: 0.2,
        };
        let text = article_with(&noisy, 3, 50_000);
        assert!(text.contains("  ") && text.contains('"'));
        assert!(!text.nfc().eq(text.chars()));
        assert!(EMOJI.iter().any(|e| text.contains(e)));
    }

    #[test]
    fn pairs_are_distinct_and_plausible() {
        for n in [10, 1_000, 10_000] {
            let pairs = substitution_pairs(n);
            assert_eq!(pairs.len(), n);
            let wrongs: HashSet<_> = pairs.iter().map(|(w, _)| w).collect();
            assert_eq!(wrongs.len(), n);
            assert!(pairs
                .iter()
                .all(|(w, r)| w != r && w.split(' ').count() == r.split(' ').count()));
        }
        assert_eq!(substitution_pairs(100), substitution_pairs(1_000)[..100]);
        assert!(base_pairs().len() > 300, "{}", base_pairs().len());
    }

    #[test]
    fn the_pack_loads_and_finds_planted_errors() {
        let pack = substitution_pack(1_000);
        assert!(pack.matches("wrong = ").count() == 1_000);
        let engine = crate::testing::engine(&pack);
        let (wrong, right) = &substitution_pairs(1_000)[0];
        let found = crate::testing::check(&engine, &format!("Hôm nay {wrong}."));
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].fix.as_deref(), Some(right.as_str()));
    }
}
