#include <catch2/catch.hpp>

#include "time_zone.hpp"

using namespace ruche::server;

TEST_CASE("time zones come from the system's database, by IANA name") {
    CHECK(is_known_time_zone("Europe/Paris"));
    CHECK(is_known_time_zone("America/Cayenne"));
    CHECK(is_known_time_zone("UTC"));
    CHECK_FALSE(is_known_time_zone("Europe/Lutece"));
    CHECK_FALSE(is_known_time_zone(""));
    CHECK_FALSE(is_known_time_zone("../../etc/passwd"));
}

TEST_CASE("offsets follow daylight saving time") {
    const std::int64_t winter = 1'795'698'300'000;  // 2026-11-26 13:05 UTC
    const std::int64_t summer = 1'783'000'000'000;  // 2026-07-02 UTC
    CHECK(utc_offset_minutes("Europe/Paris", winter) == 60);
    CHECK(utc_offset_minutes("Europe/Paris", summer) == 120);
    CHECK(utc_offset_minutes("America/Cayenne", winter) == -180);
    CHECK(utc_offset_minutes("Indian/Reunion", summer) == 240);
    CHECK(utc_offset_minutes("UTC", summer) == 0);
    CHECK_FALSE(utc_offset_minutes("Nowhere/Atlantis", summer));
}
