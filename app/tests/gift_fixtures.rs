//! Conformance: the GIFT and Aiken readers must read a file as Moodle's own parsers
//! (`question/format/gift/format.php`, `question/format/aiken/format.php`) read it — kinds,
//! answers, weights, feedback, names, categories, formats — asserted question by question.
//!
//! - **Always**, over the project's own fixtures in `tests/gift-fixtures/`: GIFT and Aiken files
//!   written for Taphuan (not copied from Moodle) that together use every construct the reader
//!   supports. Their expected lines are what Moodle's parser gives for them.
//! - **Always**, over Moodle's own test files too, kept unchanged in `tests/gift-fixtures/moodle/`
//!   (GPL-3.0, with their origin in that folder's README).
//!
//! Plus a property test: the readers never panic, whatever they are given.

use app::domain::aiken::parse_aiken;
use app::domain::gift::{Question, QuestionKind, TextFormat, parse_gift, parse_gift_at};
use app::domain::grading::{Response, grade, public_view};
use proptest::prelude::*;
use std::path::Path;

/// The project's own fixtures: part of the repository, so these tests always run.
const OWN_FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/gift-fixtures");

/// Moodle's own test files, copied unchanged (see the folder's README).
const MOODLE_FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/gift-fixtures/moodle");

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// One of the project's own fixtures.
fn own(name: &str) -> String {
    read(&Path::new(OWN_FIXTURES).join(name))
}

/// One of Moodle's own test files.
fn moodle(name: &str) -> String {
    read(&Path::new(MOODLE_FIXTURES).join(name))
}

fn num(v: f64) -> String {
    format!("{}", (v * 1e6).round() / 1e6)
}

fn fb(feedback: &Option<String>) -> String {
    feedback.as_ref().map(|f| format!(" #{f}")).unwrap_or_default()
}

/// One line per question, so a whole file's expectations read like the file itself:
/// `name | format | text | kind: answer=fraction #feedback, … | ####general`.
fn describe(q: &Question) -> String {
    let kind = match &q.kind {
        QuestionKind::MultipleChoice { single, choices } => format!(
            "{}: {}",
            if *single { "mc single" } else { "mc multi" },
            choices
                .iter()
                .map(|c| format!("{}={}{}", c.text, num(c.fraction), fb(&c.feedback)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        QuestionKind::ShortAnswer { answers } => format!(
            "short: {}",
            answers
                .iter()
                .map(|c| format!("{}={}{}", c.text, num(c.fraction), fb(&c.feedback)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        QuestionKind::TrueFalse {
            answer,
            feedback_wrong,
            feedback_right,
        } => format!(
            "tf {answer}{}{}",
            feedback_wrong
                .as_ref()
                .map(|f| format!(" wrong:{f}"))
                .unwrap_or_default(),
            feedback_right
                .as_ref()
                .map(|f| format!(" right:{f}"))
                .unwrap_or_default()
        ),
        QuestionKind::Numerical { answers } => format!(
            "num: {}",
            answers
                .iter()
                .map(|a| {
                    let value = if a.is_catch_all() {
                        "*".to_string()
                    } else {
                        format!("{}±{}", num(a.value), num(a.tolerance))
                    };
                    format!("{value}={}{}", num(a.fraction), fb(&a.feedback))
                })
                .collect::<Vec<_>>()
                .join(", ")
        ),
        QuestionKind::Matching { pairs } => format!(
            "match: {}",
            pairs
                .iter()
                .map(|p| format!("{} -> {}", p.question, p.answer))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        QuestionKind::Essay => "essay".to_string(),
        QuestionKind::Description => "description".to_string(),
    };
    let general = q
        .general_feedback
        .as_ref()
        .map(|g| format!(" | ####{g}"))
        .unwrap_or_default();
    format!(
        "{} | {} | {} | {kind}{general}",
        q.name.as_deref().unwrap_or("-"),
        q.format.tag(),
        q.text
    )
}

#[track_caller]
fn assert_reads_as(name: &str, src: &str, want: &[&str]) -> Vec<Question> {
    let (questions, errors) = parse_gift(src);
    assert!(errors.is_empty(), "{name} must read without errors: {errors:#?}");
    let got: Vec<String> = questions.iter().map(describe).collect();
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        assert_eq!(g, w, "{name}: question {}", i + 1);
    }
    assert_eq!(got.len(), want.len(), "{name}: number of questions; got {got:#?}");
    questions
}

fn positions(qs: &[Question]) -> Vec<(usize, usize)> {
    qs.iter().map(|q| (q.line, q.col)).collect()
}

// ---------------------------------------------------------------------------------------------
// The project's own fixtures (always run).

#[test]
fn own_questions_gift_reads_each_kind_with_its_feedback_as_moodle_does() {
    // One question of each kind with per-answer, right/wrong and general feedback. Two blocks
    // end in a stray `}";`: Moodle reads the text after the brace as a missing-word question, so
    // those texts get the blank and keep the `";`.
    let qs = assert_reads_as(
        "taphuan-questions.gift.txt",
        &own("taphuan-questions.gift.txt"),
        &[
            "tl-quy-trinh | moodle | Hãy mô tả các bước kiểm tra một gian hàng trực tuyến. | essay",
            "ghep-van-ban | html | Ghép <b>văn bản</b> với số hiệu của nó. | match: Nghị định về thương mại \
             điện tử năm 2013 -> 52/2013/NĐ-CP, Nghị định sửa đổi, bổ sung năm 2021 -> 85/2021/NĐ-CP, Luật \
             Bảo vệ quyền lợi người tiêu dùng -> 19/2023/QH15, Đề án chống hàng giả trong thương mại điện tử \
             -> 319/QĐ-TTg,  -> 98/2020/NĐ-CP",
            "mc-go-bo | moodle | Sàn phải gỡ bỏ thông tin hàng giả trong bao lâu kể từ khi nhận yêu cầu? | mc \
             single: 24 giờ=1 #đúng; đó là thời hạn luật định., 48 giờ=0 #chưa đúng, là <i>24 giờ</i>, 7 \
             ngày=0 #chưa đúng, là 24 giờ",
            "mc-dau-hieu | moodle | Dấu hiệu nào cho thấy một gian hàng có thể bán hàng giả? | mc multi: Giá \
             thấp bất thường=0.5 #đúng một phần, Có đủ hoá đơn, chứng từ=-1 #sai, Không ghi tên, địa chỉ \
             người bán=0.5 #đúng một phần, Được sàn gắn nhãn \"Mall\"=-1 #sai",
            "so-1-9 | moodle | Nhập một số bất kỳ từ 1 đến 9. _____\"; | num: 5±4=1, *=0 #Sai hoàn toàn",
            "tl-ngan-bo | moodle | Cơ quan nào tiếp nhận thông báo website bán hàng? | short: Bộ Công Thương=1 \
             #Đúng!, Sở Công Thương=0.5 #Gần đúng: thủ tục làm với Bộ., *=0 #Sai hoàn toàn",
            "ds-thong-tin | moodle | Người bán trên sàn không phải cung cấp thông tin về mình cho sàn._____\"; \
             | tf false wrong:Chưa đúng: người bán phải cung cấp thông tin cho sàn. right:Đúng, bạn đã trả \
             lời đúng. | ####Nghị định 52/2013/NĐ-CP buộc người bán trên sàn cung cấp thông tin cho sàn.",
            "3-01 TMĐT | moodle | Sàn giao dịch TMĐT phải đăng ký với Bộ Công Thương. | tf true",
            "3-01 TMĐT | moodle | Sàn giao dịch TMĐT phải đăng ký với Bộ Công Thương. | tf true",
        ],
    );
    // Positions are those of the question's first character (after its comment line).
    assert_eq!(
        positions(&qs),
        [
            (2, 1),
            (5, 1),
            (14, 1),
            (22, 1),
            (31, 1),
            (34, 1),
            (41, 1),
            (46, 1),
            (49, 1)
        ]
    );
    assert!(qs.iter().all(|q| q.category.is_none()));
}

#[test]
fn own_categories_gift_puts_each_question_in_the_category_above_it() {
    let qs = assert_reads_as(
        "taphuan-categories.gift.txt",
        &own("taphuan-categories.gift.txt"),
        &[
            "khoi-dong | html | Bạn đã đọc <i>Nghị định 52/2013/NĐ-CP</i> chưa? | tf true",
            "ghep-co-quan | html | Ghép <b>cơ quan</b> với việc của nó. | match: Tiếp nhận thông báo website \
             bán hàng -> Bộ Công Thương, Kiểm tra, xử lý hàng giả trên thị trường -> Quản lý thị trường, Điều \
             tra tội phạm buôn bán hàng giả -> Công an,  -> Hải quan",
            "cong-thong-tin | html | <a href=\"https://online.gov.vn\">Cổng thông tin quản lý hoạt động \
             TMĐT</a><br />do cơ quan nào quản lý? | mc single: Bộ Tài chính=0 #Chưa đúng., Bộ Công Thương=1 \
             #Đúng., Bộ Công an=0 #Chưa đúng.",
            "viet-tat | html | Chữ viết tắt của \"thương mại điện tử\" là ... | short: TMĐT=1",
            "th-livestream | markdown | Một người bán **livestream** hàng nhái nhãn hiệu nổi tiếng. Đây có \
             phải hành vi cần xử lý không? | tf true",
            "th-khieu-nai | moodle | Người tiêu dùng khiếu nại sàn không phản hồi. Cơ quan nào hỗ trợ giải \
             quyết? | mc single: Sở Công Thương=1, Ngân hàng nơi người bán mở tài khoản=0",
        ],
    );
    let categories: Vec<Option<&str>> = qs.iter().map(|q| q.category.as_deref()).collect();
    assert_eq!(
        categories,
        [
            None,
            Some("$course$/kien-thuc"),
            Some("$course$/kien-thuc"),
            Some("$course$/kien-thuc"),
            Some("$course$/kiem-tra/tinh-huong"),
            Some("tinh-huong"),
        ]
    );
    assert_eq!(positions(&qs), [(2, 1), (8, 1), (16, 1), (23, 1), (30, 1), (35, 1)]);
}

#[test]
fn own_examples_gift_reads_every_construct() {
    let qs = assert_reads_as(
        "taphuan-examples.gift.txt",
        &own("taphuan-examples.gift.txt"),
        &[
            // Multiple choice, also as missing word (braces inside the sentence).
            "- | moodle | Cơ quan nào quản lý nhà nước về thương mại điện tử? | mc single: Bộ Tài chính=0, Bộ \
             Y tế=0, Bộ Công Thương=1",
            "- | moodle | Sàn phải gỡ bỏ hàng giả trong _____ kể từ khi nhận yêu cầu. | mc single: 12 giờ=0, \
             24 giờ=1, 48 giờ=0",
            "- | moodle | Website bán hàng phải thực hiện thủ tục _____ với Bộ Công Thương. | mc single: đăng \
             ký=0, thông báo=1, xin phép=0",
            "- | moodle | Đề án chống hàng giả trong thương mại điện tử được phê duyệt năm nào? | mc single: \
             2021=0, 2022=0, 2023=1, 2024=0",
            // Short answer: several right answers, missing word (also at the very start), `*` wildcard.
            "- | moodle | Số hiệu Luật Bảo vệ quyền lợi người tiêu dùng năm 2023 là? | short: 19/2023/QH15=1, \
             19/2023=1",
            "- | moodle | Cơ quan quản lý nhà nước về thương mại điện tử là Bộ _____. | short: Công Thương=1, \
             Công thương=1",
            "- | moodle | _____ là cơ quan tiếp nhận thông báo website bán hàng. | short: Bộ Công Thương=1",
            "- | moodle | Viết tên cơ quan bắt đầu bằng \"Sở\", có ký tự đại diện. | short: Sở*Công Thương=1, \
             Sở*=0.5",
            // True/false: T, F, TRUE with general feedback only, F with wrong-answer feedback only.
            "- | moodle | Hàng giả có thể bị tiêu huỷ. | tf true",
            "- | moodle | Mọi website đều phải đăng ký với Bộ Công Thương. | tf false",
            "- | moodle | Người bán trên sàn phải cung cấp thông tin cho sàn. | tf true | ####Xem Nghị định \
             52/2013/NĐ-CP.",
            "- | moodle | Sàn được tự ý bỏ qua yêu cầu gỡ bỏ hàng giả. | tf false wrong:Sai: sàn phải gỡ trong \
             24 giờ.",
            // Matching: indented pairs; pairs without spaces around `->`, one with a `[markdown]` tag.
            "- | moodle | Ghép hành vi với văn bản quy định. | match: Bán hàng giả -> 98/2020/NĐ-CP, Vi phạm \
             quyền lợi người tiêu dùng -> 19/2023/QH15, Không thông báo website -> 52/2013/NĐ-CP",
            "- | moodle | Ghép tỉnh với trung tâm hành chính | match: Gia Lai -> Quy Nhơn, Đắk Lắk -> Buôn Ma \
             Thuột, **Lâm Đồng** -> Đà Lạt",
            // Numerical: exact, value:tolerance, min..max (also negative), exponent, missing word,
            // general feedback, several answers with weights and `~#` feedback for any other number.
            "- | moodle | Thời hạn gỡ bỏ là bao nhiêu giờ? | num: 24±0=1",
            "- | moodle | Thời hạn khiếu nại là bao nhiêu ngày? | num: 30±5=1",
            "- | moodle | Chọn một số từ 1 đến 10. | num: 5.5±4.5=1",
            "- | moodle | Nhiệt độ bảo quản (độ C) là bao nhiêu? | num: 0±2.5=1",
            "- | moodle | Một nghìn năm trăm viết bằng chữ số là? | num: 1500±0=1",
            "- | moodle | Sàn phải gỡ bỏ hàng giả trong _____ giờ. | num: 24±0=1",
            "- | moodle | Tỉnh Gia Lai mới có bao nhiêu xã, phường? | num: 135±0=1 | ####110 xã và 25 phường.",
            "- | moodle | Sàn phải gỡ bỏ trong bao nhiêu giờ? | num: 24±0=1 #Đúng hoàn toàn, 24±12=0.5 #Gần \
             đúng.\nĐược nửa số điểm., *=0 #Sai hẳn",
            // Names (with `\:`), text over two lines, [markdown]/[plain]/[moodle] tags; `[Điều 36]` and
            // `[HTML]` are not format tags and stay text.
            "Nguồn gốc Đề án | moodle | Đề án chống hàng giả\nđược phê duyệt bằng quyết định nào? | short: \
             319/QĐ-TTg=1",
            "Điều 36: gỡ bỏ | markdown | Sàn phải **gỡ bỏ** hàng giả trong bao lâu? | mc single: 24 giờ=1 \
             #**Đúng**, 48 giờ=0 #Chưa đúng | ####Xem <b>Điều 36</b>.",
            "dinh-dang-plain | plain | Văn bản <b>thô</b> giữ nguyên thẻ. | tf true",
            "dinh-dang-moodle | moodle | Định dạng Moodle tự động. | tf false",
            "ngoac-vuong | moodle | [Điều 36] Sàn phải gỡ bỏ hàng giả trong 24 giờ. | tf true",
            "viet-hoa | moodle | [HTML]Thẻ định dạng phân biệt chữ hoa. | tf true",
            // Per-answer feedback and partial-credit weights.
            "- | moodle | Câu nào đúng về hàng giả? | mc single: Hàng có giá cao=0 #Giá không quyết định., \
             Hàng nhập khẩu=0 #Nguồn gốc không quyết định., Hàng giả mạo nhãn hàng hoá=1 #Rất tốt!",
            "- | moodle | Câu hỏi khó. | mc single: sai=0, đúng một nửa=0.5, đúng hoàn toàn=1",
            "Thời hạn gỡ bỏ | moodle | Sàn phải gỡ bỏ trong _____. | mc single: 72 giờ=0 #Quá dài., 48 \
             giờ=0.25 #Vẫn dài., 36 giờ=0.5 #Gần hơn., 24 giờ=1 #Chính xác!",
            "Thời hạn (trả lời ngắn) | moodle | Sàn phải gỡ bỏ trong | short: 24 giờ=1 #Chính xác!, 24h=0.75 \
             #Đúng, nhưng viết tắt., 1 ngày=0.25 #Gần đúng.",
            // Multiple answers: weights (decimals, negative), a comment line between answers.
            "- | moodle | Những cơ quan nào có lực lượng kiểm tra hàng giả? | mc multi: Ngân hàng=0, Quản lý \
             thị trường=0.5, Hải quan=0.5, Bưu điện=0",
            "- | moodle | Những cơ quan nào có lực lượng kiểm tra hàng giả? | mc multi: Ngân hàng=-0.5, Quản \
             lý thị trường=0.5, Hải quan=0.5, Bưu điện=-0.5",
            "- | moodle | Ba dấu hiệu nào cần kiểm tra? | mc multi: Giá bất thường=0.333333, Thiếu nhãn \
             phụ=0.333333, Không rõ người bán=0.333333, Giao hàng nhanh=-0.333333, Có hoá đơn=-1",
            // Escapes: \= \~ \# \{ \} \: \\ and \n; `//` inside a line is text.
            "- | moodle | Kết quả nào bằng 10? | mc single: = 4 + 5=0, = 4 + 6=1, = 4 + 7=0",
            "Ký tự điều khiển | moodle | Ký tự nào KHÔNG phải ký tự điều khiển của GIFT? | mc single: ~=0 #~ \
             là ký tự điều khiển., ==0 #= là ký tự điều khiển., #=0 ## là ký tự điều khiển., {=0 #{ là ký tự \
             điều khiển., }=0 #} là ký tự điều khiển., \\=1 #Đúng! \\ chỉ dùng để thoát,\nvì vậy muốn viết \
             một dấu \\ thì viết hai.",
            "- | moodle | Trong GIFT, đáp án đặt giữa { và }; dòng mới viết \\n\nnhư thế này. | description",
            "- | moodle | Thư mục lưu biên bản là C:\\bien-ban\\ | essay",
            "- | moodle | Xem quy định tại http://online.gov.vn rồi trả lời. | short: online.gov.vn=1",
            // Essays (one with general feedback), a named description, a comment glued to the name line.
            "- | moodle | Nêu ý kiến của bạn về thương mại điện tử. | essay",
            "- | moodle | Phân tích một vụ việc đã xử lý. | essay | ####Gợi ý: nêu hành vi, chứng cứ, mức phạt.",
            "gioi-thieu | markdown | Phần sau **không tính điểm**. | description",
            "Ví dụ số | moodle | Sàn phải gỡ bỏ trong bao nhiêu giờ? | num: 24±0=1 #Đúng! Được 100% điểm, \
             24±6=0.5 #Thời hạn là 24 giờ.\nĐược 50% điểm vì gần đúng.",
        ],
    );
    // The first question, one whose name stands on its own line, and the last, whose comment
    // line is glued to its name line.
    assert_eq!((qs[0].line, qs[0].col), (6, 1));
    assert_eq!((qs[36].line, qs[36].col), (142, 1));
    assert_eq!((qs[43].line, qs[43].col), (168, 1));
    // Three essays and two descriptions; everything else can be graded.
    assert_eq!(qs.iter().filter(|q| !q.is_gradable()).count(), 5);
}

#[test]
fn own_questions_aiken_reads_every_question_up_to_its_answer_line() {
    let (qs, errors) = parse_aiken(&own("taphuan-questions.aiken.txt"));
    assert!(errors.is_empty(), "{errors:#?}");
    let got: Vec<String> = qs.iter().map(describe).collect();
    assert_eq!(
        got,
        [
            // `A)` choices; the text keeps its colon.
            "- | plain | Sàn giao dịch TMĐT phải gỡ bỏ hàng giả trong thời hạn nào kể từ khi nhận yêu \
             cầu: | mc single: 12 giờ=0, 24 giờ=1, 48 giờ=0, 7 ngày=0",
            // `B.` choices. Moodle stores `&lt;b&gt;… &amp;` as HTML; the same text is kept raw
            // as plain text.
            "- | plain | Theo Luật 19/2023/QH15, việc nào là <b>hành vi bị cấm</b> & bị xử lý? | mc \
             single: Lừa dối hoặc gây nhầm lẫn cho người tiêu dùng=1, Niêm yết giá hàng hoá=0",
            // Right after the previous ANSWER line; `A)Đúng` without a space.
            "- | plain | Câu hỏi này viết ngay sau dòng ANSWER, không cần dòng trống? | mc single: \
             Đúng=1, Sai=0",
            // Indented lines are trimmed.
            "- | plain | Câu hỏi thụt lề, các lựa chọn cũng thụt lề? | mc single: Có=0, Không=0, Tuỳ \
             sàn=1",
        ]
    );
    assert_eq!(positions(&qs), [(1, 1), (8, 1), (12, 1), (17, 4)]);
}

#[test]
fn own_fixtures_read_the_same_with_crlf_or_cr_line_ends_and_a_bom() {
    for name in [
        "taphuan-questions.gift.txt",
        "taphuan-categories.gift.txt",
        "taphuan-examples.gift.txt",
        "taphuan-questions.aiken.txt",
    ] {
        let lf = own(name);
        let reader = if name.ends_with(".aiken.txt") {
            parse_aiken
        } else {
            parse_gift
        };
        let want = reader(&lf);
        assert!(want.1.is_empty() && !want.0.is_empty(), "{name}: {:#?}", want.1);
        for (ends, src) in [
            ("CRLF + BOM", format!("\u{feff}{}", lf.replace('\n', "\r\n"))),
            ("CR", lf.replace('\n', "\r")),
        ] {
            assert_eq!(reader(&src), want, "{name} with {ends}");
        }
    }
}

/// Every construct the authoring contract (`content/README.md`) lists must stay in the own
/// fixtures, so that trimming a fixture cannot quietly drop what is checked against Moodle.
#[test]
fn own_fixtures_use_every_construct_of_the_format() {
    let names = [
        "taphuan-questions.gift.txt",
        "taphuan-categories.gift.txt",
        "taphuan-examples.gift.txt",
    ];
    let qs: Vec<Question> = names.iter().flat_map(|name| parse_gift(&own(name)).0).collect();
    let src = names.map(own).join("\n");
    let choices = |q: &Question| match &q.kind {
        QuestionKind::MultipleChoice { choices, .. } | QuestionKind::ShortAnswer { answers: choices } => {
            choices.clone()
        }
        _ => Vec::new(),
    };
    let numbers = |q: &Question| match &q.kind {
        QuestionKind::Numerical { answers } => answers.clone(),
        _ => Vec::new(),
    };
    let any = |test: &dyn Fn(&Question) -> bool| qs.iter().any(test);
    let constructs = [
        (
            "multiple choice",
            any(&|q| matches!(q.kind, QuestionKind::MultipleChoice { single: true, .. })),
        ),
        (
            "multiple answers",
            any(&|q| matches!(q.kind, QuestionKind::MultipleChoice { single: false, .. })),
        ),
        (
            "a partial weight",
            any(&|q| choices(q).iter().any(|c| c.fraction > 0.0 && c.fraction < 1.0)),
        ),
        (
            "a negative weight",
            any(&|q| choices(q).iter().any(|c| c.fraction < 0.0)),
        ),
        (
            "per-answer feedback",
            any(&|q| choices(q).iter().any(|c| c.feedback.is_some())),
        ),
        (
            "true/false with wrong and right feedback",
            any(&|q| {
                matches!(
                    q.kind,
                    QuestionKind::TrueFalse {
                        feedback_wrong: Some(_),
                        feedback_right: Some(_),
                        ..
                    }
                )
            }),
        ),
        (
            "short answer with a wildcard",
            any(&|q| {
                matches!(q.kind, QuestionKind::ShortAnswer { .. }) && choices(q).iter().any(|c| c.text.contains('*'))
            }),
        ),
        (
            "matching with an extra answer",
            any(
                &|q| matches!(&q.kind, QuestionKind::Matching { pairs } if pairs.iter().any(|p| p.question.is_empty())),
            ),
        ),
        (
            "numeric with a tolerance",
            any(&|q| numbers(q).iter().any(|a| !a.is_catch_all() && a.tolerance > 0.0)),
        ),
        ("numeric range", src.contains("{#1..10}")),
        (
            "several numeric answers and any other number",
            any(&|q| numbers(q).len() > 2 && numbers(q).iter().any(|a| a.is_catch_all())),
        ),
        ("missing word", any(&|q| q.is_missing_word())),
        ("essay", any(&|q| q.kind == QuestionKind::Essay)),
        ("description", any(&|q| q.kind == QuestionKind::Description)),
        ("general feedback", any(&|q| q.general_feedback.is_some())),
        ("a name", any(&|q| q.name.is_some())),
        ("$CATEGORY", any(&|q| q.category.is_some())),
        ("[markdown]", any(&|q| q.format == TextFormat::Markdown)),
        ("[html]", any(&|q| q.format == TextFormat::Html)),
        ("[plain]", any(&|q| q.format == TextFormat::Plain)),
        ("[moodle]", src.contains("[moodle]")),
        (
            "every escape",
            ["\\~", "\\=", "\\#", "\\{", "\\}", "\\:", "\\\\", "\\n"]
                .iter()
                .all(|e| src.contains(e)),
        ),
        ("// comments", src.lines().any(|l| l.trim_start().starts_with("//"))),
        ("a stray `\";` after the closing brace", src.contains("}\";")),
    ];
    let missing: Vec<&str> = constructs.iter().filter(|(_, used)| !used).map(|(c, _)| *c).collect();
    assert!(missing.is_empty(), "the own fixtures no longer use: {missing:?}");
}

// ---------------------------------------------------------------------------------------------
// Moodle's own test files (run only when they are at hand; see `moodle`).

#[test]
fn moodle_questions_gift_reads_as_giftformat_test_expects() {
    let src = moodle("moodle-questions.gift.txt");
    // Expectations from giftformat_test.php (test_import_essay, _match, _multichoice,
    // _multichoice_multi, _numerical, _shortanswer, _truefalse, _truefalse_true_answer1/2).
    // Two blocks end in a stray `}";`: Moodle reads the text after the brace as a missing-word
    // question, so those texts get the blank and keep the `";`.
    let qs = assert_reads_as(
        "moodle-questions.gift.txt",
        &src,
        &[
            "Q8 | moodle | How are you? | essay",
            "Moodle activities | html | Match the <b>activity</b> to the description. | match: \
             An activity supporting asynchronous discussions. -> Forum, \
             A teacher asks a question and specifies a choice of multiple responses. -> Choice, \
             A bank of record entries which participants can add to. -> Database, \
             A collection of web pages that anyone can add to or edit. -> Wiki,  -> Chat",
            "Q2 | moodle | What's between orange and green in the spectrum? | mc single: \
             yellow=1 #right; good!, red=0 #wrong, it's yellow, blue=0 #wrong, it's yellow",
            "colours | moodle | What's between orange and green in the spectrum? | mc multi: \
             yellow=0.5 #right; good!, red=-1 #wrong, off-beige=0.5 #right; good!, blue=-1 #wrong",
            "Q5 | moodle | What is a number from 1 to 5? _____\"; | num: 3±2=1, *=0 #Completely wrong",
            "Shortanswer | moodle | Which is the best animal? | short: \
             Frog=1 #Good!, Cat=0.5 #What is it with Moodlers and cats?, *=0 #Completely wrong",
            "Q1 | moodle | 42 is the Absolute Answer to everything._____\"; | tf false \
             wrong:42 is the Ultimate Answer. right:You gave the right answer. \
             | ####This is, of course, a Hitchiker's Guide to the Galaxy reference.",
            "2-08 TSL | moodle | TSL is blablabla. | tf true",
            "2-08 TSL | moodle | TSL is blablabla. | tf true",
        ],
    );
    // Positions are those of the question's first character (after its comment line).
    let at: Vec<_> = qs.iter().map(|q| (q.line, q.col)).collect();
    assert_eq!(
        at,
        vec![
            (2, 1),
            (5, 1),
            (14, 1),
            (22, 1),
            (31, 1),
            (34, 1),
            (41, 1),
            (46, 1),
            (49, 1)
        ]
    );
    assert!(qs.iter().all(|q| q.category.is_none()));
}

#[test]
fn moodle_questions_in_category_gift_puts_every_question_in_the_category() {
    let src = moodle("moodle-questions-in-category.gift.txt");
    let qs = assert_reads_as(
        "moodle-questions-in-category.gift.txt",
        &src,
        &[
            "Moodle activities | html | Match the activity to the description. | match: \
             An activity supporting asynchronous discussions. -> Forum, \
             A teacher asks a question and specifies a choice of multiple responses. -> Choice, \
             A bank of record entries which participants can add to. -> Database, \
             A collection of web pages that anyone can add to or edit. -> Wiki,  -> Chat",
            "Greeting | html | <a href=\"http://demo.moodle.net/file.php/5/media/bonjour.mp3\">Listen to this greeting:</a>\
             <br /><br />What language is being spoken? | mc single: \
             English=0 #Sorry, listen again., French=1 #Yes, well done!, German=0 #Sorry, listen again., \
             Spanish=0 #Sorry, listen again.",
            "Moodle user | html | Anyone who uses Moodle is a ... | short: Moodler=1",
            "Moodle acronym | html | Moodle is an acronym for <span style=\"font-style: italic;\">Modular \
             Object-Oriented Dynamic Learning Environment</span>. | tf true",
        ],
    );
    for q in &qs {
        assert_eq!(
            q.category.as_deref(),
            Some("$course$/Default for New Features"),
            "{}",
            describe(q)
        );
    }
}

#[test]
fn moodle_examples_gift_reads_every_construct() {
    let src = moodle("moodle-examples.gift.txt");
    let qs = assert_reads_as(
        "moodle-examples.gift.txt",
        &src,
        &[
            // Examples from the class description.
            "- | moodle | Who's buried in Grant's tomb? | mc single: Grant=0, Jefferson=0, no one=1",
            "- | moodle | Grant is _____ in Grant's tomb. | mc single: buried=0, entombed=1, living=0",
            "- | moodle | Grant is buried in Grant's tomb. | tf false",
            "- | moodle | Who's buried in Grant's tomb? | short: no one=1, nobody=1",
            "- | moodle | When was Ulysses S. Grant born? | num: 1822±1=1",
            // Examples from the documentation.
            "- | moodle | Who's buried in Grant's tomb? | mc single: Grant=0, Jefferson=0, no one=1",
            "- | moodle | Grant is _____ in Grant's tomb. | mc single: buried=0, entombed=1, living=0",
            "- | moodle | The American holiday of Thanksgiving is celebrated on the _____ Thursday of November. | \
             mc single: second=0, third=0, fourth=1",
            "- | moodle | Japanese characters originally came from what country? | \
             mc single: India=0, China=1, Korea=0, Egypt=0",
            "- | moodle | Who's buried in Grant's tomb? | short: no one=1, nobody=1",
            "- | moodle | Two plus two equals _____. | short: four=1, 4=1",
            "- | moodle | Grant is buried in Grant's tomb. | tf false",
            "- | moodle | The sun rises in the east. | tf true",
            "- | moodle | Matching Question. | match: subquestion1 -> subanswer1, subquestion2 -> subanswer2, \
             subquestion3 -> subanswer3",
            "- | moodle | Match the following countries with their corresponding capitals. | match: \
             Canada -> Ottawa, Italy -> Rome, Japan -> Tokyo, India -> New Delhi",
            "- | moodle | When was Ulysses S. Grant born? | num: 1822±0=1",
            "- | moodle | What is the value of pi (to 3 decimal places)? _____. | num: 3.1415±0.0005=1",
            "- | moodle | What is the value of pi (to 3 decimal places)? _____. | num: 3.1415±0.0005=1",
            "- | moodle | When was Ulysses S. Grant born? | num: 1822±0=1, 1822±2=0.5",
            "- | moodle | What's 2 plus 2? | num: 4±0=1",
            "Kanji Origins | moodle | Japanese characters originally\ncame from what country? | short: China=1",
            "Thanksgiving Date | moodle | The American holiday of Thanksgiving is\ncelebrated on the _____ Thursday \
             of November. | mc single: second=0, third=0, fourth=1",
            "- | moodle | What's the answer to this multiple-choice question? | mc single: \
             wrong answer=0 #feedback comment on the wrong answer, \
             another wrong answer=0 #feedback comment on this wrong answer, right answer=1 #Very good!",
            "- | moodle | Who's buried in Grant's tomb? | short: no one=1 #excellent answer!, nobody=1 #excellent answer!",
            "- | markdown | Who's buried in **Grant's tomb**? | short: no one=1 #excellent answer!, \
             nobody=1 #excellent answer!",
            "- | moodle | Grant is buried in Grant's tomb. | tf false wrong:No one is buried in Grant's tomb.",
            "- | moodle | Difficult question. | mc single: wrong answer=0, half credit answer=0.5, full credit answer=1",
            "Jesus' hometown | moodle | Jesus Christ was from _____. | mc single: \
             Jerusalem=0 #This was an important city, but the wrong answer., \
             Bethlehem=0.25 #He was born here, but not raised here., \
             Galilee=0.5 #You need to be more specific., Nazareth=1 #Yes! That's right!",
            "Jesus' hometown | moodle | Jesus Christ was from | short: Nazareth=1 #Yes! That's right!, \
             Nazereth=0.75 #Right, but misspelled., Bethlehem=0.25 #He was born here, but not raised here.",
            "- | moodle | What two people are entombed in Grant's tomb? | mc multi: \
             No one=0, Grant=0.5, Grant's wife=0.5, Grant's father=0",
            "- | moodle | What two people are entombed in Grant's tomb? | mc multi: \
             No one=-0.5, Grant=0.5, Grant's wife=0.5, Grant's father=-0.5",
            "- | moodle | Which answer equals 5? | mc single: = 2 + 2=0, = 2 + 3=1, = 2 + 4=0",
            "GIFT Control Characters | moodle | Which of the following is NOT a control character for the GIFT \
             import format? | mc single: ~=0 #~ is a control character., \
             ==0 #= is a control character., #=0 ## is a control character., {=0 #{ is a control character., \
             }=0 #} is a control character., \\=1 #Correct! \\ (backslash) is not a control character. BUT,\n\
             it is used to escape the control characters. So, to specify\n\
             a literal backslash, you must escape it with a backslash\n(as shown in this example).",
            // Examples from gift/format.php.
            "- | moodle | Who's buried in Grant's tomb? | mc single: Grant=0, Jefferson=0, no one=1",
            "- | moodle | Grant is _____ in Grant's tomb. | mc single: buried=0, entombed=1, living=0",
            "- | moodle | Grant is buried in Grant's tomb. | tf false",
            "- | moodle | Who's buried in Grant's tomb? | short: no one=1, nobody=1",
            "- | moodle | When was Ulysses S. Grant born? | num: 1822±5=1",
            "- | moodle | Match the following countries with their corresponding\ncapitals. | match: \
             Canada -> Ottawa, Italy -> Rome, Japan -> Tokyo",
            // More complicated examples.
            "Grant's Tomb | moodle | Grant is _____ in Grant's tomb. | mc single: buried=0 #No one is buried there., \
             entombed=1 #Right answer!, living=0 #We hope not!",
            "- | moodle | Difficult multiple choice question. | mc single: wrong answer=0 #comment on wrong answer, \
             half credit answer=0.5 #comment on answer, full credit answer=1 #well done!",
            "Jesus' hometown (Short answer ex.) | moodle | Jesus Christ was from _____. | short: \
             Nazareth=1 #Yes! That's right!, Nazereth=0.75 #Right, but misspelled., \
             Bethlehem=0.25 #He was born here, but not raised here.",
            "Numerical example | moodle | When was Ulysses S. Grant born? | num: 1822±0=1 #Correct! 100% credit, \
             1822±2=0.5 #He was born in 1822.\nYou get 50% credit for being close.",
        ],
    );
    assert_eq!((qs[0].line, qs[0].col), (8, 1));
    assert_eq!((qs[42].line, qs[42].col), (202, 1));
    assert!(qs.iter().all(Question::is_gradable));
}

#[test]
fn moodle_questions_aiken_reads_two_single_answer_questions() {
    let src = moodle("moodle-questions.aiken.txt");
    let (qs, errors) = parse_aiken(&src);
    assert!(errors.is_empty(), "{errors:#?}");
    let got: Vec<String> = qs.iter().map(describe).collect();
    assert_eq!(
        got,
        vec![
            "- | plain | The Moodle project was started by: | mc single: \
             Petr Skoda=0, Martin Dougiamas=1, Eloy Lafuente=0, Tim Hunt=0",
            // Moodle stores `&lt;html…` with FORMAT_HTML; the same text is kept raw as plain text.
            "- | plain | Moodle's abilities include handling user input that includes <html class=\"cool\"> \
             & images: | mc single: True=1, False=0",
        ]
    );
    assert_eq!((qs[1].line, qs[1].col), (8, 1));
}

// ---------------------------------------------------------------------------------------------
// Positions inside Markdown, and robustness.

#[test]
fn a_gift_block_inside_markdown_reports_the_files_lines() {
    let markdown = "# Bài 1\n\nText.\n\n```gift\n::q1:: Đúng hay sai? {T}\n\n::q2:: Sàn phải gỡ trong bao lâu? {\n=24 giờ\n~48 giờ\n```\n";
    let start = markdown.find("```gift\n").unwrap() + "```gift\n".len();
    let end = markdown[start..].find("```").unwrap() + start;
    let first_line = markdown[..start].lines().count() + 1;
    let (qs, errors) = parse_gift_at(&markdown[start..end], first_line, 1);
    assert_eq!((qs[0].line, qs[0].col), (6, 1));
    assert_eq!(errors.len(), 1);
    assert_eq!((errors[0].line, errors[0].col), (8, 35), "{}", errors[0]);
    assert!(
        errors[0].to_string().starts_with("8:35: unclosed '{' — add '}'"),
        "{}",
        errors[0]
    );
    assert_eq!(qs[0].format, TextFormat::Moodle);
}

/// Strings built from GIFT's special characters, Aiken's markers and multibyte Vietnamese, so
/// that a byte-slicing bug inside a character surfaces.
fn gifty() -> impl Strategy<Value = String> {
    let pieces = vec![
        "{",
        "}",
        "~",
        "=",
        "#",
        "####",
        ":",
        "::",
        "%",
        "%50%",
        "%-100%",
        "\\",
        "\\n",
        "/",
        "//",
        "-",
        "->",
        "..",
        "$CATEGORY:",
        "[html]",
        "[markdown]",
        "[",
        "]",
        "T",
        "FALSE",
        "*",
        " ",
        "\t",
        "\n",
        "\r\n",
        "\r",
        "\n\n",
        "1",
        "-5",
        "3.14",
        "e9",
        "ạ",
        "Đ",
        "ữ",
        "ế",
        "\u{feff}",
        "\u{301}",
        "A) ",
        "B.",
        "ANSWER: ",
        "Z",
    ];
    prop::collection::vec(prop::sample::select(pieces), 0..60).prop_map(|v| v.concat())
}

/// Every way of answering, so grading is exercised on whatever the reader produced.
fn responses() -> Vec<Response> {
    vec![
        Response::Choice(vec![0, 1, 99]),
        Response::Choice(vec![]),
        Response::TrueFalse(true),
        Response::Text("ạ*".into()),
        Response::Number(f64::NAN),
        Response::Number(1.0),
        Response::Matching(vec![(0, 0), (1, 99), (99, 1)]),
    ]
}

fn exercise(src: &str, line: usize, col: usize) {
    let (qs, errors) = parse_gift_at(src, line, col);
    let (aiken, _) = parse_aiken(src);
    for q in qs.iter().chain(&aiken) {
        let _ = public_view(q, 3).shuffled(3);
        for r in responses() {
            let g = grade(q, &r);
            assert!((0.0..=1.0).contains(&g.fraction), "{g:?}");
        }
    }
    for e in &errors {
        assert!(e.line >= line.min(1) && !e.hint.is_empty(), "{e:?}");
    }
}

proptest! {
    #[test]
    fn readers_never_panic_on_arbitrary_text(src in any::<String>()) {
        exercise(&src, 1, 1);
    }

    #[test]
    fn readers_never_panic_on_gift_like_text(src in gifty(), line in 0usize..3, col in prop::sample::select(vec![0usize, 1, 7, usize::MAX])) {
        exercise(&src, line, col);
        exercise(&src, usize::MAX, 1);
    }
}
