#include "ruche/wire/vocabulary_js.hpp"

#include <cstddef>
#include <string_view>
#include <utility>
#include <variant>

#include "ruche/board/board.hpp"
#include "ruche/board/ops.hpp"
#include "ruche/wire/board_json.hpp"

namespace ruche::protocol {
namespace {

template <std::size_t... I>
json kind_names(std::index_sequence<I...>) {
    return json::array({std::string(kind_name(op{std::in_place_index<I>}))...});
}

template <typename Enum, std::size_t N>
json names(const Enum (&all)[N]) {
    json out = json::array();
    for (const Enum e : all) out.push_back(std::string(to_string(e)));
    return out;
}

void constant(std::string& out, std::string_view comment, std::string_view name, const json& value) {
    out += "\n// ";
    out += comment;
    out += "\nexport const ";
    out += name;
    out += " = Object.freeze(";
    out += value.dump();
    out += ");\n";
}

}  // namespace

std::string vocabulary_js() {
    constexpr role all_roles[] = {role::participant, role::facilitator};
    std::string out =
        "// Generated from protocol/ (protocol/wire/src/vocabulary_js.cpp) by\n"
        "//   cmake --build --preset ci --target vocabulary-js\n"
        "// Do not edit: the suite checks that this file is what the server knows.\n";
    constant(out, "Op kinds, in the order of the protocol's `op` variant.", "KINDS",
             kind_names(std::make_index_sequence<std::variant_size_v<op>>{}));
    constant(out, "Note colours, as the wire names them.", "COLORS", names(all_colors));
    constant(out, "Phases of a session, in their usual order.", "PHASES", names(all_phases));
    constant(out, "Participant profiles a session may offer.", "PROFILES", names(all_profiles));
    constant(out, "Roles of a participant.", "ROLES", names(all_roles));
    constant(out,
             "What the codec accepts at most (lengths in Unicode code points; a session may\n"
             "// set a smaller note length).",
             "LIMITS",
             {{"note_chars", max_note_chars},
              {"title_chars", max_title_chars},
              {"question_chars", max_question_chars},
              {"name_chars", max_name_chars},
              {"synthesis_chars", max_synthesis_chars},
              {"id_chars", max_id_chars},
              {"vote_budget", max_vote_budget},
              {"timer_seconds", max_timer_seconds},
              {"retention_days", max_retention_days},
              {"action_chars", max_action_chars},
              {"action_detail_chars", max_action_detail_chars},
              {"time_zone_chars", max_time_zone_chars},
              {"scribe_attendance", max_scribe_attendance},
              {"coordinate", coordinate_limit},
              {"stops", max_stops},
              {"categories", max_categories},
              {"category_chars", max_category_chars},
              {"geo_scale", geo_scale},
              {"geo_accuracy", max_geo_accuracy}});
    constant(out,
             "The grid the server places notes on and the width of a theme's column\n"
             "// (free_spot, theme_spot, arrangement).",
             "LAYOUT",
             {{"spot_width", spot_width},
              {"spot_height", spot_height},
              {"spot_columns", spot_columns},
              {"theme_spot_width", theme_spot_width},
              {"theme_gap", theme_gap}});
    constant(out, "The board before its first op, as the server serialises `board{}`.",
             "EMPTY_BOARD", to_json(board{}));
    return out;
}

}  // namespace ruche::protocol
