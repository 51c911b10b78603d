#pragma once

// Internal to the minutes renderers: catalog look-ups with placeholders and
// plurals, and the language's labels for profiles and phases. Everything
// returned is plain text; each renderer escapes it for its format.

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ruche/minutes/minutes.hpp"

namespace ruche::protocol::detail {

// Times are clamped to the range of a JavaScript Date (±100,000,000 days), so
// no arithmetic on a hostile log can overflow.
inline constexpr std::int64_t time_limit = 8'640'000'000'000'000;

using text_param = std::pair<std::string_view, std::string>;

class minutes_text {
  public:
    explicit minutes_text(const minutes_options& options) : options_(options) {}

    const minutes_options& options() const { return options_; }
    bool french() const { return options_.lang != "en"; }

    // The text of `key` with "{name}" placeholders replaced; the key itself
    // when the catalog lacks it.
    std::string operator()(std::string_view key,
                           std::initializer_list<text_param> params = {}) const;
    // "<key>.one" or "<key>.other" for `n` (French: 0 and 1 are singular),
    // with "{n}" replaced by the formatted number.
    std::string plural(std::string_view key, std::uint64_t n,
                       std::initializer_list<text_param> params = {}) const;
    // "Question :" in French, "Question:" in English.
    std::string label(std::string_view key) const;

    std::string number(std::uint64_t n) const;
    std::string profile(const std::optional<protocol::profile>& p) const;
    std::string phase(protocol::phase p) const;
    // "Habitant·e (4), Association (2)"
    std::string profiles(const std::vector<profile_count>& counts) const;

  private:
    std::string lookup(std::string_view key) const;
    std::string fill(std::string_view key, const text_param* first, const text_param* last) const;
    const minutes_options& options_;
};

// Lines of a multiline text ('\n' separated; a trailing empty line is kept).
std::vector<std::string_view> split_lines(std::string_view text);

// Degrees from 1/geo_scale units, as maps and GIS tools read them: "48.85661",
// "-2.35223" (a point, five decimals, in every language).
std::string format_degrees(std::int32_t units);

// "48.85661, 2.35222", and a link that shows the place on OpenStreetMap.
std::string format_place(const geo_point& p);
std::string map_link(const geo_point& p);

// Standard base64 (RFC 4648, with padding), for images inside a document.
std::string base64(std::string_view bytes);

// The local ISO timestamp "2026-11-26T14:05:00" (no offset).
std::string iso_local_datetime(std::int64_t ms, int utc_offset_minutes);

}  // namespace ruche::protocol::detail
