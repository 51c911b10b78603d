#include "ruche/minutes/xml_text.hpp"

#include <cstddef>

#include "ruche/board/text.hpp"

namespace ruche::protocol {
namespace {

constexpr std::string_view replacement = "\xef\xbf\xbd";  // U+FFFD

}  // namespace

void append_xml_text(std::string& out, std::string_view text, quotes q) {
    for (std::size_t i = 0; i < text.size();) {
        const char c = text[i];
        switch (c) {
            case '&':
                out += "&amp;";
                ++i;
                continue;
            case '<':
                out += "&lt;";
                ++i;
                continue;
            case '>':
                out += "&gt;";
                ++i;
                continue;
            case '"':
                out += q == quotes::escaped ? "&quot;" : "\"";
                ++i;
                continue;
            case '\'':
                out += q == quotes::escaped ? "&apos;" : "'";
                ++i;
                continue;
            default:
                break;
        }
        char32_t cp = 0;
        const std::size_t length = detail::utf8_sequence(text, i, cp);
        const bool carried = length > 0 && (cp >= 0x20 || c == '\t' || c == '\n' || c == '\r') &&
                             cp != 0xFFFE && cp != 0xFFFF;
        if (carried) {
            out.append(text.substr(i, length));
        } else {
            out += replacement;
        }
        i += length > 0 ? length : 1;
    }
}

std::string xml_text(std::string_view text, quotes q) {
    std::string out;
    out.reserve(text.size() + 16);
    append_xml_text(out, text, q);
    return out;
}

}  // namespace ruche::protocol
