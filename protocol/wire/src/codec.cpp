#include "ruche/wire/codec.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include "ruche/board/text.hpp"

namespace ruche::protocol {
namespace {

// Reads the fields of one JSON object. The first problem met is kept and
// later reads return defaults, so a decoder reads straight through and checks
// `error()` once at the end. `finish()` refuses keys nobody asked for.
class fields {
  public:
    explicit fields(const json& obj) : obj_(obj) {}

    const std::optional<rejection>& error() const { return error_; }
    void fail(errc code, std::string detail) {
        if (!error_) error_ = rejection{code, std::move(detail)};
    }

    // The value under `key`, or nullptr when absent (a missing required
    // field is an error).
    const json* find(std::string_view key, bool required) {
        asked_.push_back(key);
        const auto it = obj_.find(key);
        if (it == obj_.end()) {
            if (required) fail(errc::missing_field, std::string(key));
            return nullptr;
        }
        return &*it;
    }

    std::string text(std::string_view key, std::size_t max_chars, detail::text_kind kind,
                     bool required = true, bool may_be_empty = false) {
        const json* v = find(key, required);
        if (!v || error_) return {};
        if (!v->is_string()) {
            fail(errc::wrong_type, std::string(key) + " must be a string");
            return {};
        }
        const auto& s = v->get_ref<const std::string&>();
        if (auto why = detail::check_text(s, max_chars, kind, may_be_empty, key)) {
            fail(why->code, why->detail);
        }
        return s;
    }

    std::string id(std::string_view key) {
        const json* v = find(key, true);
        if (!v || error_) return {};
        return id_value(key, *v);
    }

    std::string id_value(std::string_view key, const json& v) {
        if (!v.is_string()) {
            fail(errc::wrong_type, std::string(key) + " must be a string");
            return {};
        }
        const auto& s = v.get_ref<const std::string&>();
        if (!detail::is_valid_id(s)) fail(errc::invalid_id, std::string(key));
        return s;
    }

    std::int32_t coordinate(std::string_view key) {
        const json* v = find(key, true);
        if (!v || error_) return 0;
        if (!v->is_number()) {
            fail(errc::wrong_type, std::string(key) + " must be a number");
            return 0;
        }
        // Clients may send fractional positions; the stamped op keeps the rounded value.
        const double d = v->get<double>();
        if (!std::isfinite(d) || std::abs(d) > coordinate_limit) {
            fail(errc::out_of_range,
                 std::string(key) + " must be within ±" + std::to_string(coordinate_limit));
            return 0;
        }
        return static_cast<std::int32_t>(std::lround(d));
    }

    point position() { return point{coordinate("x"), coordinate("y")}; }

    std::uint64_t count(std::string_view key, std::uint64_t min, std::uint64_t max,
                        bool required = true) {
        const json* v = find(key, required);
        if (!v || error_) return min;
        if (!v->is_number_integer()) {
            fail(errc::wrong_type, std::string(key) + " must be an integer");
            return min;
        }
        if (v->is_number_unsigned()) {
            const auto n = v->get<std::uint64_t>();
            if (n >= min && n <= max) return n;
        }
        fail(errc::out_of_range, std::string(key) + " must be between " + std::to_string(min) +
                                     " and " + std::to_string(max));
        return min;
    }

    bool flag(std::string_view key, bool required = true) {
        const json* v = find(key, required);
        if (!v || error_) return false;
        if (!v->is_boolean()) {
            fail(errc::wrong_type, std::string(key) + " must be true or false");
            return false;
        }
        return v->get<bool>();
    }

    template <typename Enum>
    std::optional<Enum> name(std::string_view key, std::optional<Enum> (*parse)(std::string_view),
                             errc unknown, bool required = true) {
        const json* v = find(key, required);
        if (!v || error_) return std::nullopt;
        return name_value(key, *v, parse, unknown);
    }

    template <typename Enum>
    std::optional<Enum> name_value(std::string_view key, const json& v,
                                   std::optional<Enum> (*parse)(std::string_view), errc unknown) {
        if (!v.is_string()) {
            fail(errc::wrong_type, std::string(key) + " must be a string");
            return std::nullopt;
        }
        auto parsed = parse(v.get_ref<const std::string&>());
        if (!parsed) fail(unknown, detail::excerpt(v.get_ref<const std::string&>()));
        return parsed;
    }

    void finish() {
        if (error_) return;
        for (const auto& [key, value] : obj_.items()) {
            if (std::find(asked_.begin(), asked_.end(), key) == asked_.end()) {
                fail(errc::unknown_field, detail::excerpt(key));
                return;
            }
        }
    }

  private:
    const json& obj_;
    std::vector<std::string_view> asked_;
    std::optional<rejection> error_;
};

using detail::text_kind;

// A server-assigned id: absent from client ops, required in the log.
std::string assigned_id(fields& f, std::string_view key, origin from) {
    if (from == origin::client) {
        if (f.find(key, false))
            f.fail(errc::unknown_field, std::string(key) + " is assigned by the server");
        return {};
    }
    return f.id(key);
}

vote_target read_target(fields& f) {
    const json* note = f.find("note", false);
    const json* theme = f.find("theme", false);
    if (f.error()) return {};
    if ((note == nullptr) == (theme == nullptr)) {
        f.fail(note ? errc::unknown_field : errc::missing_field, "exactly one of note or theme");
        return {};
    }
    if (note) return {vote_target::kind_t::note, f.id_value("note", *note)};
    return {vote_target::kind_t::theme, f.id_value("theme", *theme)};
}

std::optional<profile> read_profile(fields& f) {
    return f.name<profile>("profile", parse_profile, errc::unknown_profile, false);
}

void read(fields& f, origin from, ops::note_add& o) {
    o.note = assigned_id(f, "note", from);
    o.text = f.text("text", max_note_chars, text_kind::multiline);
    o.color = f.name<color>("color", parse_color, errc::unknown_color).value_or(color::yellow);
    // A client may leave the position to the server (both coordinates
    // absent); the log always has one.
    const bool has_x = f.find("x", false) != nullptr;
    const bool has_y = f.find("y", false) != nullptr;
    if (from == origin::client && !has_x && !has_y) {
        o.place = true;
    } else {
        o.at = f.position();
    }
    o.profile = read_profile(f);
}
void read(fields& f, origin, ops::note_restore& o) {
    o.note = f.id("note");
}
void read(fields& f, origin, ops::theme_restore& o) {
    o.theme = f.id("theme");
}
void read(fields& f, origin from, ops::action_add& o) {
    o.action = assigned_id(f, "action", from);
    o.theme = f.id("theme");
    o.what = f.text("what", max_action_chars, text_kind::line);
    o.who = f.text("who", max_action_detail_chars, text_kind::line, false, true);
    o.when = f.text("when", max_action_detail_chars, text_kind::line, false, true);
}
void read(fields& f, origin, ops::action_edit& o) {
    o.action = f.id("action");
    o.what = f.text("what", max_action_chars, text_kind::line);
    o.who = f.text("who", max_action_detail_chars, text_kind::line, true, true);
    o.when = f.text("when", max_action_detail_chars, text_kind::line, true, true);
}
void read(fields& f, origin, ops::action_delete& o) {
    o.action = f.id("action");
}
void read(fields& f, origin, ops::attendance_set& o) {
    o.profile = f.name<profile>("profile", parse_profile, errc::unknown_profile)
                    .value_or(profile::habitant);
    o.count = static_cast<std::uint32_t>(f.count("count", 0, max_scribe_attendance));
}
void read(fields& f, origin, ops::note_edit& o) {
    o.note = f.id("note");
    o.text = f.text("text", max_note_chars, text_kind::multiline);
}
void read(fields& f, origin, ops::note_move& o) {
    o.note = f.id("note");
    o.at = f.position();
}
void read(fields& f, origin, ops::note_color& o) {
    o.note = f.id("note");
    o.color = f.name<color>("color", parse_color, errc::unknown_color).value_or(color::yellow);
}
void read(fields& f, origin, ops::note_delete& o) {
    o.note = f.id("note");
}
void read(fields& f, origin, ops::note_merge& o) {
    o.note = f.id("note");
    o.into = f.id("into");
}
void read(fields& f, origin, ops::note_group& o) {
    o.note = f.id("note");
    const json* theme = f.find("theme", false);
    if (theme && !theme->is_null()) o.theme = f.id_value("theme", *theme);
}
void read(fields& f, origin from, ops::theme_create& o) {
    o.theme = assigned_id(f, "theme", from);
    o.title = f.text("title", max_title_chars, text_kind::line);
    // As for notes: a client may leave the position to the server.
    if (from == origin::client && !f.find("x", false) && !f.find("y", false)) {
        o.place = true;
    } else {
        o.at = f.position();
    }
}

// The places of a tidied board: [{"note": "n1", "x": 0, "y": 0}, ...].
std::vector<placement> read_placements(fields& f, std::string_view key, std::string_view id_key,
                                       origin from) {
    if (from == origin::client) {
        if (f.find(key, false)) f.fail(errc::unknown_field, std::string(key) + " is assigned by the server");
        return {};
    }
    const json* list = f.find(key, true);
    if (!list || f.error()) return {};
    if (!list->is_array()) {
        f.fail(errc::wrong_type, std::string(key) + " must be an array");
        return {};
    }
    std::vector<placement> out;
    out.reserve(list->size());
    for (const auto& item : *list) {
        if (!item.is_object()) {
            f.fail(errc::not_object, std::string(key));
            return {};
        }
        fields place(item);
        placement p{place.id(id_key), place.position()};
        place.finish();
        if (const auto& why = place.error()) {
            f.fail(why->code, why->detail);
            return {};
        }
        out.push_back(std::move(p));
    }
    return out;
}
void read(fields& f, origin from, ops::board_arrange& o) {
    o.notes = read_placements(f, "notes", "note", from);
    o.themes = read_placements(f, "themes", "theme", from);
}
void read(fields& f, origin, ops::theme_rename& o) {
    o.theme = f.id("theme");
    o.title = f.text("title", max_title_chars, text_kind::line);
}
void read(fields& f, origin, ops::theme_move& o) {
    o.theme = f.id("theme");
    o.at = f.position();
}
void read(fields& f, origin, ops::theme_delete& o) {
    o.theme = f.id("theme");
}
void read(fields& f, origin, ops::theme_synthesis& o) {
    o.theme = f.id("theme");
    o.text = f.text("text", max_synthesis_chars, text_kind::multiline, true, true);
}
void read(fields& f, origin, ops::vote_add& o) {
    o.target = read_target(f);
}
void read(fields& f, origin, ops::vote_remove& o) {
    o.target = read_target(f);
}
void read(fields& f, origin, ops::phase_set& o) {
    o.phase = f.name<phase>("phase", parse_phase, errc::unknown_phase).value_or(phase::writing);
}
void read(fields& f, origin, ops::board_lock& o) {
    o.locked = f.flag("locked");
}
void read(fields& f, origin, ops::timer_start& o) {
    o.seconds = static_cast<std::uint32_t>(f.count("seconds", 1, max_timer_seconds));
}
void read(fields&, origin, ops::timer_stop&) {}
void read(fields& f, origin, ops::settings_set& o) {
    if (f.find("title", false)) o.title = f.text("title", max_title_chars, text_kind::line);
    if (f.find("question", false)) {
        o.question = f.text("question", max_question_chars, text_kind::multiline, true, true);
    }
    if (f.find("vote_budget", false)) {
        o.vote_budget = static_cast<std::uint32_t>(f.count("vote_budget", 0, max_vote_budget));
    }
    if (f.find("anonymous", false)) o.anonymous = f.flag("anonymous");
    if (f.find("note_max_length", false)) {
        o.note_max_length =
            static_cast<std::uint32_t>(f.count("note_max_length", 1, max_note_chars));
    }
    if (const json* list = f.find("profiles", false)) {
        if (!list->is_array() || list->empty()) {
            f.fail(errc::wrong_type, "profiles must be a non-empty array");
        } else {
            std::vector<profile> profiles;
            for (const auto& item : *list) {
                if (auto p = f.name_value<profile>("profiles", item, parse_profile,
                                                   errc::unknown_profile)) {
                    profiles.push_back(*p);
                }
            }
            std::sort(profiles.begin(), profiles.end());
            profiles.erase(std::unique(profiles.begin(), profiles.end()), profiles.end());
            o.profiles = std::move(profiles);
        }
    }
    if (f.find("time_zone", false)) {
        o.time_zone = f.text("time_zone", max_time_zone_chars, text_kind::line);
        if (!f.error() && !detail::is_time_zone_name(*o.time_zone)) {
            f.fail(errc::out_of_range, "time_zone must be an IANA name such as Europe/Paris");
        }
    }
    if (f.find("hidden_votes", false)) o.hidden_votes = f.flag("hidden_votes");
    if (!f.error() && !o.title && !o.question && !o.vote_budget && !o.anonymous &&
        !o.note_max_length && !o.profiles && !o.time_zone && !o.hidden_votes) {
        f.fail(errc::missing_field, "at least one setting");
    }
}
void read(fields& f, origin, ops::participant_join& o) {
    o.participant = f.id("participant");
    o.role = f.name<role>("role", parse_role, errc::unknown_role).value_or(role::participant);
    o.name = f.text("name", max_name_chars, text_kind::line, false, true);
    o.profile = read_profile(f);
}
void read(fields& f, origin, ops::participant_rename& o) {
    o.name = f.text("name", max_name_chars, text_kind::line, true, true);
    o.profile = read_profile(f);
}
void read(fields& f, origin, ops::participant_leave& o) {
    o.participant = f.id("participant");
}

json target_json(const vote_target& t) {
    return {{t.kind == vote_target::kind_t::note ? "note" : "theme", t.id}};
}
void put_position(json& j, point p) {
    j["x"] = p.x;
    j["y"] = p.y;
}

void write(json& j, const ops::note_add& o) {
    j["note"] = o.note;
    j["text"] = o.text;
    j["color"] = to_string(o.color);
    put_position(j, o.at);
    if (o.profile) j["profile"] = to_string(*o.profile);
}
void write(json& j, const ops::note_restore& o) {
    j["note"] = o.note;
}
void write(json& j, const ops::theme_restore& o) {
    j["theme"] = o.theme;
}
void write(json& j, const ops::action_add& o) {
    j["action"] = o.action;
    j["theme"] = o.theme;
    j["what"] = o.what;
    j["who"] = o.who;
    j["when"] = o.when;
}
void write(json& j, const ops::action_edit& o) {
    j["action"] = o.action;
    j["what"] = o.what;
    j["who"] = o.who;
    j["when"] = o.when;
}
void write(json& j, const ops::action_delete& o) {
    j["action"] = o.action;
}
void write(json& j, const ops::attendance_set& o) {
    j["profile"] = to_string(o.profile);
    j["count"] = o.count;
}
void write(json& j, const ops::note_edit& o) {
    j["note"] = o.note;
    j["text"] = o.text;
}
void write(json& j, const ops::note_move& o) {
    j["note"] = o.note;
    put_position(j, o.at);
}
void write(json& j, const ops::note_color& o) {
    j["note"] = o.note;
    j["color"] = to_string(o.color);
}
void write(json& j, const ops::note_delete& o) {
    j["note"] = o.note;
}
void write(json& j, const ops::note_merge& o) {
    j["note"] = o.note;
    j["into"] = o.into;
}
void write(json& j, const ops::note_group& o) {
    j["note"] = o.note;
    j["theme"] = o.theme ? json(*o.theme) : json(nullptr);
}
void write(json& j, const ops::theme_create& o) {
    j["theme"] = o.theme;
    j["title"] = o.title;
    put_position(j, o.at);
}
json placements_json(const std::vector<placement>& list, std::string_view id_key) {
    json out = json::array();
    for (const auto& p : list) out.push_back({{id_key, p.id}, {"x", p.at.x}, {"y", p.at.y}});
    return out;
}
void write(json& j, const ops::board_arrange& o) {
    j["notes"] = placements_json(o.notes, "note");
    j["themes"] = placements_json(o.themes, "theme");
}
void write(json& j, const ops::theme_rename& o) {
    j["theme"] = o.theme;
    j["title"] = o.title;
}
void write(json& j, const ops::theme_move& o) {
    j["theme"] = o.theme;
    put_position(j, o.at);
}
void write(json& j, const ops::theme_delete& o) {
    j["theme"] = o.theme;
}
void write(json& j, const ops::theme_synthesis& o) {
    j["theme"] = o.theme;
    j["text"] = o.text;
}
void write(json& j, const ops::vote_add& o) {
    j.update(target_json(o.target));
}
void write(json& j, const ops::vote_remove& o) {
    j.update(target_json(o.target));
}
void write(json& j, const ops::phase_set& o) {
    j["phase"] = to_string(o.phase);
}
void write(json& j, const ops::board_lock& o) {
    j["locked"] = o.locked;
}
void write(json& j, const ops::timer_start& o) {
    j["seconds"] = o.seconds;
}
void write(json&, const ops::timer_stop&) {}
void write(json& j, const ops::settings_set& o) {
    if (o.title) j["title"] = *o.title;
    if (o.question) j["question"] = *o.question;
    if (o.vote_budget) j["vote_budget"] = *o.vote_budget;
    if (o.anonymous) j["anonymous"] = *o.anonymous;
    if (o.note_max_length) j["note_max_length"] = *o.note_max_length;
    if (o.profiles) {
        json list = json::array();
        for (const auto p : *o.profiles) list.push_back(to_string(p));
        j["profiles"] = std::move(list);
    }
    if (o.time_zone) j["time_zone"] = *o.time_zone;
    if (o.hidden_votes) j["hidden_votes"] = *o.hidden_votes;
}
void write(json& j, const ops::participant_join& o) {
    j["participant"] = o.participant;
    j["role"] = to_string(o.role);
    j["name"] = o.name;
    if (o.profile) j["profile"] = to_string(*o.profile);
}
void write(json& j, const ops::participant_rename& o) {
    j["name"] = o.name;
    if (o.profile) j["profile"] = to_string(*o.profile);
}
void write(json& j, const ops::participant_leave& o) {
    j["participant"] = o.participant;
}

template <std::size_t... I>
op make_op(std::size_t index, fields& f, origin from, std::index_sequence<I...>) {
    op out;
    (void)((index == I ? (read(f, from, out.emplace<I>()), true) : false) || ...);
    return out;
}

}  // namespace

result<json> parse_json(std::string_view text) {
    json j = json::parse(text, nullptr, false);
    if (j.is_discarded()) return rejection{errc::not_json, {}};
    return j;
}

result<op> decode_op(const json& j, origin from) {
    if (!j.is_object()) return rejection{errc::not_object, "op"};
    fields f(j);
    const json* kind = f.find("kind", true);
    if (!kind) return *f.error();
    if (!kind->is_string()) return rejection{errc::wrong_type, "kind must be a string"};
    const auto index = detail::kind_index(kind->get_ref<const std::string&>());
    if (!index)
        return rejection{errc::unknown_kind, detail::excerpt(kind->get_ref<const std::string&>())};
    op o = make_op(*index, f, from, std::make_index_sequence<std::variant_size_v<op>>{});
    if (from == origin::client && is_server_only(o)) {
        return rejection{errc::server_only_kind, std::string(kind_name(o))};
    }
    f.finish();
    if (f.error()) return *f.error();
    return o;
}

json encode_op(const op& o) {
    json j = json::object();
    j["kind"] = kind_name(o);
    std::visit([&j](const auto& alt) { write(j, alt); }, o);
    return j;
}

result<stamped_op> decode_stamped(const json& j) {
    if (!j.is_object()) return rejection{errc::not_object, "stamped op"};
    fields f(j);
    stamped_op s;
    s.seq = f.count("seq", 1, std::numeric_limits<std::int64_t>::max());
    if (const json* time = f.find("time", true); time && !f.error()) {
        if (time->is_number_integer()) {
            s.time = time->get<std::int64_t>();
        } else {
            f.fail(errc::wrong_type, "time must be an integer");
        }
    }
    s.by = f.id("by");
    const json* body = f.find("op", true);
    f.finish();
    if (f.error()) return *f.error();
    auto decoded = decode_op(*body, origin::log);
    if (!decoded) return decoded.error();
    s.op = std::move(decoded).value();
    return s;
}

json encode_stamped(const stamped_op& s) {
    return {{"seq", s.seq}, {"time", s.time}, {"by", s.by}, {"op", encode_op(s.op)}};
}

std::string serialize_stamped(const stamped_op& s) {
    return encode_stamped(s).dump();
}

result<stamped_op> parse_stamped(std::string_view bytes) {
    auto j = parse_json(bytes);
    if (!j) return j.error();
    return decode_stamped(*j);
}

}  // namespace ruche::protocol
