// After the meeting, over real sockets: the state at any seq, the timeline,
// the minutes in every format, and export → import → export.

#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>

#include "photo_samples.hpp"
#include "server_harness.hpp"

using namespace ruche::testing;
namespace http = boost::beast::http;

namespace {

// A small session driven through the WebSocket, sequentially, remembering the
// live server's state after every op it acknowledged.
struct driven_session {
    created s;
    std::map<std::uint64_t, std::string> live;  // seq -> the live state's bytes then

    void remember(std::uint16_t port) {
        const auto reply =
            http_call(port, http::verb::get, "/api/sessions/" + s.session_id + "/state", {},
                      s.facilitator_token);
        REQUIRE(reply.status == 200);
        const json state = reply.json_body();
        live[state["seq"].get<std::uint64_t>()] = reply.body;
    }
};

driven_session drive(std::uint16_t port, std::uint32_t seed, int steps) {
    driven_session d;
    d.s = create_session(port,
                         {{"title", "Atelier rejoué"},
                          {"question", "Comment lutter contre l'isolement des personnes âgées ?"},
                          {"vote_budget", 3}});
    ws_client facilitator(port);
    facilitator.hello_facilitator(d.s.facilitator_token);
    std::vector<std::unique_ptr<ws_client>> phones;
    const char* profiles[] = {"habitant", "agent", "elu"};
    for (int i = 0; i < 3; ++i) {
        phones.push_back(std::make_unique<ws_client>(port));
        phones.back()->hello_participant(d.s.join_code, "Personne " + std::to_string(i),
                                         profiles[i]);
    }
    std::mt19937 rng(seed);
    std::vector<std::string> notes, themes;
    const char* phases[] = {"reveal", "clustering", "voting", "synthesis"};
    int phase = 0;
    for (int i = 0; i < steps; ++i) {
        const int roll = std::uniform_int_distribution<int>(0, 99)(rng);
        ws_client& phone = *phones[std::uniform_int_distribution<std::size_t>(0, 2)(rng)];
        const auto pick = [&](const std::vector<std::string>& from) {
            return from[std::uniform_int_distribution<std::size_t>(0, from.size() - 1)(rng)];
        };
        json reply;
        const std::string id = "r" + std::to_string(i);
        if (roll < 40 || notes.size() < 3) {
            reply = phone.op(id, {{"kind", "note.add"},
                                  {"text", "Idée " + std::to_string(i)},
                                  {"color", "green"},
                                  {"x", std::uniform_int_distribution<int>(0, 1500)(rng)},
                                  {"y", 100}});
            if (reply["type"] == "ack") notes.push_back("n" + reply["seq"].dump());
        } else if (roll < 50) {
            reply = facilitator.op(id, {{"kind", "theme.create"},
                                        {"title", "Thème " + std::to_string(i)},
                                        {"x", 0},
                                        {"y", 900}});
            if (reply["type"] == "ack") themes.push_back("t" + reply["seq"].dump());
        } else if (roll < 62 && !themes.empty()) {
            reply = facilitator.op(
                id, {{"kind", "note.group"}, {"note", pick(notes)}, {"theme", pick(themes)}});
        } else if (roll < 72) {
            reply = facilitator.op(
                id, {{"kind", "note.move"}, {"note", pick(notes)}, {"x", i * 7}, {"y", i * 3}});
        } else if (roll < 86) {
            reply = phone.op(id, {{"kind", "vote.add"}, {"note", pick(notes)}});
        } else if (roll < 90) {
            const auto a = pick(notes), b = pick(notes);
            reply = facilitator.op(id, {{"kind", "note.merge"}, {"note", a}, {"into", b}});
        } else if (phase < 4) {
            reply = facilitator.op(id, {{"kind", "phase.set"}, {"phase", phases[phase++]}});
        } else {
            continue;
        }
        if (reply["type"] == "ack") d.remember(port);
    }
    REQUIRE(d.live.size() > static_cast<std::size_t>(steps) / 3);
    return d;
}

std::string get_as(std::uint16_t port, const created& s, const std::string& what,
                   unsigned expected = 200) {
    const auto reply =
        http_call(port, http::verb::get, "/api/sessions/" + s.session_id + "/" + what, {},
                  s.facilitator_token);
    INFO(what << ": " << reply.body.substr(0, 300));
    REQUIRE(reply.status == expected);
    return reply.body;
}

}  // namespace

TEST_CASE("the state at every seq equals what the live server had at that seq") {
    auto cfg = running_server::test_config();
    cfg.checkpoint_every = 16;  // replay crosses checkpoints
    running_server srv(cfg);
    const auto d = drive(srv.port(), 11, 120);
    for (const auto& [seq, live] : d.live) {
        INFO("seq " << seq);
        CHECK(get_as(srv.port(), d.s, "state?seq=" + std::to_string(seq)) == live);
    }
    get_as(srv.port(), d.s, "state?seq=0", 400);
    get_as(srv.port(), d.s, "state?seq=999999", 404);
    CHECK(http_call(srv.port(), http::verb::get, "/api/sessions/" + d.s.session_id + "/state?seq=1")
              .status == 401);

    // By time: the last op at or before that instant.
    const json first = json::parse(get_as(srv.port(), d.s, "state?seq=1"));
    const json at_start =
        json::parse(get_as(srv.port(), d.s, "state?time=" + first["updated_time"].dump()));
    CHECK(at_start["updated_time"] == first["updated_time"]);
}

TEST_CASE("the timeline lists every op and the phase markers") {
    running_server srv;
    const auto d = drive(srv.port(), 5, 80);
    const json timeline = json::parse(get_as(srv.port(), d.s, "timeline"));
    const json final_state = json::parse(d.live.rbegin()->second);
    // Everyone's departure may have been logged since: the head is at least as far.
    const auto head = timeline["head"].get<std::uint64_t>();
    CHECK(head >= final_state["seq"].get<std::uint64_t>());
    REQUIRE(timeline["ops"].size() == head);
    for (std::uint64_t i = 0; i < head; ++i) CHECK(timeline["ops"][i][0] == i + 1);
    std::vector<std::string> phases;
    for (const auto& m : timeline["markers"]) {
        if (m["kind"] == "phase") phases.push_back(m["phase"]);
        CHECK(m["time"].get<std::int64_t>() >= timeline["start"].get<std::int64_t>());
    }
    REQUIRE_FALSE(phases.empty());
    CHECK(phases.front() == "writing");  // the session's opening phase
}

TEST_CASE("the minutes come in every format, for the facilitator only") {
    running_server srv;
    const auto d = drive(srv.port(), 3, 60);
    const std::string base = "/api/sessions/" + d.s.session_id + "/minutes.";
    CHECK(http_call(srv.port(), http::verb::get, base + "md").status == 401);

    const auto html =
        http_call(srv.port(), http::verb::get, base + "html", {}, d.s.facilitator_token);
    REQUIRE(html.status == 200);
    CHECK(html.headers[http::field::content_type] == "text/html; charset=utf-8");
    CHECK(html.body.find("Atelier rejoué") != std::string::npos);
    CHECK(html.body.find("@media print") != std::string::npos);

    const auto md_fr = get_as(srv.port(), d.s, "minutes.md");
    const auto md_en = get_as(srv.port(), d.s, "minutes.md?lang=en");
    CHECK(md_fr.find("Comment lutter contre l'isolement des personnes âgées ?") !=
          std::string::npos);
    CHECK(md_fr != md_en);
    CHECK(get_as(srv.port(), d.s, "minutes.md?lang=de", 400).find("unknown_lang") !=
          std::string::npos);

    const auto csv = get_as(srv.port(), d.s, "minutes.csv");
    CHECK(csv.rfind("\xEF\xBB\xBF", 0) == 0);
    CHECK(csv.find("\r\n") != std::string::npos);

    // OpenDocument: a zip whose first entry is "mimetype", stored, no extra field.
    const auto odt = get_as(srv.port(), d.s, "minutes.odt");
    REQUIRE(odt.size() > 100);
    CHECK(odt.substr(0, 4) == std::string("PK\x03\x04", 4));
    CHECK(odt[8] == 0);  // compression method: stored
    CHECK(odt[9] == 0);
    CHECK(odt.substr(30, 8) == "mimetype");
    CHECK(odt[28] == 0);  // extra field length
    CHECK(odt.substr(38, 39) == "application/vnd.oasis.opendocument.text");

    // Where LibreOffice is installed, it must open and convert the document.
    if (std::system("command -v soffice > /dev/null 2>&1") == 0) {
        temp_dir out;
        const auto path = out.path() / "minutes.odt";
        std::ofstream(path, std::ios::binary) << odt;
        const std::string cmd =
            "cd '" + out.str() + "' && HOME='" + out.str() +
            "' timeout 120 soffice --headless --convert-to txt minutes.odt > /dev/null 2>&1";
        REQUIRE(std::system(cmd.c_str()) == 0);
        std::ifstream txt(out.path() / "minutes.txt");
        const std::string text((std::istreambuf_iterator<char>(txt)),
                               std::istreambuf_iterator<char>());
        CHECK(text.find("Atelier rejoué") != std::string::npos);
    } else {
        WARN("LibreOffice is not installed: the ODT was checked as a zip only");
    }
}

TEST_CASE("an import over 64 KiB sent with Content-Length is read whole; other bodies stay capped") {
    running_server srv;
    const auto d = drive(srv.port(), 8, 80);
    // Trailing spaces keep the export valid JSON and carry it past 64 KiB,
    // sent the way `curl --data-binary @export.json` sends it.
    const auto exported = get_as(srv.port(), d.s, "minutes.json") + std::string(100 * 1024, ' ');
    const auto reply = http_call(srv.port(), http::verb::post, "/api/sessions/import", exported);
    CHECK(reply.status == 201);
    // Any other request with such a body is refused before its body is read.
    const auto big = http_call(srv.port(), http::verb::post, "/api/sessions",
                               R"({"title":"Atelier"})" + std::string(100 * 1024, ' '));
    CHECK(big.status == 413);
    CHECK(big.json_body()["error"]["code"] == "too_large");
}

TEST_CASE("export, import, export again gives the same bytes and the same minutes") {
    running_server srv;
    const auto d = drive(srv.port(), 8, 80);
    const auto exported = get_as(srv.port(), d.s, "minutes.json");
    const auto reply = http_call(srv.port(), http::verb::post, "/api/sessions/import", exported);
    REQUIRE(reply.status == 201);
    const json j = reply.json_body();
    const created copy{j["session_id"], j["join_code"], j["facilitator_token"]};
    CHECK(copy.session_id != d.s.session_id);
    CHECK(copy.facilitator_token != d.s.facilitator_token);
    CHECK(get_as(srv.port(), copy, "minutes.json") == exported);
    CHECK(get_as(srv.port(), copy, "minutes.csv") == get_as(srv.port(), d.s, "minutes.csv"));
    // The session is anonymous and each profile had one person: the export
    // keeps none of them (k-anonymity), so the copy's minutes cannot say
    // which profiles took part, where the original's still can.
    const auto original_md = get_as(srv.port(), d.s, "minutes.md");
    const auto copy_md = get_as(srv.port(), copy, "minutes.md");
    CHECK(original_md.find("Élu·e (1)") != std::string::npos);
    CHECK(copy_md.find("Élu·e") == std::string::npos);
    CHECK(copy_md.find("Profil non précisé | 3") != std::string::npos);

    // A tampered export is refused and creates nothing.
    json tampered = json::parse(exported);
    tampered["log"].erase(tampered["log"].size() - 1);
    const auto refused =
        http_call(srv.port(), http::verb::post, "/api/sessions/import", tampered.dump());
    CHECK(refused.status == 400);
    CHECK(http_call(srv.port(), http::verb::post, "/api/sessions/import", "{}").status == 400);
}

TEST_CASE("a walk over loopback: stops, the group moving, notes with a place, then its minutes and GeoJSON") {
    running_server srv;
    const auto s = create_session(srv.port(), {{"title", "Diagnostic en marchant"},
                                               {"categories", {"Atout", "Difficulté", "Proposition"}},
                                               {"private_writing", false}});
    ws_client facilitator(srv.port());
    facilitator.hello_facilitator(s.facilitator_token);
    ws_client phone(srv.port()), other(srv.port());
    const json welcome = phone.hello_participant(s.join_code, "Josiane", "habitant");
    CHECK(welcome["state"]["settings"]["categories"] == json({"Atout", "Difficulté", "Proposition"}));
    other.hello_participant(s.join_code, "", "agent");

    const json market = facilitator.op("s-1", {{"kind", "stop.add"},
                                               {"name", "Place du marché"},
                                               {"question", "Peut-on passer avec une poussette ?"},
                                               {"place", {{"lat", 48.856614}, {"lon", 2.3522219}}}});
    REQUIRE(market["type"] == "ack");
    const std::string stop = "s" + market["seq"].dump();
    CHECK(phone.op("s-2", {{"kind", "stop.add"}, {"name", "Parc"}})["code"] == "facilitator_only");
    REQUIRE(facilitator.op("s-3", {{"kind", "stop.go"}, {"stop", stop}})["type"] == "ack");
    const auto moved = other.until([](const json& m) { return m["type"] == "event" && m["op"]["kind"] == "stop.go"; });
    REQUIRE(moved);
    CHECK((*moved)["op"]["stop"] == stop);

    const json written = phone.op("n-1", {{"kind", "note.add"},
                                          {"text", "Trottoir trop étroit"},
                                          {"color", "yellow"},
                                          {"stop", stop},
                                          {"category", 1},
                                          {"location", {{"lat", 48.8570249}, {"lon", 2.3530111}, {"accuracy", 9}}}});
    REQUIRE(written["type"] == "ack");
    // Another participant hears of the note, not of where its author stood.
    const auto seen = other.until([](const json& m) { return m["type"] == "event" && m["op"]["kind"] == "note.add"; });
    REQUIRE(seen);
    CHECK((*seen)["op"]["stop"] == stop);
    CHECK((*seen)["op"]["category"] == 1);
    CHECK_FALSE((*seen)["op"].contains("location"));
    const auto heard = facilitator.until([](const json& m) { return m["type"] == "event" && m["op"]["kind"] == "note.add"; });
    REQUIRE(heard);
    // Rounded to 1e-5 degree (about a metre) before it is logged.
    CHECK((*heard)["op"]["location"] == json({{"accuracy", 9}, {"lat", 48.85702}, {"lon", 2.35301}}));

    const json geo = json::parse(get_as(srv.port(), s, "minutes.geojson"));
    CHECK(geo["type"] == "FeatureCollection");
    REQUIRE(geo["features"].size() == 2);
    CHECK(geo["features"][0]["properties"]["kind"] == "stop");
    CHECK(geo["features"][0]["geometry"]["coordinates"] == json({2.35222, 48.85661}));
    CHECK(geo["features"][1]["properties"]["category"] == "Difficulté");
    CHECK(geo["features"][1]["properties"]["stop"] == "Place du marché");
    CHECK(geo["features"][1]["properties"]["position"] == "author");
    CHECK(geo["features"][1]["geometry"]["coordinates"] == json({2.35301, 48.85702}));
    CHECK(geo["features"][1]["properties"]["accuracy_m"] == 9);
    const auto reply = http_call(srv.port(), http::verb::get, "/api/sessions/" + s.session_id + "/minutes.geojson", {},
                                 s.facilitator_token);
    CHECK(reply.headers[http::field::content_type] == "application/geo+json");
    CHECK(http_call(srv.port(), http::verb::get, "/api/sessions/" + s.session_id + "/minutes.geojson").status == 401);

    const auto md = get_as(srv.port(), s, "minutes.md");
    CHECK(md.find("Arrêt 1 · Place du marché") != std::string::npos);
    CHECK(md.find("48.85661, 2.35222") != std::string::npos);

    // A photo of the walk: in the printable minutes and the document.
    const auto upload = http_call(srv.port(), http::verb::post, "/api/sessions/" + s.session_id + "/photos",
                                  sample_image(800, 600), welcome["participant_token"].get<std::string>());
    REQUIRE(upload.status == 201);
    const std::string photo = upload.json_body()["photo"];
    REQUIRE(phone.op("n-2", {{"kind", "note.add"}, {"text", "Banc cassé"}, {"color", "yellow"}, {"stop", stop},
                             {"photo", photo}})["type"] == "ack");
    const auto html = http_call(srv.port(), http::verb::get, "/api/sessions/" + s.session_id + "/minutes.html", {},
                                s.facilitator_token);
    CHECK(html.body.find("<figure><img src=\"data:image/jpeg;base64,/9j/") != std::string::npos);
    CHECK(html.body.find("width=\"320\" height=\"240\"") != std::string::npos);
    CHECK(std::string(html.headers["Content-Security-Policy"]).find("img-src data:") != std::string::npos);
    const auto odt = get_as(srv.port(), s, "minutes.odt");
    CHECK(odt.find("Pictures/" + photo + ".jpg") != std::string::npos);
}
