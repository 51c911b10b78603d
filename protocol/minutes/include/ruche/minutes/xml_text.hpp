#pragma once

// The one escaper of text written into XML and HTML documents (the minutes'
// HTML and ODT, the QR code's SVG). Whatever the input, the document stays
// well-formed: `&`, `<` and `>` are always escaped, and what XML 1.0 cannot
// carry (C0 controls other than tab, line feed and carriage return, U+FFFE,
// U+FFFF, bytes that are not UTF-8) becomes U+FFFD.

#include <string>
#include <string_view>

namespace ruche::protocol {

enum class quotes {
    kept,     // HTML element content: `"` and `'` stay as they are, so the source reads as written
    escaped,  // `&quot;` and `&apos;`, safe anywhere: attribute values, the ODT's XML, the SVG
};

void append_xml_text(std::string& out, std::string_view text, quotes q = quotes::kept);
std::string xml_text(std::string_view text, quotes q = quotes::kept);

}  // namespace ruche::protocol
