#pragma once

// The minutes ("compte-rendu") of a session and its export file.
//
// `build_minutes` turns the final board and its op log into a model that holds
// no participant id; the renderers turn that model into Markdown, a printable
// HTML page, a CSV table for spreadsheets and the parts of an OpenDocument
// text. Every label comes from the client's message catalog (keys
// "minutes.*"), and dates are computed here without a time zone database: the
// caller passes the UTC offset. Same inputs, same bytes.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ruche/board/board.hpp"
#include "ruche/board/ops.hpp"
#include "ruche/board/result.hpp"

namespace ruche::protocol {

// i18n key -> text, as in client-web/i18n/<lang>.json. Plurals follow the
// client's convention: "<key>.one" and "<key>.other", with "{n}" in the text.
// A missing key is rendered as the key itself, so it shows.
using catalog = std::map<std::string, std::string, std::less<>>;

// A photo's thumbnail as the minutes embed it: JPEG bytes and their size in pixels.
struct minutes_picture {
    std::string jpeg;
    std::uint32_t width = 0;
    std::uint32_t height = 0;
};
// Photo id -> its thumbnail. The caller reads them (the minutes do no I/O);
// a photo it did not give is left out of the minutes.
using minutes_pictures = std::map<std::string, minutes_picture, std::less<>>;

struct minutes_options {
    const catalog* text = nullptr;  // strings for the chosen language
    std::string lang = "fr";        // "fr" or "en": also drives date/number formatting
    int utc_offset_minutes = 60;    // local offset at the session's start (Europe/Paris: 60 or 120)
    std::size_t top_ideas = 5;
    std::string time_zone;  // the zone's IANA name, shown in the minutes ("": not shown)
    const minutes_pictures* pictures = nullptr;  // photos' thumbnails, by id
};

// In an anonymous session no export ties an idea to a profile that fewer
// people than this had (k-anonymity); servers may choose another value.
inline constexpr std::uint32_t default_anonymity_threshold = 3;

// How many of something per profile; no profile means "not given".
struct profile_count {
    std::optional<protocol::profile> profile;
    std::uint32_t count = 0;
    bool operator==(const profile_count&) const = default;
};

// One idea as the minutes show it: a note and the duplicates merged into it.
struct minutes_note {
    std::string text;
    std::uint32_t votes = 0;
    // How many times the idea was written: the note itself plus each duplicate
    // merged into it (1 + merged.size()). It counts wordings, not distinct
    // people: a facilitator writing the same idea for two people without a
    // phone counts twice, like the "written N times" badge of the board.
    std::uint32_t written = 1;
    // The wordings of the merged duplicates, in merge order.
    std::vector<std::string> other_wordings;
    // Who wrote it, one count per wording: the profile given to a note the
    // facilitator wrote on someone's behalf, otherwise its author's profile.
    // In anonymous sessions, only profiles at least `anonymity_threshold`
    // people had; the theme's "regards croisés" still count every wording.
    std::vector<profile_count> profiles;
    std::optional<std::string> theme_title;  // nullopt: outside any theme
    std::uint64_t created_seq = 0;           // ties are broken by creation order
    // On a walk: the stop's name, the category's label and where it was written.
    std::optional<std::string> stop_name;
    std::optional<std::string> category;
    std::optional<geo_point> location;
    std::optional<std::string> photo;  // its photo's id
    bool operator==(const minutes_note&) const = default;
};

// One stop of a walk, with what was observed there.
struct minutes_stop {
    std::string name;
    std::string question;
    std::optional<geo_point> place;
    // Notes per category of the session, in the session's order, then
    // those without a category.
    std::vector<std::uint32_t> category_counts;
    std::uint32_t without_category = 0;
    std::vector<minutes_note> notes;  // ranked by votes, ties by creation order
    bool operator==(const minutes_stop&) const = default;
};

// One line of a theme's action plan.
struct minutes_action {
    std::string what, who, when;
    bool operator==(const minutes_action&) const = default;
};

struct minutes_theme {
    std::string title;
    std::vector<minutes_action> actions;  // in the order they were written
    std::string synthesis;                // the facilitator's, "" when none was written
    std::uint32_t score = 0;              // dots on the theme plus dots on its notes
    std::uint32_t own_votes = 0;          // dots on the theme itself
    std::vector<minutes_note> notes;      // ranked by votes, ties by creation order
    std::vector<profile_count> profiles;  // "regards croisés": wordings per profile
    std::uint64_t created_seq = 0;
    bool operator==(const minutes_theme&) const = default;
};

struct minutes_phase {
    protocol::phase phase = phase::writing;
    std::int64_t start = 0;  // ms since the epoch
    std::int64_t end = 0;    // the next change, or the end of the session
    bool operator==(const minutes_phase&) const = default;
};

// A named attendee; only in sessions that are not anonymous.
struct minutes_person {
    std::string name;  // may be "": rendered as "unnamed participant"
    std::optional<protocol::profile> profile;
    bool operator==(const minutes_person&) const = default;
};

struct minutes {
    std::string title;
    std::string question;
    // The meeting: from the first participant's arrival (or the first op when
    // nobody joined as a participant) to the final closing (or the last op
    // when the session was never closed). Set-up before the meeting and a
    // synthesis finished after it do not stretch it.
    std::int64_t start_time = 0;
    std::int64_t end_time = 0;
    bool anonymous = true;
    std::uint32_t vote_budget = 0;
    // Participants (role participant) per profile: the six profiles in their
    // canonical order, then "not given"; only the profiles someone had.
    // People without a phone that the facilitator counted are included.
    std::vector<profile_count> attendance;
    std::uint32_t participant_count = 0;
    std::uint32_t without_phone = 0;  // of which counted by the facilitator
    // Empty in anonymous sessions. In order of arrival.
    std::vector<minutes_person> participants;
    // Every facilitator (co-hosts too), named even in anonymous sessions:
    // they ran the meeting, they did not give ideas anonymously.
    std::vector<minutes_person> facilitators;
    std::vector<minutes_phase> phases;
    std::vector<minutes_theme> themes;       // ranked by score, ties by creation order
    std::vector<minutes_note> ranked_notes;  // every idea, ranked by votes
    std::vector<minutes_note> ungrouped;     // ideas outside any theme, ranked
    std::uint32_t ideas_written = 0;         // wordings, duplicates included
    // A walk: its categories, its stops in route order (and a last one,
    // unnamed, for the ideas written at no stop, when there are any), and
    // the ideas per category over the whole walk. All empty in a brainstorm.
    std::vector<std::string> categories;
    std::vector<minutes_stop> stops;
    std::vector<std::uint32_t> category_totals;
    std::uint32_t without_category = 0;
    std::uint32_t votes_cast = 0;            // dots on notes and themes
    // When the server erases the session (ms since the epoch; 0: kept until
    // someone deletes it), and the period that gives it.
    std::int64_t erase_time = 0;
    std::uint32_t retention_days = 0;
    bool operator==(const minutes&) const = default;
};

// Builds the minutes from the final state and the log that folds into it;
// `server_retention_days` is the server's retention period (0: none), which
// with the session's own says when it will be erased.
minutes build_minutes(const board& final_state, const std::vector<stamped_op>& log,
                      std::uint32_t anonymity_threshold = default_anonymity_threshold,
                      std::uint32_t server_retention_days = 0);

// How many people had each profile: participants who joined with it, plus
// the people without a phone the facilitator counted.
std::map<protocol::profile, std::uint32_t> profile_headcount(const board& b);

// The log of an anonymous session as it may leave the server (export,
// replay): no participant's name, no facilitator's profile, and no profile
// that fewer than `anonymity_threshold` people had, on participants or on
// notes written for someone. Facilitators keep their names, as in the minutes. Ids, texts and votes stay, so it still folds into a board; the
// board it folds into is the one to show. A session that is not anonymous
// is returned as it is.
std::vector<stamped_op> anonymized_log(const board& final_state, const std::vector<stamped_op>& log,
                                       std::uint32_t anonymity_threshold);

// The first `options.top_ideas` ideas that received at least one dot.
std::vector<minutes_note> top_ideas(const minutes& m, const minutes_options& options);

std::string minutes_markdown(const minutes& m, const minutes_options& options);
// A standalone HTML5 document with an inline print stylesheet.
std::string minutes_html(const minutes& m, const minutes_options& options);
// One row per idea, for French spreadsheets: UTF-8 BOM, ';', CRLF, RFC 4180
// quoting, and cells starting with = + - @ tab or CR prefixed with "'".
std::string minutes_csv(const minutes& m, const minutes_options& options);

// OpenDocument text parts; the caller zips them: "mimetype" first and
// stored, then "META-INF/manifest.xml", "content.xml", "styles.xml",
// "meta.xml".
struct odt_parts {
    std::string mimetype, manifest_xml, content_xml, styles_xml, meta_xml;
    // Embedded images: their path in the package ("Pictures/….jpg") and bytes.
    std::vector<std::pair<std::string, std::string>> pictures;
};
odt_parts minutes_odt(const minutes& m, const minutes_options& options);

// Calendar helpers (proleptic Gregorian calendar, fixed UTC offset, times
// clamped to the range of a JavaScript Date). Times and durations keep their
// parts together with non-breaking spaces (U+00A0); French groups thousands
// with a narrow one (U+202F), as Intl.NumberFormat does.
struct local_time {
    std::int64_t year = 1970;
    unsigned month = 1;    // 1..12
    unsigned day = 1;      // 1..31
    unsigned weekday = 4;  // 0 = Sunday
    unsigned hour = 0;
    unsigned minute = 0;
    unsigned second = 0;
};
local_time to_local(std::int64_t ms, int utc_offset_minutes) noexcept;
std::string format_date(std::int64_t ms, const minutes_options& options);  // jeudi 26 novembre 2026
std::string format_clock(std::int64_t ms, const minutes_options& options);     // 14 h 05 / 14:05
std::string format_duration(std::int64_t ms, const minutes_options& options);  // 1 h 25 min
std::string iso_date(std::int64_t ms, int utc_offset_minutes);  // 2026-11-26, for file names

}  // namespace ruche::protocol
