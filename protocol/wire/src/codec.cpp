#include "ruche/wire/codec.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include "op_fields.hpp"
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
    void fail(std::error_code code, std::string detail) {
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

// Degrees rounded to 1/geo_scale, within ±limit.
std::int32_t degrees(fields& place, std::string_view key, double limit) {
    const json* v = place.find(key, true);
    if (!v || place.error()) return 0;
    if (!v->is_number()) {
        place.fail(errc::wrong_type, std::string(key) + " must be a number");
        return 0;
    }
    const double d = v->get<double>();
    if (!std::isfinite(d) || std::abs(d) > limit) {
        place.fail(errc::out_of_range, std::string(key) + " must be within ±" + std::to_string(static_cast<int>(limit)));
        return 0;
    }
    return static_cast<std::int32_t>(std::lround(d * geo_scale));
}

template <typename E>
struct enum_names;
template <>
struct enum_names<color> {
    static constexpr auto parse = parse_color;
    static constexpr errc unknown = errc::unknown_color;
};
template <>
struct enum_names<phase> {
    static constexpr auto parse = parse_phase;
    static constexpr errc unknown = errc::unknown_phase;
};
template <>
struct enum_names<profile> {
    static constexpr auto parse = parse_profile;
    static constexpr errc unknown = errc::unknown_profile;
};
template <>
struct enum_names<role> {
    static constexpr auto parse = parse_role;
    static constexpr errc unknown = errc::unknown_role;
};

using op_fields::count_rule;
using op_fields::given_by;
using op_fields::text_rule;

// Reads an op's fields from JSON, as op_fields.hpp lists them.
class json_reader {
  public:
    json_reader(fields& f, origin from) : f_(f), from_(from) {}

    void id(std::string_view key, std::string& out, given_by by = given_by::client) {
        if (by == given_by::stamp && from_ == origin::client) {
            if (f_.find(key, false)) f_.fail(errc::unknown_field, std::string(key) + " is assigned by the server");
            return;
        }
        out = f_.id(key);
    }
    void nullable_id(std::string_view key, std::optional<std::string>& out) {
        const json* v = f_.find(key, false);
        if (v && !v->is_null()) out = f_.id_value(key, *v);
    }
    void optional_id(std::string_view key, std::optional<std::string>& out) {
        if (const json* v = f_.find(key, false)) out = f_.id_value(key, *v);
    }
    // {"lat": 48.85661, "lon": 2.35222, "accuracy": 12}, rounded to
    // 1/geo_scale degree; accuracy in metres, absent when not known.
    void geo(std::string_view key, std::optional<geo_point>& out) {
        const json* v = f_.find(key, false);
        if (!v || v->is_null() || f_.error()) return;
        auto p = geo_from_json(*v);
        if (!p) {
            f_.fail(p.error().code, std::string(key) + "." + p.error().detail);
            return;
        }
        out = *p;
    }
    // A list of short labels, each once (e.g. a walk's categories).
    void labels(std::string_view key, std::optional<std::vector<std::string>>& out, const text_rule& r) {
        const json* list = f_.find(key, false);
        if (!list || f_.error()) return;
        if (!list->is_array()) {
            f_.fail(errc::wrong_type, std::string(key) + " must be an array");
            return;
        }
        if (list->size() > max_categories) {
            f_.fail(errc::out_of_range, std::string(key) + " has at most " + std::to_string(max_categories) + " items");
            return;
        }
        std::vector<std::string> chosen;
        for (const auto& item : *list) {
            if (!item.is_string()) {
                f_.fail(errc::wrong_type, std::string(key) + " must hold strings");
                return;
            }
            const auto& label = item.get_ref<const std::string&>();
            if (auto why = detail::check_text(label, r.max_chars, r.kind, false, key)) {
                f_.fail(why->code, why->detail);
                return;
            }
            if (std::find(chosen.begin(), chosen.end(), label) != chosen.end()) {
                f_.fail(errc::duplicate_id, detail::excerpt(label));
                return;
            }
            chosen.push_back(label);
        }
        out = std::move(chosen);
    }
    void text(std::string_view key, std::string& out, const text_rule& r) {
        out = f_.text(key, r.max_chars, r.kind, r.required, r.may_be_empty);
    }
    void text(std::string_view key, std::optional<std::string>& out, const text_rule& r) {
        if (f_.find(key, false)) out = f_.text(key, r.max_chars, r.kind, true, r.may_be_empty);
    }
    template <typename E>
    void name(std::string_view key, E& out) {
        out = f_.name<E>(key, enum_names<E>::parse, enum_names<E>::unknown).value_or(E{});
    }
    template <typename E>
    void name(std::string_view key, std::optional<E>& out) {
        out = f_.name<E>(key, enum_names<E>::parse, enum_names<E>::unknown, false);
    }
    // `place`: a client may leave the position to the server (both
    // coordinates absent); the log always has one.
    void position(point& at, bool* place = nullptr) {
        if (place && from_ == origin::client) {
            const bool has_x = f_.find("x", false) != nullptr;
            const bool has_y = f_.find("y", false) != nullptr;
            if (!has_x && !has_y) {
                *place = true;
                return;
            }
        }
        at = f_.position();
    }
    void target(vote_target& out) {
        const json* note = f_.find("note", false);
        const json* theme = f_.find("theme", false);
        if (f_.error()) return;
        if ((note == nullptr) == (theme == nullptr)) {
            f_.fail(note ? errc::unknown_field : errc::missing_field, "exactly one of note or theme");
            return;
        }
        if (note) {
            out = {vote_target::kind_t::note, f_.id_value("note", *note)};
        } else {
            out = {vote_target::kind_t::theme, f_.id_value("theme", *theme)};
        }
    }
    void flag(std::string_view key, bool& out) { out = f_.flag(key); }
    void flag(std::string_view key, std::optional<bool>& out) {
        if (f_.find(key, false)) out = f_.flag(key);
    }
    void count(std::string_view key, std::uint32_t& out, const count_rule& r) {
        out = static_cast<std::uint32_t>(f_.count(key, r.min, r.max));
    }
    void count(std::string_view key, std::optional<std::uint32_t>& out, const count_rule& r) {
        if (f_.find(key, false)) out = static_cast<std::uint32_t>(f_.count(key, r.min, r.max));
    }
    // A set of profiles: sorted, each once.
    void profiles(std::string_view key, std::optional<std::vector<profile>>& out) {
        const json* list = f_.find(key, false);
        if (!list) return;
        if (!list->is_array() || list->empty()) {
            f_.fail(errc::wrong_type, std::string(key) + " must be a non-empty array");
            return;
        }
        std::vector<profile> chosen;
        for (const auto& item : *list) {
            if (auto p = f_.name_value<profile>(key, item, parse_profile, errc::unknown_profile)) {
                chosen.push_back(*p);
            }
        }
        std::sort(chosen.begin(), chosen.end());
        chosen.erase(std::unique(chosen.begin(), chosen.end()), chosen.end());
        out = std::move(chosen);
    }
    void time_zone(std::string_view key, std::optional<std::string>& out) {
        text(key, out, op_fields::time_zone_text);
        if (out && !f_.error() && !detail::is_time_zone_name(*out)) {
            f_.fail(errc::out_of_range, std::string(key) + " must be an IANA name such as Europe/Paris");
        }
    }
    // The places of a tidied board: [{"note": "n1", "x": 0, "y": 0}, ...].
    void placements(std::string_view key, std::string_view id_key, std::vector<placement>& out) {
        if (from_ == origin::client) {
            if (f_.find(key, false)) f_.fail(errc::unknown_field, std::string(key) + " is assigned by the server");
            return;
        }
        const json* list = f_.find(key, true);
        if (!list || f_.error()) return;
        if (!list->is_array()) {
            f_.fail(errc::wrong_type, std::string(key) + " must be an array");
            return;
        }
        out.reserve(list->size());
        for (const auto& item : *list) {
            if (!item.is_object()) {
                f_.fail(errc::not_object, std::string(key));
                return;
            }
            fields place(item);
            placement p{place.id(id_key), place.position()};
            place.finish();
            if (const auto& why = place.error()) {
                f_.fail(why->code, why->detail);
                return;
            }
            out.push_back(std::move(p));
        }
    }
    void later() {}
    void at_least_one(std::string_view what, bool any) {
        if (!f_.error() && !any) f_.fail(errc::missing_field, std::string(what));
    }

  private:
    fields& f_;
    origin from_;
};

// Writes an op's fields to JSON, as op_fields.hpp lists them.
class json_writer {
  public:
    explicit json_writer(json& j) : j_(j) {}

    void id(std::string_view key, const std::string& v, given_by = given_by::client) { j_[std::string(key)] = v; }
    void nullable_id(std::string_view key, const std::optional<std::string>& v) {
        j_[std::string(key)] = v ? json(*v) : json(nullptr);
    }
    void optional_id(std::string_view key, const std::optional<std::string>& v) {
        if (v) j_[std::string(key)] = *v;
    }
    void geo(std::string_view key, const std::optional<geo_point>& v) {
        if (v) j_[std::string(key)] = to_json(*v);
    }
    void labels(std::string_view key, const std::optional<std::vector<std::string>>& v, const text_rule&) {
        if (v) j_[std::string(key)] = *v;
    }
    void text(std::string_view key, const std::string& v, const text_rule&) { j_[std::string(key)] = v; }
    template <typename E>
    void name(std::string_view key, const E& v) {
        j_[std::string(key)] = to_string(v);
    }
    template <typename E>
    void name(std::string_view key, const std::optional<E>& v) {
        if (v) j_[std::string(key)] = to_string(*v);
    }
    void position(const point& at, const bool* = nullptr) {
        j_["x"] = at.x;
        j_["y"] = at.y;
    }
    void target(const vote_target& t) { j_[t.kind == vote_target::kind_t::note ? "note" : "theme"] = t.id; }
    void flag(std::string_view key, bool v) { j_[std::string(key)] = v; }
    void count(std::string_view key, std::uint32_t v, const count_rule&) { j_[std::string(key)] = v; }
    void text(std::string_view key, const std::optional<std::string>& v, const text_rule&) {
        if (v) j_[std::string(key)] = *v;
    }
    void flag(std::string_view key, const std::optional<bool>& v) {
        if (v) j_[std::string(key)] = *v;
    }
    void count(std::string_view key, const std::optional<std::uint32_t>& v, const count_rule&) {
        if (v) j_[std::string(key)] = *v;
    }
    void profiles(std::string_view key, const std::optional<std::vector<profile>>& v) {
        if (!v) return;
        json list = json::array();
        for (const auto p : *v) list.push_back(to_string(p));
        j_[std::string(key)] = std::move(list);
    }
    void time_zone(std::string_view key, const std::optional<std::string>& v) {
        if (v) j_[std::string(key)] = *v;
    }
    void placements(std::string_view key, std::string_view id_key, const std::vector<placement>& list) {
        json out = json::array();
        for (const auto& p : list) out.push_back({{id_key, p.id}, {"x", p.at.x}, {"y", p.at.y}});
        j_[std::string(key)] = std::move(out);
    }
    void later() {}
    void at_least_one(std::string_view, bool) {}

  private:
    json& j_;
};

template <std::size_t... I>
op make_op(std::size_t index, fields& f, origin from, std::index_sequence<I...>) {
    op out;
    json_reader reader(f, from);
    (void)((index == I ? (op_fields::describe(reader, out.emplace<I>()), true) : false) || ...);
    return out;
}

}  // namespace

result<geo_point> geo_from_json(const json& j) {
    if (!j.is_object()) return rejection{errc::wrong_type, "a place must be an object with lat and lon"};
    fields place(j);
    geo_point p{degrees(place, "lat", 90), degrees(place, "lon", 180),
                static_cast<std::uint32_t>(place.count("accuracy", 0, max_geo_accuracy, false))};
    place.finish();
    if (const auto& why = place.error()) return *why;
    return p;
}

json to_json(const geo_point& p) {
    json j = {{"lat", static_cast<double>(p.lat) / geo_scale}, {"lon", static_cast<double>(p.lon) / geo_scale}};
    if (p.accuracy) j["accuracy"] = p.accuracy;
    return j;
}

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
    json_writer writer(j);
    std::visit([&writer](const auto& alt) { op_fields::describe(writer, alt); }, o);
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
