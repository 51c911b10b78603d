// What the first full workshops found, over real sockets: co-hosts, people
// arriving after the close, presence after a crash, join codes in URLs,
// invalid UTF-8, the bin, action plans, scribe attendance, the session's time
// zone, file names, and what the exports of an anonymous session may say.

#include <catch2/catch.hpp>
#include <set>

#include "server_harness.hpp"

using namespace ruche::testing;
namespace http = boost::beast::http;

namespace {

json note_add(const std::string& text) {
    return {{"kind", "note.add"}, {"text", text}, {"color", "yellow"}};
}

json hello_seat(ws_client& c, const std::string& facilitator_token, const std::string& seat) {
    json hello = {{"type", "hello"}, {"facilitator_token", facilitator_token}, {"name", "Co"}};
    if (!seat.empty()) hello["participant_token"] = seat;
    c.send(hello);
    return c.expect("welcome");
}

json get_json(std::uint16_t port, const created& s, const std::string& what) {
    const auto reply = http_call(port, http::verb::get, "/api/sessions/" + s.session_id + "/" + what,
                                 {}, s.facilitator_token);
    REQUIRE(reply.status == 200);
    return reply.json_body();
}

std::string get_text(std::uint16_t port, const created& s, const std::string& what) {
    const auto reply = http_call(port, http::verb::get, "/api/sessions/" + s.session_id + "/" + what,
                                 {}, s.facilitator_token);
    REQUIRE(reply.status == 200);
    return reply.body;
}

unsigned present(std::uint16_t port, const created& s) {
    return get_json(port, s, "")["present"].get<unsigned>();
}

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

}  // namespace

TEST_CASE("each facilitator connection is its own facilitator, and keeps its seat") {
    running_server srv;
    const auto s = create_session(srv.port(), {{"title", "Co-animation"}});
    ws_client anne(srv.port()), bruno(srv.port());
    const json first = hello_seat(anne, s.facilitator_token, "");
    const json second = hello_seat(bruno, s.facilitator_token, "");
    CHECK(first["participant_id"] == "f1");
    CHECK(second["participant_id"] == "f2");
    REQUIRE(first.contains("participant_token"));
    CHECK(first["participant_token"] != second["participant_token"]);

    // Back with the seat token: the same facilitator, not a third one.
    ws_client again(srv.port());
    CHECK(hello_seat(again, s.facilitator_token, first["participant_token"])["participant_id"] ==
          "f1");
    // A seat token alone is worth nothing: without the facilitator token it
    // is refused like any unknown participant token.
    ws_client intruder(srv.port());
    intruder.send({{"type", "hello"},
                   {"join_code", s.join_code},
                   {"participant_token", first["participant_token"]}});
    CHECK(intruder.expect("error")["code"] == "invalid_token");

    // Both are on the board as facilitators.
    const json state = get_json(srv.port(), s, "state");
    CHECK(state["participants"]["f1"]["role"] == "facilitator");
    CHECK(state["participants"]["f2"]["role"] == "facilitator");
}

TEST_CASE("after the close, a newcomer sees the results, is not counted and changes nothing") {
    running_server srv;
    const auto s = create_session(srv.port(), {{"title", "Clôturée"}, {"private_writing", false}});
    ws_client facilitator(srv.port()), josiane(srv.port());
    facilitator.hello_facilitator(s.facilitator_token);
    const json joined = josiane.hello_participant(s.join_code, "Josiane", "habitant");
    REQUIRE(josiane.op("a", note_add("Un café des aidants"))["type"] == "ack");
    REQUIRE(facilitator.op("timer", {{"kind", "timer.start"}, {"seconds", 300}})["type"] == "ack");
    REQUIRE(facilitator.op("close", {{"kind", "phase.set"}, {"phase", "closed"}})["type"] == "ack");
    // Closing stops the timer.
    CHECK(get_json(srv.port(), s, "state")["timer"].is_null());
    const auto people = get_json(srv.port(), s, "state")["participants"].size();
    const auto counted = present(srv.port(), s);

    ws_client late(srv.port());
    const json welcome = late.hello_participant(s.join_code, "Retardataire", "elu");
    CHECK(welcome["role"] == "viewer");
    CHECK_FALSE(welcome.contains("participant_id"));
    CHECK_FALSE(welcome.contains("participant_token"));
    CHECK(welcome["state"]["phase"] == "closed");
    REQUIRE(welcome["state"]["notes"].size() == 1);
    CHECK(late.op("b", note_add("Trop tard"))["code"] == "session_closed");

    CHECK(present(srv.port(), s) == counted);
    CHECK(get_json(srv.port(), s, "state")["participants"].size() == people);
    CHECK_FALSE(contains(get_text(srv.port(), s, "minutes.md"), "Retardataire"));

    // Someone who took part comes back as themselves.
    ws_client back(srv.port());
    back.send({{"type", "hello"},
               {"join_code", s.join_code},
               {"participant_token", joined["participant_token"]}});
    const json returning = back.expect("welcome");
    CHECK(returning["participant_id"] == joined["participant_id"]);
}

TEST_CASE("after a crash, nobody shows as present, even in the first answer") {
    temp_dir data;
    created s;
    {
        running_server srv(running_server::test_config(), &data);
        s = create_session(srv.port(), {{"title", "Coupure"}});
        ws_client p1(srv.port()), p2(srv.port());
        p1.hello_participant(s.join_code, "Un");
        p2.hello_participant(s.join_code, "Deux");
        REQUIRE(p1.op("x", note_add("avant la coupure"))["type"] == "ack");
        REQUIRE(present(srv.port(), s) == 2);
        // Copy the database while both are present: what a kill -9 leaves.
        std::filesystem::copy(data.path(), data.path().string() + "-crash",
                              std::filesystem::copy_options::recursive);
        srv.stop();
    }
    std::filesystem::remove_all(data.path());
    std::filesystem::rename(data.path().string() + "-crash", data.path());
    running_server srv(running_server::test_config(), &data);
    // The join page is the first thing anyone asks for.
    auto code = s.join_code;
    const auto reply = http_call(srv.port(), http::verb::get, "/api/join/" + code);
    REQUIRE(reply.status == 200);
    CHECK(reply.json_body()["present"] == 0);
    const json participants = get_json(srv.port(), s, "state")["participants"];
    REQUIRE(participants.size() == 2);
    for (const auto& [id, p] : participants.items()) CHECK(p["present"] == false);
}

TEST_CASE("a join code in a URL is read as a hello reads it: spaces, dashes, any case") {
    running_server srv;
    const auto s = create_session(srv.port());
    std::string spaced, lower;
    for (const char c : s.join_code) {
        spaced += c == '-' ? std::string("%20") : std::string(1, c);
        lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    for (const auto& typed : {s.join_code, spaced, lower, std::string("%20") + spaced + "%20"}) {
        const auto reply = http_call(srv.port(), http::verb::get, "/api/join/" + typed);
        CHECK(reply.status == 200);
        CHECK(reply.json_body()["join_code"] == s.join_code);
    }
    CHECK(http_call(srv.port(), http::verb::get, "/api/join/YD7%2").status == 404);
}

TEST_CASE("a text frame that is not UTF-8 closes the connection with 1007") {
    running_server srv;
    const auto s = create_session(srv.port());
    ws_client c(srv.port());
    c.hello_participant(s.join_code);
    c.send_text(std::string("{\"type\":\"op\",\"op_id\":\"x\",\"op\":{\"kind\":\"note.add\","
                            "\"text\":\"caf\xE9\",\"color\":\"yellow\"}}"));
    REQUIRE(c.wait_closed());
    CHECK(c.close_reason().code == 1007);
    CHECK(get_json(srv.port(), s, "state")["notes"].empty());
}

TEST_CASE("the bin: a deleted note comes back for everyone, with its place and its theme") {
    running_server srv;
    const auto s = create_session(srv.port(), {{"title", "Corbeille"}, {"private_writing", false}});
    ws_client facilitator(srv.port()), phone(srv.port());
    facilitator.hello_facilitator(s.facilitator_token);
    phone.hello_participant(s.join_code, "Odile");
    const auto added = phone.op("a", note_add("Des bancs"));
    REQUIRE(added["type"] == "ack");
    const std::string note = "n" + added["seq"].dump();
    const auto theme = facilitator.op("t", {{"kind", "theme.create"}, {"title", "Se déplacer"},
                                            {"x", 1500}, {"y", 0}});
    const std::string t = "t" + theme["seq"].dump();
    REQUIRE(facilitator.op("g", {{"kind", "note.group"}, {"note", note}, {"theme", t}})["type"] ==
            "ack");
    REQUIRE(facilitator.op("d", {{"kind", "note.delete"}, {"note", note}})["type"] == "ack");
    CHECK(get_json(srv.port(), s, "state")["deleted_notes"].contains(note));
    phone.drain(200ms);
    // Participants cannot restore, and never see the bin.
    CHECK(phone.op("r0", {{"kind", "note.restore"}, {"note", note}})["code"] == "facilitator_only");
    REQUIRE(facilitator.op("r", {{"kind", "note.restore"}, {"note", note}})["type"] == "ack");
    const auto restored = phone.until([&](const json& m) {
        return m["type"] == "event" && m["op"]["kind"] == "note.restore";
    });
    REQUIRE(restored.has_value());
    REQUIRE(restored->contains("state"));
    CHECK((*restored)["state"]["notes"][note]["theme"] == t);
    CHECK((*restored)["state"]["deleted_notes"].empty());
    CHECK(facilitator.op("r2", {{"kind", "note.restore"}, {"note", note}})["code"] ==
          "not_deleted");
}

TEST_CASE("notes given no position never land on one another") {
    running_server srv;
    const auto s = create_session(srv.port(), {{"title", "Placement"}, {"private_writing", false}});
    ws_client phone(srv.port());
    phone.hello_participant(s.join_code);
    std::set<std::pair<int, int>> spots;
    for (int i = 0; i < 30; ++i) REQUIRE(phone.op("n" + std::to_string(i), note_add("idée"))["type"] == "ack");
    const json notes = get_json(srv.port(), s, "state")["notes"];
    REQUIRE(notes.size() == 30);
    for (const auto& [id, n] : notes.items()) spots.insert({n["x"].get<int>(), n["y"].get<int>()});
    CHECK(spots.size() == 30);
}

TEST_CASE("the minutes keep the session's time zone and are named after its date and title") {
    auto cfg = running_server::test_config();
    cfg.time_zone = "America/Cayenne";  // UTC-3 all year
    running_server srv(cfg);
    const auto s = create_session(srv.port(), {{"title", "Atelier : l'isolement des aînés"}});
    CHECK(get_json(srv.port(), s, "state")["settings"]["time_zone"] == "America/Cayenne");
    const auto md = get_text(srv.port(), s, "minutes.md?lang=fr");
    CHECK(contains(md, "America/Cayenne"));

    const auto reply = http_call(srv.port(), http::verb::get,
                                 "/api/sessions/" + s.session_id + "/minutes.odt", {},
                                 s.facilitator_token);
    REQUIRE(reply.status == 200);
    const std::string disposition(reply.headers[http::field::content_disposition]);
    CHECK(contains(disposition, "-atelier-l-isolement-des-aines-compte-rendu.odt\""));
    CHECK(contains(disposition, "filename*=UTF-8''"));
    CHECK(contains(disposition, "a%C3%AEn%C3%A9s-compte-rendu.odt"));
    CHECK_FALSE(contains(disposition, s.session_id));
    const auto en = http_call(srv.port(), http::verb::get,
                              "/api/sessions/" + s.session_id + "/minutes.csv?lang=en", {},
                              s.facilitator_token);
    CHECK(contains(std::string(en.headers[http::field::content_disposition]), "-minutes.csv\""));
}

TEST_CASE("an anonymous session's exports tie no idea to a small group's profile") {
    running_server srv;
    const auto s = create_session(srv.port(), {{"title", "Anonyme"}, {"private_writing", false}});
    ws_client facilitator(srv.port());
    facilitator.hello_facilitator(s.facilitator_token);
    std::vector<std::unique_ptr<ws_client>> phones;
    // One élue among three habitants: her profile is a group of one.
    const std::vector<std::pair<std::string, std::string>> people = {
        {"Gisèle", "elu"}, {"Hugo", "habitant"}, {"Ines", "habitant"}, {"Jules", "habitant"}};
    for (std::size_t i = 0; i < people.size(); ++i) {
        phones.push_back(std::make_unique<ws_client>(srv.port()));
        phones.back()->hello_participant(s.join_code, people[i].first, people[i].second);
        REQUIRE(phones.back()->op("n", note_add("Idée numéro " + std::to_string(i)))["type"] == "ack");
    }
    REQUIRE(facilitator.op("close", {{"kind", "phase.set"}, {"phase", "closed"}})["type"] == "ack");

    const auto csv = get_text(srv.port(), s, "minutes.csv");
    CHECK_FALSE(contains(csv, "Élu"));
    CHECK(contains(csv, "Habitant·e (1)"));  // a group of three may be named
    for (const auto* format : {"minutes.md", "minutes.html", "minutes.csv", "minutes.json",
                               "state", "state?seq=8"}) {
        const auto text = get_text(srv.port(), s, format);
        INFO(format);
        CHECK_FALSE(contains(text, "Gisèle"));
        CHECK_FALSE(contains(text, "Hugo"));
    }
    for (const auto* format : {"minutes.json", "state", "state?seq=12"}) {
        INFO(format);
        json state = get_json(srv.port(), s, format);
        if (state.contains("log")) {
            for (const auto& op : state["log"]) CHECK(op["op"].value("profile", "") != "elu");
            state = state["state"];
        }
        std::size_t habitants = 0;
        for (const auto& [id, p] : state["participants"].items()) {
            CHECK(p["profile"] != "elu");
            if (p["role"] != "facilitator") CHECK(p["name"] == "");
            if (p["profile"] == "habitant") ++habitants;
        }
        CHECK(habitants == 3);
    }
    // Attendance by profile still says an élue came: that ties no idea to her.
    CHECK(contains(get_text(srv.port(), s, "minutes.md"), "Élu·e | 1"));
}
