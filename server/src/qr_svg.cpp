#include "qr_svg.hpp"

#include <qrencode.h>

#include <cstddef>
#include <memory>

#include "ruche/minutes/xml_text.hpp"

namespace ruche::server {

namespace {

struct qrcode_deleter {
    void operator()(QRcode* code) const noexcept { QRcode_free(code); }
};

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
    protocol::append_xml_text(svg, text, protocol::quotes::escaped);
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
