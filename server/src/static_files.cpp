#include "static_files.hpp"

#include <algorithm>
#include <array>
#include <string>
#include <system_error>
#include <utility>

namespace ruche::server {

namespace fs = std::filesystem;

namespace {

constexpr std::array<std::pair<std::string_view, std::string_view>, 13> mime_types{{
    {"html", "text/html; charset=utf-8"},
    {"js", "text/javascript; charset=utf-8"},
    {"mjs", "text/javascript; charset=utf-8"},
    {"css", "text/css; charset=utf-8"},
    {"json", "application/json"},
    {"svg", "image/svg+xml"},
    {"png", "image/png"},
    {"jpg", "image/jpeg"},
    {"jpeg", "image/jpeg"},
    {"ico", "image/x-icon"},
    {"webmanifest", "application/manifest+json"},
    {"woff2", "font/woff2"},
    {"txt", "text/plain; charset=utf-8"},
}};

bool iequals(std::string_view a, std::string_view b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
        const auto lower = [](char c) {
            return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c;
        };
        return lower(x) == lower(y);
    });
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// True when `inner` is `outer` or below it, comparing whole path components
// (so that "/srv/web-old" is not taken to be inside "/srv/web").
bool is_within(const fs::path& outer, const fs::path& inner) {
    return std::mismatch(outer.begin(), outer.end(), inner.begin(), inner.end()).first ==
           outer.end();
}

}  // namespace

// Percent-decodes a path; nullopt on a malformed escape or a NUL byte.
// '+' stays '+': it means space only in form bodies, not in paths.
std::optional<std::string> percent_decode(std::string_view in) {
    std::string out;
    out.reserve(in.size());
    for (std::size_t i = 0; i < in.size(); ++i) {
        char c = in[i];
        if (c == '%') {
            if (in.size() - i < 3) return std::nullopt;
            const int high = hex_value(in[i + 1]);
            const int low = hex_value(in[i + 2]);
            if (high < 0 || low < 0) return std::nullopt;
            c = static_cast<char>(high * 16 + low);
            i += 2;
        }
        if (c == '\0') return std::nullopt;
        out.push_back(c);
    }
    return out;
}

std::string_view mime_type(std::string_view path) {
    const auto slash = path.find_last_of('/');
    const std::string_view name = slash == std::string_view::npos ? path : path.substr(slash + 1);
    const auto dot = name.find_last_of('.');
    if (dot == std::string_view::npos) return "application/octet-stream";
    const std::string_view extension = name.substr(dot + 1);
    for (const auto& [known, type] : mime_types) {
        if (iequals(extension, known)) return type;
    }
    return "application/octet-stream";
}

bool is_published(std::string_view target) {
    target = target.substr(0, target.find_first_of("?#"));
    const auto decoded = percent_decode(target);
    if (!decoded) return false;
    const std::string_view path = *decoded;
    static constexpr std::array<std::string_view, 8> files{
        "/", "/index.html", "/board.html", "/phone.html", "/replay.html", "/privacy.html", "/favicon.svg", "/sw.js"};
    static constexpr std::array<std::string_view, 3> folders{"/css/", "/js/", "/i18n/"};
    return std::find(files.begin(), files.end(), path) != files.end() ||
           std::any_of(folders.begin(), folders.end(),
                       [&](std::string_view f) { return path.starts_with(f) && path.size() > f.size(); });
}

std::optional<fs::path> resolve_static(const fs::path& root, std::string_view target) {
    target = target.substr(0, target.find_first_of("?#"));
    // Only origin-form targets; this also refuses absolute-form URLs and
    // relative paths that would be resolved against the working directory.
    if (target.empty() || target.front() != '/') return std::nullopt;
    const auto decoded = percent_decode(target);
    if (!decoded || decoded->find('\\') != std::string::npos) return std::nullopt;

    // Build the relative path one segment at a time: appending an absolute
    // path to `root` would replace it, so empty segments ("//etc") are skipped
    // rather than kept.
    fs::path relative;
    std::string_view rest = *decoded;
    while (!rest.empty()) {
        const auto slash = rest.find('/');
        const std::string_view segment = rest.substr(0, slash);
        rest = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash + 1);
        if (segment.empty()) continue;
        if (segment.front() == '.') return std::nullopt;
        relative /= segment;
    }

    std::error_code ec;
    const fs::path base = fs::canonical(root, ec);
    if (ec) return std::nullopt;
    fs::path candidate = base / relative;
    if (decoded->back() == '/') candidate /= "index.html";
    // canonical resolves every symlink, so the containment check below sees
    // where the file really is.
    fs::path resolved = fs::canonical(candidate, ec);
    if (ec) return std::nullopt;
    if (fs::is_directory(resolved, ec)) {
        resolved = fs::canonical(resolved / "index.html", ec);
        if (ec) return std::nullopt;
    }
    if (!is_within(base, resolved) || !fs::is_regular_file(resolved, ec)) return std::nullopt;
    return resolved;
}

void set_security_headers(boost::beast::http::fields& h) {
    // No 'unsafe-inline' anywhere: the client has no inline scripts or
    // styles, so an injected one would not run. connect-src 'self' covers the
    // same-origin WebSocket; data: and blob: images are ones the page builds
    // itself (a walk's photos are fetched with a token, then shown from a blob).
    h.set("Content-Security-Policy",
          "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
          "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
          "form-action 'self'");
    // URLs may carry tokens: never send them to another site.
    h.set("Referrer-Policy", "no-referrer");
    h.set("X-Content-Type-Options", "nosniff");
    h.set("X-Frame-Options", "DENY");
    h.set("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
    h.set("Cross-Origin-Opener-Policy", "same-origin");
}

void allow_what_the_page_needs(boost::beast::http::fields& h, std::string_view file_name) {
    // On a walk, phones attach a photo and where they stand, and the
    // facilitator's board places a stop where they stand. Ruche's own
    // origin only, never a frame of another site.
    if (file_name == "phone.html") {
        h.set("Permissions-Policy", "camera=(self), microphone=(), geolocation=(self)");
    } else if (file_name == "board.html") {
        h.set("Permissions-Policy", "camera=(), microphone=(), geolocation=(self)");
    }
}

std::string_view cache_control_for(std::string_view /*path*/) {
    // Browsers may keep every file but must revalidate it before use. The
    // client is served as written, without content-hashed file names, so a
    // longer lifetime could leave a phone running old scripts against a newer
    // server; the files are small enough that revalidating costs little.
    return "no-cache";
}

}  // namespace ruche::server
