#pragma once

// Names of downloaded files, and the Content-Disposition header that gives
// them (RFC 6266): an ASCII name every browser takes, and the UTF-8 one.

#include <string>
#include <string_view>

namespace ruche::server {

// "Atelier : l'isolement des aînés" → "atelier-l-isolement-des-aines": lower
// case ASCII letters and digits joined by dashes, accents taken off, at most
// `max_chars` characters, cut at a dash. "" when nothing is left.
std::string ascii_slug(std::string_view text, std::size_t max_chars = 60);

// The same with letters kept as they are (accents, other scripts), for the
// UTF-8 name: only spaces and what file systems refuse become dashes.
std::string utf8_slug(std::string_view text, std::size_t max_chars = 60);

// `attachment; filename="<ascii>"; filename*=UTF-8''<utf8, percent-encoded>`.
std::string content_disposition(std::string_view ascii_name, std::string_view utf8_name);

}  // namespace ruche::server
