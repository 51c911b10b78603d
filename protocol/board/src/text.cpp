#include "ruche/board/text.hpp"

#include <algorithm>
#include <string>

#include "ruche/board/ops.hpp"

namespace ruche::protocol::detail {

std::size_t utf8_sequence(std::string_view s, std::size_t i, char32_t& cp) noexcept {
    const auto b0 = static_cast<unsigned char>(s[i]);
    std::size_t len = 0;
    if (b0 < 0x80) {
        cp = b0;
        return 1;
    }
    if ((b0 & 0xE0) == 0xC0) {
        len = 2;
        cp = b0 & 0x1Fu;
    } else if ((b0 & 0xF0) == 0xE0) {
        len = 3;
        cp = b0 & 0x0Fu;
    } else if ((b0 & 0xF8) == 0xF0) {
        len = 4;
        cp = b0 & 0x07u;
    } else {
        return 0;
    }
    if (i + len > s.size()) return 0;
    for (std::size_t k = 1; k < len; ++k) {
        const auto b = static_cast<unsigned char>(s[i + k]);
        if ((b & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (b & 0x3Fu);
    }
    const bool overlong =
        (len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000);
    if (overlong || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return len;
}

std::optional<std::size_t> utf8_length(std::string_view s) noexcept {
    std::size_t count = 0;
    char32_t cp = 0;
    for (std::size_t i = 0; i < s.size(); ++count) {
        const std::size_t len = utf8_sequence(s, i, cp);
        if (len == 0) return std::nullopt;
        i += len;
    }
    return count;
}

std::optional<rejection> check_text(std::string_view s, std::size_t max_chars, text_kind kind,
                                    bool may_be_empty, std::string_view field) {
    const auto length = utf8_length(s);
    if (!length) return rejection{errc::invalid_utf8, std::string(field)};
    bool only_space = true;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        const auto b = static_cast<unsigned char>(c);
        // C1 controls (U+0080..U+009F) are 0xC2 0x80..0x9F in UTF-8.
        if (b == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) <= 0x9F) {
            return rejection{errc::control_character, std::string(field)};
        }
        const bool allowed_break = kind == text_kind::multiline && (c == '\n' || c == '\t');
        if ((b < 0x20 && !allowed_break) || b == 0x7F) {
            return rejection{errc::control_character, std::string(field)};
        }
        if (c != ' ' && c != '\n' && c != '\t') only_space = false;
    }
    if (only_space && !may_be_empty) return rejection{errc::empty_text, std::string(field)};
    if (*length > max_chars) {
        return rejection{errc::too_long, std::string(field) + " has " + std::to_string(*length) +
                                             " characters, at most " + std::to_string(max_chars) +
                                             " allowed"};
    }
    return std::nullopt;
}

std::string excerpt(std::string_view s) {
    constexpr std::size_t max_bytes = 40;
    if (s.size() <= max_bytes && utf8_length(s)) return std::string(s);
    std::size_t end = std::min(s.size(), max_bytes);
    // Step back to a code point boundary, then make sure what is left is valid.
    while (end > 0 && end < s.size() && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
    std::string_view head = s.substr(0, end);
    while (!head.empty() && !utf8_length(head)) head.remove_suffix(1);
    return std::string(head) + "…";
}

bool is_valid_id(std::string_view s) noexcept {
    if (s.empty() || s.size() > max_id_chars) return false;
    for (const char c : s) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || c == '_' || c == '-';
        if (!ok) return false;
    }
    return true;
}

bool is_time_zone_name(std::string_view s) noexcept {
    if (s.empty() || s.size() > max_time_zone_chars || s.front() == '/' || s.back() == '/') {
        return false;
    }
    if (s.find("..") != std::string_view::npos || s.find("//") != std::string_view::npos) {
        return false;
    }
    for (const char c : s) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '+' || c == '/';
        if (!ok) return false;
    }
    return true;
}

}  // namespace ruche::protocol::detail
