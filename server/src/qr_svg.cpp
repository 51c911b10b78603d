#include "qr_svg.hpp"

#include <qrencode.h>

#include <cstddef>
#include <memory>

namespace ruche::server {

namespace {

struct qrcode_deleter {
    void operator()(QRcode* code) const noexcept { QRcode_free(code); }
};

// Length of the well-formed UTF-8 sequence starting at text[i], or 0 when the
// byte there does not start one (overlong forms and surrogates included).
std::size_t utf8_sequence_length(std::string_view text, std::size_t i) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    const unsigned char lead = byte(i);
    std::size_t length = 0;
    unsigned char min_second = 0x80;
    unsigned char max_second = 0xbf;
    if (lead < 0x80) return 1;
    if (lead >= 0xc2 && lead <= 0xdf) {
        length = 2;
    } else if (lead >= 0xe0 && lead <= 0xef) {
        length = 3;
        if (lead == 0xe0) min_second = 0xa0;  // overlong
        if (lead == 0xed) max_second = 0x9f;  // surrogates
    } else if (lead >= 0xf0 && lead <= 0xf4) {
        length = 4;
        if (lead == 0xf0) min_second = 0x90;  // overlong
        if (lead == 0xf4) max_second = 0x8f;  // above U+10FFFF
    } else {
        return 0;
    }
    if (i + length > text.size()) return 0;
    if (byte(i + 1) < min_second || byte(i + 1) > max_second) return 0;
    for (std::size_t k = 2; k < length; ++k) {
        if (byte(i + k) < 0x80 || byte(i + k) > 0xbf) return 0;
    }
    return length;
}

// Text content for XML: markup characters escaped, and what XML 1.0 cannot
// hold at all (control characters, invalid UTF-8) replaced by U+FFFD, so that
// any input still gives a well-formed document.
void append_xml_text(std::string& out, std::string_view text) {
    constexpr std::string_view replacement = "\xef\xbf\xbd";
    for (std::size_t i = 0; i < text.size();) {
        const char c = text[i];
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&apos;";
                break;
            default: {
                const auto u = static_cast<unsigned char>(c);
                if (u < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                    out += replacement;
                    break;
                }
                const std::size_t length = utf8_sequence_length(text, i);
                if (length == 0) {
                    out += replacement;
                    break;
                }
                out.append(text.substr(i, length));
                i += length;
                continue;
            }
        }
        ++i;
    }
}

}  // namespace

std::optional<std::vector<std::vector<bool>>> qr_modules(std::string_view text) {
    // libqrencode wants a C string; an embedded NUL would silently cut the text.
    if (text.empty() || text.find('\0') != std::string_view::npos) return std::nullopt;
    const std::string c_text(text);
    // Case-sensitive with the 8-bit hint: the encoder still picks numeric or
    // alphanumeric segments where they are shorter, which keeps the code small,
    // but never changes a byte (tokens in links are case-sensitive).
    const std::unique_ptr<QRcode, qrcode_deleter> code(
        QRcode_encodeString(c_text.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1));
    if (!code || code->width <= 0) return std::nullopt;
    const auto width = static_cast<std::size_t>(code->width);
    std::vector<std::vector<bool>> rows(width, std::vector<bool>(width));
    for (std::size_t y = 0; y < width; ++y) {
        for (std::size_t x = 0; x < width; ++x) {
            rows[y][x] = (code->data[y * width + x] & 1u) != 0;  // bit 0: dark
        }
    }
    return rows;
}

std::optional<std::string> qr_svg(std::string_view text) {
    const auto modules = qr_modules(text);
    if (!modules) return std::nullopt;
    const std::size_t width = modules->size();
    const std::string size = std::to_string(width + 2 * qr_quiet_zone);

    std::string svg;
    svg.reserve(4096);
    svg += "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ";
    svg += size + ' ' + size;
    svg += "\" shape-rendering=\"crispEdges\" role=\"img\"><title>";
    append_xml_text(svg, text);
    svg += "</title><rect width=\"" + size + "\" height=\"" + size + "\" fill=\"#fff\"/>";
    svg += "<path fill=\"#000\" d=\"";
    // One closed rectangle per horizontal run of dark modules.
    for (std::size_t y = 0; y < width; ++y) {
        const auto& row = (*modules)[y];
        for (std::size_t x = 0; x < width;) {
            if (!row[x]) {
                ++x;
                continue;
            }
            const std::size_t start = x;
            while (x < width && row[x]) ++x;
            const std::string run = std::to_string(x - start);
            svg += 'M' + std::to_string(start + qr_quiet_zone) + ' ' +
                   std::to_string(y + qr_quiet_zone) + 'h' + run + "v1h-" + run + 'z';
        }
    }
    svg += "\"/></svg>\n";
    return svg;
}

}  // namespace ruche::server
