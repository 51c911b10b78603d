// Canonical JSON of a board. Objects are nlohmann's sorted maps and every
// collection of the board is ordered, so equal states serialise to equal bytes.

#include "ruche/wire/board_json.hpp"

#include "ruche/wire/codec.hpp"

namespace ruche::protocol {
namespace {

json tally_json(const vote_tally& votes) {
    json j = json::object();
    for (const auto& [voter, dots] : votes) j[voter] = dots;
    return j;
}

json optional_name(const std::optional<profile>& p) {
    return p ? json(to_string(*p)) : json(nullptr);
}

json optional_geo(const std::optional<geo_point>& p) {
    return p ? to_json(*p) : json(nullptr);
}

json note_json(const note& n) {
    json merged = json::array();
    for (const auto& m : n.merged) {
        merged.push_back({{"id", m.id}, {"text", m.text}, {"author", m.author}});
    }
    json j = {{"id", n.id},
            {"text", n.text},
            {"color", to_string(n.color)},
            {"x", n.at.x},
            {"y", n.at.y},
            {"author", n.author},
            {"authors", n.authors},
            {"author_count", n.authors.size()},
            {"profile", optional_name(n.profile)},
            {"theme", n.theme ? json(*n.theme) : json(nullptr)},
            {"votes", tally_json(n.votes)},
            {"vote_total", total(n.votes)},
            {"merged", std::move(merged)},
            {"created_seq", n.created_seq},
            {"created_time", n.created_time}};
    // A walk's keys, only on the notes of a walk: a brainstorm's notes stay
    // as small as they were.
    if (n.stop) j["stop"] = *n.stop;
    if (n.category) j["category"] = *n.category;
    if (n.location) j["location"] = to_json(*n.location);
    if (n.photo) j["photo"] = *n.photo;
    return j;
}

json stop_json(const stop& s) {
    return {{"id", s.id},
            {"name", s.name},
            {"question", s.question},
            {"place", optional_geo(s.place)},
            {"created_seq", s.created_seq}};
}

json theme_json(const theme& t) {
    return {{"id", t.id},
            {"title", t.title},
            {"x", t.at.x},
            {"y", t.at.y},
            {"synthesis", t.synthesis},
            {"votes", tally_json(t.votes)},
            {"vote_total", total(t.votes)},
            {"created_seq", t.created_seq}};
}

json participant_json(const participant& p) {
    return {{"id", p.id},           {"role", to_string(p.role)},
            {"name", p.name},       {"profile", optional_name(p.profile)},
            {"present", p.present}, {"joined_time", p.joined_time}};
}

json settings_json(const settings& s) {
    json profiles = json::array();
    for (const auto p : s.profiles) profiles.push_back(to_string(p));
    return {{"title", s.title},
            {"question", s.question},
            {"vote_budget", s.vote_budget},
            {"anonymous", s.anonymous},
            {"note_max_length", s.note_max_length},
            {"profiles", std::move(profiles)},
            {"time_zone", s.time_zone},
            {"hidden_votes", s.hidden_votes},
            {"retention_days", s.retention_days},
            {"categories", s.categories}};
}

json deleted_note_json(const deleted_note& d) {
    json j = note_json(d.note);
    j["deleted_seq"] = d.deleted_seq;
    return j;
}

json deleted_theme_json(const deleted_theme& d) {
    json j = theme_json(d.theme);
    j["notes"] = d.notes;
    j["deleted_seq"] = d.deleted_seq;
    return j;
}

json action_json(const action& a) {
    return {{"id", a.id},     {"theme", a.theme}, {"what", a.what},
            {"who", a.who},   {"when", a.when},   {"created_seq", a.created_seq}};
}

// Reading back: the input is our own canonical output (a checkpoint), so any
// deviation is reported as one rejection rather than patched up.
struct bad_state {
    std::string what;
};

template <typename Enum>
Enum enum_at(const json& j, const char* key, std::optional<Enum> (*parse)(std::string_view)) {
    auto v = parse(j.at(key).get<std::string>());
    if (!v) throw bad_state{key};
    return *v;
}

std::optional<profile> optional_profile_at(const json& j, const char* key) {
    const json& v = j.at(key);
    if (v.is_null()) return std::nullopt;
    return enum_at<profile>(j, key, parse_profile);
}

vote_tally tally_at(const json& j) {
    vote_tally votes;
    for (const auto& [voter, dots] : j.at("votes").items())
        votes[voter] = dots.get<std::uint32_t>();
    return votes;
}

point point_at(const json& j) {
    return {j.at("x").get<std::int32_t>(), j.at("y").get<std::int32_t>()};
}

// A key newer states have and older ones lack: an empty object then.
const json& optional_object(const json& j, const char* key) {
    static const json empty = json::object();
    const auto it = j.find(key);
    return it == j.end() ? empty : *it;
}

geo_point geo_at(const json& j) {
    auto p = geo_from_json(j);
    if (!p) throw bad_state{"place"};
    return *p;
}

note note_at(const json& nj) {
    note n;
    n.id = nj.at("id").get<std::string>();
    n.text = nj.at("text").get<std::string>();
    n.color = enum_at<color>(nj, "color", parse_color);
    n.at = point_at(nj);
    n.author = nj.at("author").get<std::string>();
    n.authors = nj.at("authors").get<std::vector<std::string>>();
    n.profile = optional_profile_at(nj, "profile");
    if (const json& th = nj.at("theme"); !th.is_null()) n.theme = th.get<std::string>();
    n.votes = tally_at(nj);
    for (const auto& m : nj.at("merged")) {
        n.merged.push_back({m.at("id").get<std::string>(), m.at("text").get<std::string>(),
                            m.at("author").get<std::string>()});
    }
    n.created_seq = nj.at("created_seq").get<std::uint64_t>();
    n.created_time = nj.at("created_time").get<std::int64_t>();
    if (auto it = nj.find("stop"); it != nj.end()) n.stop = it->get<std::string>();
    if (auto it = nj.find("category"); it != nj.end()) n.category = it->get<std::uint32_t>();
    if (auto it = nj.find("location"); it != nj.end()) n.location = geo_at(*it);
    if (auto it = nj.find("photo"); it != nj.end()) n.photo = it->get<std::string>();
    return n;
}

theme theme_at(const json& tj) {
    theme t;
    t.id = tj.at("id").get<std::string>();
    t.title = tj.at("title").get<std::string>();
    t.at = point_at(tj);
    t.synthesis = tj.at("synthesis").get<std::string>();
    t.votes = tally_at(tj);
    t.created_seq = tj.at("created_seq").get<std::uint64_t>();
    return t;
}

board read_board(const json& j) {
    board b;
    b.seq = j.at("seq").get<std::uint64_t>();
    b.created_time = j.at("created_time").get<std::int64_t>();
    b.updated_time = j.at("updated_time").get<std::int64_t>();
    const json& s = j.at("settings");
    b.settings.title = s.at("title").get<std::string>();
    b.settings.question = s.at("question").get<std::string>();
    b.settings.vote_budget = s.at("vote_budget").get<std::uint32_t>();
    b.settings.anonymous = s.at("anonymous").get<bool>();
    b.settings.note_max_length = s.at("note_max_length").get<std::uint32_t>();
    b.settings.profiles.clear();
    for (const auto& p : s.at("profiles")) {
        auto parsed = parse_profile(p.get<std::string>());
        if (!parsed) throw bad_state{"settings.profiles"};
        b.settings.profiles.push_back(*parsed);
    }
    b.settings.time_zone = s.value("time_zone", std::string());
    b.settings.hidden_votes = s.value("hidden_votes", false);
    b.settings.retention_days = s.value("retention_days", std::uint32_t{0});
    b.settings.categories = s.value("categories", std::vector<std::string>{});
    b.phase = enum_at<phase>(j, "phase", parse_phase);
    b.locked = j.at("locked").get<bool>();
    if (const json& t = j.at("timer"); !t.is_null()) {
        b.timer =
            timer{t.at("started_time").get<std::int64_t>(), t.at("seconds").get<std::uint32_t>()};
    }
    for (const auto& [id, nj] : j.at("notes").items()) {
        note n = note_at(nj);
        if (n.id != id) throw bad_state{"notes." + id};
        b.notes.emplace(id, std::move(n));
    }
    for (const auto& [id, tj] : j.at("themes").items()) {
        theme t = theme_at(tj);
        if (t.id != id) throw bad_state{"themes." + id};
        b.themes.emplace(id, std::move(t));
    }
    // Absent from states written before the bin, action plans, scribe
    // attendance and time zones existed: they start empty.
    for (const auto& [id, nj] : optional_object(j, "deleted_notes").items()) {
        deleted_note d{note_at(nj), nj.at("deleted_seq").get<std::uint64_t>()};
        if (d.note.id != id) throw bad_state{"deleted_notes." + id};
        b.deleted_notes.emplace(id, std::move(d));
    }
    for (const auto& [id, tj] : optional_object(j, "deleted_themes").items()) {
        deleted_theme d{theme_at(tj), tj.at("notes").get<std::vector<std::string>>(),
                        tj.at("deleted_seq").get<std::uint64_t>()};
        if (d.theme.id != id) throw bad_state{"deleted_themes." + id};
        b.deleted_themes.emplace(id, std::move(d));
    }
    for (const auto& [id, aj] : optional_object(j, "actions").items()) {
        action a{aj.at("id").get<std::string>(),   aj.at("theme").get<std::string>(),
                 aj.at("what").get<std::string>(), aj.at("who").get<std::string>(),
                 aj.at("when").get<std::string>(), aj.at("created_seq").get<std::uint64_t>()};
        if (a.id != id) throw bad_state{"actions." + id};
        b.actions.emplace(id, std::move(a));
    }
    for (const auto& [name, count] : optional_object(j, "scribe_attendance").items()) {
        auto p = parse_profile(name);
        if (!p) throw bad_state{"scribe_attendance." + name};
        b.scribe_attendance[*p] = count.get<std::uint32_t>();
    }
    for (const auto& [id, sj] : optional_object(j, "stops").items()) {
        stop st{sj.at("id").get<std::string>(), sj.at("name").get<std::string>(),
                sj.at("question").get<std::string>(), std::nullopt, sj.at("created_seq").get<std::uint64_t>()};
        if (const json& place = sj.at("place"); !place.is_null()) st.place = geo_at(place);
        if (st.id != id) throw bad_state{"stops." + id};
        b.stops.emplace(id, std::move(st));
    }
    if (auto it = j.find("current_stop"); it != j.end() && !it->is_null()) b.current_stop = it->get<std::string>();
    for (const auto& [id, pj] : j.at("participants").items()) {
        participant p;
        p.id = pj.at("id").get<std::string>();
        p.role = enum_at<role>(pj, "role", parse_role);
        p.name = pj.at("name").get<std::string>();
        p.profile = optional_profile_at(pj, "profile");
        p.present = pj.at("present").get<bool>();
        p.joined_time = pj.at("joined_time").get<std::int64_t>();
        if (p.id != id) throw bad_state{"participants." + id};
        b.participants.emplace(id, std::move(p));
    }
    for (const auto& [id, n] : b.notes) {
        for (const auto& [voter, dots] : n.votes) b.dots_used[voter] += dots;
    }
    for (const auto& [id, t] : b.themes) {
        for (const auto& [voter, dots] : t.votes) b.dots_used[voter] += dots;
    }
    for (const auto& c : j.at("phases")) {
        b.phases.push_back({enum_at<phase>(c, "phase", parse_phase),
                            c.at("seq").get<std::uint64_t>(), c.at("time").get<std::int64_t>()});
    }
    return b;
}

}  // namespace

json to_json(const board& b) {
    json notes = json::object();
    for (const auto& [id, n] : b.notes) notes[id] = note_json(n);
    json themes = json::object();
    for (const auto& [id, t] : b.themes) themes[id] = theme_json(t);
    json participants = json::object();
    for (const auto& [id, p] : b.participants) participants[id] = participant_json(p);
    json phases = json::array();
    for (const auto& c : b.phases) {
        phases.push_back({{"phase", to_string(c.phase)}, {"seq", c.seq}, {"time", c.time}});
    }
    json deleted_notes = json::object();
    for (const auto& [id, d] : b.deleted_notes) deleted_notes[id] = deleted_note_json(d);
    json deleted_themes = json::object();
    for (const auto& [id, d] : b.deleted_themes) deleted_themes[id] = deleted_theme_json(d);
    json actions = json::object();
    for (const auto& [id, a] : b.actions) actions[id] = action_json(a);
    json scribe = json::object();
    for (const auto& [p, count] : b.scribe_attendance) scribe[std::string(to_string(p))] = count;
    json stops = json::object();
    for (const auto& [id, st] : b.stops) stops[id] = stop_json(st);
    json timer = b.timer
                     ? json{{"started_time", b.timer->started_time}, {"seconds", b.timer->seconds}}
                     : json(nullptr);
    return {{"seq", b.seq},
            {"created_time", b.created_time},
            {"updated_time", b.updated_time},
            {"settings", settings_json(b.settings)},
            {"phase", to_string(b.phase)},
            {"locked", b.locked},
            {"timer", std::move(timer)},
            {"notes", std::move(notes)},
            {"themes", std::move(themes)},
            {"participants", std::move(participants)},
            {"phases", std::move(phases)},
            {"deleted_notes", std::move(deleted_notes)},
            {"deleted_themes", std::move(deleted_themes)},
            {"actions", std::move(actions)},
            {"scribe_attendance", std::move(scribe)},
            {"stops", std::move(stops)},
            {"current_stop", b.current_stop ? json(*b.current_stop) : json(nullptr)}};
}

std::string serialize(const board& b) {
    return to_json(b).dump();
}

result<board> board_from_json(const json& j) {
    try {
        return read_board(j);
    } catch (const bad_state& e) {
        return rejection{errc::wrong_type, "board state: " + e.what};
    } catch (const json::exception& e) {
        return rejection{errc::wrong_type, std::string("board state: ") + e.what()};
    }
}

}  // namespace ruche::protocol
