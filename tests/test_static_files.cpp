#include <boost/beast/http/fields.hpp>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>

#include "secrets.hpp"
#include "static_files.hpp"

using namespace ruche::server;
namespace fs = std::filesystem;

namespace {

void write_file(const fs::path& path, const std::string& content) {
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << content;
}

// A web root with a few files, plus files beside it that must stay out of
// reach. Removed with everything in it at the end of the test.
struct web_tree {
    fs::path base = fs::temp_directory_path() / ("ruche-static-" + random_session_id());
    fs::path root = base / "web";

    web_tree() {
        write_file(root / "index.html", "<!doctype html>");
        write_file(root / "app.js", "export {};");
        write_file(root / "css" / "site.css", "body{}");
        write_file(root / "sub" / "index.html", "sub");
        write_file(root / "file with space.txt", "spaced");
        write_file(root / ".hidden", "hidden");
        fs::create_directories(root / "empty-dir");
        write_file(base / "outside" / "secret.txt", "secret");
        // Shares the root's name as a prefix: a string prefix check would let it in.
        write_file(base / "web-private" / "key.txt", "key");
        fs::create_symlink("../outside/secret.txt", root / "link-out");
        fs::create_directory_symlink("../outside", root / "link-dir-out");
        fs::create_symlink("../web-private/key.txt", root / "link-prefix");
        fs::create_symlink("app.js", root / "link-in");
    }
    ~web_tree() {
        std::error_code ec;
        fs::remove_all(base, ec);
    }
    web_tree(const web_tree&) = delete;
    web_tree& operator=(const web_tree&) = delete;

    fs::path file(const fs::path& relative) const { return fs::canonical(root) / relative; }
};

}  // namespace

TEST_CASE("files under the root are found, query and fragment ignored") {
    const web_tree t;
    CHECK(resolve_static(t.root, "/app.js") == t.file("app.js"));
    CHECK(resolve_static(t.root, "/app.js?v=3") == t.file("app.js"));
    CHECK(resolve_static(t.root, "/app.js#top") == t.file("app.js"));
    CHECK(resolve_static(t.root, "/app.js?next=/../../etc/passwd") == t.file("app.js"));
    CHECK(resolve_static(t.root, "/css/site.css") == t.file("css/site.css"));
    CHECK(resolve_static(t.root, "//css//site.css") == t.file("css/site.css"));
    CHECK(resolve_static(t.root, "/file%20with%20space.txt") == t.file("file with space.txt"));
    CHECK(resolve_static(t.root, "/%61pp.js") == t.file("app.js"));
    // A symlink that stays inside the root is followed.
    CHECK(resolve_static(t.root, "/link-in") == t.file("app.js"));
    // The root may be given in any spelling.
    CHECK(resolve_static(t.root / "css" / "..", "/app.js") == t.file("app.js"));
}

TEST_CASE("the root and directories map to their index.html") {
    const web_tree t;
    CHECK(resolve_static(t.root, "/") == t.file("index.html"));
    CHECK(resolve_static(t.root, "/?session=abc") == t.file("index.html"));
    CHECK(resolve_static(t.root, "/sub/") == t.file("sub/index.html"));
    CHECK(resolve_static(t.root, "/sub") == t.file("sub/index.html"));
    CHECK_FALSE(resolve_static(t.root, "/empty-dir/"));
    CHECK_FALSE(resolve_static(t.root, "/empty-dir"));
}

TEST_CASE("missing files and missing roots give nullopt") {
    const web_tree t;
    CHECK_FALSE(resolve_static(t.root, "/missing.js"));
    CHECK_FALSE(resolve_static(t.root, "/css/missing.css"));
    CHECK_FALSE(resolve_static(t.root, "/app.js/"));
    CHECK_FALSE(resolve_static(t.base / "no-such-root", "/app.js"));
}

TEST_CASE("path traversal in every spelling is refused") {
    const web_tree t;
    for (const char* target :
         {"/../etc/passwd",
          "/../outside/secret.txt",
          "/%2e%2e/outside/secret.txt",
          "/%2E%2E/%2E%2E/etc/passwd",
          "/css/..%2f..%2foutside/secret.txt",
          "/a/..%2fb",
          "/css/../app.js",  // inside the root, but never sent by a real browser
          "/./app.js",
          "/.hidden",
          "/%2ehidden",
          "\\..\\",
          "/..\\outside\\secret.txt",
          "/css%5c..%5c..%5coutside%5csecret.txt",
          "/%00",
          "/app.js%00.html",
          "/%",
          "/%4",
          "/%zz/app.js",
          "/app.js%2",
          "",
          "app.js",
          "../outside/secret.txt",
          "http://example.org/app.js",
          "*"}) {
        INFO(target);
        CHECK_FALSE(resolve_static(t.root, target));
    }
    // Doubled slashes stay under the root instead of restarting at "/".
    CHECK_FALSE(resolve_static(t.root, "//etc/passwd"));
    CHECK_FALSE(resolve_static(t.root, "/%2fetc%2fpasswd"));
}

TEST_CASE("symlinks leading out of the root are refused") {
    const web_tree t;
    CHECK_FALSE(resolve_static(t.root, "/link-out"));
    CHECK_FALSE(resolve_static(t.root, "/link-dir-out/secret.txt"));
    CHECK_FALSE(resolve_static(t.root, "/link-prefix"));
    // The targets are real files: the refusal is about where they are.
    CHECK(fs::is_regular_file(t.root / "link-out"));
    CHECK(fs::is_regular_file(t.root / "link-prefix"));
}

TEST_CASE("content types follow the extension") {
    CHECK(mime_type("/index.html") == "text/html; charset=utf-8");
    CHECK(mime_type("INDEX.HTML") == "text/html; charset=utf-8");
    CHECK(mime_type("/js/app.js") == "text/javascript; charset=utf-8");
    CHECK(mime_type("board.mjs") == "text/javascript; charset=utf-8");
    CHECK(mime_type("site.css") == "text/css; charset=utf-8");
    CHECK(mime_type("fr.json") == "application/json");
    CHECK(mime_type("logo.svg") == "image/svg+xml");
    CHECK(mime_type("icon.png") == "image/png");
    CHECK(mime_type("photo.jpg") == "image/jpeg");
    CHECK(mime_type("photo.JPEG") == "image/jpeg");
    CHECK(mime_type("favicon.ico") == "image/x-icon");
    CHECK(mime_type("app.webmanifest") == "application/manifest+json");
    CHECK(mime_type("font.woff2") == "font/woff2");
    CHECK(mime_type("robots.txt") == "text/plain; charset=utf-8");
    CHECK(mime_type("archive.tar.gz") == "application/octet-stream");
    CHECK(mime_type("README") == "application/octet-stream");
    CHECK(mime_type("/v1.2/README") == "application/octet-stream");
    CHECK(mime_type("app.js.bak") == "application/octet-stream");
    CHECK(mime_type("") == "application/octet-stream");
}

TEST_CASE("security headers forbid inline scripts, framing and sniffing") {
    boost::beast::http::fields h;
    set_security_headers(h);
    set_security_headers(h);  // setting twice must not duplicate
    const std::string csp(h["Content-Security-Policy"]);
    CHECK(csp ==
          "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
          "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
          "form-action 'self'");
    CHECK(csp.find("unsafe-inline") == std::string::npos);
    CHECK(h.count("Content-Security-Policy") == 1);
    CHECK(h["Referrer-Policy"] == "no-referrer");
    CHECK(h["X-Content-Type-Options"] == "nosniff");
    CHECK(h["X-Frame-Options"] == "DENY");
    CHECK(h["Permissions-Policy"] == "camera=(), microphone=(), geolocation=()");
    CHECK(h["Cross-Origin-Opener-Policy"] == "same-origin");
}

TEST_CASE("static files are revalidated before use") {
    CHECK(cache_control_for("/index.html") == "no-cache");
    CHECK(cache_control_for("/app.js") == "no-cache");
}
