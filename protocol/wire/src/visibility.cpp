// Views of the board and of its events, built from the tables below: for
// each field of the canonical state (board_json.cpp) and of each op's event
// (op_fields.hpp), who sees it and how. A view copies only what a table
// lists; adding a field to the board or to an op shows it to nobody until
// its line is written here.

#include "ruche/wire/visibility.hpp"

#include <algorithm>
#include <cstddef>
#include <string>

namespace ruche::protocol {
namespace {

// How one field reaches a viewer.
enum class rule {
    everyone,      // as it is
    facilitators,  // facilitators only; others get it empty
    own_notes,     // a map of notes: during private writing, only those the viewer may see
    author,        // a participant id: others get null in anonymous sessions
    authors,       // a list of participant ids: only the viewer's own in anonymous sessions
    ballot,        // {voter: dots}: only the viewer's own entry in anonymous sessions and
                   // while votes are hidden
    ballot_total,  // the sum of a ballot: while votes are hidden, the viewer's own dots
    event_author,  // who made an op: others get no `by` in anonymous sessions
    seen_notes,    // a list of {note, ...}: only the notes the viewer may see
    own_place,     // where a note's author was: facilitators and that author only
};

// What a field holds: a plain value, an object, or a map (by id) or list of
// objects, each described by a table; or an op, described by the table of
// its kind.
enum class shape { value, object, map_of, list_of, op };

struct table;

struct field {
    std::string_view key;
    rule how = rule::everyone;
    shape form = shape::value;
    const table* inner = nullptr;
};

// The fields of one kind of object, and of the kind it extends (a deleted
// note is a note and when it was deleted).
struct table {
    const field* fields;
    std::size_t size;
    const table* base = nullptr;
};

template <std::size_t N>
constexpr table table_of(const field (&fields)[N], const table* base = nullptr) {
    return {fields, N, base};
}

constexpr field merged_fields[] = {
    {"id"},
    {"text"},
    {"author", rule::author},
};
constexpr table merged_table = table_of(merged_fields);

constexpr field note_fields[] = {
    {"id"},
    {"text"},
    {"color"},
    {"x"},
    {"y"},
    {"author", rule::author},
    {"authors", rule::authors},
    {"author_count"},
    {"profile"},
    {"theme"},
    {"votes", rule::ballot},
    {"vote_total", rule::ballot_total},  // after "votes": it is summed from its view
    {"merged", rule::everyone, shape::list_of, &merged_table},
    {"created_seq"},
    {"created_time"},
    {"stop"},
    {"category"},
    {"location", rule::own_place},  // after "author": the author's view has it
    {"photo"},  // follows the note: whoever sees the note
};
constexpr table note_table = table_of(note_fields);
constexpr field deleted_fields[] = {{"deleted_seq"}};
constexpr table deleted_note_table = table_of(deleted_fields, &note_table);

constexpr field theme_fields[] = {
    {"id"},
    {"title"},
    {"x"},
    {"y"},
    {"synthesis"},
    {"votes", rule::ballot},
    {"vote_total", rule::ballot_total},
    {"created_seq"},
};
constexpr table theme_table = table_of(theme_fields);
constexpr field deleted_theme_fields[] = {{"notes"}, {"deleted_seq"}};
constexpr table deleted_theme_table = table_of(deleted_theme_fields, &theme_table);

constexpr field settings_fields[] = {
    {"title"},           {"question"}, {"vote_budget"}, {"anonymous"},
    {"note_max_length"}, {"profiles"}, {"time_zone"},   {"hidden_votes"},
    {"retention_days"},   {"categories"},
};
constexpr table settings_table = table_of(settings_fields);

constexpr field participant_fields[] = {
    {"id"}, {"role"}, {"name"}, {"profile"}, {"present"}, {"joined_time"},
};
constexpr table participant_table = table_of(participant_fields);

constexpr field stop_fields[] = {
    {"id"}, {"name"}, {"question"}, {"place"}, {"created_seq"},
};
constexpr table stop_table = table_of(stop_fields);

constexpr field timer_fields[] = {{"started_time"}, {"seconds"}};
constexpr table timer_table = table_of(timer_fields);
constexpr field phase_change_fields[] = {{"phase"}, {"seq"}, {"time"}};
constexpr table phase_change_table = table_of(phase_change_fields);

constexpr field action_fields[] = {
    {"id"}, {"theme"}, {"what"}, {"who"}, {"when"}, {"created_seq"},
};
constexpr table action_table = table_of(action_fields);

constexpr field board_fields[] = {
    {"seq"},
    {"created_time"},
    {"updated_time"},
    {"settings", rule::everyone, shape::object, &settings_table},
    {"phase"},
    {"locked"},
    {"timer", rule::everyone, shape::object, &timer_table},
    {"notes", rule::own_notes, shape::map_of, &note_table},
    {"themes", rule::everyone, shape::map_of, &theme_table},
    {"participants", rule::everyone, shape::map_of, &participant_table},
    {"phases", rule::everyone, shape::list_of, &phase_change_table},
    // The bin is the facilitators' undo: participants never see what was deleted.
    {"deleted_notes", rule::facilitators, shape::map_of, &deleted_note_table},
    {"deleted_themes", rule::facilitators, shape::map_of, &deleted_theme_table},
    {"actions", rule::everyone, shape::map_of, &action_table},
    {"scribe_attendance"},  // counts per profile, no names
    {"stops", rule::everyone, shape::map_of, &stop_table},
    {"current_stop"},
};
constexpr table board_table = table_of(board_fields);

// The events: what each kind of op says, key by key (the keys op_fields.hpp
// gives it). Every op's view starts with its kind.
constexpr field kind_fields[] = {{"kind"}};
constexpr table op_table = table_of(kind_fields);

constexpr field note_op_fields[] = {{"note"}};
constexpr field note_add_fields[] = {
    {"note"}, {"text"}, {"color"}, {"x"}, {"y"}, {"profile"}, {"stop"}, {"category"}, {"location", rule::own_place},
    {"photo"},
};
constexpr field note_stop_fields[] = {{"note"}, {"stop"}};
constexpr field note_photo_fields[] = {{"note"}, {"photo"}};
constexpr field stop_fields_of_op[] = {{"stop"}, {"name"}, {"question"}, {"place"}};
constexpr field stop_op_fields[] = {{"stop"}};
constexpr field note_edit_fields[] = {{"note"}, {"text"}};
constexpr field note_move_fields[] = {{"note"}, {"x"}, {"y"}};
constexpr field note_color_fields[] = {{"note"}, {"color"}};
constexpr field note_merge_fields[] = {{"note"}, {"into"}};
constexpr field note_group_fields[] = {{"note"}, {"theme"}};
constexpr field theme_op_fields[] = {{"theme"}};
constexpr field theme_create_fields[] = {{"theme"}, {"title"}, {"x"}, {"y"}};
constexpr field theme_rename_fields[] = {{"theme"}, {"title"}};
constexpr field theme_move_fields[] = {{"theme"}, {"x"}, {"y"}};
constexpr field theme_synthesis_fields[] = {{"theme"}, {"text"}};
constexpr field vote_fields[] = {{"note"}, {"theme"}};  // one of the two
constexpr field phase_set_fields[] = {{"phase"}};
constexpr field board_lock_fields[] = {{"locked"}};
constexpr field timer_start_fields[] = {{"seconds"}};
constexpr field participant_join_fields[] = {{"participant"}, {"role"}, {"name"}, {"profile"}};
constexpr field participant_rename_fields[] = {{"name"}, {"profile"}};
constexpr field participant_leave_fields[] = {{"participant"}};
constexpr field action_add_fields[] = {{"action"}, {"theme"}, {"what"}, {"who"}, {"when"}};
constexpr field action_edit_fields[] = {{"action"}, {"what"}, {"who"}, {"when"}};
constexpr field action_op_fields[] = {{"action"}};
constexpr field attendance_set_fields[] = {{"profile"}, {"count"}};
constexpr field note_place_fields[] = {{"note"}, {"x"}, {"y"}};
constexpr table note_place_table = table_of(note_place_fields);
constexpr field theme_place_fields[] = {{"theme"}, {"x"}, {"y"}};
constexpr table theme_place_table = table_of(theme_place_fields);
// A tidied board tells each viewer where the notes they see went, not which
// private notes of others exist.
constexpr field board_arrange_fields[] = {
    {"notes", rule::seen_notes, shape::list_of, &note_place_table},
    {"themes", rule::everyone, shape::list_of, &theme_place_table},
    {"by_stop"},
};

struct kind_table {
    std::string_view kind;
    table fields;
};

constexpr kind_table kind_tables[] = {
    {"note.add", table_of(note_add_fields, &op_table)},
    {"note.edit", table_of(note_edit_fields, &op_table)},
    {"note.move", table_of(note_move_fields, &op_table)},
    {"note.color", table_of(note_color_fields, &op_table)},
    {"note.delete", table_of(note_op_fields, &op_table)},
    {"note.restore", table_of(note_op_fields, &op_table)},
    {"note.merge", table_of(note_merge_fields, &op_table)},
    {"note.group", table_of(note_group_fields, &op_table)},
    {"theme.create", table_of(theme_create_fields, &op_table)},
    {"theme.rename", table_of(theme_rename_fields, &op_table)},
    {"theme.move", table_of(theme_move_fields, &op_table)},
    {"theme.delete", table_of(theme_op_fields, &op_table)},
    {"theme.restore", table_of(theme_op_fields, &op_table)},
    {"theme.synthesis", table_of(theme_synthesis_fields, &op_table)},
    {"vote.add", table_of(vote_fields, &op_table)},
    {"vote.remove", table_of(vote_fields, &op_table)},
    {"phase.set", table_of(phase_set_fields, &op_table)},
    {"board.lock", table_of(board_lock_fields, &op_table)},
    {"timer.start", table_of(timer_start_fields, &op_table)},
    {"timer.stop", op_table},
    {"settings.set", table_of(settings_fields, &op_table)},
    {"participant.join", table_of(participant_join_fields, &op_table)},
    {"participant.rename", table_of(participant_rename_fields, &op_table)},
    {"participant.leave", table_of(participant_leave_fields, &op_table)},
    {"action.add", table_of(action_add_fields, &op_table)},
    {"action.edit", table_of(action_edit_fields, &op_table)},
    {"action.delete", table_of(action_op_fields, &op_table)},
    {"attendance.set", table_of(attendance_set_fields, &op_table)},
    {"board.arrange", table_of(board_arrange_fields, &op_table)},
    {"note.stop", table_of(note_stop_fields, &op_table)},
    {"stop.add", table_of(stop_fields_of_op, &op_table)},
    {"stop.edit", table_of(stop_fields_of_op, &op_table)},
    {"stop.delete", table_of(stop_op_fields, &op_table)},
    {"stop.go", table_of(stop_op_fields, &op_table)},
    {"note.photo", table_of(note_photo_fields, &op_table)},
};

// The table of the op `o` (its "kind"); a kind no table names keeps only
// its kind.
const table& table_of_op(const json& o) {
    const auto kind = o.find("kind");
    if (kind != o.end() && kind->is_string()) {
        for (const auto& k : kind_tables) {
            if (k.kind == kind->get_ref<const std::string&>()) return k.fields;
        }
    }
    return op_table;
}

// An event: the stamped op, and what a client cannot work out from it
// alone (board_event below).
constexpr field event_fields[] = {
    {"seq"},
    {"time"},
    {"by", rule::event_author},
    {"op", rule::everyone, shape::op},
    {"author_count"},
};
constexpr table event_table = table_of(event_fields);

// Who is looking, and what follows from the board for them.
struct sight {
    const board& b;
    std::string_view viewer;
    bool facilitator = false;
    bool anonymous = false;
    bool hidden_votes = false;
    const stamped_op* event = nullptr;  // when the view is of an event

    bool own(const json& id) const { return id.is_string() && id.get_ref<const std::string&>() == viewer; }
};

sight sight_for(const board& b, std::string_view viewer, bool facilitator) {
    return {b, viewer, facilitator, b.settings.anonymous, votes_hidden(b)};
}

// Anonymity hides who wrote and who voted; presence stays visible (names
// are shown in the list of participants anyway).
bool shows_by(const stamped_op& e, const sight& s) {
    return s.facilitator || !s.anonymous || e.by == s.viewer || e.by == system_author ||
           std::holds_alternative<ops::participant_rename>(e.op);
}

bool sees_note(const json& id, const sight& s) {
    if (s.facilitator) return true;
    if (!id.is_string()) return false;
    const auto n = s.b.notes.find(id.get_ref<const std::string&>());
    return n != s.b.notes.end() && can_see(s.b, n->second, s.viewer);
}

// What a rule gives when the viewer gets no such key at all.
json absent() {
    return json(json::value_t::discarded);
}

json empty_like(const json& v) {
    if (v.is_object()) return json::object();
    if (v.is_array()) return json::array();
    return nullptr;
}

void view_into(json& out, json& canonical, const table& t, const sight& s);

json view_of(json& canonical, const table& t, const sight& s) {
    json out = json::object();
    view_into(out, canonical, t, s);
    return out;
}

json own_entry(const json& tally, const sight& s) {
    json own = json::object();
    const std::string viewer(s.viewer);
    if (auto it = tally.find(viewer); it != tally.end()) own[viewer] = *it;
    return own;
}

// `value` is the field's canonical value, `view` the view of its object so
// far (a total is summed from the ballot the viewer sees).
json apply_rule(const field& f, json value, const json& view, const sight& s) {
    switch (f.how) {
        case rule::everyone:
        case rule::own_notes:
            return value;
        case rule::facilitators:
            return s.facilitator ? std::move(value) : empty_like(value);
        case rule::author:
            if (s.facilitator || !s.anonymous || s.own(value)) return value;
            return nullptr;
        case rule::authors: {
            if (s.facilitator || !s.anonymous || !value.is_array()) return value;
            json mine = json::array();
            for (auto& a : value) {
                if (s.own(a)) mine.push_back(std::move(a));
            }
            return mine;
        }
        case rule::ballot:
            if (s.facilitator || !(s.anonymous || s.hidden_votes) || !value.is_object()) return value;
            return own_entry(value, s);
        case rule::ballot_total: {
            if (s.facilitator || !s.hidden_votes) return value;
            std::uint64_t sum = 0;
            if (auto votes = view.find("votes"); votes != view.end() && votes->is_object()) {
                for (const auto& dots : *votes) sum += dots.is_number_unsigned() ? dots.get<std::uint64_t>() : 0;
            }
            return sum;
        }
        case rule::event_author:
            return s.event && shows_by(*s.event, s) ? std::move(value) : absent();
        case rule::own_place: {
            if (s.facilitator) return value;
            const bool author = s.event ? s.event->by == s.viewer : s.own(view.value("author", json()));
            return author ? std::move(value) : absent();
        }
        case rule::seen_notes: {
            if (!value.is_array()) return value;
            json seen = json::array();
            for (auto& item : value) {
                if (item.is_object() && sees_note(item.value("note", json()), s)) seen.push_back(std::move(item));
            }
            return seen;
        }
    }
    return nullptr;
}

json shaped(const field& f, json value, const sight& s) {
    switch (f.form) {
        case shape::value:
            return value;
        case shape::object:
            return value.is_object() ? view_of(value, *f.inner, s) : value;
        case shape::map_of: {
            if (!value.is_object()) return value;
            json out = json::object();
            for (auto& [id, item] : value.items()) {
                if (f.how == rule::own_notes && !sees_note(id, s)) continue;
                out[id] = item.is_object() ? view_of(item, *f.inner, s) : json(nullptr);
            }
            return out;
        }
        case shape::list_of: {
            if (!value.is_array()) return value;
            json out = json::array();
            for (auto& item : value) {
                if (item.is_object()) out.push_back(view_of(item, *f.inner, s));
            }
            return out;
        }
        case shape::op:
            return value.is_object() ? view_of(value, table_of_op(value), s) : value;
    }
    return value;
}

void view_into(json& out, json& canonical, const table& t, const sight& s) {
    if (t.base) view_into(out, canonical, *t.base, s);
    for (std::size_t i = 0; i < t.size; ++i) {
        const field& f = t.fields[i];
        auto it = canonical.find(f.key);
        if (it == canonical.end()) continue;
        json value = apply_rule(f, std::move(*it), out, s);
        if (value.is_discarded()) continue;
        out[std::string(f.key)] = shaped(f, std::move(value), s);
    }
}

json view_of_board(json canonical, const sight& s) {
    return view_of(canonical, board_table, s);
}

json view_of_event(json event, sight s, const stamped_op& e) {
    s.event = &e;
    return view_of(event, event_table, s);
}

bool is_vote(const stamped_op& s) {
    return std::holds_alternative<ops::vote_add>(s.op) ||
           std::holds_alternative<ops::vote_remove>(s.op);
}

}  // namespace

json board_event(const board& after, const stamped_op& s) {
    json j = encode_stamped(s);
    if (const auto* merge = std::get_if<ops::note_merge>(&s.op)) {
        if (auto kept = after.notes.find(merge->into); kept != after.notes.end()) {
            j["author_count"] = kept->second.authors.size();
        }
    }
    return j;
}

bool votes_hidden(const board& b) {
    return b.settings.hidden_votes && b.phase == phase::voting;
}

json project(const board& b, json canonical, std::string_view viewer) {
    return view_of_board(std::move(canonical), sight_for(b, viewer, is_facilitator(b, viewer)));
}

json project(const board& b, std::string_view viewer) {
    return project(b, to_json(b), viewer);
}

json facilitator_view(const board& b) {
    return view_of_board(to_json(b), sight_for(b, {}, true));
}

bool sees_event(const board& after, const stamped_op& s, const audience& who,
                std::string_view viewer) {
    const bool not_an_author =
        !who.only.empty() && std::find(who.only.begin(), who.only.end(), viewer) == who.only.end();
    // A dot placed while votes are hidden is its voter's business until the end.
    const bool others_dot = is_vote(s) && votes_hidden(after) && s.by != viewer;
    // The role is looked up only for a restricted event: this runs per recipient.
    return !(not_an_author || others_dot) || is_facilitator(after, viewer);
}

std::optional<json> project_event(const board& after, const stamped_op& s, const audience& who,
                                  std::string_view viewer, json event) {
    if (!sees_event(after, s, who, viewer)) return std::nullopt;
    const bool facilitator = is_facilitator(after, viewer);
    json j = view_of_event(std::move(event), sight_for(after, viewer, facilitator), s);
    if (facilitator && who.resync_facilitators) j["state"] = facilitator_view(after);
    if (!facilitator && who.resync) j["state"] = project(after, viewer);
    return j;
}

std::optional<json> project_event(const board& after, const stamped_op& s, const audience& who,
                                  std::string_view viewer) {
    return project_event(after, s, who, viewer, board_event(after, s));
}

json facilitator_event(const board& after, const stamped_op& s, const audience& who) {
    json j = view_of_event(board_event(after, s), sight_for(after, {}, true), s);
    if (who.resync_facilitators) j["state"] = facilitator_view(after);
    return j;
}

}  // namespace ruche::protocol
