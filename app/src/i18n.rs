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
    DemoBanner => "Dữ liệu minh hoạ: tỉnh Gia Lai (mới) sau sắp xếp 1/7/2025. Tên người và số liệu là giả định.", "Demo data: the new Gia Lai province after the 1/7/2025 merger. People and numbers are fictitious.";
    SignIn => "Đăng nhập", "Sign in";
    SignOut => "Đăng xuất", "Sign out";
    Username => "Tên đăng nhập", "Username";
    Password => "Mật khẩu", "Password";
    WrongPassword => "Tên đăng nhập hoặc mật khẩu không đúng.", "Wrong username or password.";
    SignInRequired => "Vui lòng đăng nhập để tiếp tục.", "Please sign in to continue.";
    SignedOut => "Bạn đã đăng xuất.", "You have signed out.";
    SignInTitle => "Đăng nhập vào Taphuan", "Sign in to Taphuan";
    SignInLead => "Hệ thống tập huấn và cấp chứng nhận cho cán bộ thực thi pháp luật về thương mại điện tử, chống hàng giả và bảo vệ người tiêu dùng (Đề án 319).", "Training and certification for officials enforcing e-commerce, anti-counterfeiting and consumer protection law (Scheme 319).";
    RoleLearner => "Học viên", "Learner";
    RoleTrainer => "Giảng viên", "Trainer";
    RoleManager => "Cán bộ quản lý", "Manager";
    RoleAdmin => "Quản trị hệ thống", "Administrator";
    NavLearn => "Khoá học của tôi", "My courses";
    NavContent => "Nội dung đào tạo", "Course content";
    NavCoverage => "Tiến độ tập huấn", "Training coverage";
    NavAdmin => "Quản trị", "Administration";
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
    LearnLead => "Các khoá học dưới đây giúp bạn nắm vững pháp luật và nghiệp vụ thực thi về thương mại điện tử.", "These courses cover the law and enforcement practice of e-commerce.";
    Courses => "Khoá học", "Courses";
    Lessons => "bài học", "lessons";
    Questions => "câu hỏi", "questions";
    ExamPool => "Ngân hàng câu hỏi thi", "Exam question pool";
    ContentLead => "Thư viện khoá học được viết dưới dạng tệp Markdown và GIFT, kiểm tra tự động trước khi xuất bản.", "The course library is written as Markdown and GIFT files and checked automatically before publishing.";
    ContentProblems => "Lỗi nội dung", "Content problems";
    NoProblems => "Không có lỗi.", "No problems.";
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
