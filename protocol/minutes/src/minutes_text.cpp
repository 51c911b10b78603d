// Catalog look-ups and the calendar of the minutes. Dates are computed from
// milliseconds since the epoch and a fixed UTC offset with the civil-from-days
// algorithm (proleptic Gregorian calendar); no time zone database, no clock.

#include "minutes_text.hpp"

#include <algorithm>
#include <array>

namespace ruche::protocol {
namespace {

constexpr std::int64_t ms_per_minute = 60'000;
constexpr std::int64_t ms_per_day = 86'400'000;
using detail::time_limit;

constexpr std::array<std::string_view, 7> weekdays_fr = {
    "dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"};
constexpr std::array<std::string_view, 7> weekdays_en = {
    "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};
constexpr std::array<std::string_view, 12> months_fr = {
    "janvier", "février", "mars",      "avril",   "mai",      "juin",
    "juillet", "août",    "septembre", "octobre", "novembre", "décembre"};
constexpr std::array<std::string_view, 12> months_en = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};

// Non-breaking spaces keep "14 h 05" and "1 h 25 min" on one line.
constexpr std::string_view nbsp = "\u00A0";
constexpr std::string_view narrow_nbsp = "\u202F";

std::int64_t floor_div(std::int64_t a, std::int64_t b) noexcept {
    const std::int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

struct civil {
    std::int64_t year;
    unsigned month;
    unsigned day;
};

// Howard Hinnant's civil_from_days: days since 1970-01-01 -> y/m/d.
civil civil_from_days(std::int64_t z) noexcept {
    z += 719468;
    const std::int64_t era = floor_div(z, 146097);
    const auto doe = static_cast<unsigned>(z - era * 146097);                    // [0, 146096]
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;  // [0, 399]
    const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);  // [0, 365]
    const unsigned mp = (5 * doy + 2) / 153;                       // [0, 11]
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;               // [1, 31]
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;                  // [1, 12]
    return {y + (m <= 2 ? 1 : 0), m, d};
}

std::string two_digits(unsigned v) {
    return std::string{static_cast<char>('0' + v / 10 % 10), static_cast<char>('0' + v % 10)};
}

}  // namespace

local_time to_local(std::int64_t ms, int utc_offset_minutes) noexcept {
    ms = std::clamp(ms, -time_limit, time_limit);
    const auto offset = std::clamp<std::int64_t>(utc_offset_minutes, -24 * 60, 24 * 60);
    const std::int64_t local = ms + offset * ms_per_minute;
    const std::int64_t days = floor_div(local, ms_per_day);
    const auto in_day = static_cast<std::uint64_t>(local - days * ms_per_day) / 1000;
    const civil c = civil_from_days(days);
    local_time t;
    t.year = c.year;
    t.month = c.month;
    t.day = c.day;
    // 1970-01-01 was a Thursday (4).
    const std::int64_t from_sunday = days + 4;
    t.weekday = static_cast<unsigned>(from_sunday - floor_div(from_sunday, 7) * 7);
    t.hour = static_cast<unsigned>(in_day / 3600);
    t.minute = static_cast<unsigned>(in_day / 60 % 60);
    t.second = static_cast<unsigned>(in_day % 60);
    return t;
}

std::string format_date(std::int64_t ms, const minutes_options& options) {
    const local_time t = to_local(ms, options.utc_offset_minutes);
    const bool fr = options.lang != "en";
    std::string out(fr ? weekdays_fr.at(t.weekday) : weekdays_en.at(t.weekday));
    out += ' ';
    out += std::to_string(t.day);
    if (fr && t.day == 1) out += "er";  // « le 1er décembre »
    out += ' ';
    out += fr ? months_fr.at(t.month - 1) : months_en.at(t.month - 1);
    out += ' ';
    out += std::to_string(t.year);
    return out;
}

std::string format_clock(std::int64_t ms, const minutes_options& options) {
    const local_time t = to_local(ms, options.utc_offset_minutes);
    if (options.lang == "en") return two_digits(t.hour) + ":" + two_digits(t.minute);
    return std::to_string(t.hour) + std::string(nbsp) + "h" + std::string(nbsp) +
           two_digits(t.minute);
}

std::string format_duration(std::int64_t ms, const minutes_options&) {
    ms = std::clamp<std::int64_t>(ms, 0, 2 * time_limit);
    if (ms > 0 && ms < ms_per_minute / 2)
        return "<" + std::string(nbsp) + "1" + std::string(nbsp) + "min";
    const std::int64_t minutes = (ms + ms_per_minute / 2) / ms_per_minute;
    const std::int64_t hours = minutes / 60;
    const std::int64_t rest = minutes % 60;
    std::string out;
    if (hours > 0) out = std::to_string(hours) + std::string(nbsp) + "h";
    if (rest > 0 || hours == 0) {
        if (!out.empty()) out += nbsp;
        out += std::to_string(rest) + std::string(nbsp) + "min";
    }
    return out;
}

std::string iso_date(std::int64_t ms, int utc_offset_minutes) {
    const local_time t = to_local(ms, utc_offset_minutes);
    std::string year = std::to_string(t.year < 0 ? -t.year : t.year);
    if (year.size() < 4) year.insert(0, 4 - year.size(), '0');
    if (t.year < 0) year.insert(0, 1, '-');
    return year + "-" + two_digits(t.month) + "-" + two_digits(t.day);
}

namespace detail {

std::string iso_local_datetime(std::int64_t ms, int utc_offset_minutes) {
    const local_time t = to_local(ms, utc_offset_minutes);
    return iso_date(ms, utc_offset_minutes) + "T" + two_digits(t.hour) + ":" +
           two_digits(t.minute) + ":" + two_digits(t.second);
}

std::vector<std::string_view> split_lines(std::string_view text) {
    std::vector<std::string_view> lines;
    std::size_t from = 0;
    while (true) {
        const auto nl = text.find('\n', from);
        if (nl == std::string_view::npos) {
            lines.push_back(text.substr(from));
            return lines;
        }
        lines.push_back(text.substr(from, nl - from));
        from = nl + 1;
    }
}

std::string minutes_text::lookup(std::string_view key) const {
    if (options_.text) {
        if (auto it = options_.text->find(key); it != options_.text->end()) return it->second;
    }
    return std::string(key);
}

std::string minutes_text::fill(std::string_view key, const text_param* first,
                               const text_param* last) const {
    const std::string pattern = lookup(key);
    std::string out;
    out.reserve(pattern.size());
    std::size_t i = 0;
    while (i < pattern.size()) {
        const auto open = pattern.find('{', i);
        if (open == std::string::npos) break;
        const auto close = pattern.find('}', open + 1);
        if (close == std::string::npos) break;
        const std::string_view name(pattern.data() + open + 1, close - open - 1);
        const auto value =
            std::find_if(first, last, [&](const text_param& p) { return p.first == name; });
        out.append(pattern, i, open - i);
        if (value != last) {
            out += value->second;
        } else {
            out.append(pattern, open, close - open + 1);
        }
        i = close + 1;
    }
    out.append(pattern, std::min(i, pattern.size()));
    return out;
}

std::string minutes_text::operator()(std::string_view key,
                                     std::initializer_list<text_param> params) const {
    return fill(key, params.begin(), params.end());
}

std::string minutes_text::plural(std::string_view key, std::uint64_t n,
                                 std::initializer_list<text_param> params) const {
    const bool one = french() ? n <= 1 : n == 1;
    std::vector<text_param> all(params);
    all.emplace_back("n", number(n));
    return fill(std::string(key) + (one ? ".one" : ".other"), all.data(), all.data() + all.size());
}

std::string minutes_text::label(std::string_view key) const {
    return (*this)("minutes.label", {{"label", (*this)(key)}});
}

std::string minutes_text::number(std::uint64_t n) const {
    std::string digits = std::to_string(n);
    const std::string_view separator = french() ? narrow_nbsp : std::string_view(",");
    std::string out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += separator;
        out += digits[i];
    }
    return out;
}

std::string minutes_text::profile(const std::optional<protocol::profile>& p) const {
    if (!p) return (*this)("minutes.profile.none");
    return (*this)("minutes.profile." + std::string(to_string(*p)));
}

std::string minutes_text::phase(protocol::phase p) const {
    return (*this)("minutes.phase." + std::string(to_string(p)));
}

std::string minutes_text::profiles(const std::vector<profile_count>& counts) const {
    std::string out;
    for (const auto& c : counts) {
        if (!out.empty()) out += ", ";
        out += (*this)("minutes.profile_count",
                       {{"profile", profile(c.profile)}, {"n", number(c.count)}});
    }
    return out;
}

std::string format_degrees(std::int32_t units) {
    const std::int64_t v = units;
    const std::uint64_t magnitude = static_cast<std::uint64_t>(v < 0 ? -v : v);
    std::string fraction = std::to_string(magnitude % geo_scale);
    fraction.insert(0, 5 - fraction.size(), '0');
    return (v < 0 ? "-" : "") + std::to_string(magnitude / geo_scale) + "." + fraction;
}

std::string format_place(const geo_point& p) {
    return format_degrees(p.lat) + ", " + format_degrees(p.lon);
}

std::string map_link(const geo_point& p) {
    const auto lat = format_degrees(p.lat);
    const auto lon = format_degrees(p.lon);
    return "https://www.openstreetmap.org/?mlat=" + lat + "&mlon=" + lon + "#map=18/" + lat + "/" + lon;
}

std::string base64(std::string_view bytes) {
    static constexpr char digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 2 < bytes.size(); i += 3) {
        const auto n = static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i])) << 16 |
                       static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8 |
                       static_cast<unsigned char>(bytes[i + 2]);
        for (int shift = 18; shift >= 0; shift -= 6) out += digits[(n >> shift) & 63];
    }
    if (const auto left = bytes.size() - i; left > 0) {
        std::uint32_t n = static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i])) << 16;
        if (left == 2) n |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8;
        out += digits[(n >> 18) & 63];
        out += digits[(n >> 12) & 63];
        out += left == 2 ? digits[(n >> 6) & 63] : '=';
        out += '=';
    }
    return out;
}

}  // namespace detail
}  // namespace ruche::protocol
