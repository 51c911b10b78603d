#pragma once

// The vocabulary of a brainstorming session: every change to a board is one of
// these operations. Clients send them without server-assigned fields; the
// server stamps sequence number, time, author and new ids (`stamped_op`)
// before the board model applies them, so applying is deterministic.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace ruche::protocol {

enum class color { yellow, pink, blue, green, orange, purple };
enum class phase { writing, reveal, clustering, voting, synthesis, closed };
enum class profile { habitant, agent, association, institution, elu, autre };
enum class role { participant, facilitator };

std::string_view to_string(color c) noexcept;
std::string_view to_string(phase p) noexcept;
std::string_view to_string(profile p) noexcept;
std::string_view to_string(role r) noexcept;
std::optional<color> parse_color(std::string_view s) noexcept;
std::optional<phase> parse_phase(std::string_view s) noexcept;
std::optional<profile> parse_profile(std::string_view s) noexcept;
std::optional<role> parse_role(std::string_view s) noexcept;

inline constexpr color all_colors[] = {color::yellow, color::pink,   color::blue,
                                       color::green,  color::orange, color::purple};
inline constexpr phase all_phases[] = {phase::writing, phase::reveal,    phase::clustering,
                                       phase::voting,  phase::synthesis, phase::closed};
inline constexpr profile all_profiles[] = {profile::habitant,    profile::agent,
                                           profile::association, profile::institution,
                                           profile::elu,         profile::autre};

// Board coordinates are integers in [-coordinate_limit, coordinate_limit].
inline constexpr std::int32_t coordinate_limit = 1'000'000;

// Hard limits of the codec, in Unicode code points. A session may set a
// smaller note length limit (`settings.note_max_length`, default 500).
inline constexpr std::size_t max_note_chars = 5000;
inline constexpr std::size_t max_title_chars = 200;
inline constexpr std::size_t max_question_chars = 1000;
inline constexpr std::size_t max_name_chars = 60;
inline constexpr std::size_t max_synthesis_chars = 10000;
inline constexpr std::size_t max_id_chars = 64;
inline constexpr std::uint32_t max_vote_budget = 100;
inline constexpr std::uint32_t max_timer_seconds = 24 * 3600;
// How long a session may be kept after its last activity: ten years.
inline constexpr std::uint32_t max_retention_days = 3650;
inline constexpr std::size_t max_action_chars = 300;
inline constexpr std::size_t max_action_detail_chars = 200;
inline constexpr std::size_t max_time_zone_chars = 64;
inline constexpr std::uint32_t max_scribe_attendance = 1000;
// A walk ("diagnostic en marchant"): its stops and the categories of what
// people observe on the way.
inline constexpr std::size_t max_stops = 100;
inline constexpr std::size_t max_categories = 8;
inline constexpr std::size_t max_category_chars = 40;
// Places are kept in hundred-thousandths of a degree, about 1 m: the codec
// rounds what a phone measured, so the log holds no more than a walk needs.
inline constexpr std::int32_t geo_scale = 100'000;
inline constexpr std::uint32_t max_geo_accuracy = 100'000;  // metres

// The author of server-emitted operations (presence, session set-up).
inline constexpr std::string_view system_author = "server";

struct point {
    std::int32_t x = 0;
    std::int32_t y = 0;
    bool operator==(const point&) const = default;
};

// Where one note or theme goes when the board is tidied.
struct placement {
    std::string id;
    point at;
    bool operator==(const placement&) const = default;
};

// A place on Earth: latitude and longitude in 1/geo_scale degrees, and how
// sure the phone was of it, in metres (0: not said, e.g. typed or tapped).
struct geo_point {
    std::int32_t lat = 0;
    std::int32_t lon = 0;
    std::uint32_t accuracy = 0;
    bool operator==(const geo_point&) const = default;
};

// A vote goes to a note or to a theme.
struct vote_target {
    enum class kind_t { note, theme } kind = kind_t::note;
    std::string id;
    bool operator==(const vote_target&) const = default;
};

namespace ops {

struct note_add {
    std::string note;  // assigned by `stamp`
    std::string text;
    protocol::color color = color::yellow;
    point at;
    // Facilitator only: a note written on behalf of someone without a phone.
    std::optional<protocol::profile> profile;
    // The client sent no position: the server picks a free spot
    // (`free_spot`) and clears this before the op is applied or logged.
    bool place = false;
    // On a walk: the stop it was written at (the phone's current stop when
    // it was written, which may not be the group's any more when an
    // offline phone sends it), its category (an index into
    // `settings.categories`) and where its author was.
    // (Initialised here so that older aggregate initialisations stay whole.)
    std::optional<std::string> stop = std::nullopt;
    std::optional<std::uint32_t> category = std::nullopt;
    std::optional<geo_point> location = std::nullopt;
    // A photo the author uploaded (POST /api/sessions/{id}/photos gave its
    // id): the server checks it before the op is applied.
    std::optional<std::string> photo = std::nullopt;
    bool operator==(const note_add&) const = default;
};
// Attaches a note to another stop of the walk, or to none.
struct note_stop {
    std::string note;
    std::optional<std::string> stop;
    bool operator==(const note_stop&) const = default;
};
// Attaches a photo to a note, or detaches it (a face, a licence plate): the
// note's author or a facilitator. A detached photo is not shown any more; its
// bytes go with the session.
struct note_photo {
    std::string note;
    std::optional<std::string> photo;
    bool operator==(const note_photo&) const = default;
};
struct note_edit {
    std::string note;
    std::string text;
    bool operator==(const note_edit&) const = default;
};
struct note_move {
    std::string note;
    point at;
    bool operator==(const note_move&) const = default;
};
struct note_color {
    std::string note;
    protocol::color color = color::yellow;
    bool operator==(const note_color&) const = default;
};
struct note_delete {
    std::string note;
    bool operator==(const note_delete&) const = default;
};
// Takes a deleted note out of the bin.
struct note_restore {
    std::string note;
    bool operator==(const note_restore&) const = default;
};
// `note` disappears into `into`, which keeps every author and every vote.
struct note_merge {
    std::string note;
    std::string into;
    bool operator==(const note_merge&) const = default;
};
// Puts a note into a theme, or takes it out when `theme` is absent (null on the wire).
struct note_group {
    std::string note;
    std::optional<std::string> theme;
    bool operator==(const note_group&) const = default;
};
struct theme_create {
    std::string theme;  // assigned by `stamp`
    std::string title;
    point at;
    // The client sent no position: the server puts the theme right of
    // everything (`theme_spot`) and clears this before the op is applied.
    bool place = false;
    bool operator==(const theme_create&) const = default;
};
struct theme_rename {
    std::string theme;
    std::string title;
    bool operator==(const theme_rename&) const = default;
};
struct theme_move {
    std::string theme;
    point at;
    bool operator==(const theme_move&) const = default;
};
struct theme_delete {
    std::string theme;
    bool operator==(const theme_delete&) const = default;
};
struct theme_restore {
    std::string theme;
    bool operator==(const theme_restore&) const = default;
};
// The facilitator's synthesis of a theme, for the minutes.
struct theme_synthesis {
    std::string theme;
    std::string text;
    bool operator==(const theme_synthesis&) const = default;
};
// One line of a theme's action plan: what is to be done, by whom, by when.
struct action_add {
    std::string action;  // assigned by `stamp`
    std::string theme;
    std::string what;
    std::string who;
    std::string when;
    bool operator==(const action_add&) const = default;
};
struct action_edit {
    std::string action;
    std::string what;
    std::string who;
    std::string when;
    bool operator==(const action_edit&) const = default;
};
struct action_delete {
    std::string action;
    bool operator==(const action_delete&) const = default;
};
// How many people of a profile took part without a phone (scribe mode).
struct attendance_set {
    protocol::profile profile = profile::habitant;
    std::uint32_t count = 0;
    bool operator==(const attendance_set&) const = default;
};
// A stop of a walk, in the order of the route (the order they are added).
struct stop_add {
    std::string stop;  // assigned by `stamp`
    std::string name;
    std::string question;  // may be empty
    std::optional<geo_point> place;
    bool operator==(const stop_add&) const = default;
};
struct stop_edit {
    std::string stop;
    std::string name;
    std::string question;
    std::optional<geo_point> place;
    bool operator==(const stop_edit&) const = default;
};
// Its notes stay, attached to no stop.
struct stop_delete {
    std::string stop;
    bool operator==(const stop_delete&) const = default;
};
// The group moves to a stop (none: the walk is over, or not begun).
struct stop_go {
    std::optional<std::string> stop;
    bool operator==(const stop_go&) const = default;
};
struct vote_add {
    vote_target target;
    bool operator==(const vote_add&) const = default;
};
struct vote_remove {
    vote_target target;
    bool operator==(const vote_remove&) const = default;
};
struct phase_set {
    protocol::phase phase = phase::writing;
    bool operator==(const phase_set&) const = default;
};
struct board_lock {
    bool locked = true;
    bool operator==(const board_lock&) const = default;
};
// "Ranger": the facilitator tidies the board. Clients send no field; the
// server fills in where every note outside a theme and every theme goes
// (`arrangement`), so the log, every client and the replay agree.
struct board_arrange {
    std::vector<placement> notes;
    std::vector<placement> themes;
    // On a walk: one column per stop, in the route's order (the client asks
    // with "by_stop": true; the log keeps it).
    std::optional<bool> by_stop = std::nullopt;
    bool operator==(const board_arrange&) const = default;
};
struct timer_start {
    std::uint32_t seconds = 0;
    bool operator==(const timer_start&) const = default;
};
struct timer_stop {
    bool operator==(const timer_stop&) const = default;
};
// Only the fields present change.
struct settings_set {
    std::optional<std::string> title;
    std::optional<std::string> question;
    std::optional<std::uint32_t> vote_budget;
    std::optional<bool> anonymous;
    std::optional<std::uint32_t> note_max_length;
    std::optional<std::vector<protocol::profile>> profiles;
    std::optional<std::string> time_zone;  // IANA name, e.g. "Europe/Paris"
    std::optional<bool> hidden_votes;
    std::optional<std::uint32_t> retention_days;  // erased this many days after the last activity
    // What people observe on a walk, e.g. Atout, Difficulté, Proposition.
    std::optional<std::vector<std::string>> categories = std::nullopt;
    bool operator==(const settings_set&) const = default;
};
// Presence: emitted by the server when a connection says hello / goes away.
struct participant_join {
    std::string participant;
    protocol::role role = role::participant;
    std::string name;  // may be empty: taking part needs no name
    std::optional<protocol::profile> profile;
    bool operator==(const participant_join&) const = default;
};
// A participant changes their own display name or profile.
struct participant_rename {
    std::string name;
    std::optional<protocol::profile> profile;
    bool operator==(const participant_rename&) const = default;
};
struct participant_leave {
    std::string participant;
    bool operator==(const participant_leave&) const = default;
};

}  // namespace ops

using op = std::variant<ops::note_add, ops::note_edit, ops::note_move, ops::note_color,
                        ops::note_delete, ops::note_merge, ops::note_group, ops::theme_create,
                        ops::theme_rename, ops::theme_move, ops::theme_delete, ops::theme_synthesis,
                        ops::vote_add, ops::vote_remove, ops::phase_set, ops::board_lock,
                        ops::timer_start, ops::timer_stop, ops::settings_set, ops::participant_join,
                        ops::participant_rename, ops::participant_leave, ops::note_restore,
                        ops::theme_restore, ops::action_add, ops::action_edit, ops::action_delete,
                        ops::attendance_set, ops::board_arrange, ops::note_stop, ops::stop_add,
                        ops::stop_edit, ops::stop_delete, ops::stop_go, ops::note_photo>;

// The wire name of an op, e.g. "note.add".
std::string_view kind_name(const op& o) noexcept;

// Presence ops are emitted by the server only; clients may not send them.
bool is_server_only(const op& o) noexcept;

// An op as written to the log and broadcast: it has its place in the session.
struct stamped_op {
    std::uint64_t seq = 0;
    std::int64_t time = 0;  // milliseconds since the Unix epoch, server clock
    std::string by;         // participant id, or `system_author`
    protocol::op op;
    bool operator==(const stamped_op&) const = default;
};

}  // namespace ruche::protocol
