#include <algorithm>
#include <catch2/catch.hpp>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "random_session.hpp"
#include "ruche/minutes/minutes.hpp"
#include "ruche/wire/board_json.hpp"
#include "ruche/wire/geojson.hpp"
#include "ruche/wire/session_export.hpp"

using namespace ruche::protocol;

namespace {

const std::string source_dir = RUCHE_SOURCE_DIR;

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    REQUIRE(in.good());
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

bool file_exists(const std::string& path) {
    return std::ifstream(path, std::ios::binary).good();
}

void write_file(const std::string& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << bytes;
    REQUIRE(out.good());
}

bool contains(std::string_view haystack, std::string_view needle) {
    return haystack.find(needle) != std::string_view::npos;
}

// Golden files are compared byte for byte. A missing one, or any one when
// RUCHE_UPDATE_GOLDEN=1, is written and the test fails, so a golden file is
// never created silently: review it, then commit it.
void check_golden(const std::string& name, const std::string& actual) {
    const std::string path = source_dir + "/tests/golden/" + name;
    const char* update = std::getenv("RUCHE_UPDATE_GOLDEN");
    if ((update && std::string(update) == "1") || !file_exists(path)) {
        write_file(path, actual);
        FAIL_CHECK("golden file tests/golden/"
                   << name << " was written: review it, then run the test again");
        return;
    }
    const std::string expected = read_file(path);
    if (expected == actual) {
        SUCCEED(name);
        return;
    }
    std::size_t at = 0;
    while (at < expected.size() && at < actual.size() && expected[at] == actual[at]) ++at;
    const auto line =
        std::count(expected.begin(), expected.begin() + static_cast<long>(at), '\n') + 1;
    const auto from = at < 80 ? 0 : at - 80;
    FAIL("tests/golden/" << name << " differs at line " << line << "\nexpected: …"
                         << expected.substr(from, 160) << "…\nactual:   …"
                         << actual.substr(from, 160)
                         << "…\n(RUCHE_UPDATE_GOLDEN=1 rewrites the golden files)");
}

catalog load_catalog(const std::string& lang) {
    const json j = json::parse(read_file(source_dir + "/client-web/i18n/" + lang + ".json"));
    catalog c;
    for (const auto& [key, value] : j.items()) {
        if (value.is_string()) c.emplace(key, value.get<std::string>());
    }
    return c;
}

const catalog& french() {
    static const catalog c = load_catalog("fr");
    return c;
}
const catalog& english() {
    static const catalog c = load_catalog("en");
    return c;
}
minutes_options fr_options() {
    minutes_options o;
    o.text = &french();
    o.lang = "fr";
    o.utc_offset_minutes = 60;
    return o;
}
minutes_options en_options() {
    minutes_options o = fr_options();
    o.text = &english();
    o.lang = "en";
    return o;
}

struct session {
    std::vector<stamped_op> log;
    board state;
};

board fold(const std::vector<stamped_op>& log) {
    board b;
    for (const auto& s : log) {
        auto r = apply(b, s);
        INFO(serialize_stamped(s));
        REQUIRE(r.ok());
    }
    return b;
}

json fixture_json() {
    return json::parse(read_file(source_dir + "/tests/fixtures/atelier-isolement.json"));
}

session fixture() {
    auto log = read_session_export(fixture_json());
    if (!log) FAIL(log.error().message());
    session s{*log, {}};
    s.state = fold(s.log);
    return s;
}

// Appends one op as the server would stamp it.
void append(session& s, std::string by, op o) {
    const stamped_op next{s.state.seq + 1, s.state.updated_time + 1000, std::move(by),
                          std::move(o)};
    REQUIRE(apply(s.state, next).ok());
    s.log.push_back(next);
}

// A small XML well-formedness check: one root, balanced tags, quoted
// attributes without '<', known entities only, declared namespace prefixes,
// no character XML cannot carry. With `html`, void elements and the doctype
// are accepted. Returns what is wrong, or "" when nothing is.
std::string xml_problem(std::string_view x, bool html = false) {
    const std::set<std::string> voids = {"meta", "br", "hr", "link", "img", "input"};
    std::set<std::string> prefixes = {"xml"};
    std::vector<std::string> open;
    bool root_done = false;
    bool root_seen = false;
    std::size_t i = 0;
    const auto name_char = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == ':' || c == '_' || c == '-' || c == '.';
    };
    const auto check_entity = [&](std::size_t at) -> std::string {
        const auto end = x.find(';', at);
        if (end == std::string_view::npos || end - at > 10)
            return "bare & at " + std::to_string(at);
        const std::string_view e = x.substr(at + 1, end - at - 1);
        if (e == "amp" || e == "lt" || e == "gt" || e == "quot" || e == "apos") return "";
        if (e.size() > 1 && e[0] == '#') return "";
        return "unknown entity &" + std::string(e) + ";";
    };
    const auto check_prefix = [&](std::string_view name) -> std::string {
        if (html) return "";
        const auto colon = name.find(':');
        if (colon == std::string_view::npos) return "";
        const std::string prefix(name.substr(0, colon));
        if (prefix == "xmlns" || prefixes.count(prefix)) return "";
        return "undeclared prefix " + prefix;
    };
    for (std::size_t k = 0; k < x.size(); ++k) {
        const auto b = static_cast<unsigned char>(x[k]);
        if (b < 0x20 && b != '\n' && b != '\t' && b != '\r') {
            return "control character at " + std::to_string(k);
        }
    }
    while (i < x.size()) {
        const char c = x[i];
        if (c == '&') {
            if (auto why = check_entity(i); !why.empty()) return why;
            ++i;
            continue;
        }
        if (c != '<') {
            if (open.empty() && c != ' ' && c != '\n' && c != '\t' && c != '\r') {
                return "text outside the root at " + std::to_string(i);
            }
            ++i;
            continue;
        }
        if (x.substr(i, 4) == "<!--") {
            const auto end = x.find("-->", i);
            if (end == std::string_view::npos) return "unclosed comment";
            i = end + 3;
            continue;
        }
        if (x.substr(i, 2) == "<?") {
            if (root_seen) return "processing instruction inside the document";
            const auto end = x.find("?>", i);
            if (end == std::string_view::npos) return "unclosed declaration";
            i = end + 2;
            continue;
        }
        if (html && x.substr(i, 9) == "<!DOCTYPE") {
            i = x.find('>', i) + 1;
            continue;
        }
        if (x.substr(i, 2) == "</") {
            std::size_t j = i + 2;
            while (j < x.size() && name_char(x[j])) ++j;
            const std::string name(x.substr(i + 2, j - i - 2));
            if (j >= x.size() || x[j] != '>') return "bad end tag " + name;
            if (open.empty() || open.back() != name) {
                return "end tag </" + name + "> does not close <" +
                       (open.empty() ? "" : open.back()) + ">";
            }
            open.pop_back();
            if (open.empty()) root_done = true;
            i = j + 1;
            continue;
        }
        std::size_t j = i + 1;
        while (j < x.size() && name_char(x[j])) ++j;
        const std::string name(x.substr(i + 1, j - i - 1));
        if (name.empty()) return "bare < at " + std::to_string(i);
        if (root_done) return "second root element " + name;
        std::set<std::string> attributes;
        std::vector<std::string> used = {name};
        bool self_closing = false;
        while (true) {
            while (j < x.size() && (x[j] == ' ' || x[j] == '\n')) ++j;
            if (j >= x.size()) return "unclosed tag " + name;
            if (x[j] == '>') {
                ++j;
                break;
            }
            if (x.substr(j, 2) == "/>") {
                self_closing = true;
                j += 2;
                break;
            }
            std::size_t k = j;
            while (k < x.size() && name_char(x[k])) ++k;
            const std::string attribute(x.substr(j, k - j));
            if (attribute.empty()) return "bad attribute in " + name;
            if (!attributes.insert(attribute).second) return "duplicate attribute " + attribute;
            if (k + 1 >= x.size() || x[k] != '=' || (x[k + 1] != '"' && x[k + 1] != '\'')) {
                return "unquoted attribute " + attribute + " in " + name;
            }
            const char quote = x[k + 1];
            const auto end = x.find(quote, k + 2);
            if (end == std::string_view::npos) return "unclosed attribute " + attribute;
            const std::string_view value = x.substr(k + 2, end - k - 2);
            if (contains(value, "<")) return "< in attribute " + attribute;
            for (std::size_t v = 0; v < value.size(); ++v) {
                if (value[v] == '&') {
                    if (auto why = check_entity(k + 2 + v); !why.empty()) return why;
                }
            }
            if (attribute.rfind("xmlns:", 0) == 0) prefixes.insert(attribute.substr(6));
            used.push_back(attribute);
            j = end + 1;
        }
        for (const auto& n : used) {
            if (auto why = check_prefix(n); !why.empty()) return why;
        }
        root_seen = true;
        if (!self_closing && !(html && voids.count(name))) open.push_back(name);
        i = j;
    }
    if (!open.empty()) return "unclosed element <" + open.back() + ">";
    if (!root_seen) return "no root element";
    return "";
}

// RFC 4180 with ';': rows of cells, and whether every record ends in CRLF.
struct csv_file {
    bool bom = false;
    bool crlf = true;
    std::vector<std::vector<std::string>> rows;
};

csv_file parse_csv(std::string_view s) {
    csv_file out;
    if (s.substr(0, 3) == "\xEF\xBB\xBF") {
        out.bom = true;
        s.remove_prefix(3);
    }
    std::vector<std::string> row;
    std::string cell;
    bool quoted = false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (quoted) {
            if (c == '"' && i + 1 < s.size() && s[i + 1] == '"') {
                cell += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                cell += c;
            }
        } else if (c == '"' && cell.empty()) {
            quoted = true;
        } else if (c == ';') {
            row.push_back(std::move(cell));
            cell.clear();
        } else if (c == '\r' && i + 1 < s.size() && s[i + 1] == '\n') {
            row.push_back(std::move(cell));
            cell.clear();
            out.rows.push_back(std::move(row));
            row.clear();
            ++i;
        } else if (c == '\n' || c == '\r') {
            out.crlf = false;
            cell += c;
        } else {
            cell += c;
        }
    }
    if (!cell.empty() || !row.empty()) {
        out.crlf = false;  // the last record has no line end
        row.push_back(std::move(cell));
        out.rows.push_back(std::move(row));
    }
    return out;
}

// The participant ids of the fixture, as whole words.
bool mentions_id(std::string_view text, std::string_view id) {
    const auto word = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '_' || c == '-';
    };
    for (auto at = text.find(id); at != std::string_view::npos; at = text.find(id, at + 1)) {
        const bool before = at > 0 && word(text[at - 1]);
        const bool after = at + id.size() < text.size() && word(text[at + id.size()]);
        if (!before && !after) return true;
    }
    return false;
}

// A catalog key such as "minutes.section.themes" left in the output.
bool mentions_key(std::string_view text) {
    for (auto at = text.find("minutes."); at != std::string_view::npos;
         at = text.find("minutes.", at + 1)) {
        const auto next = at + 8 < text.size() ? text[at + 8] : ' ';
        if (next >= 'a' && next <= 'z') return true;
    }
    return false;
}

struct rendered {
    std::string md, html, csv;
    odt_parts odt;
    std::string all() const {
        return md + html + csv + odt.content_xml + odt.meta_xml + odt.styles_xml;
    }
};

rendered render_all(const minutes& m, const minutes_options& o) {
    return {minutes_markdown(m, o), minutes_html(m, o), minutes_csv(m, o), minutes_odt(m, o)};
}

// 2026-11-26 14:05 in Paris (UTC+1).
constexpr std::int64_t thursday_1405 = 1'795'698'300'000;

}  // namespace

TEST_CASE("an export written before the bin, action plans and time zones still imports") {
    // Such a file's state has none of their keys; every key it has matches.
    json j = fixture_json();
    for (const auto* key : {"deleted_notes", "deleted_themes", "actions", "scribe_attendance"}) {
        j["state"].erase(key);
    }
    j["state"]["settings"].erase("time_zone");
    for (auto& s : j["log"]) s["op"].erase("time_zone");
    auto log = read_session_export(j);
    REQUIRE(log.ok());
    CHECK(log->size() == j.at("log").size());
    // But a key it has must still match.
    j["state"]["locked"] = true;
    CHECK_FALSE(read_session_export(j).ok());
}

TEST_CASE("the fixture is a session export whose log folds into its state") {
    const json j = fixture_json();
    auto log = read_session_export(j);
    REQUIRE(log.ok());
    CHECK(log->size() == j.at("log").size());
    const board b = fold(*log);
    CHECK(serialize(b) == j.at("state").dump());
    // The fixture is what the project promises: a real workshop.
    CHECK(b.phase == phase::closed);
    CHECK(b.themes.size() == 4);
    CHECK(b.notes.size() == 24);
    CHECK_FALSE(b.settings.anonymous);
}

TEST_CASE("golden files: the minutes of the fixture, in every format") {
    const auto s = fixture();
    const minutes m = build_minutes(s.state, s.log);
    check_golden("minutes.fr.md", minutes_markdown(m, fr_options()));
    check_golden("minutes.fr.html", minutes_html(m, fr_options()));
    check_golden("minutes.fr.csv", minutes_csv(m, fr_options()));
    check_golden("minutes.en.md", minutes_markdown(m, en_options()));
    check_golden("minutes.fr.odt-content.xml", minutes_odt(m, fr_options()).content_xml);
    check_golden("export.json", session_export(s.state, s.log).dump(2) + "\n");
}

TEST_CASE("the minutes model says what happened in the fixture") {
    const auto s = fixture();
    const minutes m = build_minutes(s.state, s.log);

    SECTION("the meeting runs from the first arrival to the closing") {
        // Created at 13:41, first participant at 13:58:05, closed at 15:34:10;
        // a synthesis finished at 17:20 does not stretch the meeting.
        const auto& o = fr_options();
        CHECK(format_clock(m.start_time, o) == "13\u00A0h\u00A058");
        CHECK(format_clock(m.end_time, o) == "15\u00A0h\u00A034");
        CHECK(format_duration(m.end_time - m.start_time, o) == "1\u00A0h\u00A036\u00A0min");
        CHECK(format_date(m.start_time, o) == "jeudi 26 novembre 2026");
        CHECK(s.state.updated_time - m.end_time > 3'600'000);
    }
    SECTION("phases: each lasts until the next change, the closing is last") {
        std::vector<phase> order;
        for (const auto& p : m.phases) order.push_back(p.phase);
        CHECK(order == std::vector<phase>{phase::writing, phase::reveal, phase::clustering,
                                          phase::voting, phase::synthesis, phase::closed});
        CHECK(m.phases.front().start == m.start_time);
        for (std::size_t i = 0; i + 1 < m.phases.size(); ++i) {
            CHECK(m.phases[i].end == m.phases[i + 1].start);
        }
        CHECK(m.phases.back().start == m.end_time);
    }
    SECTION("attendance counts participants, not the facilitator") {
        CHECK(m.participant_count == 9);
        const std::vector<profile_count> expected = {
            {profile::habitant, 3},    {profile::agent, 1}, {profile::association, 2},
            {profile::institution, 1}, {profile::elu, 1},   {std::nullopt, 1}};
        CHECK(m.attendance == expected);
        REQUIRE(m.participants.size() == 9);
        CHECK(m.participants[0].name == "Josiane");
        CHECK(m.participants[1].name.empty());
        CHECK(m.participants[2].name == "Mohamed B.");  // renamed during the session
        REQUIRE(m.facilitators.size() == 1);
        CHECK(m.facilitators[0].name == "Nadia");
    }
    SECTION("themes rank by their dots and their notes' dots, ties by creation") {
        REQUIRE(m.themes.size() == 4);
        CHECK(m.themes[0].title == "Repérer les personnes seules");
        CHECK(m.themes[0].score == 14);
        // 11 each: the theme created first comes first.
        CHECK(m.themes[1].title == "Se retrouver, créer du lien");
        CHECK(m.themes[1].score == 11);
        CHECK(m.themes[2].title == "Se déplacer dans le quartier");
        CHECK(m.themes[2].score == 11);
        CHECK(m.themes[2].own_votes == 1);
        CHECK(m.themes[3].score == 7);
        for (const auto& t : m.themes) {
            CHECK_FALSE(t.synthesis.empty());
            CHECK(std::is_sorted(t.notes.begin(), t.notes.end(), [](const auto& a, const auto& b) {
                return a.votes > b.votes || (a.votes == b.votes && a.created_seq < b.created_seq);
            }));
        }
    }
    SECTION("a merged idea counts its wordings and the profiles behind them") {
        const auto& moving = m.themes[2];
        const auto minibus = std::find_if(
            moving.notes.begin(), moving.notes.end(),
            [](const auto& n) { return n.text.rfind("Le minibus solidaire", 0) == 0; });
        REQUIRE(minibus != moving.notes.end());
        CHECK(minibus->written == 3);
        CHECK(minibus->votes == 4);
        CHECK(minibus->other_wordings ==
              std::vector<std::string>{"Un minibus pour le marché",
                                       "Un minibus pour faire les courses"});
        // The third wording was written by the facilitator (an agent) for a
        // resident: the log keeps the profile the merge dropped.
        CHECK(minibus->profiles == std::vector<profile_count>{{profile::habitant, 3}});
    }
    SECTION("regards croisés of a theme add up its wordings per profile") {
        const auto& link = m.themes[1];
        std::uint32_t wordings = 0;
        for (const auto& n : link.notes) wordings += n.written;
        std::uint32_t counted = 0;
        for (const auto& p : link.profiles) counted += p.count;
        CHECK(counted == wordings);
        // Residents: Josiane's café, and the knitting workshop the
        // facilitator (an agent) wrote for a resident; the agent is Claire,
        // whose duplicate of the café was merged; nobody's profile is the
        // facilitator's own.
        const std::vector<profile_count> expected = {{profile::habitant, 2},
                                                     {profile::agent, 1},
                                                     {profile::association, 2},
                                                     {std::nullopt, 1}};
        CHECK(link.profiles == expected);
    }
    SECTION("top ideas: most dots first, ties by creation order") {
        const auto top = top_ideas(m, fr_options());
        REQUIRE(top.size() == 5);
        CHECK(top[0].text == "Un café des aidants au centre social, un samedi par mois");
        CHECK(top[0].votes == 6);
        CHECK(top[1].votes == 5);
        CHECK(top[2].votes == 4);
        CHECK(top[3].votes == 3);
        CHECK(top[4].votes == 3);
        CHECK(top[3].created_seq < top[4].created_seq);
        auto fewer = fr_options();
        fewer.top_ideas = 2;
        CHECK(top_ideas(m, fewer).size() == 2);
    }
    SECTION("ideas outside any theme, and the totals") {
        REQUIRE(m.ungrouped.size() == 2);
        CHECK(m.ungrouped[0].text == "Penser aussi aux aidants qui s'épuisent");
        CHECK(m.ranked_notes.size() == 24);
        CHECK(m.ideas_written == 28);  // 29 notes written, one deleted
        CHECK(m.votes_cast == 45);     // 9 participants × 5 dots
    }
}

TEST_CASE("the same inputs give the same bytes") {
    const auto s = fixture();
    const auto a = render_all(build_minutes(s.state, s.log), fr_options());
    const auto b = render_all(build_minutes(s.state, s.log), fr_options());
    CHECK(a.md == b.md);
    CHECK(a.html == b.html);
    CHECK(a.csv == b.csv);
    CHECK(a.odt.content_xml == b.odt.content_xml);
    CHECK(a.odt.styles_xml == b.odt.styles_xml);
    CHECK(a.odt.meta_xml == b.odt.meta_xml);
    CHECK(a.odt.manifest_xml == b.odt.manifest_xml);
}

TEST_CASE("names appear only when the session is not anonymous, ids never") {
    auto s = fixture();
    const std::vector<std::string> names = {"Josiane", "Mohamed", "Claire", "Bernard", "Aïcha",
                                            "Sophie",  "Gérard",  "Lucas",  "Nadia"};
    std::vector<std::string> ids = {"f1"};
    for (const auto& [id, p] : s.state.participants) {
        if (id != "f1") ids.push_back(id);
    }
    REQUIRE(ids.size() == 10);

    SECTION("named session") {
        const auto out = render_all(build_minutes(s.state, s.log), fr_options());
        for (const auto* format : {&out.md, &out.html, &out.odt.content_xml}) {
            for (const auto& name : names) CHECK(contains(*format, name));
            CHECK(contains(*format, "Participant·e sans nom"));
            CHECK(contains(*format, "Gérard Lefèvre (Élu·e)"));
        }
        for (const auto& id : ids) CHECK_FALSE(mentions_id(out.all(), id));
    }
    SECTION("anonymous session") {
        append(s, "f1",
               ops::settings_set{std::nullopt, std::nullopt, std::nullopt, true, std::nullopt,
                                 std::nullopt, std::nullopt, std::nullopt, std::nullopt});
        const minutes m = build_minutes(s.state, s.log);
        CHECK(m.participants.empty());
        // Those who ran the meeting are named; those who gave ideas are not.
        REQUIRE(m.facilitators.size() == 1);
        CHECK(m.facilitators[0].name == "Nadia");
        CHECK_FALSE(m.facilitators[0].profile);
        CHECK(m.participant_count == 9);
        for (const auto& o : {fr_options(), en_options()}) {
            const auto out = render_all(m, o);
            for (const auto& name : names) {
                if (name != "Nadia") CHECK_FALSE(contains(out.all(), name));
            }
            CHECK(contains(out.md, "Nadia"));
            for (const auto& id : ids) CHECK_FALSE(mentions_id(out.all(), id));
        }
        const auto out = render_all(m, fr_options());
        CHECK(contains(out.md, "Séance anonyme"));
        CHECK_FALSE(contains(out.md, "sans nom"));
    }
}

TEST_CASE("every label comes from the catalogs, in both languages") {
    const auto s = fixture();
    auto m = build_minutes(s.state, s.log);
    // Every branch of the layout: no themes, no votes, nobody, anonymity.
    minutes empty;
    empty.anonymous = false;
    minutes anonymous = m;
    anonymous.anonymous = true;
    anonymous.participants.clear();
    anonymous.facilitators.clear();
    for (const auto* model : {&m, &empty, &anonymous}) {
        for (const auto& o : {fr_options(), en_options()}) {
            const auto out = render_all(*model, o);
            INFO(o.lang);
            CHECK_FALSE(mentions_key(out.all()));
        }
    }
    // Without a catalog the keys show, so a missing one is noticed.
    minutes_options bare;
    CHECK(contains(minutes_markdown(m, bare), "minutes.section.themes"));
    // Both catalogs have the same minutes keys.
    std::vector<std::string> fr_keys, en_keys;
    for (const auto& [k, v] : french()) {
        if (k.rfind("minutes.", 0) == 0) fr_keys.push_back(k);
    }
    for (const auto& [k, v] : english()) {
        if (k.rfind("minutes.", 0) == 0) en_keys.push_back(k);
    }
    CHECK(fr_keys == en_keys);
    CHECK(fr_keys.size() > 50);
}

TEST_CASE("plurals follow the language: French 0 and 1 are singular") {
    minutes m;
    m.participant_count = 1;
    m.votes_cast = 0;
    m.vote_budget = 3;
    const auto fr = minutes_markdown(m, fr_options());
    CHECK(contains(fr, "1 participant·e\n"));
    CHECK(contains(fr, "0 gommette posée"));
    const auto en = minutes_markdown(m, en_options());
    CHECK(contains(en, "1 participant\n"));
    CHECK(contains(en, "0 dots placed"));
    m.votes_cast = 12'345;
    CHECK(contains(minutes_markdown(m, fr_options()), "12\u202F345 gommettes posées"));
    CHECK(contains(minutes_markdown(m, en_options()), "12,345 dots placed"));
}

TEST_CASE("calendar: dates, times and durations without a time zone database") {
    const auto fr = fr_options();
    const auto en = en_options();
    CHECK(format_date(thursday_1405, fr) == "jeudi 26 novembre 2026");
    CHECK(format_date(thursday_1405, en) == "Thursday 26 November 2026");
    CHECK(format_clock(thursday_1405, fr) == "14\u00A0h\u00A005");
    CHECK(format_clock(thursday_1405, en) == "14:05");
    CHECK(iso_date(thursday_1405, 60) == "2026-11-26");

    // The first of the month is "1er" in French.
    const std::int64_t december_first = thursday_1405 + 5 * 86'400'000LL;
    CHECK(format_date(december_first, fr) == "mardi 1er décembre 2026");
    CHECK(format_date(december_first, en) == "Tuesday 1 December 2026");
    // Leap day, the epoch, and before it.
    CHECK(format_date(1'835'438'400'000, fr) == "mardi 29 février 2028");
    CHECK(format_date(0, minutes_options{nullptr, "fr", 0, 5, ""}) == "jeudi 1er janvier 1970");
    CHECK(format_date(-1, minutes_options{nullptr, "fr", 0, 5, ""}) == "mercredi 31 décembre 1969");
    CHECK(format_clock(-1, minutes_options{nullptr, "en", 0, 5, ""}) == "23:59");
    CHECK(format_date(951'782'400'000, minutes_options{nullptr, "en", 0, 5, ""}) ==
          "Tuesday 29 February 2000");
    // The offset moves the day: 23:30 UTC is 00:30 in Paris in winter, 01:30 in summer.
    const std::int64_t late = 1'795'649'400'000;  // 2026-11-25 23:30 UTC
    CHECK(format_date(late, minutes_options{nullptr, "fr", 0, 5, ""}) == "mercredi 25 novembre 2026");
    CHECK(format_date(late, fr) == "jeudi 26 novembre 2026");
    CHECK(format_clock(late, fr) == "0\u00A0h\u00A030");
    CHECK(format_clock(late, minutes_options{nullptr, "fr", 120, 5, ""}) == "1\u00A0h\u00A030");
    const local_time t = to_local(late, 60);
    CHECK(t.year == 2026);
    CHECK(t.month == 11);
    CHECK(t.day == 26);
    CHECK(t.weekday == 4);
    CHECK(t.hour == 0);
    CHECK(t.minute == 30);

    CHECK(format_duration(0, fr) == "0\u00A0min");
    CHECK(format_duration(20'000, fr) == "<\u00A01\u00A0min");
    CHECK(format_duration(45 * 60'000, fr) == "45\u00A0min");
    CHECK(format_duration(85 * 60'000 + 10'000, fr) == "1\u00A0h\u00A025\u00A0min");
    CHECK(format_duration(120 * 60'000, en) == "2\u00A0h");
    CHECK(format_duration(59 * 60'000 + 30'000, fr) == "1\u00A0h");  // rounded to the minute
    CHECK(format_duration(-5'000, fr) == "0\u00A0min");
    // Hostile times are clamped, not overflowed.
    CHECK_NOTHROW(format_date(std::numeric_limits<std::int64_t>::max(), fr));
    CHECK_NOTHROW(format_date(std::numeric_limits<std::int64_t>::min(), fr));
    CHECK_NOTHROW(format_duration(std::numeric_limits<std::int64_t>::max(), fr));
}

namespace {

// Minutes made by hand, with texts chosen to break each format.
minutes hostile_minutes() {
    minutes m;
    m.title = "<Atelier> & \"réunion\"";
    m.question = "Que faire ?\n<script>alert('x')</script>";
    m.anonymous = false;
    m.participants = {{"Zoé <b>", profile::habitant}};
    // Times no session has: rendering must neither overflow nor throw.
    m.start_time = std::numeric_limits<std::int64_t>::min();
    m.end_time = std::numeric_limits<std::int64_t>::max();
    m.phases = {{phase::writing, m.start_time, m.end_time}};
    minutes_note a;
    a.text = "=SOMME(A1:A9)";
    a.votes = 3;
    minutes_note b;
    b.text = "+33 6 12 34 56 78";
    minutes_note c;
    c.text = "-Plus de bancs";
    minutes_note d;
    d.text = "@moi";
    minutes_note e;
    e.text = "\tavec une\ttabulation";
    minutes_note f;
    f.text = "\rretour chariot";
    minutes_note g;
    g.text = "Le \"bonjour\" du facteur ; ça compte";
    g.other_wordings = {"sur deux\nlignes", "*gras* [lien](http://x) <i>"};
    g.written = 3;
    minutes_note h;
    h.text = "# pas un titre\n1. pas une liste\n> pas une citation & | tableau";
    minutes_theme t;
    t.title = "Thème = 1 ; \"quoté\"";
    t.synthesis = "Ligne 1 <u>\n\n- Piste\u00A0: *rien*";
    t.notes = {a, b, c, d, e, f, g, h};
    m.themes = {t};
    m.ranked_notes = t.notes;
    return m;
}

}  // namespace

TEST_CASE("CSV: BOM, semicolons, CRLF, quoting, and no formula can run") {
    const std::string csv = minutes_csv(hostile_minutes(), fr_options());
    const csv_file f = parse_csv(csv);
    CHECK(f.bom);
    CHECK(f.crlf);
    REQUIRE(f.rows.size() == 9);
    for (const auto& row : f.rows) CHECK(row.size() == 10);
    CHECK(f.rows[0][0] == "Thème");
    CHECK(f.rows[0][2] == "Idée");
    // Every cell that a spreadsheet would evaluate starts with an apostrophe.
    CHECK(f.rows[1][2] == "'=SOMME(A1:A9)");
    CHECK(f.rows[2][2] == "'+33 6 12 34 56 78");
    CHECK(f.rows[3][2] == "'-Plus de bancs");
    CHECK(f.rows[4][2] == "'@moi");
    CHECK(f.rows[5][2] == "'\tavec une\ttabulation");
    CHECK(f.rows[6][2] == "'\rretour chariot");
    // Quotes, separators and line breaks survive inside quoted cells.
    CHECK(f.rows[7][2] == "Le \"bonjour\" du facteur ; ça compte");
    CHECK(f.rows[7][4] == "3");
    CHECK(f.rows[7][6] == "sur deux\nlignes\n*gras* [lien](http://x) <i>");
    CHECK(f.rows[1][0] == "Thème = 1 ; \"quoté\"");
    CHECK(f.rows[1][3] == "3");
    CHECK(contains(csv, "\"Le \"\"bonjour\"\" du facteur ; ça compte\""));
    // No cell in the file starts with a formula character.
    for (const auto& row : f.rows) {
        for (const auto& cell : row) {
            if (!cell.empty())
                CHECK(std::string("=+-@\t\r").find(cell.front()) == std::string::npos);
        }
    }
}

TEST_CASE("HTML and Markdown escape everything people wrote") {
    const minutes m = hostile_minutes();
    const std::string html = minutes_html(m, fr_options());
    CHECK(xml_problem(html, true).empty());
    CHECK(html.rfind("<!DOCTYPE html>\n<html lang=\"fr\">", 0) == 0);
    CHECK_FALSE(contains(html, "<script"));
    CHECK_FALSE(contains(html, "<b>"));
    CHECK_FALSE(contains(html, "<i>"));
    CHECK_FALSE(contains(html, "<u>"));
    CHECK(contains(html, "&lt;script&gt;alert('x')&lt;/script&gt;"));
    CHECK(
        contains(html, "content=\"Que faire ? &lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt;\""));
    CHECK(contains(html, "<title>Compte-rendu — &lt;Atelier&gt; &amp; \"réunion\"</title>"));
    CHECK(contains(html, "@media print"));
    CHECK(contains(html, "@page"));
    auto en = en_options();
    en.lang = "en\" onload=\"x";
    CHECK(contains(minutes_html(m, en), "<html lang=\"enonloadx\">"));

    const std::string md = minutes_markdown(m, fr_options());
    // Only what would turn into markup is escaped, so the file reads as text.
    CHECK(contains(md, "# \\<Atelier> & \"réunion\"\n"));
    CHECK(contains(md, "\\*gras\\* \\[lien](http://x) \\<i>"));
    CHECK(contains(
        md, "\\# pas un titre  \n   1\\. pas une liste  \n   \\> pas une citation & | tableau"));
    CHECK(contains(md, "1. =SOMME(A1:A9)"));
    CHECK(contains(md, "> Ligne 1 \\<u>\n>\n> \\- Piste\u00A0: \\*rien\\*\n"));
    // No tag can open: every "<" before a letter is escaped.
    for (auto at = md.find('<'); at != std::string::npos; at = md.find('<', at + 1)) {
        const char next = at + 1 < md.size() ? md[at + 1] : ' ';
        if (std::isalpha(static_cast<unsigned char>(next)) || next == '/') {
            CHECK(at > 0);
            CHECK(md[at - 1] == '\\');
        }
    }
    // No trailing backslash as a line break, no "\=" nor "\<" where nothing needs it.
    CHECK_FALSE(contains(md, "\\\n"));
    CHECK_FALSE(contains(md, "\\="));
}

TEST_CASE("ODT parts are well-formed XML with escaped text") {
    const auto s = fixture();
    for (const auto& m : {build_minutes(s.state, s.log), hostile_minutes(), minutes{}}) {
        for (const auto& o : {fr_options(), en_options()}) {
            const odt_parts p = minutes_odt(m, o);
            CHECK(p.mimetype == "application/vnd.oasis.opendocument.text");
            CHECK(xml_problem(p.content_xml) == "");
            CHECK(xml_problem(p.styles_xml) == "");
            CHECK(xml_problem(p.meta_xml) == "");
            CHECK(xml_problem(p.manifest_xml) == "");
            CHECK(contains(p.manifest_xml, "manifest:full-path=\"content.xml\""));
            CHECK(contains(p.meta_xml, "<meta:generator>Ruche</meta:generator>"));
        }
    }
    const odt_parts p = minutes_odt(hostile_minutes(), fr_options());
    CHECK(contains(p.content_xml, "&lt;script&gt;"));
    CHECK(contains(p.content_xml, ">avec une<text:tab/>tabulation"));
    CHECK(
        contains(p.meta_xml,
                 "<dc:title>Compte-rendu — &lt;Atelier&gt; &amp; &quot;réunion&quot;</dc:title>"));
    // The synthesis paragraphs and line breaks are kept.
    CHECK(contains(
        p.content_xml,
        "Ligne 1 &lt;u&gt;</text:p>\n<text:p text:style-name=\"Ruche_20_Synthesis\">- Piste"));
    CHECK(contains(p.content_xml, "sur deux<text:line-break/>lignes"));
    const auto fixture_odt = minutes_odt(build_minutes(s.state, s.log), fr_options());
    CHECK(contains(fixture_odt.meta_xml,
                   "<meta:creation-date>2026-11-26T13:58:05</meta:creation-date>"));
    CHECK(contains(fixture_odt.styles_xml, "fo:language=\"fr\" fo:country=\"FR\""));
}

TEST_CASE("export and import: the same bytes back, and tampering is refused") {
    const json original = fixture_json();
    auto log = read_session_export(original);
    REQUIRE(log.ok());
    const board b = fold(*log);
    const json again = session_export(b, *log);
    CHECK(again.dump() == original.dump());
    auto log2 = read_session_export(again);
    REQUIRE(log2.ok());
    CHECK(session_export(fold(*log2), *log2).dump() == again.dump());

    // Read as JSON and streamed from text, the same verdict.
    const auto refused = [](const json& j, errc code, std::string_view detail_part = {}) {
        for (const bool streamed : {false, true}) {
            auto r = streamed ? parse_session_export(j.dump()) : read_session_export(j);
            INFO("streamed " << streamed);
            REQUIRE_FALSE(r.ok());
            CHECK(code_name(r.error().code) == code_name(code));
            INFO(r.error().message());
            CHECK(contains(r.error().detail, detail_part));
        }
    };
    SECTION("a note's text changed in the state") {
        json j = original;
        j["state"]["notes"]["n1"]["text"] =
            "Un café des aidants au centre social, tous les samedis";
        refused(j, errc::wrong_type, "state does not match");
    }
    SECTION("an op removed from the middle of the log") {
        json j = original;
        j["log"].erase(j["log"].begin() + 40);
        refused(j, errc::out_of_order, "log[40]");
    }
    SECTION("the last op removed") {
        json j = original;
        j["log"].erase(j["log"].end() - 1);
        refused(j, errc::wrong_type, "state does not match");
    }
    SECTION("an op the board refuses") {
        json j = original;
        j["log"][60]["by"] = "p42";
        refused(j, errc::unknown_participant, "log[60]");
    }
    SECTION("an op that does not decode") {
        json j = original;
        j["log"][3]["op"]["colour"] = "red";
        refused(j, errc::unknown_field, "log[3]: colour");
    }
    SECTION("format, version and shape") {
        json j = original;
        j["format"] = "trello";
        refused(j, errc::wrong_type, "format");
        j = original;
        j["version"] = 2;
        refused(j, errc::out_of_range, "version");
        j = original;
        j["version"] = "1";
        refused(j, errc::wrong_type, "version");
        j = original;
        j["extra"] = true;
        refused(j, errc::unknown_field, "extra");
        j = original;
        j.erase("state");
        refused(j, errc::missing_field, "state");
        j = original;
        j["log"] = json::object();
        refused(j, errc::wrong_type, "log");
        refused(json::array(), errc::not_object);
    }
    SECTION("an empty session exports and imports") {
        const json empty = session_export(board{}, {});
        auto r = read_session_export(empty);
        REQUIRE(r.ok());
        CHECK(r->empty());
    }
}

TEST_CASE("an import streamed from its text: the same ops, and bounded") {
    const json original = fixture_json();
    const std::string text = original.dump();
    auto streamed = parse_session_export(text);
    REQUIRE(streamed.ok());
    auto whole = read_session_export(original);
    REQUIRE(whole.ok());
    CHECK(*streamed == *whole);
    const auto refused = [](const std::string& t, const export_limits& limits, errc code,
                            std::string_view detail_part) {
        auto r = parse_session_export(t, limits);
        REQUIRE_FALSE(r.ok());
        INFO(r.error().message());
        CHECK(code_name(r.error().code) == code_name(code));
        CHECK(contains(r.error().detail, detail_part));
    };
    SECTION("too many ops") {
        refused(text, {.max_ops = 10}, errc::too_long, "more than 10 ops");
        CHECK(parse_session_export(text, {.max_ops = whole->size()}).ok());
    }
    SECTION("too many notes, counting the bin") {
        refused(text, {.max_notes = 3}, errc::too_long, "more than 3 notes");
    }
    SECTION("nested too deep, before anything is parsed") {
        json j = original;
        json deep = json::array();
        for (int i = 0; i < 40; ++i) deep = json::array({deep});
        j["state"]["deep"] = deep;
        refused(j.dump(), {}, errc::too_long, "32 levels");
        // Brackets inside strings are text, not nesting.
        json text_brackets = original;
        text_brackets["log"][3]["op"]["text"] = std::string(100, '[');
        auto r = parse_session_export(text_brackets.dump());
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code != errc::too_long);
    }
    SECTION("not JSON, or the log given twice") {
        refused(text.substr(0, text.size() / 2), {}, errc::not_json, "not JSON");
        const std::string twice = "{\"log\":[]," + text.substr(1);
        refused(twice, {}, errc::wrong_type, "log appears twice");
    }
}

TEST_CASE("random sessions: every format renders, deterministically and well-formed") {
    for (std::uint32_t seed = 1; seed <= 12; ++seed) {
        board b;
        const auto log = ruche::testing::generate_log(seed, 400, b);
        const minutes m = build_minutes(b, log);
        INFO("seed " << seed);
        CHECK(m == build_minutes(b, log));
        for (const auto& o : {fr_options(), en_options()}) {
            const auto out = render_all(m, o);
            CHECK(xml_problem(out.html, true) == "");
            CHECK(xml_problem(out.odt.content_xml) == "");
            CHECK(xml_problem(out.odt.meta_xml) == "");
            CHECK(parse_csv(out.csv).crlf);
            CHECK(out.md == minutes_markdown(m, o));
        }
        // The phases cover the meeting without overlapping.
        for (std::size_t i = 0; i + 1 < m.phases.size(); ++i) {
            CHECK(m.phases[i].end <= m.phases[i + 1].start);
            CHECK(m.phases[i].start <= m.phases[i].end);
        }
        std::uint32_t votes = 0;
        for (const auto& t : m.themes) votes += t.score;
        for (const auto& n : m.ungrouped) votes += n.votes;
        CHECK(votes == m.votes_cast);
        const auto exported = session_export(b, log);
        auto back = read_session_export(exported);
        REQUIRE(back.ok());
        CHECK(*back == log);
    }
}

TEST_CASE("an empty board still has minutes") {
    const minutes m = build_minutes(board{}, {});
    CHECK(m.themes.empty());
    CHECK(m.phases.size() == 1);
    const auto md = minutes_markdown(m, fr_options());
    CHECK(contains(md, "# Atelier sans titre\n"));
    CHECK(contains(md, "Aucun thème n'a été créé."));
    CHECK(contains(md, "Aucune gommette n'a été posée."));
    CHECK(contains(md, "Aucun·e participant·e ne s'est connecté·e."));
}

TEST_CASE("people without a phone count in attendance; every facilitator is named") {
    auto s = fixture();
    const auto before = build_minutes(s.state, s.log);
    append(s, "server", ops::participant_join{"f2", role::facilitator, "Karim", std::nullopt});
    append(s, "f1", ops::attendance_set{profile::elu, 1});
    append(s, "f1", ops::attendance_set{profile::habitant, 2});
    const auto m = build_minutes(s.state, s.log);
    CHECK(m.participant_count == before.participant_count + 3);
    CHECK(m.without_phone == 3);
    const auto count_of = [](const minutes& x, profile p) {
        for (const auto& c : x.attendance) {
            if (c.profile == p) return c.count;
        }
        return 0u;
    };
    CHECK(count_of(m, profile::elu) == count_of(before, profile::elu) + 1);
    CHECK(count_of(m, profile::habitant) == count_of(before, profile::habitant) + 2);
    REQUIRE(m.facilitators.size() == 2);
    CHECK(m.facilitators[0].name == "Nadia");
    CHECK(m.facilitators[1].name == "Karim");
    for (const auto& o : {fr_options(), en_options()}) {
        const auto out = render_all(m, o);
        for (const auto* format : {&out.md, &out.html, &out.odt.content_xml}) {
            CHECK(contains(*format, "Nadia, Karim"));
        }
    }
    CHECK(contains(minutes_markdown(m, fr_options()), "dont 3 sans téléphone"));
    CHECK(contains(minutes_markdown(m, en_options()), "of whom 3 without a phone"));
}

TEST_CASE("each theme's action plan is in every format") {
    auto s = fixture();
    append(s, "f1", ops::action_add{"a900", "t1", "Ouvrir le café des aidants", "Centre social",
                                    "avril"});
    append(s, "f1", ops::action_add{"a901", "t1", "Trouver des bénévoles | relais", "", ""});
    const auto m = build_minutes(s.state, s.log);
    const auto& theme = *std::find_if(m.themes.begin(), m.themes.end(), [](const auto& t) {
        return t.title == "Se retrouver, créer du lien";
    });
    REQUIRE(theme.actions.size() == 2);
    CHECK(theme.actions[0] == minutes_action{"Ouvrir le café des aidants", "Centre social", "avril"});
    const auto out = render_all(m, fr_options());
    for (const auto* format : {&out.md, &out.html, &out.odt.content_xml, &out.csv}) {
        CHECK(contains(*format, "Ouvrir le café des aidants"));
        CHECK(contains(*format, "Centre social"));
    }
    CHECK(contains(out.md, "**Plan d'action**"));
    CHECK(contains(out.md, "| Ouvrir le café des aidants | Centre social | avril |"));
    CHECK(contains(out.md, "| Trouver des bénévoles \\| relais |"));
    CHECK(contains(out.csv, ";;;;;;Ouvrir le café des aidants;Centre social;avril\r\n"));
    CHECK(contains(minutes_markdown(m, en_options()), "**Action plan**"));
}

TEST_CASE("an action of a deleted theme, and deleted notes, stay out of the minutes") {
    auto s = fixture();
    append(s, "f1", ops::action_add{"a900", "t1", "Une action du thème", "", ""});
    append(s, "f1", ops::phase_set{phase::synthesis});
    append(s, "f1", ops::theme_delete{"t1"});
    const auto m = build_minutes(s.state, s.log);
    const auto out = render_all(m, fr_options());
    CHECK_FALSE(contains(out.all(), "Une action du thème"));
    CHECK_FALSE(contains(out.all(), "Se retrouver, créer du lien"));
    // The fixture deleted a note written as a test: it is in the bin, not in the minutes.
    REQUIRE(s.state.deleted_notes.count("n12"));
    for (const auto& n : m.ranked_notes) CHECK(n.text != "test");
}

TEST_CASE("an anonymous session's minutes tie no idea to a profile fewer than 3 people had") {
    auto s = fixture();
    append(s, "f1", ops::settings_set{std::nullopt, std::nullopt, std::nullopt, true, std::nullopt,
                                      std::nullopt, std::nullopt, std::nullopt, std::nullopt});
    const auto m = build_minutes(s.state, s.log);
    const auto head = profile_headcount(s.state);
    std::set<profile> small;
    for (const auto& [p, n] : head) {
        if (n < default_anonymity_threshold) small.insert(p);
    }
    REQUIRE_FALSE(small.empty());  // the fixture has a single élu, among others
    for (const auto* list : {&m.ranked_notes, &m.ungrouped}) {
        for (const auto& n : *list) {
            for (const auto& c : n.profiles) CHECK_FALSE((c.profile && small.count(*c.profile)));
        }
    }
    for (const auto& t : m.themes) {
        for (const auto& n : t.notes) {
            for (const auto& c : n.profiles) CHECK_FALSE((c.profile && small.count(*c.profile)));
        }
    }
    const auto csv = minutes_csv(m, fr_options());
    CHECK_FALSE(contains(csv, "Élu·e ("));
    // The themes' "regards croisés" still count every wording.
    CHECK(contains(minutes_markdown(m, fr_options()), "Élu·e (1)"));
    // With a threshold of 1 nothing is hidden; the same session named, neither.
    CHECK(contains(minutes_csv(build_minutes(s.state, s.log, 1), fr_options()), "Élu·e ("));
    const auto named = fixture();
    CHECK(contains(minutes_csv(build_minutes(named.state, named.log), fr_options()), "Élu·e ("));

    // The log that leaves the server: no participant's name, no small profile.
    const auto shared = anonymized_log(s.state, s.log, default_anonymity_threshold);
    REQUIRE(shared.size() == s.log.size());
    const board shown = fold(shared);
    for (const auto& [id, p] : shown.participants) {
        if (p.role == role::participant) CHECK(p.name.empty());
        if (p.profile) CHECK_FALSE(small.count(*p.profile));
    }
    CHECK(shown.participants.at("f1").name == "Nadia");
    CHECK(shown.notes.size() == s.state.notes.size());
    CHECK(anonymized_log(named.state, named.log, 3) == named.log);
}

TEST_CASE("durations agree with the clock times beside them, and the time zone is named") {
    minutes m;
    m.title = "Durées";
    m.start_time = thursday_1405 + 50'000;                            // 14:05:50
    m.end_time = thursday_1405 + 87 * 60'000 + 10'000;                // 15:32:10
    m.phases = {{phase::writing, m.start_time, thursday_1405 + 30 * 60'000 + 5'000},   // 14:35:05
                {phase::voting, thursday_1405 + 30 * 60'000 + 5'000, m.end_time}};
    auto o = fr_options();
    o.time_zone = "Europe/Paris";
    const auto md = minutes_markdown(m, o);
    // 14 h 05 to 15 h 32 is 1 h 27 min, whatever the seconds; the phases add up.
    CHECK(contains(md, "de 14\u00A0h\u00A005 à 15\u00A0h\u00A032 (1\u00A0h\u00A027\u00A0min)"));
    CHECK(contains(md, "| 14\u00A0h\u00A005 | 30\u00A0min |"));
    CHECK(contains(md, "| 14\u00A0h\u00A035 | 57\u00A0min |"));
    CHECK(contains(md, "**Fuseau horaire :** Europe/Paris"));
    // Within one minute it is less than a minute, not nothing.
    m.end_time = m.start_time + 5'000;
    m.phases.clear();
    CHECK(contains(minutes_markdown(m, o), "(<\u00A01\u00A0min)"));
}

TEST_CASE("Markdown reads as plain text: only what would become markup is escaped") {
    minutes m;
    m.title = "Budget = 3 < 5 € & co, l'été (1) !";
    m.question = "- pas une liste\n2026. pas un numéro non plus ?";
    const auto md = minutes_markdown(m, fr_options());
    INFO(md);
    CHECK(contains(md, "# Budget = 3 < 5 € & co, l'été (1) !\n"));
    // Mid-line, "- " is text; at the start of a line, "2026. " would be a list.
    CHECK(contains(md, "**Question :** - pas une liste  \n2026\\. pas un numéro non plus ?"));
}

// Walks ("diagnostics en marchant")

namespace {

session walk_session() {
    session s;
    s.state.updated_time = 1'796'000'000'000;
    ops::settings_set settings;
    settings.title = "Diagnostic en marchant, quartier des Tilleuls";
    settings.anonymous = false;
    settings.categories = std::vector<std::string>{"Atout", "Difficulté", "Proposition"};
    append(s, "server", settings);
    append(s, "server", ops::participant_join{"f1", role::facilitator, "Nadia", std::nullopt});
    append(s, "server", ops::participant_join{"p1", role::participant, "Josiane", profile::habitant});
    append(s, "server", ops::phase_set{phase::reveal});
    append(s, "f1", ops::stop_add{"s1", "Place du marché", "Le trottoir permet-il de passer avec une poussette ?",
                                  geo_point{4885661, 235222, 0}});
    append(s, "f1", ops::stop_add{"s2", "École Jean-Moulin", "", std::nullopt});
    append(s, "f1", ops::stop_add{"s3", "Parc", "", std::nullopt});
    const auto note = [&](const char* id, const char* text, std::optional<std::string> stop,
                          std::optional<std::uint32_t> category, std::optional<geo_point> at) {
        ops::note_add o{id, text, color::yellow, {0, 0}, std::nullopt};
        o.stop = std::move(stop);
        o.category = category;
        o.location = at;
        append(s, "p1", o);
    };
    note("n1", "Trottoir trop étroit", std::string("s1"), 1u, geo_point{4885702, -235301, 8});
    note("n2", "Un marché vivant", std::string("s1"), 0u, std::nullopt);
    note("n3", "Passage piéton effacé", std::string("s2"), 1u, std::nullopt);
    note("n4", "Des bancs partout", std::nullopt, std::nullopt, std::nullopt);
    append(s, "f1", ops::phase_set{phase::closed});
    return s;
}

}  // namespace

TEST_CASE("a walk's minutes go stop by stop, with each stop's place and categories, then by category") {
    const auto s = walk_session();
    const minutes m = build_minutes(s.state, s.log);
    REQUIRE(m.stops.size() == 4);  // three stops, then the ideas written at none
    CHECK(m.stops[0].name == "Place du marché");
    CHECK(m.stops[0].category_counts == std::vector<std::uint32_t>{1, 1, 0});
    CHECK(m.stops[2].notes.empty());
    CHECK(m.stops[3].name.empty());
    CHECK(m.category_totals == std::vector<std::uint32_t>{1, 2, 0});
    CHECK(m.without_category == 1);

    const auto md = minutes_markdown(m, fr_options());
    INFO(md);
    for (const char* expected :
         {"Le parcours, arrêt par arrêt", "Arrêt 1 · Place du marché — 2 idées",
          "Le trottoir permet-il de passer avec une poussette ?", "48.85661, 2.35222",
          "https://www.openstreetmap.org/?mlat=48.85661&mlon=2.35222#map=18/48.85661/2.35222",
          "Atout (1), Difficulté (1)", "Arrêt 3 · Parc — 0 idée", "Aucune note à cet arrêt.",
          "Hors des arrêts — 1 idée", "Par catégorie", "Trottoir trop étroit — 0 gommette · Difficulté"}) {
        CHECK(contains(md, expected));
    }
    // The route's order is the order the stops were added.
    CHECK(md.find("Arrêt 1 · Place du marché") < md.find("Arrêt 2 · École Jean-Moulin"));
    CHECK(md.find("Arrêt 2 · École Jean-Moulin") < md.find("Arrêt 3 · Parc"));
    CHECK(contains(minutes_markdown(m, en_options()), "Stop 1 · Place du marché — 2 ideas"));
    CHECK(contains(minutes_html(m, fr_options()), "Le parcours, arrêt par arrêt"));

    // The table says where each idea was written: stop, category, position.
    const auto csv = parse_csv(minutes_csv(m, fr_options()));
    REQUIRE(csv.rows.size() == 5);
    CHECK(csv.rows[0].size() == 14);
    CHECK(csv.rows[0][10] == "Arrêt");
    CHECK(csv.rows[0][13] == "Longitude");
    for (const auto& row : csv.rows) CHECK(row.size() == 14);
    const auto trottoir = std::find_if(csv.rows.begin(), csv.rows.end(), [](const auto& r) { return r[2] == "Trottoir trop étroit"; });
    REQUIRE(trottoir != csv.rows.end());
    CHECK((*trottoir)[10] == "Place du marché");
    CHECK((*trottoir)[11] == "Difficulté");
    CHECK((*trottoir)[12] == "48.85702");
    CHECK((*trottoir)[13] == "-2.35301");
}

TEST_CASE("a brainstorm's minutes have no walk in them") {
    const auto s = fixture();
    const minutes m = build_minutes(s.state, s.log);
    CHECK(m.stops.empty());
    CHECK(m.categories.empty());
    CHECK_FALSE(contains(minutes_markdown(m, fr_options()), "Le parcours"));
    CHECK(parse_csv(minutes_csv(m, fr_options())).rows[0].size() == 10);
}

TEST_CASE("a walk as GeoJSON: its stops with a place, then its notes where their authors stood or at their stop") {
    auto s = walk_session();
    const json geo = walk_geojson(s.state);
    CHECK(geo["type"] == "FeatureCollection");
    // The stop with a place; n1 (its author's position) and n2 (its stop's
    // place); n3's stop has no place and n4 has no stop: not on the map.
    REQUIRE(geo["features"].size() == 3);
    const auto& stop = geo["features"][0];
    CHECK(stop["type"] == "Feature");
    CHECK(stop["geometry"] == json({{"type", "Point"}, {"coordinates", {2.35222, 48.85661}}}));
    CHECK(stop["properties"] == json({{"kind", "stop"},
                                      {"number", 1},
                                      {"stop", "Place du marché"},
                                      {"question", "Le trottoir permet-il de passer avec une poussette ?"}}));
    const auto& n1 = geo["features"][1];
    CHECK(n1["geometry"]["coordinates"] == json({-2.35301, 48.85702}));
    CHECK(n1["properties"]["text"] == "Trottoir trop étroit");
    CHECK(n1["properties"]["category"] == "Difficulté");
    CHECK(n1["properties"]["position"] == "author");
    CHECK(n1["properties"]["accuracy_m"] == 8);
    CHECK_FALSE(n1["properties"].contains("author"));
    const auto& n2 = geo["features"][2];
    CHECK(n2["geometry"]["coordinates"] == json({2.35222, 48.85661}));
    CHECK(n2["properties"]["position"] == "stop");
    CHECK(n2["properties"]["theme"].is_null());
    CHECK_FALSE(n2["properties"].contains("photo"));
    // A note's photo: its path, given the session's.
    s.state.notes.begin()->second.photo = "k3v9q2m8x1c7b4n6";
    const json with_photo = walk_geojson(s.state, "/api/sessions/abc/photos/");
    int photos = 0;
    for (const auto& f : with_photo["features"]) {
        if (f["properties"].contains("photo")) {
            CHECK(f["properties"]["photo"] == "/api/sessions/abc/photos/k3v9q2m8x1c7b4n6");
            ++photos;
        }
    }
    CHECK(photos == 1);
    // A brainstorm has nothing to map.
    CHECK(walk_geojson(fixture().state)["features"].empty());
}

TEST_CASE("a walk's minutes show each stop's photos: in the HTML page and the ODT package, named in Markdown") {
    auto s = walk_session();
    // Reopened to add two notes with photos (the server checks the photo
    // ids; the board does not).
    append(s, "f1", ops::phase_set{phase::reveal});
    ops::note_add with_photo{"n10", "Banc cassé", color::yellow, {0, 0}, std::nullopt};
    with_photo.stop = "s1";
    with_photo.photo = "k3v9q2m8";
    append(s, "p1", with_photo);
    with_photo.note = "n11";
    with_photo.text = "Une photo que le serveur n'a plus";
    with_photo.photo = "gone";
    append(s, "p1", with_photo);
    const minutes m = build_minutes(s.state, s.log);
    minutes_pictures pictures;
    pictures["k3v9q2m8"] = {std::string("\xFF\xD8\xFF\xE0jpeg", 8), 320, 240};
    auto options = fr_options();
    options.pictures = &pictures;

    const auto html = minutes_html(m, options);
    CHECK(contains(html, R"(<figure><img src="data:image/jpeg;base64,/9j/4GpwZWc=" width="320" height="240" alt="Photo jointe à l&apos;idée « Banc cassé »"><figcaption>Banc cassé</figcaption></figure>)"));
    CHECK_FALSE(contains(html, "gone"));
    CHECK(contains(minutes_markdown(m, options), "*Photo jointe à l'idée « Banc cassé »*"));
    const auto odt = minutes_odt(m, options);
    REQUIRE(odt.pictures.size() == 1);
    CHECK(odt.pictures[0].first == "Pictures/k3v9q2m8.jpg");
    CHECK(odt.pictures[0].second == pictures["k3v9q2m8"].jpeg);
    CHECK(contains(odt.manifest_xml, R"(manifest:full-path="Pictures/k3v9q2m8.jpg" manifest:media-type="image/jpeg")"));
    CHECK(contains(odt.content_xml, R"(<draw:image xlink:href="Pictures/k3v9q2m8.jpg")"));
    CHECK(contains(odt.content_xml, R"(svg:width="6.00cm" svg:height="4.50cm")"));
    // Without the pictures (a format that does not embed them), nothing is said of them.
    CHECK_FALSE(contains(minutes_html(m, fr_options()), "<figure>"));
}
