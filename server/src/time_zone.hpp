#pragma once

// Time zones by IANA name, from the system's time zone database (Debian's
// tzdata). The minutes are computed without one (the pure layer takes an
// offset); this is where the server finds that offset for a session.

#include <cstdint>
#include <optional>
#include <string_view>

namespace ruche::server {

// True when the database knows the zone ("Europe/Paris", "UTC"...).
bool is_known_time_zone(std::string_view name) noexcept;

// The offset from UTC, in minutes, of `name` at `ms` since the epoch
// (Europe/Paris: 60 in winter, 120 in summer); nullopt for an unknown zone.
std::optional<int> utc_offset_minutes(std::string_view name, std::int64_t ms) noexcept;

}  // namespace ruche::server
