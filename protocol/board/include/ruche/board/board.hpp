#pragma once

// The board model: the state of one session is the fold of `apply` over its
// op log. `apply` reads no clock and no random source; everything it needs is
// in the stamped op, so replaying a log reproduces the live board exactly.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ruche/board/ops.hpp"
#include "ruche/board/result.hpp"

namespace ruche::protocol {

// Dots per participant id.
using vote_tally = std::map<std::string, std::uint32_t>;

std::uint32_t total(const vote_tally& votes) noexcept;

// What a note absorbed from a duplicate merged into it.
struct merged_note {
    std::string id;
    std::string text;
    std::string author;
    bool operator==(const merged_note&) const = default;
};

struct note {
    std::string id;
    std::string text;
    protocol::color color = color::yellow;
    point at;
    std::string author;
    // Everyone who wrote it: the author, then the authors of merged duplicates.
    std::vector<std::string> authors;
    // Set when the facilitator wrote it for someone without a phone.
    std::optional<protocol::profile> profile;
    std::optional<std::string> theme;
    vote_tally votes;
    std::vector<merged_note> merged;
    std::uint64_t created_seq = 0;
    std::int64_t created_time = 0;
    // On a walk: its stop, its category (index into settings.categories)
    // and where its author was when writing it.
    std::optional<std::string> stop;
    std::optional<std::uint32_t> category;
    std::optional<geo_point> location;
    std::optional<std::string> photo;  // the id of a photo of this session
    bool operator==(const note&) const = default;
};

// A stop of a walk; the route is the stops in the order they were added.
struct stop {
    std::string id;
    std::string name;
    std::string question;
    std::optional<geo_point> place;
    std::uint64_t created_seq = 0;
    bool operator==(const stop&) const = default;
};

struct theme {
    std::string id;
    std::string title;
    point at;
    std::string synthesis;
    vote_tally votes;
    std::uint64_t created_seq = 0;
    bool operator==(const theme&) const = default;
};

// A deleted note or theme waits in the bin until it is restored, so a
// facilitator's mistake can be undone. The minutes ignore the bin.
struct deleted_note {
    protocol::note note;
    std::uint64_t deleted_seq = 0;
    bool operator==(const deleted_note&) const = default;
};
struct deleted_theme {
    protocol::theme theme;
    std::vector<std::string> notes;  // the notes it held when it was deleted
    std::uint64_t deleted_seq = 0;
    bool operator==(const deleted_theme&) const = default;
};

// One line of a theme's action plan.
struct action {
    std::string id;
    std::string theme;
    std::string what;
    std::string who;
    std::string when;
    std::uint64_t created_seq = 0;
    bool operator==(const action&) const = default;
};

struct participant {
    std::string id;
    protocol::role role = role::participant;
    std::string name;
    std::optional<protocol::profile> profile;
    bool present = false;
    std::int64_t joined_time = 0;  // first arrival
    bool operator==(const participant&) const = default;
};

struct settings {
    std::string title;
    std::string question;
    std::uint32_t vote_budget = 5;
    bool anonymous = true;
    std::uint32_t note_max_length = 500;
    std::vector<protocol::profile> profiles{std::begin(all_profiles), std::end(all_profiles)};
    // The session's time zone, fixed at creation so the minutes' times never
    // depend on the machine; "" for sessions created before it existed.
    std::string time_zone;
    // During the vote, participants see only their own dots; everyone sees
    // the counts once it ends. Off for sessions created before it existed
    // (their logs have no such setting); new sessions turn it on.
    bool hidden_votes = false;
    // The server erases the session this many days after its last op (the
    // board's `updated_time`). 0: not set (sessions created before it
    // existed, or on a server that keeps sessions until they are deleted):
    // the server's own period applies.
    std::uint32_t retention_days = 0;
    // The categories of observations on a walk (empty in a brainstorm).
    std::vector<std::string> categories;
    bool operator==(const settings&) const = default;
};

struct timer {
    std::int64_t started_time = 0;
    std::uint32_t seconds = 0;
    bool operator==(const timer&) const = default;
};

struct phase_change {
    protocol::phase phase = phase::writing;
    std::uint64_t seq = 0;
    std::int64_t time = 0;
    bool operator==(const phase_change&) const = default;
};

struct board {
    std::uint64_t seq = 0;  // last applied
    std::int64_t created_time = 0;
    std::int64_t updated_time = 0;
    protocol::settings settings;
    protocol::phase phase = phase::writing;
    bool locked = false;
    std::optional<protocol::timer> timer;
    std::map<std::string, note> notes;
    std::map<std::string, theme> themes;
    std::map<std::string, participant> participants;
    std::vector<phase_change> phases;
    std::map<std::string, deleted_note> deleted_notes;
    std::map<std::string, deleted_theme> deleted_themes;
    std::map<std::string, action> actions;
    // People who took part without a phone, per profile (their notes are
    // written by the facilitator).
    std::map<protocol::profile, std::uint32_t> scribe_attendance;
    // A walk's route, and where the group is on it.
    std::map<std::string, stop> stops;
    std::optional<std::string> current_stop;
    // Derived, not serialised: each voter's dots on the board, kept by
    // `apply` and rebuilt when a state is read back, so checking the vote
    // budget does not walk every note.
    std::map<std::string, std::uint32_t> dots_used;
    bool operator==(const board&) const = default;
};

// Who may see an applied op besides the facilitators.
struct audience {
    // Empty: everyone. Otherwise only these participants (a private note's
    // authors during private writing).
    std::vector<std::string> only;
    // What participants may see changed as a whole (leaving private writing,
    // switching anonymity): they need a fresh projected state.
    bool resync = false;
    // Facilitators need the fresh state too (a restore brings back what
    // their clients had put away).
    bool resync_facilitators = false;
    // The event is not the same for every participant (a tidied board during
    // private writing tells each only about their own notes): it must be
    // projected for each, never shared between them.
    bool per_viewer = false;
};

// Applies one stamped op. On success the board changes and the audience of
// the event is returned; on rejection the board is left untouched.
result<audience> apply(board& b, const stamped_op& s);

// Where the server puts a note whose author gave no position: the first
// cell of a grid left of the themes that no note outside a theme occupies,
// so notes never land on one another by chance.
inline constexpr std::int32_t spot_width = 300;
inline constexpr std::int32_t spot_height = 260;
inline constexpr std::int32_t spot_columns = 4;
point free_spot(const board& b);

// Themes are columns side by side, on one row right of the notes: however
// tall a theme grows, it never runs into another. `theme_spot` is where a
// new theme goes: right of every note outside a theme and of every theme.
inline constexpr std::int32_t theme_spot_width = 360;  // a theme box is 320 px wide
inline constexpr std::int32_t theme_gap = 40;          // between the notes and the first theme
point theme_spot(const board& b);

// The tidy board ("Ranger"): the notes outside a theme in a grid of
// `spot_width` × `spot_height` cells, in the order they were written, with
// as many columns as suit a wide screen (at least `spot_columns`); then the
// themes side by side in the order they were created. `by_stop` (a walk):
// one column per stop of the route, in its order, each stop's notes down
// its column in the order they were written, then a column for the notes
// at no stop; the themes after them.
ops::board_arrange arrangement(const board& b, bool by_stop = false);

// A walk's route: its stops in the order they were added.
std::vector<const stop*> route(const board& b);

// The stamp step: a client's op made a complete action, as the server logs
// it, before `apply`: the next seq, the time and author given, the ids the
// server assigns (note n<seq>, theme t<seq>, action a<seq>), a free spot for
// a note or theme whose author left the place to the server, and the places
// of a tidied board. Pure: the clock is the caller's.
stamped_op stamp(const board& b, op o, std::int64_t time, std::string by);

// Retention: a session is kept `retention_days` after its last op, the
// session's own period or the server's (0: no period), whichever is shorter.
// `erase_time` is then when it goes (ms since the epoch), 0 if it is kept
// until someone deletes it.
std::uint32_t retention_days(const settings& s, std::uint32_t server_days) noexcept;
std::int64_t erase_time(const board& b, std::uint32_t server_days) noexcept;

// The id and role of the person looking (visibility.hpp builds their views).
bool is_facilitator(const board& b, std::string_view viewer);
bool can_see(const board& b, const note& n, std::string_view viewer);

}  // namespace ruche::protocol
