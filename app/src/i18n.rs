//! All user-facing UI text, in Vietnamese first and English second, through one mechanism:
//! `T::Key.get(lang)`. Adding a string means adding one line here; a missing translation is a
//! compile error, not a blank on screen.

use serde::{Deserialize, Serialize};

/// The interface language. Vietnamese is the default for every visitor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    Vi,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }
    pub fn parse(s: &str) -> Lang {
        if s.trim().eq_ignore_ascii_case("en") {
            Lang::En
        } else {
            Lang::Vi
        }
    }
    /// Reads the `lang` cookie out of a `Cookie:` header value.
    pub fn from_cookie_header(header: &str) -> Lang {
        header
            .split(';')
            .filter_map(|kv| kv.trim().split_once('='))
            .find(|(k, _)| *k == "lang")
            .map(|(_, v)| Lang::parse(v))
            .unwrap_or_default()
    }
}

/// The interface language of this request: the `lang` cookie on the server, the document's
/// `lang` attribute (which the server wrote) in the browser.
///
/// A server function must read it before its first `.await`: when a page's `<Suspense>` runs the
/// function again during server rendering, the request's context can be gone after an await,
/// and this would then answer Vietnamese to an English reader (seen on the attempt result page,
/// two runs in three).
pub fn request_lang() -> Lang {
    #[cfg(feature = "ssr")]
    {
        leptos::prelude::use_context::<http::request::Parts>()
            .and_then(|p| {
                p.headers
                    .get(http::header::COOKIE)
                    .and_then(|v| v.to_str().ok())
                    .map(Lang::from_cookie_header)
            })
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        leptos::prelude::document()
            .document_element()
            .and_then(|e| e.get_attribute("lang"))
            .map(|l| Lang::parse(&l))
            .unwrap_or_default()
    }
}

macro_rules! messages {
    ($($key:ident => $vi:expr, $en:expr;)*) => {
        /// A piece of UI text. `get` picks the language.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum T { $($key),* }
        impl T {
            pub fn get(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $((T::$key, Lang::Vi) => $vi, (T::$key, Lang::En) => $en,)*
                }
            }
        }
    };
}

messages! {
    AppName => "Taphuan", "Taphuan";
    AppTagline => "Tập huấn thực thi pháp luật thương mại điện tử", "E-commerce law enforcement training";
    DemoBanner => "Dữ liệu minh họa: tỉnh Gia Lai (mới) sau sắp xếp 1/7/2025. Tên người và số liệu là giả định.", "Demo data: the new Gia Lai province after the 1/7/2025 merger. People and numbers are fictitious.";
    SignIn => "Đăng nhập", "Sign in";
    SignOut => "Đăng xuất", "Sign out";
    Username => "Tên đăng nhập", "Username";
    Password => "Mật khẩu", "Password";
    WrongPassword => "Tên đăng nhập hoặc mật khẩu không đúng.", "Wrong username or password.";
    TooManyAttempts => "Đăng nhập sai quá nhiều lần. Để bảo vệ tài khoản, vui lòng đợi", "Too many failed sign-ins. To protect the account, please wait";
    ThenTryAgain => "rồi thử lại.", "and try again.";
    Seconds => "giây", "seconds";
    TooManyRequests => "Bạn đã tra cứu quá nhiều lần trong một phút. Vui lòng đợi một lát rồi thử lại.", "Too many look-ups in a minute. Please wait a moment and try again.";
    HolderNeedsQr => "Họ tên và đơn vị của người được cấp chỉ hiện khi mở trang này từ mã QR trên chứng nhận.", "The holder's name and agency show only when this page is opened from the QR code on the certificate.";
    ServerBusy => "Hệ thống đang bận. Vui lòng thử lại sau ít phút.", "The system is busy. Please try again in a few minutes.";
    SignInRequired => "Vui lòng đăng nhập để tiếp tục.", "Please sign in to continue.";
    SignedOut => "Bạn đã đăng xuất.", "You have signed out.";
    SignInTitle => "Đăng nhập vào Taphuan", "Sign in to Taphuan";
    SignInLead => "Hệ thống tập huấn và cấp chứng nhận cho cán bộ thực thi pháp luật về thương mại điện tử, chống hàng giả và bảo vệ người tiêu dùng (Đề án 319).", "Training and certification for officials enforcing e-commerce, anti-counterfeiting and consumer protection law (Scheme 319).";
    RoleLearner => "Học viên", "Learner";
    RoleTrainer => "Giảng viên", "Trainer";
    RoleManager => "Cán bộ quản lý", "Manager";
    RoleAdmin => "Quản trị hệ thống", "Administrator";
    NavLearn => "Khóa học của tôi", "My courses";
    NavContent => "Nội dung đào tạo", "Course content";
    NavCoverage => "Tiến độ tập huấn", "Training coverage";
    NavAdmin => "Quản trị", "Administration";
    NavRights => "Phân quyền", "Rights";
    ScopeSwitch => "Đơn vị đang xem", "Unit in view";
    RightsLead => "Mọi tài khoản đều được học. Các quyền khác được cấp cho từng người, kèm lý do: giảng viên (mọi khóa học hoặc từng khóa), cán bộ quản lý (một hoặc nhiều đơn vị cùng các đơn vị trực thuộc), quản trị hệ thống. Mỗi lần cấp và thu hồi đều được ghi lại: ai, khi nào, vì sao.", "Every account may learn. Other rights are granted to each person with a reason: trainer (every course or named ones), manager (one or more agencies with the units below them), administrator. Every grant and withdrawal is recorded: who, when and why.";
    RightsOpen => "Xem và cấp quyền", "See and grant rights";
    RightsGrant => "Cấp quyền", "Grant a right";
    RightsHeld => "Đang giữ quyền", "Rights held";
    RightsHistory => "Quyền đã thu hồi", "Rights withdrawn";
    RightsWhere => "Phạm vi", "Scope";
    RightsWhy => "Lý do", "Reason";
    RightsWhyHint => "Ví dụ: Quyết định phân công số …", "E.g. assignment decision no. …";
    RightsGrantedBy => "Người cấp, ngày cấp", "Granted by, on";
    RightsWithdrawnBy => "Người thu hồi, ngày, lý do", "Withdrawn by, on, why";
    RightsWithdraw => "Thu hồi", "Withdraw";
    RightsUsername => "Tên đăng nhập (mã cán bộ)", "Sign-in name (official's code)";
    RightsAgency => "Đơn vị (với cán bộ quản lý)", "Agency (for a manager)";
    RightsCourse => "Khóa học (với giảng viên)", "Course (for a trainer)";
    RightsAllCourses => "Mọi khóa học", "Every course";
    RightsEverything => "Toàn hệ thống", "Everything";
    RightsCommandLine => "dòng lệnh", "the command line";
    RightsManagerHint => "Bạn cấp được quyền cán bộ quản lý cho cán bộ trong phạm vi mình quản lý, với đơn vị thuộc phạm vi đó.", "You may grant the manager role to officials of your units, for agencies inside them.";
    RightsAdminHint => "Cán bộ quản lý cần chọn đơn vị; giảng viên có thể giới hạn ở một khóa học; quản trị hệ thống không cần phạm vi.", "A manager needs an agency; a trainer may be limited to one course; an administrator needs no scope.";
    RightsGranted => "Đã cấp quyền.", "The right was granted.";
    RightsWithdrawn => "Đã thu hồi quyền.", "The right was withdrawn.";
    RightsNotAllowed => "Bạn không được cấp hoặc thu hồi quyền này (cán bộ quản lý chỉ cấp quyền quản lý trong phạm vi của mình, cho cán bộ thuộc phạm vi đó).", "You may not grant or withdraw this right (a manager grants only the manager role, inside their units, to their officials).";
    RightsNoAccount => "Không có tài khoản với tên đăng nhập này.", "No account has this sign-in name.";
    RightsNeedsAgency => "Quyền cán bộ quản lý cần chọn đơn vị.", "A manager's right needs an agency.";
    RightsMisplaced => "Chỉ quyền cán bộ quản lý có đơn vị, chỉ quyền giảng viên có khóa học: bỏ chọn ô không dùng.", "Only a manager's right has an agency and only a trainer's a course: clear the other field.";
    RightsNoAgency => "Không có đơn vị này.", "No such agency.";
    RightsNoCourse => "Không có khóa học này.", "No such course.";
    RightsNeedsReason => "Hãy ghi lý do (tối đa 500 ký tự).", "Give a reason (at most 500 characters).";
    RightsLearner => "Mọi tài khoản đều được học: không cần cấp quyền học viên.", "Every account may learn: there is no learner right to grant.";
    RightsAlreadyHeld => "Người này đã có quyền này.", "This person already holds this right.";
    RightsNoGrant => "Không có quyền này, hoặc quyền đã được thu hồi.", "No such right, or it was already withdrawn.";
    RightsOwn => "Không tự thu hồi quyền của mình: nhờ cán bộ quản lý khác hoặc quản trị hệ thống.", "Nobody withdraws their own right: ask another manager or an administrator.";
    RightsLastAdmin => "Đây là quản trị hệ thống cuối cùng: hãy cấp quyền quản trị cho người khác trước.", "This is the last administrator: grant the role to someone else first.";
    RightsRole => "Vai trò không hợp lệ.", "Unknown role.";
    NotFoundTitle => "Không tìm thấy trang", "Page not found";
    NotFoundBody => "Trang bạn tìm không tồn tại hoặc đã được chuyển.", "The page you are looking for does not exist or has moved.";
    BackHome => "Về trang chủ", "Back to the home page";
    Forbidden => "Bạn không có quyền xem trang này.", "You are not allowed to see this page.";
    Loading => "Đang tải…", "Loading…";
    ErrorGeneric => "Đã có lỗi xảy ra. Vui lòng thử lại.", "Something went wrong. Please try again.";
    Agency => "Đơn vị", "Agency";
    Agencies => "Đơn vị", "Agencies";
    People => "Cán bộ", "Officials";
    FullName => "Họ và tên", "Full name";
    OfficialCode => "Mã cán bộ", "Official code";
    Position => "Chức vụ", "Position";
    Enforcement => "Thực thi", "Enforcement";
    Yes => "Có", "Yes";
    No => "Không", "No";
    Total => "Tổng", "Total";
    PeopleCount => "Số cán bộ", "Officials";
    EnforcementCount => "Có nhiệm vụ thực thi", "With enforcement duty";
    YourScope => "Phạm vi quản lý của bạn", "Your scope";
    ScopeColumn => "Phạm vi quản lý", "Scope";
    WelcomeLearner => "Chào mừng bạn đến với chương trình tập huấn", "Welcome to your training";
    LearnLead => "Các khóa học dưới đây giúp bạn nắm vững pháp luật và nghiệp vụ thực thi về thương mại điện tử.", "These courses cover the law and enforcement practice of e-commerce.";
    Courses => "Khóa học", "Courses";
    Lessons => "bài học", "lessons";
    Questions => "câu hỏi", "questions";
    ExamPool => "Ngân hàng câu hỏi thi", "Exam question pool";
    ContentLead => "Thư viện khóa học được viết dưới dạng tệp Markdown và GIFT, kiểm tra tự động trước khi xuất bản.", "The course library is written as Markdown and GIFT files and checked automatically before publishing.";
    ContentProblems => "Lỗi nội dung", "Content problems";
    NoProblems => "Không có lỗi.", "No problems.";
    Editor => "Soạn khóa học", "Course editor";
    ImportRefused => "Chưa nhập: ngân hàng câu hỏi có lỗi (không có gì được lưu).", "Not imported: the question bank has problems (nothing was saved).";
    ImportBank => "Nhập ngân hàng câu hỏi", "Import a question bank";
    ImportBankLead => "Tệp GIFT hoặc Aiken của Moodle (tối đa 2 MB). Câu hỏi được thêm vào bản nháp; xem lại rồi xuất bản.", "A Moodle GIFT or Aiken file (at most 2 MB). The questions go into a draft; review it, then publish.";
    ImportFile => "Tệp", "File";
    ImportInto => "Nhập vào", "Import into";
    ImportIntoExam => "Bài thi cuối khóa (exam.md)", "The final exam (exam.md)";
    ImportIntoLesson => "Câu hỏi ôn tập của bài {n}", "Knowledge checks of lesson {n}";
    ImportButton => "Nhập", "Import";
    ImportedIntoDraft => "Đã nhập {n} câu hỏi vào bản nháp. Xem lại bên dưới rồi xuất bản.", "{n} questions imported into the draft. Review them below, then publish.";
    QuestionsAsLearnerSees => "{n} câu hỏi trong tệp, như học viên sẽ thấy", "{n} questions in this file, as a learner will see them";
    AuthoringGuide => "Hướng dẫn viết khóa học", "Authoring guide";
    EditCourse => "Soạn", "Edit";
    DiagError => "Lỗi", "Error";
    DiagWarning => "Cảnh báo", "Warning";
    NothingChanged => "Không có thay đổi nào người học thấy được.", "Nothing a learner would see changed.";
    Images => "Hình ảnh", "Images";
    ImageFile => "Ảnh (PNG, JPEG, GIF, WebP; tối đa 2 MB)", "Image (PNG, JPEG, GIF, WebP; at most 2 MB)";
    ImageUpload => "Tải ảnh lên", "Upload the image";
    ImageUploaded => "Đã tải ảnh lên bản nháp. Chèn vào bài học bằng:", "Image uploaded into the draft. Show it in a lesson with:";
    ImageAlt => "mô tả ảnh", "describe the image";
    NavRetraining => "Cập nhật kiến thức", "Retraining";
    RetrainingTitle => "Cập nhật kiến thức sau thay đổi nội dung", "Retraining after a change of content";
    RetrainingLead => "Sau mỗi lần xuất bản thay đổi nội dung, cán bộ đã được cấp chứng nhận theo phiên bản trước chỉ cần đọc lại các bài đã thay đổi và làm một bài kiểm tra ngắn từ các câu hỏi mới hoặc đã sửa.", "After each substantive publish, officials certified on an earlier version reread only the changed lessons and take a short exam drawn from the new and changed questions.";
    NoSubstantive => "Chưa có lần xuất bản thay đổi nội dung nào.", "No substantive publish yet.";
    OpenRetrainingLink => "Mở đợt cập nhật kiến thức cho những người này", "Open a retraining for these officials";
    WaitingOfficials => "Chưa được mời cập nhật ({n} người)", "Not yet invited to retrain ({n})";
    WaitingNone => "Mọi cán bộ chịu ảnh hưởng đều đã được mời.", "Every affected official has been invited.";
    ScopeEveryone => "Mọi cán bộ chịu ảnh hưởng", "Every affected official";
    ScopeMine => "Cán bộ trong đơn vị tôi quản lý", "Officials in my units";
    ToReread => "Đọc lại", "Reread";
    ShortExamFrom => "Bài kiểm tra ngắn từ {n} câu hỏi", "Short exam drawn from {n} questions";
    DeadlineLabel => "Hạn hoàn thành", "Deadline";
    DrawLabel => "Số câu hỏi", "Questions";
    OpenRetraining => "Mở đợt cập nhật", "Open the retraining";
    RetrainingOpened => "Đã mở đợt cập nhật kiến thức cho {n} cán bộ.", "Retraining opened for {n} officials.";
    RetrainingRefusedDeadline => "Hạn hoàn thành không được trước hôm nay.", "The deadline cannot be before today.";
    RetrainingRefusedNone => "Không còn ai cần mời: mọi cán bộ chịu ảnh hưởng đã được mời.", "No one left to invite: every affected official is invited.";
    RetrainingRefusedNewer => "Đã có phiên bản thay đổi nội dung mới hơn: mở đợt cập nhật theo phiên bản mới nhất.", "A newer substantive version exists: open the retraining after the newest one.";
    RetrainingSuperseded => "Đã có phiên bản mới hơn; đợt cập nhật mở theo phiên bản mới nhất gồm cả thay đổi này.", "A newer version exists; a retraining after the newest includes this change.";
    ShowWaiting => "Xem danh sách", "Show the list";
    RetrainingRefusedExam => "Khóa học không có bài kiểm tra để cập nhật.", "The course has no exam to retrain with.";
    RetrainingsOpened => "Các đợt đã mở", "Retrainings opened";
    RetrainingProgress => "{done}/{total} đã hoàn thành · hạn {date}", "{done}/{total} done · due {date}";
    CurrentVersionMetric => "Chứng nhận theo phiên bản hiện hành: {cur}/{all} cán bộ có chứng nhận còn hiệu lực", "Certified on the current version: {cur} of {all} officials with a valid certificate";
    OwedTitle => "Cập nhật kiến thức", "Retraining";
    OwedLead => "Nội dung các khóa học dưới đây đã thay đổi sau khi bạn được cấp chứng nhận. Hãy đọc lại các bài đã thay đổi và làm bài kiểm tra ngắn.", "These courses changed after you were certified. Reread the changed lessons and take the short exam.";
    OwedReason => "Lý do", "Why";
    ShortExamLink => "Làm bài kiểm tra ngắn ({n} câu)", "Take the short exam ({n} questions)";
    RecertExamNote => "Bài kiểm tra ngắn cập nhật kiến thức: {n} câu từ các nội dung mới hoặc đã sửa. Đọc lại các bài đã thay đổi trước.", "Retraining short exam: {n} questions on what is new or changed. Reread the changed lessons first.";
    ReadAgainDone => "đã đọc lại", "reread";
    LessonsAdded => "Bài học thêm", "Lessons added";
    LessonsChanged => "Bài học sửa", "Lessons changed";
    LessonsRemoved => "Bài học bỏ", "Lessons removed";
    QuestionsAdded => "Câu hỏi thêm", "Questions added";
    QuestionsChanged => "Câu hỏi sửa", "Questions changed";
    QuestionsRemoved => "Câu hỏi bỏ", "Questions removed";
    SettingsChanged => "Thông tin khóa học hoặc cấu hình bài thi thay đổi", "Course details or exam settings changed";
    ServedFromPublish => "đang dùng bản xuất bản #{n} từ trình soạn", "served from editor publish #{n}";
    ServedFromFolder => "đang dùng thư mục nội dung", "served from the content folder";
    PublishSuperseded => "Thư mục nội dung của khóa học đã thay đổi sau bản xuất bản #{n}: học viên đang thấy nội dung từ thư mục.", "The course folder changed after publish #{n}: learners see the folder's content.";
    PublishedVersion => "Đã xuất bản phiên bản #{n}", "Published version #{n}";
    KindMinor => "sửa câu chữ", "minor (wording)";
    KindSubstantive => "thay đổi nội dung", "substantive";
    AffectedOfficials => "Cán bộ có chứng nhận theo phiên bản trước: {n}", "Officials certified on an earlier version: {n}";
    PublishRefusedErrors => "Chưa xuất bản: khóa học (kèm bản nháp) còn lỗi. Sửa các lỗi dưới đây rồi xuất bản lại.", "Not published: the course with its drafts has errors. Fix those below and publish again.";
    PublishRefusedStale => "Chưa xuất bản: vừa có người khác xuất bản khóa học này. Xem lại thay đổi dưới đây rồi xuất bản lại.", "Not published: someone else has just published this course. Review what changes below, then publish again.";
    PublishRefusedLoad => "Bản xuất bản #{n} có lỗi với phiên bản Taphuan này: học viên đang thấy nội dung từ thư mục.", "Publish #{n} has errors with this version of Taphuan: learners see the folder's content.";
    PublishNeedsReason => "Chưa xuất bản: hãy ghi lý do thay đổi.", "Not published: write the reason for the change.";
    Files => "Tệp", "Files";
    Draft => "bản nháp", "draft";
    CheckerWithDrafts => "Kiểm tra (kèm bản nháp)", "Checker (with drafts)";
    PendingChanges => "Sẽ thay đổi khi xuất bản ({n} bản nháp)", "What publishing changes ({n} drafts)";
    Publish => "Xuất bản", "Publish";
    PublishKind => "Loại thay đổi", "Kind of change";
    PublishReason => "Lý do", "Reason";
    PublishHistory => "Các lần xuất bản", "Publishes";
    NoPublishes => "Chưa xuất bản lần nào từ trình soạn.", "Not yet published from the editor.";
    EditorDraftSaved => "Đã lưu bản nháp.", "Draft saved.";
    SaveEditorDraft => "Lưu bản nháp", "Save the draft";
    Toolbar => "Chèn mẫu", "Insert a template";
    AutosavedAt => "Tự động lưu lúc {t}", "Saved automatically at {t}";
    Checker => "Kiểm tra", "Checker";
    Preview => "Xem trước", "Preview";
    PreviewAsYouType => "Bản xem trước hiện khi bạn gõ (cần JavaScript).", "The preview appears as you type (needs JavaScript).";
    DiscardDraft => "Bỏ bản nháp", "Discard the draft";
    DraftDiff => "Bản nháp so với bản đang dùng", "The draft against the published text";
    Version => "Phiên bản", "Version";
    Accounts => "Tài khoản", "Accounts";
    Role => "Vai trò", "Role";
    AdminLead => "Tổng quan hệ thống: đơn vị, cán bộ và tài khoản.", "System overview: agencies, officials and accounts.";
    CoverageLead => "Số cán bộ trong phạm vi bạn quản lý, theo đơn vị.", "Officials in your scope, by agency.";
    ShowPeople => "Xem danh sách", "Show officials";
    Search => "Tìm", "Search";
    Language => "Ngôn ngữ", "Language";
    SwitchToOther => "English", "Tiếng Việt";
    SkipToContent => "Bỏ qua, đến nội dung chính", "Skip to main content";
    Minutes => "phút", "minutes";
    ValidityMonths => "Hiệu lực chứng nhận (tháng)", "Certificate validity (months)";
    PassMark => "Điểm đạt", "Pass mark";
    // Coverage dashboard, official's record, roster import, report (issue 5).
    CoverageLeadPrograms => "Tỷ lệ cán bộ thuộc diện đã đạt yêu cầu của chỉ tiêu, theo đơn vị, tính đến một ngày bất kỳ.", "Share of the officials in scope who meet the program's requirement, per agency, as of any date.";
    Program => "Chỉ tiêu", "Program";
    AsOf => "Tính đến ngày", "As of";
    Show => "Xem", "Show";
    CoverageRate => "Tỷ lệ đạt", "Coverage";
    Target => "Mục tiêu", "Target";
    Covered => "Đã đạt", "Covered";
    NotCovered => "Chưa đạt", "Not covered";
    Exempt => "Miễn trừ", "Exempt";
    Population => "Thuộc diện", "In scope";
    Base => "Phải đạt", "Must be trained";
    Deadline => "Hạn hoàn thành", "Deadline";
    RagGreen => "Đạt mục tiêu", "On target";
    RagAmber => "Gần đạt hoặc đúng tiến độ", "Close or on pace";
    RagRed => "Chậm tiến độ", "Behind";
    Rating => "Đánh giá", "Rating";
    BurnUp => "Số cán bộ đạt theo tuần", "Officials covered, week by week";
    LateBy => "muộn {n} ngày so với hạn {d}", "{n} days after the deadline of {d}";
    Forecast => "Dự báo", "Forecast";
    TrailingRate => "Tốc độ 4 tuần gần nhất", "Trailing 4-week rate";
    PerWeek => "cán bộ/tuần", "officials/week";
    PaceFalling => "giảm", "down";
    PaceFallingWhy => "số cán bộ đạt đang giảm: chứng nhận hết hạn hoặc bị thu hồi, cán bộ chuyển đi, hoặc phải học lại theo văn bản mới", "fewer officials are covered: certificates expired or were revoked, officials left, or retraining is owed after a law change";
    ProjectedDate => "Dự kiến đạt mục tiêu", "Projected to reach the target";
    NoProjection => "Không dự báo được: không có tiến triển trong 4 tuần qua", "No projection: no progress in the last 4 weeks";
    NeededPace => "Cần đạt để kịp hạn", "Needed to make the deadline";
    TargetMet => "Đã đạt mục tiêu", "Target met";
    DeadlinePassed => "Đã quá hạn", "Deadline passed";
    Remaining => "Còn thiếu", "Still needed";
    MissingPeople => "Cán bộ chưa đạt", "Officials not yet covered";
    ExemptList => "Danh sách được miễn trừ (không tính vào số phải đạt)", "Exempted (not among those who must be trained)";
    MissingCourses => "Khóa còn thiếu", "Missing courses";
    Reason => "Lý do", "Reason";
    ApprovedBy => "Người phê duyệt", "Approved by";
    Download => "Tải về", "Download";
    ByAgency => "Theo đơn vị", "By agency";
    Matrix => "Cán bộ × khóa học", "Officials × courses";
    PrintReport => "Báo cáo in", "Print report";
    ClosedAgency => "đã giải thể/sáp nhập", "closed/merged";
    AllCovered => "Mọi cán bộ thuộc diện của đơn vị này đã đạt.", "Everyone in scope here is covered.";
    PickAgency => "Chọn một đơn vị để xem danh sách cán bộ chưa đạt", "Pick an agency to see who is not yet covered";
    Outreach => "Tuyên truyền cho doanh nghiệp và người tiêu dùng", "Outreach to businesses and consumers";
    Sellers => "Người bán trên nền tảng TMĐT", "Sellers on platforms";
    Consumers => "Người tiêu dùng", "Consumers";
    Events => "Số hoạt động", "Events";
    Reached => "Số lượt tiếp cận", "Reached";
    KnownPopulation => "Tổng số đã biết", "Known population";
    Kind => "Đối tượng", "Audience";
    Definitions => "Cách tính", "How it is counted";
    DefinitionsText => "Thuộc diện: cán bộ thuộc đơn vị trong phạm vi vào ngày tính, đúng chức vụ và nhiệm vụ thực thi theo chỉ tiêu. Miễn trừ được đếm riêng và không tính vào số phải đạt. Đạt: có chứng nhận còn hiệu lực đến hạn (hoặc đã hoàn thành, tùy chương trình) cho các khóa học bắt buộc. Xanh: đạt mục tiêu; vàng: thiếu không quá 15 điểm phần trăm hoặc đúng tiến độ; đỏ: còn lại.", "In scope: officials of an agency in your scope on the date, with the program's positions and enforcement duty. Exemptions are counted separately and leave the denominator. Covered: a certificate valid at the deadline (or a completion, per program) for the required courses. Green: target met; amber: within 15 points or on pace; red: otherwise.";
    Status => "Trạng thái", "Status";
    History => "Quá trình công tác", "Agency history";
    Certificates => "Chứng nhận", "Certificates";
    CertNumber => "Số chứng nhận", "Certificate number";
    Issued => "Ngày cấp", "Issued";
    ValidUntil => "Hiệu lực đến", "Valid until";
    Revoked => "Đã thu hồi", "Revoked";
    FromDate => "Từ ngày", "From";
    ToDate => "Đến ngày", "To";
    CompletedOn => "Hoàn thành", "Completed";
    InScopeOf => "Thuộc diện chỉ tiêu", "In the program's scope";
    NotInScopeOf => "Không thuộc diện chỉ tiêu", "Not in the program's scope";
    LeftService => "Đã nghỉ/chuyển đi", "Has left";
    NoCertificates => "Chưa có chứng nhận.", "No certificates yet.";
    NavRoster => "Nhập danh sách", "Import roster";
    RosterLead => "Tải lên danh sách cán bộ: tệp Excel (.xlsx) hoặc CSV (UTF-8, dấu phẩy hoặc chấm phẩy). Hệ thống kiểm tra toàn bộ tệp và cho xem trước các thay đổi; chỉ áp dụng khi bạn xác nhận, và áp dụng tất cả hoặc không gì cả.", "Upload a roster: an Excel file (.xlsx) or CSV (UTF-8, comma or semicolon). The whole file is checked and the changes previewed; nothing is applied until you confirm, and then all of it or nothing.";
    RosterColumns => "Cột bắt buộc: mã cán bộ, họ và tên, mã đơn vị, chức vụ, nhiệm vụ thực thi (có/không). Không bắt buộc: email, điện thoại, ngày bắt đầu, ngày kết thúc (dd/mm/yyyy). Với tệp Excel: dòng đầu của trang tính đầu tiên là tên cột; nên định dạng cột mã và điện thoại là Văn bản để giữ số 0 ở đầu.", "Required columns: official code, full name, agency code, position, enforcement (yes/no). Optional: email, phone, start date, end date (dd/mm/yyyy). For Excel: the first row of the first sheet names the columns; format the code and phone columns as Text to keep leading zeros.";
    RosterFile => "Tệp danh sách (CSV hoặc Excel .xlsx)", "Roster file (CSV or Excel .xlsx)";
    ExcelUnreadable => "Không đọc được tệp Excel.", "The Excel file could not be read.";
    CheckFile => "Kiểm tra tệp", "Check the file";
    ApplyChanges => "Xác nhận áp dụng các thay đổi", "Apply these changes";
    RosterErrors => "Tệp có lỗi nên chưa áp dụng gì. Sửa các dòng sau rồi tải lên lại:", "The file has errors, so nothing was applied. Fix these lines and upload again:";
    NoChanges => "Không có thay đổi: danh sách đã khớp với dữ liệu hiện có.", "No changes: the roster already matches.";
    RosterApplied => "Đã áp dụng danh sách.", "The roster was applied.";
    ModeUpdate => "Cập nhật những người trong tệp", "Update the people in this file";
    ModeUpdateHint => "Thêm cán bộ mới, điều chuyển và sửa thông tin; không ai bị coi là nghỉ vì vắng mặt trong tệp.", "Adds joiners, transfers and changes; nobody leaves for being absent from the file.";
    ModeComplete => "Đây là danh sách đầy đủ của đơn vị", "This is the complete list of the unit";
    ModeCompleteHint => "Cán bộ đang hoạt động của đơn vị mà không có trong tệp sẽ được ghi là nghỉ (lịch sử được giữ lại).", "Active officials of the unit missing from the file are recorded as leavers (their history is kept).";
    ImportModeLegend => "Cách đọc tệp", "How to read the file";
    ShowPreview => "Xem lại thay đổi", "Preview the changes";
    UnitLabel => "Đơn vị", "Unit";
    ActiveNow => "cán bộ đang hoạt động", "active officials";
    ConfirmLeaversLead => "Tệp này sẽ ghi nhận nhiều người nghỉ (hơn 20 người hoặc hơn 10% đơn vị). Để xác nhận, nhập số người nghỉ:", "This file records many leavers (more than 20 people or more than 10 % of the unit). To confirm, type the number of leavers:";
    ConfirmLeaversWrong => "Số người nghỉ nhập vào không khớp: không áp dụng gì. Kiểm tra lại danh sách người nghỉ bên dưới.", "The number typed does not match the leavers: nothing was applied. Check the leavers below.";
    NumberOfLeavers => "Số người nghỉ", "Number of leavers";
    CancelUpload => "Hủy tệp này", "Discard this file";
    UploadDiscarded => "Đã hủy tệp: không áp dụng gì.", "File discarded: nothing was applied.";
    FormulaWarnings => "Cảnh báo: ô có thể bị bảng tính hiểu là công thức", "Warning: cells a spreadsheet could run as formulas";
    FileTooBig => "Tệp quá lớn (tối đa 8 MiB). Chia danh sách thành nhiều tệp, hoặc lưu dạng CSV.", "The file is too big (8 MiB at most). Split the list, or save it as CSV.";
    Joiners => "Cán bộ mới", "Joiners";
    Leavers => "Nghỉ hoặc chuyển khỏi phạm vi", "Leavers";
    Transfers => "Điều chuyển", "Transfers";
    Changes => "Thay đổi thông tin", "Changes";
    EffectOnCoverage => "Thay đổi và ảnh hưởng tới chỉ tiêu", "Changes and their effect on coverage";
    UploadMissing => "Chưa chọn tệp, hoặc tệp rỗng/quá lớn.", "No file chosen, or the file is empty or too large.";
    ReportTitle => "Báo cáo tiến độ tập huấn cán bộ thực thi", "Training coverage report";
    Print => "In báo cáo", "Print";
    Generated => "Lập ngày", "Generated on";
    // The printed report as an administrative document, and the letterheads it prints.
    DocNationalName => "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "SOCIALIST REPUBLIC OF VIET NAM";
    DocMotto => "Độc lập - Tự do - Hạnh phúc", "Independence - Freedom - Happiness";
    DocReport => "BÁO CÁO", "REPORT";
    DocReportSummary => "Kết quả tập huấn cán bộ thực thi pháp luật về thương mại điện tử", "Results of the training of officials enforcing e-commerce law";
    DocReportScope => "theo chỉ tiêu \"{program}\", tính đến ngày {date}", "under the program \"{program}\", as of {date}";
    DocIntro => "Trên cơ sở số liệu của hệ thống tập huấn Taphuan, {issuer} báo cáo kết quả tập huấn cán bộ thực thi pháp luật về thương mại điện tử trong phạm vi {scope}, tính đến ngày {date}, như sau:", "From the records of the Taphuan training system, {issuer} reports on the training of officials enforcing e-commerce law in {scope} as of {date}, as follows:";
    DocSecOverall => "I. KẾT QUẢ CHUNG", "I. OVERALL RESULTS";
    DocSecProgress => "II. TIẾN ĐỘ VÀ DỰ BÁO", "II. PROGRESS AND FORECAST";
    DocSecAgencies => "III. KẾT QUẢ THEO ĐƠN VỊ", "III. RESULTS BY AGENCY";
    DocSecNotes => "V. CÁCH TÍNH SỐ LIỆU", "V. HOW THE FIGURES ARE COUNTED";
    DocPopulation => "Tổng số cán bộ thuộc diện", "Officials in scope";
    DocExempt => "Được miễn", "Exempted";
    DocBase => "Phải tập huấn", "To be trained";
    DocCovered => "Đã đạt", "Trained";
    DocNotCovered => "Chưa đạt", "Not yet trained";
    DocRate => "Tỷ lệ đạt", "Rate";
    DocTarget => "Chỉ tiêu: {pct}% cán bộ phải tập huấn đạt yêu cầu trước ngày {date}. Đánh giá:", "Target: {pct}% of the officials to be trained, by {date}. Rating:";
    DocSource => "Số liệu trích từ hệ thống Taphuan ngày {date}.", "Figures taken from Taphuan on {date}.";
    DocClosing => "Trên đây là báo cáo kết quả tập huấn cán bộ thực thi pháp luật về thương mại điện tử tính đến ngày {date}./.", "This concludes the report on the training of officials enforcing e-commerce law as of {date}./.";
    DocRecipients => "Nơi nhận:", "Recipients:";
    DocPrintHint => "Khổ A4, theo thể thức văn bản hành chính; bản in không kèm thanh điều hướng.", "A4, in the administrative format; the printout leaves out the site's navigation.";
    DocPrintNoScript => "Để in: dùng lệnh In của trình duyệt (Ctrl+P; trên máy Mac ⌘P), khổ A4. Bản in không kèm thanh điều hướng.", "To print: use the browser's Print command (Ctrl+P; ⌘P on a Mac), A4. The printout leaves out the site's navigation.";
    LetterheadMissing => "Chưa có thể thức văn bản cho {scope} hay đơn vị cấp trên: bản in để trống bằng dấu chấm cơ quan ban hành, ký hiệu, địa danh, người ký và nơi nhận.", "No letterhead is set for {scope} or any agency above it: the printout leaves the issuing body, symbol, place, signer and recipients as dots.";
    LetterheadFrom => "Thể thức văn bản của {agency}.", "Letterhead of {agency}.";
    LetterheadSet => "Đặt thể thức văn bản", "Set the letterhead";
    LetterheadEdit => "Sửa thể thức văn bản", "Edit the letterhead";
    NavLetterhead => "Thể thức văn bản", "Letterheads";
    LetterheadLead => "Cơ quan ban hành, ký hiệu, địa danh, người ký và nơi nhận in trên báo cáo theo thể thức văn bản hành chính (sau này cả trên giấy chứng nhận và danh sách lớp). Mỗi đơn vị có thể đặt riêng; đơn vị chưa đặt dùng thể thức của đơn vị cấp trên gần nhất.", "The issuing body, symbol, place, signer and recipients a report prints in the administrative format (later certificates and class lists too). Each agency may set its own; one without uses that of the nearest agency above it.";
    LetterheadChoose => "Chọn đơn vị", "Choose the agency";
    LetterheadOwnTag => "đã đặt riêng", "its own";
    LetterheadInheritsTag => "dùng của {agency}", "uses {agency}'s";
    LetterheadNoneTag => "chưa có", "none";
    LetterheadStatusOwn => "Đơn vị này đã có thể thức văn bản riêng.", "This agency has its own letterhead.";
    LetterheadStatusInherited => "Đơn vị này đang dùng thể thức văn bản của {agency}. Lưu biểu mẫu dưới đây để đặt riêng cho đơn vị này.", "This agency uses the letterhead of {agency}. Save the form below to give it its own.";
    LetterheadStatusNone => "Chưa có thể thức văn bản cho đơn vị này hay đơn vị cấp trên: báo cáo in ra để trống bằng dấu chấm.", "No letterhead for this agency or any above it: its reports print dots.";
    LetterheadSaved => "Đã lưu thể thức văn bản.", "Letterhead saved.";
    LetterheadSave => "Lưu thể thức văn bản", "Save the letterhead";
    LetterheadSeeReport => "Xem báo cáo in", "See the print report";
    LhParentBody => "Cơ quan chủ quản (nếu có)", "Managing body (if any)";
    LhParentBodyHint => "Dòng trên cùng bên trái, in hoa. Ví dụ: Sở Công Thương tỉnh Gia Lai.", "The top left line, in capitals. E.g. Sở Công Thương tỉnh Gia Lai.";
    LhIssuer => "Cơ quan ban hành", "Issuing body";
    LhIssuerHint => "In hoa, đậm, dưới cơ quan chủ quản. Ví dụ: Chi cục Quản lý thị trường.", "In bold capitals, under the managing body. E.g. Chi cục Quản lý thị trường.";
    LhSymbol => "Chữ viết tắt trong ký hiệu văn bản", "Abbreviation in document symbols";
    LhSymbolHint => "Chữ in hoa, chữ số, dấu '-'. Ví dụ CCQLTT cho \"Số: …/BC-CCQLTT\".", "Capitals, digits, '-'. E.g. CCQLTT for \"Số: …/BC-CCQLTT\".";
    LhPlace => "Địa danh", "Place name";
    LhPlaceHint => "Đứng trước ngày tháng: \"Gia Lai, ngày … tháng … năm …\".", "Before the date: \"Gia Lai, ngày … tháng … năm …\".";
    LhSignerAuthority => "Thẩm quyền ký (khi ký thay)", "Signing authority (when signing on behalf)";
    LhSignerAuthorityHint => "Ví dụ: KT. Chi cục trưởng; TL. Giám đốc. Để trống khi người đứng đầu ký.", "E.g. KT. Chi cục trưởng; TL. Giám đốc. Empty when the head signs.";
    LhSignerTitle => "Chức vụ người ký", "Signer's title";
    LhSignerTitleHint => "Ví dụ: Phó Chi cục trưởng.", "E.g. Phó Chi cục trưởng.";
    LhSignerName => "Họ và tên người ký", "Signer's full name";
    LhRecipients => "Nơi nhận (mỗi dòng một nơi)", "Recipients (one a line)";
    LhRecipientsHint => "Ví dụ: \"Như trên;\" rồi \"Lưu: VT, NV.\". Dấu gạch đầu dòng được thêm khi in.", "E.g. \"Như trên;\" then \"Lưu: VT, NV.\". The dashes are added when printed.";
    RecordOutreach => "Ghi nhận hoạt động tuyên truyền", "Record an outreach event";
    HeldOn => "Ngày tổ chức", "Held on";
    ActivityTitle => "Tên hoạt động", "Title";
    Save => "Lưu", "Save";
    Saved => "Đã lưu.", "Saved.";
    OutreachKindProblem => "Đối tượng phải là người bán hoặc người tiêu dùng.", "The audience must be sellers or consumers.";
    OutreachDateProblem => "Ngày tổ chức không hợp lệ — ghi một ngày đã qua, dạng yyyy-mm-dd.", "The date is not valid — enter a past date, as yyyy-mm-dd.";
    OutreachTitleProblem => "Ghi tên hoạt động (tối đa 200 ký tự).", "Enter the activity's name (at most 200 characters).";
    OutreachReachedProblem => "Số lượt tiếp cận phải từ 0 đến 10 000 000.", "People reached must be between 0 and 10,000,000.";
    OutreachPopulationProblem => "Tổng số phải từ 1 đến 100 000 000.", "The total must be between 1 and 100,000,000.";
    OutreachSourceProblem => "Ghi nguồn số liệu (tối đa 200 ký tự), ví dụ \"Sở Công Thương, 10/2026\".", "Enter where the figure comes from (at most 200 characters), e.g. \"Sở Công Thương, 10/2026\".";
    NavTranscript => "Bảng điểm", "Transcript";
    AssignedCourses => "Khóa học bắt buộc", "Required courses";
    AssignedLead => "Theo các chỉ tiêu tập huấn áp dụng cho chức vụ và đơn vị của bạn.", "From the training programs that apply to your position and agency.";
    NoAssigned => "Hiện chưa có khóa học bắt buộc nào cho bạn.", "No course is required of you at the moment.";
    OtherCourses => "Các khóa học khác", "Other courses";
    NotALearner => "Tài khoản này không gắn với cán bộ trong danh sách: bạn có thể xem khóa học nhưng không lưu được tiến độ.", "This account is not linked to an official on the roster: you can browse courses but progress is not saved.";
    Due => "Hạn hoàn thành", "Due";
    Overdue => "Quá hạn", "Overdue";
    LessonsRead => "Bài đã đọc", "Lessons read";
    Exam => "Bài kiểm tra", "Exam";
    ExamNone => "Không có bài kiểm tra", "No exam";
    ExamPreview => "Xem trước dành cho giảng viên: một lượt rút câu hỏi như học viên sẽ thấy. Không ghi lượt làm bài; tải lại trang để rút lượt khác.", "Trainer's preview: one draw of questions as a learner will see them. No attempt is recorded; reload the page for another draw.";
    NotTranslated => "Phần này chưa có bản tiếng Anh: nội dung hiển thị bằng tiếng Việt.", "This part has not been translated into English yet: it is shown in Vietnamese.";
    ExamNotTaken => "Chưa làm", "Not taken";
    ExamInProgress => "Đang làm", "In progress";
    ExamFailed => "Chưa đạt", "Not passed";
    ExamPassed => "Đạt", "Passed";
    BestScore => "điểm cao nhất", "best score";
    Completed => "Đã hoàn thành", "Completed";
    Recertify => "Đến kỳ cấp lại chứng nhận", "Due for recertification";
    Certificate => "Chứng nhận", "Certificate";
    ViewCertificate => "Xem chứng nhận", "View certificate";
    Continue => "Tiếp tục học", "Continue";
    StartCourse => "Bắt đầu học", "Start the course";
    OpenCourse => "Mở khóa học", "Open the course";
    LessonList => "Danh sách bài học", "Lessons";
    Read => "Đã đọc", "Read";
    NotRead => "Chưa đọc", "Not read";
    LessonOf => "Bài", "Lesson";
    Of => "trên", "of";
    Contents => "Mục lục", "Contents";
    Previous => "Bài trước", "Previous lesson";
    Next => "Bài tiếp theo", "Next lesson";
    MarkRead => "Đánh dấu đã đọc", "Mark as read";
    MarkReadNext => "Đã đọc xong, sang bài tiếp", "Done, next lesson";
    AlreadyRead => "Bạn đã đọc bài này.", "You have read this lesson.";
    BackToCourse => "Về trang khóa học", "Back to the course";
    KnowledgeCheck => "Kiểm tra nhanh", "Quick check";
    KnowledgeCheckNote => "Không tính điểm vào bài kiểm tra cuối khóa.", "Not counted in the final exam.";
    CheckAnswer => "Kiểm tra đáp án", "Check my answer";
    Correct => "Chính xác!", "Correct!";
    Incorrect => "Chưa đúng.", "Not quite.";
    PartlyCorrect => "Đúng một phần", "Partly correct";
    NoAnswer => "Bạn chưa chọn hoặc nhập câu trả lời.", "You have not chosen or typed an answer.";
    True => "Đúng", "True";
    False => "Sai", "False";
    YourAnswer => "Câu trả lời", "Your answer";
    ChooseOne => "— Chọn —", "— Choose —";
    ExamRules => "Quy định", "Rules";
    QuestionsPerAttempt => "Số câu mỗi lượt", "Questions per attempt";
    AttemptsUsed => "Số lượt đã dùng", "Attempts used";
    Unlimited => "không giới hạn", "unlimited";
    TimeLimit => "Thời gian làm bài", "Time limit";
    NoTimeLimit => "Không giới hạn thời gian", "No time limit";
    Cooldown => "Chờ sau lượt chưa đạt", "Wait after a failed attempt";
    StartExam => "Bắt đầu làm bài", "Start the exam";
    UnansweredCount => "Bạn còn {n} câu chưa trả lời.", "{n} questions are still unanswered.";
    UnansweredAsk => "Các câu đã trả lời đã được lưu. Trả lời nốt các câu còn trống, hoặc bấm “Nộp bài” lần nữa để nộp bài như hiện tại (câu để trống không được điểm).", "Your answers so far are saved. Answer the rest, or press “Submit” again to submit as it is (a blank question scores nothing).";
    SubmitExam => "Nộp bài", "Submit";
    Question => "Câu", "Question";
    ExamDeadline => "Hạn nộp", "Time runs out at";
    TimeLeft => "Thời gian còn lại", "Time left";
    MinutesLeft => "phút còn lại", "minutes left";
    YourAttempts => "Các lượt đã làm", "Your attempts";
    Attempt => "Lượt", "Attempt";
    Started => "Bắt đầu", "Started";
    Score => "Điểm", "Score";
    Result => "Kết quả", "Result";
    Late => "quá giờ", "late";
    NotSubmitted => "Chưa nộp", "Not submitted";
    RefusedLessons => "Hãy đọc hết các bài học trước khi làm bài kiểm tra.", "Read every lesson before taking the exam.";
    RefusedCompleted => "Bạn đã đạt bài kiểm tra này và chứng nhận còn hiệu lực.", "You have passed this exam and your certificate is valid.";
    RefusedNoAttempts => "Bạn đã dùng hết số lượt làm bài.", "You have used every attempt.";
    RefusedCooldown => "Bạn có thể làm lại sau", "You may try again after";
    RefusedNoExam => "Khóa học này không có bài kiểm tra.", "This course has no exam.";
    Passed => "Đạt", "Passed";
    Failed => "Chưa đạt", "Not passed";
    ResultPassed => "Chúc mừng! Bạn đã đạt bài kiểm tra.", "Congratulations! You passed the exam.";
    ResultFailed => "Bạn chưa đạt bài kiểm tra lần này.", "You did not pass this time.";
    ResultLate => "Bài nộp sau khi hết giờ nên không được tính câu trả lời.", "The answers arrived after time ran out and were not counted.";
    Review => "Xem lại bài làm", "Review";
    ReviewHidden => "Khóa học này không cho xem lại đáp án lúc này.", "This course does not show the review now.";
    TryAgain => "Làm lại bài kiểm tra", "Try the exam again";
    TryAgainAfter => "Bạn có thể làm lại từ {t}.", "You can try again from {t}.";
    AttemptsLeft => "Còn {n} lượt làm bài.", "{n} attempts left.";
    RevisitLessons => "Nên xem lại các bài học trước khi làm lại:", "Go over the lessons before trying again:";
    RecordAsOf => "Tình trạng cuối ngày {d}, như trên bảng tiến độ ngày đó; các lần hoàn thành và chứng nhận sau ngày này chưa được tính.", "The standing at the end of {d}, as the dashboard showed it that day; completions and certificates after that date are not counted.";
    RecordToday => "Xem tình trạng hôm nay", "See today's standing";
    RereadHeading => "Bài học nên đọc lại", "Lessons to read again";
    RereadMissed => "{n} câu chưa đúng", "{n} missed";
    RereadLesson => "Đọc lại bài {n}:", "Read lesson {n}:";
    ReviewLessons => "Xem lại bài học", "Go over the lessons";
    ContinueAttempt => "Tiếp tục lượt làm bài đang mở", "Continue the open attempt";
    AskManagerForMore => "Hãy xem lại bài học và liên hệ cán bộ quản lý nếu cần thêm lượt.", "Go over the lessons and ask your manager if you need another attempt.";
    AllLessonsRead => "Bạn đã đọc hết các bài học.", "You have read every lesson.";
    ExamNowOpen => "Bài kiểm tra đã mở: làm bài khi bạn sẵn sàng.", "The exam is open: take it when you are ready.";
    TakeExam => "Làm bài kiểm tra", "Take the exam";
    ExamLockedHint => "Bài kiểm tra mở khi bạn đã đọc hết các bài học.", "The exam opens once you have read every lesson.";
    BackToExam => "Về trang bài kiểm tra", "Back to the exam";
    CertTitle => "GIẤY CHỨNG NHẬN", "CERTIFICATE";
    CertHeader => "Hoàn thành khóa tập huấn", "Completion of training";
    CertIntro => "Chứng nhận Ông/Bà", "This certifies that";
    CertCompleted => "đã hoàn thành khóa tập huấn", "has completed the training course";
    CertNo => "Số", "Number";
    CertDate => "Ngày hoàn thành", "Completed on";
    NoExpiry => "Không thời hạn", "No expiry";
    CertScan => "Quét mã để kiểm tra tính hợp lệ", "Scan to verify";
    PrintCertificate => "In chứng nhận", "Print";
    PrintHint => "Khổ A4; dùng lệnh In của trình duyệt (Ctrl+P).", "A4; use the browser's Print command (Ctrl+P).";
    VerifyTitle => "Kiểm tra chứng nhận", "Verify a certificate";
    StatusValid => "Còn hiệu lực", "Valid";
    StatusExpired => "Đã hết hạn", "Expired";
    StatusRevoked => "Đã bị thu hồi", "Revoked";
    StatusUnknown => "Không tìm thấy chứng nhận có số này.", "No certificate has this number.";
    SignatureOk => "Chữ ký số trên mã QR hợp lệ.", "The QR code's digital signature is genuine.";
    SignatureBad => "Chữ ký số trên mã QR KHÔNG hợp lệ.", "The QR code's digital signature is NOT genuine.";
    IssuedOn => "Ngày cấp", "Issued on";
    Course => "Khóa học", "Course";
    TranscriptTitle => "Bảng điểm tập huấn", "Training transcript";
    TranscriptEmpty => "Chưa có khóa học nào được hoàn thành.", "No course completed yet.";
    PrintedOn => "Ngày in", "Printed on";
    Source => "Hình thức", "How";
    NavPrograms => "Chỉ tiêu", "Targets";
    ProgramsLead => "Mỗi chỉ tiêu xác định ai phải được tập huấn (đơn vị × chức danh × nhiệm vụ thực thi), khóa học nào, đến ngưỡng nào và hạn nào. Mọi thay đổi được lưu cùng lý do và người sửa.", "Each target says who must be trained (agency × position × enforcement duty), in which courses, to what threshold and by when. Every change is kept with its reason and author.";
    NewProgram => "Tạo chỉ tiêu mới", "New target";
    EditProgram => "Sửa chỉ tiêu", "Edit target";
    ViewOnlyProgram => "Chỉ tiêu này do cấp trên đặt: bạn xem được nhưng không sửa được.", "This target is set above your level: you can view it but not change it.";
    FieldCode => "Mã chỉ tiêu", "Code";
    FieldName => "Tên chỉ tiêu", "Name";
    FieldDescription => "Mô tả, căn cứ", "Description, legal basis";
    FieldRoot => "Đơn vị (gồm mọi đơn vị trực thuộc)", "Agency (with every agency under it)";
    FieldPositions => "Chức danh", "Positions";
    PositionsHint => "Không chọn chức danh nào = mọi chức danh.", "No position chosen = every position.";
    FieldEnforcementOnly => "Chỉ cán bộ có nhiệm vụ thực thi", "Only officials with an enforcement duty";
    FieldCourses => "Khóa học bắt buộc", "Required courses";
    FieldRule => "Cách tính", "Counts as trained when";
    RuleAll => "Hoàn thành tất cả các khóa đã chọn", "All the chosen courses are completed";
    RuleAny => "Hoàn thành ít nhất một khóa đã chọn", "Any one of the chosen courses is completed";
    FieldThreshold => "Ngưỡng (%)", "Threshold (%)";
    FieldMetric => "Thước đo", "Metric";
    MetricValid => "Có chứng nhận còn hiệu lực đến hạn chỉ tiêu", "A certificate still valid at the deadline";
    MetricEver => "Đã từng hoàn thành khóa học", "Ever completed the course";
    OutdatedVersion => "Chứng nhận theo phiên bản trước khi luật thay đổi — cần cập nhật kiến thức", "Certified on the version before the law changed — retraining needed";
    MetricCurrent => "Có chứng nhận còn hiệu lực, cấp theo phiên bản hiện hành của khóa học (sau lần cập nhật nội dung do thay đổi pháp luật gần nhất)", "A valid certificate earned on the course's current version (since its latest substantive, law-change update)";
    FieldActive => "Đang áp dụng", "In force";
    FieldReason => "Lý do thay đổi", "Reason for the change";
    ReasonHint => "Lưu trong lịch sử chỉ tiêu, ví dụ \"Theo KH 1122/KH-UBND\".", "Kept in the target's history, e.g. \"Per plan 1122/KH-UBND\".";
    ProgramSaved => "Đã lưu chỉ tiêu.", "Target saved.";
    FixProblems => "Chưa lưu — hãy sửa các mục sau:", "Not saved — please fix the following:";
    RevisionHistory => "Lịch sử thay đổi", "History of changes";
    RevisionNo => "Lần", "Rev.";
    ChangedAt => "Thời điểm", "When";
    ChangedBy => "Người sửa", "By";
    WhatChanged => "Thay đổi", "What changed";
    CreatedRevision => "Tạo chỉ tiêu", "Target created";
    Exemptions => "Miễn trừ", "Exemptions";
    NoExemptions => "Chưa có miễn trừ.", "No exemptions.";
    ExemptSince => "Hiệu lực từ", "In force from";
    WithdrawnOn => "Thu hồi ngày", "Withdrawn on";
    InForce => "Đang hiệu lực", "In force";
    Withdraw => "Thu hồi", "Withdraw";
    WithdrawReason => "Lý do thu hồi", "Reason for withdrawal";
    RecordExemption => "Ghi miễn trừ cho chỉ tiêu này", "Exempt from this target";
    ExemptionReason => "Lý do miễn trừ", "Reason for the exemption";
    ApproverHint => "Người phê duyệt và văn bản, ví dụ \"Chi cục trưởng — QĐ 15/QĐ-CCQLTT\"", "Who approved it and the document, e.g. \"Head — Decision 15/QĐ-CCQLTT\"";
    ExemptionRecorded => "Đã ghi miễn trừ: cán bộ được đếm riêng, không tính vào số phải đạt từ hôm nay.", "Exemption recorded: the official is counted apart and leaves the base from today.";
    ExemptionWithdrawn => "Đã thu hồi miễn trừ: cán bộ trở lại số phải đạt từ hôm nay.", "Exemption withdrawn: the official is back in the base from today.";
    ExemptionRule => "Miễn trừ có hiệu lực từ ngày ghi (không ghi lùi ngày) đến ngày thu hồi, nên số liệu \"tính đến\" các ngày trước không thay đổi.", "An exemption is in force from the day it is recorded (never backdated) until it is withdrawn, so \"as of\" figures for earlier days never change.";
    Inactive => "Ngừng áp dụng", "Not in force";
    RevisionsCount => "Số lần sửa", "Revisions";
    EditAction => "Sửa", "Edit";
    ViewAction => "Xem", "View";
    ViewCoverage => "Xem độ bao phủ", "View coverage";
    ManagePrograms => "Quản lý chỉ tiêu", "Manage targets";
    RuleChangedAfter => "Số liệu tính theo chỉ tiêu hiện hành; chỉ tiêu đã được sửa sau ngày xem, lần gần nhất ngày", "Figures use the target as it stands today; it was changed after this date, last on";
    CertificateRevoked => "Đã thu hồi chứng nhận: từ hôm nay chứng nhận không còn được tính và trang xác minh báo \"đã thu hồi\".", "Certificate revoked: from today it no longer counts and the verification page says \"revoked\".";
    Revoke => "Thu hồi", "Revoke";
    RevokeReason => "Lý do thu hồi chứng nhận", "Reason for revoking";
    SetKnownPopulation => "Ghi tổng số doanh nghiệp / người tiêu dùng đã biết", "Set the known number of businesses / consumers";
    PopulationSource => "Nguồn số liệu", "Source of the figure";
    DraftSavedAt => "Câu trả lời đã được lưu tạm lúc", "Answers saved at";
    SaveDraft => "Lưu tạm, làm tiếp sau", "Save and continue later";
    DraftSaved => "Đã lưu tạm câu trả lời. Bạn có thể làm tiếp trước khi hết giờ.", "Answers saved. You can continue before time runs out.";
    ProgramToday => "Hôm nay, trong phạm vi của bạn", "Today, within your scope";
    AgencyTree => "Danh mục đơn vị", "Agency tree";
    AgencyFile => "Tệp danh mục đơn vị (CSV hoặc Excel .xlsx)", "Agency file (CSV or Excel .xlsx)";
    AgencyColumns => "Cột: mã đơn vị, tên đơn vị, mã đơn vị cấp trên; không bắt buộc: hiệu lực từ, hiệu lực đến (dd/mm/yyyy), sáp nhập vào (mã đơn vị). Đơn vị đổi tên, sáp nhập hay giải thể giữ lại lịch sử của mình.", "Columns: agency code, name, parent code; optional: valid from, valid to (dd/mm/yyyy), merged into (agency code). Renamed, merged or closed agencies keep their history.";
    Before => "Trước", "Before";
    After => "Sau", "After";
    ActivateTitle => "Kích hoạt tài khoản", "Activate your account";
    ActivateLead => "Lần đầu đăng nhập, hoặc vừa được cấp mã đặt lại mật khẩu: nhập tên đăng nhập và mã trên phiếu, rồi tự đặt mật khẩu của mình.", "Signing in for the first time, or given a reset code: enter your username and the code on your slip, then choose your own password.";
    OneTimeCode => "Mã trên phiếu", "Code from your slip";
    OneTimeCodeHint => "12 ký tự, ví dụ 7KQ2-MX9D-41TB (không phân biệt chữ hoa, chữ thường).", "12 characters, e.g. 7KQ2-MX9D-41TB (upper or lower case).";
    NewPassword => "Mật khẩu mới", "New password";
    NewPasswordHint => "Ít nhất 8 ký tự, không cần ký tự đặc biệt. Một câu ngắn dễ nhớ là mật khẩu tốt. Được dán từ trình quản lý mật khẩu.", "At least 8 characters; no special characters needed. A short sentence you remember makes a good password. Pasting is fine.";
    ShowPassword => "Hiện mật khẩu", "Show password";
    SetPasswordAndSignIn => "Đặt mật khẩu và đăng nhập", "Set password and sign in";
    BadCode => "Tên đăng nhập hoặc mã không đúng, mã đã dùng hoặc đã hết hạn. Xin người quản lý đơn vị cấp mã mới nếu cần.", "Wrong username or code, or the code was used or has expired. Ask your unit's manager for a new code if needed.";
    FirstSignIn => "Lần đầu đăng nhập hoặc có mã đặt lại mật khẩu?", "First sign-in, or have a reset code?";
    ActivateLink => "Kích hoạt tài khoản", "Activate your account";
    CodesTitle => "Mã kích hoạt cho cán bộ", "Activation codes for officials";
    CodesLead => "Mỗi cán bộ trong danh sách có một tài khoản (tên đăng nhập là mã cán bộ). Người chưa tự đặt mật khẩu cần mã kích hoạt: in phiếu A4 để phát tận tay, hoặc tải XLSX. Mỗi lần in là cấp mã mới; phiếu in trước không còn dùng được.", "Every official on the roster has an account (the username is the official's code). Those who have not chosen a password need an activation code: print A4 slips to hand out, or download XLSX. Each printing issues new codes; earlier sheets stop working.";
    CodesUnit => "Đơn vị", "Unit";
    PrintSlips => "In phiếu mã (A4)", "Print code slips (A4)";
    DownloadCodes => "Tải XLSX", "Download XLSX";
    EvidencePack => "Hồ sơ chứng cứ", "Evidence pack";
    EvidencePackHint => "Một tệp ZIP gồm bản tóm tắt để in, các lần hoàn thành với phiên bản nội dung đã học, chứng nhận có chữ ký số và đoạn nhật ký kiểm toán chứng minh chúng. Kiểm tra ngoại tuyến bằng lệnh taphuan evidence verify; sửa một byte là bị phát hiện.", "One ZIP with a printable summary, the completions with the content version learned, the signed certificates and the audit-log segment that proves them. Check it offline with taphuan evidence verify; one changed byte is caught.";
    EvidencePackDownload => "Tải hồ sơ chứng cứ (ZIP)", "Download the evidence pack (ZIP)";
    ResetCode => "Cấp mã đặt lại mật khẩu", "Issue a password-reset code";
    ResetCodeHint => "Cán bộ quên mật khẩu: cấp một mã dùng một lần để tự đặt mật khẩu mới. Mọi phiên đăng nhập cũ của người này kết thúc ngay.", "For an official who forgot their password: a one-time code to choose a new one. Every session of theirs ends at once.";
    AccountsMade => "tài khoản mới", "new accounts";
    AccountsUntouched => "Tài khoản không gắn cán bộ, giữ nguyên", "Accounts without an official, left as they are";
    ColumnsTitle => "Các cột của tệp", "The file's columns";
    ColumnsLead => "Một số tên cột khác với mẫu. Kiểm tra cách đọc từng cột, đổi nếu cần rồi bấm \"Xem lại thay đổi\"; lựa chọn được ghi nhớ cho lần nhập sau của đơn vị.", "Some column names differ from the template. Check how each is read, change it if needed, then press \"Preview the changes\"; the choice is remembered for the unit's next import.";
    FileColumn => "Cột trong tệp", "Column in the file";
    ReadAs => "Đọc là", "Read as";
    Inferred => "(đoán theo tên cột — hãy kiểm tra)", "(inferred from its name — please check)";
    ChosenEarlier => "(đã chọn)", "(chosen)";
    ColumnUnclear => "(chưa rõ — hãy chọn)", "(unclear — please choose)";
    SkipColumn => "(bỏ qua cột này)", "(skip this column)";
    SignedToken => "Mã ký số (để kiểm tra ngoại tuyến)", "Signed token (for offline checking)";
    VerifyLookup => "Nhập số chứng nhận để kiểm tra", "Enter a certificate number to check it";
    CertNumberLabel => "Số chứng nhận", "Certificate number";
    Check => "Kiểm tra", "Check";
    NoticesTitle => "Thông báo", "Notices";
    MarkAllRead => "Đánh dấu đã đọc hết", "Mark all as read";
    EmailOff => "Không nhận email nhắc việc", "Stop reminder e-mails";
    EmailOn => "Nhận lại email nhắc việc", "Receive reminder e-mails again";
    EmailTurnedOff => "Đã tắt email nhắc việc. Thông báo vẫn hiện trong ứng dụng.", "Reminder e-mails are off. Notices still appear in the app.";
    EmailTurnedOn => "Đã bật lại email nhắc việc.", "Reminder e-mails are on again.";
    NoNotices => "Chưa có thông báo nào.", "No notices yet.";
    Unread => "Mới", "New";
    UnreadNotices => "thông báo chưa đọc", "unread notices";
    OfficialAccounts => "tài khoản của cán bộ", "officials' accounts";
    WaitingActivation => "chờ kích hoạt", "waiting for activation";
    ReminderEmails => "Email nhắc việc", "Reminder e-mails";
    ForgotTitle => "Quên mật khẩu?", "Forgot your password?";
    ForgotLead => "Nhận liên kết đặt lại mật khẩu qua địa chỉ email có trong danh sách cán bộ. Không có email: xin người quản lý đơn vị cấp mã đặt lại.", "Get a reset link at the e-mail address on the roster. No e-mail: ask your unit's manager for a reset code.";
    SendResetLink => "Gửi liên kết", "Send the link";
    ResetLinkSent => "Nếu tài khoản có địa chỉ email, một liên kết đặt lại mật khẩu vừa được gửi tới đó. Hãy mở email và làm theo hướng dẫn.", "If the account has an e-mail address, a reset link has just been sent to it. Open the e-mail and follow it.";
    NoMail => "Hệ thống chưa cấu hình gửi email: xin người quản lý đơn vị cấp mã đặt lại mật khẩu.", "E-mail is not set up here: ask your unit's manager for a reset code.";
    MainNav => "Điều hướng chính", "Main navigation";
    AgenciesInFile => "các đơn vị có trong tệp", "the agencies in the file";
    QuestionStats => "Thống kê câu hỏi", "Question statistics";
    QuestionBankLink => "Ngân hàng câu hỏi và thống kê", "Question bank and statistics";
    QuestionStatsLead => "{n} câu hỏi trong ngân hàng; {attempts} lượt làm bài đã nộp, mỗi lượt rút {draw} câu.", "{n} questions in the bank; {attempts} submitted attempts, each drawing {draw}.";
    QuestionStatsHowTitle => "Cách đọc các chỉ số", "How to read the figures";
    QuestionStatsHow => "Độ dễ: điểm trung bình của câu trong các lượt đã rút câu đó. Độ phân biệt (27 %): điểm trung bình của nhóm 27 % lượt làm bài điểm cao nhất trừ nhóm 27 % điểm thấp nhất, từ −1 đến 1. rpb: hệ số tương quan điểm-nhị phân giữa điểm câu này và phần còn lại của bài. Khi có từ 5 lượt rút, câu được cảnh báo nếu độ dễ trên 90 % (quá dễ), dưới 30 % (quá khó), hoặc một trong hai độ phân biệt âm (người làm bài kém lại đúng nhiều hơn: xem lại đáp án và cách hỏi).", "Facility: the mean credit on the question in the attempts that drew it. Discrimination (27 %): the mean credit of the top 27 % of attempts minus that of the bottom 27 %, from −1 to 1. rpb: the point-biserial correlation between the credit on this question and the rest of the exam. From 5 attempts on, a question is flagged when its facility is above 90 % (too easy), below 30 % (too hard), or when either discrimination is negative (weaker learners get it right more often: check the key and the wording).";
    ColQuestion => "Câu hỏi", "Question";
    ColDrawn => "Lượt rút", "Drawn";
    ColFacility => "Độ dễ", "Facility";
    ColDiscrimination => "Độ phân biệt", "Discrimination";
    ColFlags => "Cảnh báo", "Flags";
    ColMeanTime => "Thời gian TB", "Mean time";
    FlagTooEasy => "Quá dễ", "Too easy";
    FlagTooHard => "Quá khó", "Too hard";
    FlagNegative => "Phân biệt âm", "Negative discrimination";
    ChoicesPicked => "Số lượt chọn từng phương án", "How often each choice was picked";
    KeyAnswer => "đáp án", "key";
    WhereToEdit => "Sửa tại", "Edit at";
    TaughtIn => "Bài học dạy nội dung này", "The lesson that teaches it";
    NavClasses => "Lớp tập huấn", "Classes";
    ClassesTitle => "Lớp tập huấn", "In-person classes";
    ClassesLead => "Các lớp tập huấn trực tiếp: lịch học, điểm danh và kết quả. Hoàn thành lớp được tính vào tiến độ tập huấn như học trực tuyến.", "Classes held in person: schedule, attendance and results. Completing a class counts towards coverage just as online training does.";
    MyClasses => "Lớp của tôi", "My classes";
    NoMyClasses => "Bạn chưa được mời vào lớp tập huấn nào.", "You have not been invited to any class.";
    ClassesIRun => "Lớp tôi phụ trách", "Classes I run";
    NoClassesRun => "Chưa có lớp nào.", "No classes yet.";
    NewClass => "Tạo lớp tập huấn", "New class";
    ClassTitleLabel => "Tên lớp", "Class title";
    ClassCourses => "Khoá học của lớp", "Courses of the class";
    ClassCoursesHint => "Đạt điều kiện của lớp thì hoàn thành mọi khoá học được chọn.", "Meeting the class's rule completes every course ticked.";
    ClassUnit => "Đơn vị được mời", "Invited unit";
    ClassUnitHint => "Mời toàn bộ cán bộ của đơn vị và các đơn vị trực thuộc chưa hoàn thành khoá học; người chưa có chỗ vào danh sách chờ.", "Everyone in the unit and the units under it who has not completed the course is invited; those beyond capacity go on the waiting list.";
    ClassCapacity => "Sĩ số tối đa", "Capacity";
    ClassRuleLabel => "Điều kiện hoàn thành", "What completes the course";
    RuleAttendance => "Chỉ cần dự đủ buổi", "Attendance alone";
    RuleAttendanceOnline => "Dự đủ buổi và đạt bài kiểm tra trực tuyến", "Attendance and the online exam";
    RuleAttendanceClass => "Dự đủ buổi và đạt bài kiểm tra tại lớp", "Attendance and an exam sat in class";
    ClassMinAttendance => "Chuyên cần tối thiểu (% số buổi)", "Minimum attendance (% of sessions)";
    ClassPassPercent => "Điểm đạt bài kiểm tra tại lớp (%)", "Pass mark of the in-class exam (%)";
    ClassSessions => "Các buổi học", "Sessions";
    ClassSessionsHint => "Mỗi dòng một buổi; để trống dòng không dùng.", "One session a row; leave unused rows empty.";
    SessionN => "Buổi", "Session";
    SessionDate => "Ngày", "Date";
    SessionStart => "Bắt đầu", "Start";
    SessionEnd => "Kết thúc", "End";
    SessionPlace => "Địa điểm hoặc đường dẫn trực tuyến", "Place or online link";
    CreateClass => "Tạo lớp và mời đơn vị", "Create the class and invite the unit";
    FixTheForm => "Biểu mẫu còn lỗi; sửa các mục dưới đây.", "The form has problems; fix the fields below.";
    ClassCreated => "Đã tạo lớp.", "The class was created.";
    InvitedCounts => "Đã mời", "Invited";
    WaitingCount => "danh sách chờ", "waiting";
    AlreadyTrainedCount => "đã hoàn thành khoá học, không mời", "already trained, not invited";
    Enrolled => "Đã ghi danh", "Enrolled";
    Waiting => "Danh sách chờ", "Waiting list";
    WalkIn => "Đến dự, chờ xác nhận", "Walk-in, to confirm";
    CancelledPlace => "Đã huỷ", "Cancelled";
    ClassCancelledTag => "Lớp đã huỷ", "Class cancelled";
    Places => "chỗ", "places";
    ProjectQr => "Chiếu mã QR điểm danh", "Show the check-in QR";
    ChecklistFor => "Điểm danh bằng danh sách", "Checklist";
    SaveAttendance => "Ghi nhận điểm danh", "Record attendance";
    Participants => "Học viên", "Participants";
    Unit => "Đơn vị", "Unit";
    ScorePercent => "Điểm (%)", "Score (%)";
    SaveScores => "Lưu điểm", "Save scores";
    ConfirmWalkIn => "Xác nhận", "Confirm";
    CancelPlace => "Huỷ chỗ", "Cancel place";
    InviteUnit => "Mời thêm đơn vị", "Invite another unit";
    Invite => "Mời", "Invite";
    AddByCode => "Thêm một cán bộ theo mã", "Add one official by code";
    Add => "Thêm", "Add";
    StandingMet => "Hoàn thành", "Completed";
    StandingAttending => "Đã dự", "Attended";
    StandingAwaitingScore => "Chờ nhập điểm", "Awaiting score";
    StandingFailed => "Chưa đạt", "Not passed";
    StandingAwaitingOnline => "Chờ thi trực tuyến", "To sit the online exam";
    MarkedN => "Đã ghi nhận điểm danh mới:", "New attendance recorded:";
    ScoredN => "Đã lưu điểm:", "Scores saved:";
    PlaceCancelled => "Đã huỷ chỗ; người đầu danh sách chờ được vào lớp.", "The place was cancelled; the first on the waiting list takes it.";
    WalkInConfirmed => "Đã xác nhận người đến dự.", "The walk-in was confirmed.";
    AddedEnrolled => "Đã thêm vào lớp.", "Added to the class.";
    AddedWaiting => "Lớp đã đủ chỗ: đã thêm vào danh sách chờ.", "The class is full: added to the waiting list.";
    QrTitle => "Điểm danh bằng mã QR", "QR check-in";
    QrLead => "Quét mã bằng điện thoại rồi bấm “Điểm danh”. Mã đổi sau mỗi 30 giây; trang tự làm mới.", "Scan the code with a phone, then press “Check in”. The code changes every 30 seconds; the page refreshes itself.";
    QrCodeIs => "Hoặc mở trang điểm danh và nhập mã", "Or open the check-in page with the code";
    CheckinTitle => "Điểm danh", "Check in";
    CheckinButton => "Điểm danh", "Check in";
    CheckinDone => "Đã điểm danh. Cảm ơn bạn!", "You are checked in. Thank you!";
    CheckinWalkIn => "Bạn chưa có tên trong lớp: đã ghi nhận bạn đến dự, chờ giảng viên xác nhận.", "You are not on the class list: your presence is recorded and waits for the trainer to confirm it.";
    CheckinAlready => "Bạn đã điểm danh buổi học này.", "You have checked in to this session.";
    CheckinNoCode => "Hãy quét mã QR đang chiếu trên màn hình để điểm danh.", "Scan the QR code on the screen to check in.";
    BackToClasses => "Về danh sách lớp", "Back to classes";
    SessionsAttended => "Số buổi đã dự", "Sessions attended";
    SheetTitle => "Nhập bảng điểm danh đã điền", "Upload a filled-in sign-in sheet";
    SheetHint => "CSV hoặc Excel: cột “Mã cán bộ” và các cột “Buổi 1”, “Buổi 2”…; ghi x khi có mặt, để trống khi vắng. Tệp có lỗi thì không dòng nào được ghi nhận.", "CSV or Excel: a “Mã cán bộ” column and columns “Buổi 1”, “Buổi 2”…; x when present, empty when absent. If the file has an error, no line is recorded.";
    SheetFile => "Tệp bảng điểm danh", "Sign-in sheet file";
    UploadSheet => "Tải lên", "Upload";
    Actions => "Thao tác", "Actions";
    PrintList => "In danh sách học viên", "Print the list of participants";
    ListXlsx => "Danh sách (XLSX)", "List (XLSX)";
    ListTitle => "DANH SÁCH HỌC VIÊN", "LIST OF PARTICIPANTS";
    ListIntro => "Học viên lớp tập huấn dành cho {unit}, tổ chức {dates}; điều kiện hoàn thành: {rule}.", "Participants of the class for {unit}, held {dates}; completed by: {rule}.";
    ListTotal => "Tổng số: {n} học viên; hoàn thành: {done}.", "In all: {n} participants; completed: {done}.";
    RowNo => "STT", "No.";
    CancelClass => "Huỷ lớp", "Cancel the class";
    CancelClassLead => "Không điểm danh và hoàn thành thêm qua lớp này nữa; kết quả đã ghi nhận được giữ nguyên.", "No more check-ins or completions through this class; what is recorded stays.";
    CancelClassConfirm => "Tôi xác nhận huỷ lớp này", "I confirm cancelling this class";
    ClassCancelledDone => "Đã huỷ lớp.", "The class was cancelled.";
    ClassTrainers => "Giảng viên", "Trainers";
    ClassTrainersHint => "Họ tên, chức vụ của người giảng; nhiều người thì cách nhau bằng dấu phẩy.", "Names and titles of who teaches; separate several with commas.";
    CertInClass => "Hình thức: lớp tập huấn trực tiếp", "Taken in person: the class";
    CertNoLetterhead => "Chưa có thông tin cơ quan cấp cho đơn vị này: chứng nhận in dấu chấm. Quản trị viên hoặc cán bộ quản lý đặt ở trang “Thể thức văn bản”.", "No issuing authority is set for this unit: the certificate prints dots. An administrator or manager sets it on the letterhead page.";
    OpenClasses => "Lớp sắp mở cho đơn vị của bạn", "Upcoming classes for your unit";
    OpenClassesLead => "Các lớp này hoàn thành khoá học bạn chưa có. Đăng ký để giữ chỗ.", "These classes complete a course you do not hold yet. Ask for a place.";
    Join => "Đăng ký tham gia", "Ask for a place";
    JoinWaiting => "Lớp đã đủ chỗ: vào danh sách chờ", "Full: join the waiting list";
    JoinedEnrolled => "Bạn đã được ghi danh vào lớp.", "You have a place in the class.";
    JoinedWaiting => "Lớp đã đủ chỗ: bạn ở trong danh sách chờ.", "The class is full: you are on the waiting list.";
    CoveredSplit => "trong đó {class} qua lớp tập huấn, {online} trực tuyến", "of whom {class} through an in-person class, {online} online";
    DocSecClasses => "IV. CÁC LỚP TẬP HUẤN TRỰC TIẾP ĐÃ TỔ CHỨC", "IV. IN-PERSON CLASSES HELD";
    DocNoClasses => "Chưa tổ chức lớp tập huấn trực tiếp nào trong phạm vi này.", "No in-person class has been held in this scope.";
    DocClassDates => "Thời gian", "Dates";
    DocClassCame => "Có mặt", "Attended";
}

/// A decimal number as the interface language writes it: `0,35` in Vietnamese, `0.35` in English.
pub fn fmt_decimal(lang: Lang, x: f64, places: usize) -> String {
    let s = format!("{x:.places$}");
    match lang {
        Lang::Vi => s.replace('.', ","),
        Lang::En => s,
    }
}

/// A date as Vietnamese documents write it, `dd/mm/yyyy` (also in English mode: the documents
/// these dates end up on are Vietnamese).
pub fn fmt_date(d: chrono::NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_is_the_default_and_english_is_chosen_by_cookie() {
        assert_eq!(Lang::from_cookie_header(""), Lang::Vi);
        assert_eq!(Lang::from_cookie_header("a=b; lang=en"), Lang::En);
        assert_eq!(Lang::from_cookie_header("lang=xx"), Lang::Vi);
        assert_eq!(T::SignIn.get(Lang::Vi), "Đăng nhập");
        assert_eq!(T::SignIn.get(Lang::En), "Sign in");
    }
}
