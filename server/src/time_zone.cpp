#include "time_zone.hpp"

#include <date/tz.h>

#include <chrono>
#include <string>

namespace ruche::server {
namespace {

const date::time_zone* find_zone(std::string_view name) noexcept {
    try {
        return date::locate_zone(std::string(name));
    } catch (const std::exception&) {
        // Unknown name, or no database on this machine: both mean "not known".
        return nullptr;
    }
}

}  // namespace

bool is_known_time_zone(std::string_view name) noexcept {
    return !name.empty() && find_zone(name) != nullptr;
}

std::optional<int> utc_offset_minutes(std::string_view name, std::int64_t ms) noexcept {
    const auto* zone = name.empty() ? nullptr : find_zone(name);
    if (!zone) return std::nullopt;
    try {
        const date::sys_time<std::chrono::milliseconds> at{std::chrono::milliseconds(ms)};
        const auto info = zone->get_info(at);
        return static_cast<int>(std::chrono::duration_cast<std::chrono::minutes>(info.offset).count());
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

}  // namespace ruche::server
