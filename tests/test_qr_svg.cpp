#include <catch2/catch.hpp>
#include <cstddef>
#include <regex>
#include <string>
#include <vector>

#include "qr_svg.hpp"

using namespace ruche::server;

namespace {

using grid = std::vector<std::vector<bool>>;

// The 7x7 finder pattern: dark ring, light ring, dark 3x3 centre.
bool has_finder_at(const grid& m, std::size_t top, std::size_t left) {
    for (std::size_t y = 0; y < 7; ++y) {
        for (std::size_t x = 0; x < 7; ++x) {
            const bool ring = y == 0 || y == 6 || x == 0 || x == 6;
            const bool centre = y >= 2 && y <= 4 && x >= 2 && x <= 4;
            if (m[top + y][left + x] != (ring || centre)) return false;
        }
    }
    return true;
}

std::string attribute(const std::string& svg, const std::string& name) {
    const auto start = svg.find(' ' + name + "=\"");
    if (start == std::string::npos) return {};
    const auto value = start + name.size() + 3;
    return svg.substr(value, svg.find('"', value) - value);
}

// Draws the path's runs on a grid of the SVG's size; fails the test if a run
// has an unexpected shape or two runs overlap.
grid paint_path(const std::string& d, std::size_t size) {
    grid painted(size, std::vector<bool>(size));
    const std::regex run(R"(M(\d+) (\d+)h(\d+)v1h-(\d+)z)");
    std::size_t consumed = 0;
    for (auto it = std::sregex_iterator(d.begin(), d.end(), run); it != std::sregex_iterator();
         ++it) {
        const auto& match = *it;
        REQUIRE(static_cast<std::size_t>(match.position()) == consumed);  // nothing in between
        consumed += static_cast<std::size_t>(match.length());
        const auto x = std::stoul(match[1]);
        const auto y = std::stoul(match[2]);
        const auto w = std::stoul(match[3]);
        REQUIRE(match[3] == match[4]);
        REQUIRE(w > 0);
        REQUIRE(y < size);
        REQUIRE(x + w <= size);
        for (auto i = x; i < x + w; ++i) {
            REQUIRE_FALSE(painted[y][i]);
            painted[y][i] = true;
        }
    }
    REQUIRE(consumed == d.size());
    return painted;
}

std::size_t count_dark(const grid& m) {
    std::size_t n = 0;
    for (const auto& row : m) {
        for (const bool dark : row) n += dark ? 1 : 0;
    }
    return n;
}

}  // namespace

TEST_CASE("a short text gives a version 1 code with its three finder patterns") {
    const auto m = qr_modules("hello");
    REQUIRE(m);
    REQUIRE(m->size() == 21);
    for (const auto& row : *m) REQUIRE(row.size() == 21);
    CHECK(has_finder_at(*m, 0, 0));
    CHECK(has_finder_at(*m, 0, 14));
    CHECK(has_finder_at(*m, 14, 0));
    CHECK_FALSE(has_finder_at(*m, 14, 14));
    // Timing pattern between the top finders: alternating, dark on even columns.
    for (std::size_t x = 8; x < 13; ++x) CHECK((*m)[6][x] == (x % 2 == 0));
}

TEST_CASE("a join link picks a larger version and is a valid QR size") {
    const std::string link =
        "https://ruche.example.org:8443/join/K7M-PQ3-XRT?t=" + std::string(43, 'a');
    const auto m = qr_modules(link);
    REQUIRE(m);
    CHECK(m->size() > 21);
    CHECK((m->size() - 17) % 4 == 0);
    CHECK(has_finder_at(*m, 0, m->size() - 7));
}

TEST_CASE("the encoding keeps the case of the text") {
    // Tokens in links are case-sensitive; a case-folding encoder would give
    // the same symbol for both.
    const auto upper = qr_modules("https://h/j/ABCdef");
    const auto lower = qr_modules("https://h/j/abcdef");
    REQUIRE(upper);
    REQUIRE(lower);
    CHECK(*upper != *lower);
}

TEST_CASE("texts that cannot be encoded give nullopt") {
    CHECK_FALSE(qr_modules(""));
    CHECK_FALSE(qr_svg(""));
    CHECK_FALSE(qr_svg(std::string("ab\0cd", 5)));
    CHECK_FALSE(qr_svg(std::string(5000, 'x')));  // beyond version 40 at level M
}

TEST_CASE("the SVG is a standalone document sized to the code plus its quiet zone") {
    const auto m = qr_modules("hello");
    const auto svg = qr_svg("hello");
    REQUIRE(m);
    REQUIRE(svg);
    CHECK(svg->rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0) == 0);
    CHECK(svg->size() > 7);
    CHECK(svg->substr(svg->size() - 7) == "</svg>\n");
    CHECK(attribute(*svg, "viewBox") == "0 0 29 29");
    CHECK(attribute(*svg, "shape-rendering") == "crispEdges");
    CHECK(svg->find("<title>hello</title>") != std::string::npos);
    CHECK(svg->find("<rect width=\"29\" height=\"29\" fill=\"#fff\"/>") != std::string::npos);
    CHECK(attribute(*svg, "fill") == "#fff");
    std::size_t paths = 0;
    for (auto at = svg->find("<path"); at != std::string::npos; at = svg->find("<path", at + 1)) {
        ++paths;
    }
    CHECK(paths == 1);
}

TEST_CASE("the path draws exactly the dark modules, offset by the quiet zone") {
    for (const char* text : {"hello", "https://ruche.example.org/join/K7M-PQ3-XRT", "0123456789"}) {
        INFO(text);
        const auto m = qr_modules(text);
        const auto svg = qr_svg(text);
        REQUIRE(m);
        REQUIRE(svg);
        const std::size_t size = m->size() + 2 * qr_quiet_zone;
        CHECK(attribute(*svg, "viewBox") ==
              "0 0 " + std::to_string(size) + ' ' + std::to_string(size));
        const auto d_at = svg->find(" d=\"");
        REQUIRE(d_at != std::string::npos);
        const auto d = svg->substr(d_at + 4, svg->find('"', d_at + 4) - d_at - 4);
        const grid painted = paint_path(d, size);
        CHECK(count_dark(painted) == count_dark(*m));
        for (std::size_t y = 0; y < size; ++y) {
            for (std::size_t x = 0; x < size; ++x) {
                const bool inside = y >= qr_quiet_zone && y < size - qr_quiet_zone &&
                                    x >= qr_quiet_zone && x < size - qr_quiet_zone;
                const bool expected = inside && (*m)[y - qr_quiet_zone][x - qr_quiet_zone];
                INFO("module " << x << ',' << y);
                REQUIRE(painted[y][x] == expected);
            }
        }
    }
}

TEST_CASE("the title escapes XML and keeps the document well-formed") {
    const auto svg = qr_svg("a<b>&\"c'd");
    REQUIRE(svg);
    CHECK(svg->find("<title>a&lt;b&gt;&amp;&quot;c&apos;d</title>") != std::string::npos);
    CHECK(svg->find("<b>") == std::string::npos);

    const auto accents = qr_svg("Atelier « cohésion » été");
    REQUIRE(accents);
    CHECK(accents->find("<title>Atelier « cohésion » été</title>") != std::string::npos);

    // A control character and a stray byte cannot appear in XML at all.
    const auto odd = qr_svg("x\x01y\xffz");
    REQUIRE(odd);
    CHECK(odd->find("<title>x\xef\xbf\xbdy\xef\xbf\xbdz</title>") != std::string::npos);
}
