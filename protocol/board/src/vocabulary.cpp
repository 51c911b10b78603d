#include <array>

#include "ruche/board/ops.hpp"
#include "ruche/board/text.hpp"

namespace ruche::protocol {
namespace {

constexpr std::array<std::string_view, 6> color_names = {"yellow", "pink",   "blue",
                                                         "green",  "orange", "purple"};
constexpr std::array<std::string_view, 6> phase_names = {"writing", "reveal",    "clustering",
                                                         "voting",  "synthesis", "closed"};
constexpr std::array<std::string_view, 6> profile_names = {"habitant",    "agent", "association",
                                                           "institution", "elu",   "autre"};
constexpr std::array<std::string_view, 2> role_names = {"participant", "facilitator"};

// Same order as the alternatives of `op`.
constexpr std::array<std::string_view, std::variant_size_v<op>> kind_names = {
    "note.add",           "note.edit",        "note.move",    "note.color",   "note.delete",
    "note.merge",         "note.group",       "theme.create", "theme.rename", "theme.move",
    "theme.delete",       "theme.synthesis",  "vote.add",     "vote.remove",  "phase.set",
    "board.lock",         "timer.start",      "timer.stop",   "settings.set", "participant.join",
    "participant.rename", "participant.leave", "note.restore", "theme.restore", "action.add",
    "action.edit",        "action.delete",    "attendance.set", "board.arrange",
    "note.stop",          "stop.add",         "stop.edit",    "stop.delete",  "stop.go",
    "note.photo"};

template <typename Enum, std::size_t N>
std::optional<Enum> parse(const std::array<std::string_view, N>& names, std::string_view s) {
    for (std::size_t i = 0; i < N; ++i) {
        if (names[i] == s) return static_cast<Enum>(i);
    }
    return std::nullopt;
}

}  // namespace

std::string_view to_string(color c) noexcept {
    return color_names.at(static_cast<std::size_t>(c));
}
std::string_view to_string(phase p) noexcept {
    return phase_names.at(static_cast<std::size_t>(p));
}
std::string_view to_string(profile p) noexcept {
    return profile_names.at(static_cast<std::size_t>(p));
}
std::string_view to_string(role r) noexcept {
    return role_names.at(static_cast<std::size_t>(r));
}

std::optional<color> parse_color(std::string_view s) noexcept {
    return parse<color>(color_names, s);
}
std::optional<phase> parse_phase(std::string_view s) noexcept {
    return parse<phase>(phase_names, s);
}
std::optional<profile> parse_profile(std::string_view s) noexcept {
    return parse<profile>(profile_names, s);
}
std::optional<role> parse_role(std::string_view s) noexcept {
    return parse<role>(role_names, s);
}

std::string_view kind_name(const op& o) noexcept {
    return kind_names.at(o.index());
}

namespace detail {
std::optional<std::size_t> kind_index(std::string_view name) noexcept {
    for (std::size_t i = 0; i < kind_names.size(); ++i) {
        if (kind_names[i] == name) return i;
    }
    return std::nullopt;
}
}  // namespace detail

bool is_server_only(const op& o) noexcept {
    return std::holds_alternative<ops::participant_join>(o) ||
           std::holds_alternative<ops::participant_leave>(o);
}

}  // namespace ruche::protocol
