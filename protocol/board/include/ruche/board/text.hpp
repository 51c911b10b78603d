#pragma once

// Checks of human text and ids, shared by `apply` and the wire's decoders
// (namespace `detail`: not part of the domain's vocabulary).

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "ruche/board/errc.hpp"

namespace ruche::protocol::detail {

// Number of code points of valid UTF-8, or nullopt when the bytes are not
// valid UTF-8 (overlongs, surrogates and values above U+10FFFF are invalid).
std::optional<std::size_t> utf8_length(std::string_view s) noexcept;

// The length of the well-formed UTF-8 sequence at `s[i]` (1 to 4, its code
// point in `cp`), or 0 when none starts there.
std::size_t utf8_sequence(std::string_view s, std::size_t i, char32_t& cp) noexcept;

enum class text_kind {
    multiline,  // note text, synthesis: line breaks and tabs allowed
    line,       // titles, names: no control character at all
};

// Checks a human text: valid UTF-8, no forbidden control character, not only
// white space (unless it may be empty), at most `max_chars` code points.
std::optional<rejection> check_text(std::string_view s, std::size_t max_chars, text_kind kind,
                                    bool may_be_empty, std::string_view field);

// Ids are 1 to 64 characters of [A-Za-z0-9_-].
bool is_valid_id(std::string_view s) noexcept;

// An IANA time zone name by its shape ("Europe/Paris", "America/Argentina/
// Buenos_Aires", "UTC", "Etc/GMT+1"): whether the zone exists is the server's
// business, it has the database.
bool is_time_zone_name(std::string_view s) noexcept;

// A short, valid-UTF-8 prefix of client input for error details.
std::string excerpt(std::string_view s);

// Index of an op kind in the `op` variant, from its wire name.
std::optional<std::size_t> kind_index(std::string_view name) noexcept;

}  // namespace ruche::protocol::detail
