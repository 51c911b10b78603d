#pragma once

// QR codes for the join link, drawn as a small standalone SVG that the
// projector can scale to any size without blurring.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ruche::server {

// The modules of the QR code for `text` (error correction level M, smallest
// version that fits), row by row; true is dark. No quiet zone. nullopt when
// the text is empty, contains a NUL byte or does not fit in a QR code.
std::optional<std::vector<std::vector<bool>>> qr_modules(std::string_view text);

// The same code as an SVG document: white background, a quiet zone of
// `qr_quiet_zone` modules on each side, the dark modules as one path of
// horizontal runs, viewBox in module units, and a <title> holding the text for
// screen readers. nullopt in the same cases as qr_modules.
std::optional<std::string> qr_svg(std::string_view text);

inline constexpr std::size_t qr_quiet_zone = 4;

}  // namespace ruche::server
