#include <catch2/catch.hpp>
#include <cctype>
#include <cmath>
#include <map>
#include <set>
#include <string>

#include "secrets.hpp"
#include "access_log.hpp"

using namespace ruche::server;

namespace {

// The op log's rule for session ids, restated: tests must not link storage.
bool valid_session_id(const std::string& id) {
    if (id.size() != 16) return false;
    for (const char c : id) {
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) return false;
    }
    return true;
}

bool is_join_code_shape(const std::string& code) {
    if (code.size() != 11 || code[3] != '-' || code[7] != '-') return false;
    for (std::size_t i = 0; i < code.size(); ++i) {
        if (i == 3 || i == 7) continue;
        if (join_code_alphabet.find(code[i]) == std::string_view::npos) return false;
    }
    return true;
}

}  // namespace

TEST_CASE("tokens are 192-bit base64url strings that do not repeat") {
    const std::string url_safe = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::set<std::string> seen;
    std::map<char, int> symbols;
    for (int i = 0; i < 2000; ++i) {
        const std::string t = random_token();
        REQUIRE(t.size() == 32);  // 24 bytes, no padding
        for (const char c : t) {
            REQUIRE(url_safe.find(c) != std::string::npos);
            ++symbols[c];
        }
        REQUIRE(seen.insert(t).second);
    }
    // Every one of the 64 symbols shows up: the output is not hex or a narrower set.
    CHECK(symbols.size() == 64);
}

TEST_CASE("a token is stored as its SHA-256 in base64url") {
    // FIPS 180-2's first example, SHA-256("abc"), in base64url without padding.
    CHECK(token_digest("abc") == "ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0");
    CHECK(token_digest("") == "47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU");
    const std::string token = random_token();
    CHECK(token_digest(token).size() == 43);
    CHECK(token_digest(token) == token_digest(token));
    CHECK(token_digest(token) != token_digest(random_token()));
}

TEST_CASE("session ids are 16 characters of [a-z0-9], uniformly spread") {
    std::map<char, int> counts;
    std::set<std::string> seen;
    constexpr int ids = 20000;
    for (int i = 0; i < ids; ++i) {
        const std::string id = random_session_id();
        REQUIRE(valid_session_id(id));
        REQUIRE(seen.insert(id).second);
        for (const char c : id) ++counts[c];
    }
    REQUIRE(counts.size() == 36);
    // Expected 8889 per symbol (sd ≈ 93). Taking bytes modulo 36 without
    // rejection would give 4 symbols about 12% more; 6% is ~5.7 sd.
    const double expected = ids * 16.0 / 36.0;
    for (const auto& [symbol, n] : counts) {
        INFO("symbol " << symbol << " seen " << n << " times");
        CHECK(std::abs(n - expected) < expected * 0.06);
    }
}

TEST_CASE("join codes are grouped, unambiguous, unique and use every symbol") {
    std::set<std::string> seen;
    std::set<char> symbols;
    for (int i = 0; i < 10000; ++i) {
        const std::string code = random_join_code();
        INFO(code);
        REQUIRE(is_join_code_shape(code));
        REQUIRE(seen.insert(code).second);
        for (const char c : code) {
            if (c != '-') symbols.insert(c);
        }
    }
    CHECK(symbols.size() == join_code_alphabet.size());
    for (const char ambiguous : std::string("0O1IL")) CHECK(symbols.count(ambiguous) == 0);
}

TEST_CASE("join codes typed in any reasonable way normalise to the canonical form") {
    for (const char* typed :
         {"K7M-PQ3-XRT", "k7m-pq3-xrt", "k7mpq3xrt", "K7M PQ3 XRT", " k7m.pq3.xrt ",
          "k7m - pq3 - xrt", "K7m\tpQ3xRt", "k-7-m-p-q-3-x-r-t"}) {
        INFO(typed);
        const auto code = normalize_join_code(typed);
        REQUIRE(code);
        CHECK(*code == "K7M-PQ3-XRT");
    }
}

TEST_CASE("join codes with look-alikes, foreign characters or the wrong length are rejected") {
    for (const char* typed :
         {"", "---", "K7M-PQ3-XR", "K7M-PQ3-XRTA", "K7M-PQ3-XR0", "K7M-PQ3-XRO", "K7M-PQ3-XR1",
          "K7M-PQ3-XRI", "K7M-PQ3-XRL", "k7m-pq3-xrl", "K7M_PQ3_XRT", "K7M/PQ3/XRT",
          "K7M-PQ3-XR\xc3\x89", "K7M-PQ3-XRT\n"}) {
        INFO(typed);
        CHECK_FALSE(normalize_join_code(typed));
    }
    CHECK_FALSE(normalize_join_code(std::string("K7M-PQ3-XR\0T", 12)));
}

TEST_CASE("a generated join code survives normalisation, also in lowercase") {
    for (int i = 0; i < 100; ++i) {
        const std::string code = random_join_code();
        std::string lower = code;
        for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        CHECK(normalize_join_code(code) == code);
        CHECK(normalize_join_code(lower) == code);
    }
}

TEST_CASE("constant_time_equal compares whole secrets") {
    CHECK(constant_time_equal("", ""));
    CHECK(constant_time_equal("abcdef", "abcdef"));
    CHECK_FALSE(constant_time_equal("abcdef", "Xbcdef"));
    CHECK_FALSE(constant_time_equal("abcdef", "abcdeX"));
    CHECK_FALSE(constant_time_equal("abcdef", "abcde"));
    CHECK_FALSE(constant_time_equal("abc", "abcdef"));
    CHECK_FALSE(constant_time_equal("", "a"));
    CHECK_FALSE(constant_time_equal(std::string_view("a\0b", 3), std::string_view("a\0c", 3)));
    CHECK(constant_time_equal(std::string_view("a\0b", 3), std::string_view("a\0b", 3)));
    const std::string t = random_token();
    CHECK(constant_time_equal(t, std::string(t)));
    CHECK_FALSE(constant_time_equal(t, random_token()));
}

TEST_CASE("access log lines name no address and no join code") {
    const ruche::server::access_log log;
    const ruche::server::access_log other_run;
    CHECK(log.pseudonym("192.168.1.20") == log.pseudonym("192.168.1.20"));
    CHECK(log.pseudonym("192.168.1.20") != log.pseudonym("192.168.1.21"));
    CHECK(log.pseudonym("192.168.1.20") != other_run.pseudonym("192.168.1.20"));  // a key per run
    const auto line = log.line("192.168.1.20", "GET", "/api/join/K7M-PQ3-XRT?x=1", 200,
                               std::chrono::microseconds(1530));
    CHECK(line == "access " + log.pseudonym("192.168.1.20") + " GET /api/join/* 200 1.5 ms");
    CHECK(line.find("192.168") == std::string::npos);
    CHECK(ruche::server::access_log::loggable_path("/j/K7MPQ3XRT") == "/j/*");
    CHECK(ruche::server::access_log::loggable_path("/tableau?render=full") == "/tableau");
    CHECK(ruche::server::access_log::loggable_path("/api/sessions/abc/minutes.md?lang=en") ==
          "/api/sessions/abc/minutes.md");
}
