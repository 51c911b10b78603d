#pragma once

// Each op's fields, listed once. `describe(v, o)` hands the visitor `v` every
// field of `o` in order, with its JSON key and the rule its value follows.
// The JSON reader and writer (codec.cpp), the binary records and the check
// of a record's values (record.cpp) are visitors of this one table, so they
// cannot disagree on an op's fields. The order is the records' (it must never
// change for a field already written: new fields go last, after `later()`)
// and the order in which the JSON reader reports the first problem.
//
// Adding a field to an op: add it to its struct in ops.hpp and a line here;
// every codec then carries it. Visibility (visibility.cpp) decides who sees
// what it changes on the board.

#include <cstddef>
#include <cstdint>
#include <type_traits>

#include "ruche/board/ops.hpp"
#include "ruche/board/text.hpp"

namespace ruche::protocol::op_fields {

using detail::text_kind;

// A human text: at most `max_chars` code points of `kind`; `required`: the
// key must be there; `may_be_empty`: "" (or only spaces) is allowed.
struct text_rule {
    std::size_t max_chars;
    text_kind kind;
    bool required = true;
    bool may_be_empty = false;
};

// An integer in [min, max].
struct count_rule {
    std::uint64_t min;
    std::uint64_t max;
};

// Who gives an id: the client, or `stamp` (absent from a client's op,
// required in the log).
enum class given_by { client, stamp };

inline constexpr text_rule note_text{max_note_chars, text_kind::multiline};
inline constexpr text_rule title_text{max_title_chars, text_kind::line};
inline constexpr text_rule synthesis_text{max_synthesis_chars, text_kind::multiline, true, true};
inline constexpr text_rule question_text{max_question_chars, text_kind::multiline, true, true};
inline constexpr text_rule time_zone_text{max_time_zone_chars, text_kind::line};
inline constexpr text_rule action_what{max_action_chars, text_kind::line};
inline constexpr text_rule stop_name{max_title_chars, text_kind::line};
inline constexpr text_rule stop_question{max_question_chars, text_kind::multiline, false, true};
inline constexpr text_rule category_label{max_category_chars, text_kind::line};

// `Op` is const for the visitors that only read the op.
template <typename V, typename Op>
void describe(V& v, Op& o) {
    using T = std::remove_const_t<Op>;
    if constexpr (std::is_same_v<T, ops::note_add>) {
        v.id("note", o.note, given_by::stamp);
        v.text("text", o.text, note_text);
        v.name("color", o.color);
        v.position(o.at, &o.place);
        v.name("profile", o.profile);
        v.later();  // records written before walks end here
        v.optional_id("stop", o.stop);
        v.count("category", o.category, {0, max_categories - 1});
        v.geo("location", o.location);
        v.later();  // records written before photos end here
        v.optional_id("photo", o.photo);
    } else if constexpr (std::is_same_v<T, ops::note_photo>) {
        v.id("note", o.note);
        v.nullable_id("photo", o.photo);
    } else if constexpr (std::is_same_v<T, ops::note_stop>) {
        v.id("note", o.note);
        v.nullable_id("stop", o.stop);
    } else if constexpr (std::is_same_v<T, ops::stop_add> || std::is_same_v<T, ops::stop_edit>) {
        v.id("stop", o.stop, std::is_same_v<T, ops::stop_add> ? given_by::stamp : given_by::client);
        v.text("name", o.name, stop_name);
        v.text("question", o.question, stop_question);
        v.geo("place", o.place);
    } else if constexpr (std::is_same_v<T, ops::stop_delete>) {
        v.id("stop", o.stop);
    } else if constexpr (std::is_same_v<T, ops::stop_go>) {
        v.nullable_id("stop", o.stop);
    } else if constexpr (std::is_same_v<T, ops::note_edit>) {
        v.id("note", o.note);
        v.text("text", o.text, note_text);
    } else if constexpr (std::is_same_v<T, ops::note_move>) {
        v.id("note", o.note);
        v.position(o.at);
    } else if constexpr (std::is_same_v<T, ops::note_color>) {
        v.id("note", o.note);
        v.name("color", o.color);
    } else if constexpr (std::is_same_v<T, ops::note_delete> || std::is_same_v<T, ops::note_restore>) {
        v.id("note", o.note);
    } else if constexpr (std::is_same_v<T, ops::note_merge>) {
        v.id("note", o.note);
        v.id("into", o.into);
    } else if constexpr (std::is_same_v<T, ops::note_group>) {
        v.id("note", o.note);
        v.nullable_id("theme", o.theme);
    } else if constexpr (std::is_same_v<T, ops::theme_create>) {
        v.id("theme", o.theme, given_by::stamp);
        v.text("title", o.title, title_text);
        v.position(o.at, &o.place);
    } else if constexpr (std::is_same_v<T, ops::theme_rename>) {
        v.id("theme", o.theme);
        v.text("title", o.title, title_text);
    } else if constexpr (std::is_same_v<T, ops::theme_move>) {
        v.id("theme", o.theme);
        v.position(o.at);
    } else if constexpr (std::is_same_v<T, ops::theme_delete> || std::is_same_v<T, ops::theme_restore>) {
        v.id("theme", o.theme);
    } else if constexpr (std::is_same_v<T, ops::theme_synthesis>) {
        v.id("theme", o.theme);
        v.text("text", o.text, synthesis_text);
    } else if constexpr (std::is_same_v<T, ops::vote_add> || std::is_same_v<T, ops::vote_remove>) {
        v.target(o.target);
    } else if constexpr (std::is_same_v<T, ops::phase_set>) {
        v.name("phase", o.phase);
    } else if constexpr (std::is_same_v<T, ops::board_lock>) {
        v.flag("locked", o.locked);
    } else if constexpr (std::is_same_v<T, ops::timer_start>) {
        v.count("seconds", o.seconds, {1, max_timer_seconds});
    } else if constexpr (std::is_same_v<T, ops::timer_stop>) {
    } else if constexpr (std::is_same_v<T, ops::settings_set>) {
        // Only the settings present change; at least one must be.
        v.text("title", o.title, title_text);
        v.text("question", o.question, question_text);
        v.count("vote_budget", o.vote_budget, {0, max_vote_budget});
        v.flag("anonymous", o.anonymous);
        v.count("note_max_length", o.note_max_length, {1, max_note_chars});
        v.profiles("profiles", o.profiles);
        v.later();  // records written before these end here
        v.time_zone("time_zone", o.time_zone);
        v.flag("hidden_votes", o.hidden_votes);
        v.count("retention_days", o.retention_days, {1, max_retention_days});
        v.labels("categories", o.categories, category_label);
        v.at_least_one("at least one setting", o.title || o.question || o.vote_budget || o.anonymous ||
                                                   o.note_max_length || o.profiles || o.time_zone ||
                                                   o.hidden_votes || o.retention_days || o.categories);
    } else if constexpr (std::is_same_v<T, ops::participant_join>) {
        v.id("participant", o.participant);
        v.name("role", o.role);
        v.text("name", o.name, {max_name_chars, text_kind::line, false, true});
        v.name("profile", o.profile);
    } else if constexpr (std::is_same_v<T, ops::participant_rename>) {
        v.text("name", o.name, {max_name_chars, text_kind::line, true, true});
        v.name("profile", o.profile);
    } else if constexpr (std::is_same_v<T, ops::participant_leave>) {
        v.id("participant", o.participant);
    } else if constexpr (std::is_same_v<T, ops::action_add>) {
        v.id("action", o.action, given_by::stamp);
        v.id("theme", o.theme);
        v.text("what", o.what, action_what);
        v.text("who", o.who, {max_action_detail_chars, text_kind::line, false, true});
        v.text("when", o.when, {max_action_detail_chars, text_kind::line, false, true});
    } else if constexpr (std::is_same_v<T, ops::action_edit>) {
        v.id("action", o.action);
        v.text("what", o.what, action_what);
        v.text("who", o.who, {max_action_detail_chars, text_kind::line, true, true});
        v.text("when", o.when, {max_action_detail_chars, text_kind::line, true, true});
    } else if constexpr (std::is_same_v<T, ops::action_delete>) {
        v.id("action", o.action);
    } else if constexpr (std::is_same_v<T, ops::attendance_set>) {
        v.name("profile", o.profile);
        v.count("count", o.count, {0, max_scribe_attendance});
    } else if constexpr (std::is_same_v<T, ops::board_arrange>) {
        v.placements("notes", "note", o.notes);
        v.placements("themes", "theme", o.themes);
        v.later();  // records written before walks end here
        v.flag("by_stop", o.by_stop);
    } else {
        static_assert(sizeof(T) == 0, "every op kind lists its fields here");
    }
}

}  // namespace ruche::protocol::op_fields
