// The real-time server over real sockets on 127.0.0.1: ordering, isolation,
// privacy, roles, idempotent retries, resume, restart, bad input, slow
// consumers and origins.

#include <boost/asio/ip/tcp.hpp>
#include <catch2/catch.hpp>
#include <set>
#include <thread>

#include "file_scan.hpp"
#include "server_harness.hpp"

using namespace ruche::testing;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;

namespace {

json note_add(const std::string& text, int x = 0, int y = 0) {
    return {{"kind", "note.add"}, {"text", text}, {"color", "yellow"}, {"x", x}, {"y", y}};
}

// The first `count` events received, as (seq, kind) pairs.
std::vector<std::pair<std::uint64_t, std::string>> first_events(ws_client& c, std::size_t count) {
    std::vector<std::pair<std::uint64_t, std::string>> out;
    while (out.size() < count) {
        auto m = c.next();
        if (!m) break;
        if ((*m)["type"] != "event") continue;
        out.emplace_back((*m)["seq"].get<std::uint64_t>(), (*m)["op"]["kind"].get<std::string>());
    }
    return out;
}

bool mentions(const std::vector<json>& messages, const std::string& text) {
    for (const auto& m : messages) {
        if (m.dump().find(text) != std::string::npos) return true;
    }
    return false;
}

}  // namespace

TEST_CASE("everyone in a session sees the same ops in the same order; other sessions see nothing") {
    running_server srv;
    const auto a = create_session(srv.port(), {{"title", "Atelier A"}, {"private_writing", false}});
    const auto b = create_session(srv.port(), {{"title", "Atelier B"}, {"private_writing", false}});

    ws_client facilitator(srv.port()), p1(srv.port()), p2(srv.port()), elsewhere(srv.port());
    facilitator.hello_facilitator(a.facilitator_token);
    p1.hello_participant(a.join_code, "Josiane", "habitant");
    p2.hello_participant(a.join_code, "", "agent");
    elsewhere.hello_participant(b.join_code, "Marc");
    // Let the presence events settle, then start from a common point.
    facilitator.drain(200ms);
    p1.drain(200ms);
    p2.drain(200ms);
    elsewhere.drain(200ms);

    // Interleaved, without waiting for acks.
    for (int i = 0; i < 20; ++i) {
        p1.send({{"type", "op"},
                 {"op_id", "a" + std::to_string(i)},
                 {"op", note_add("Idée A" + std::to_string(i))}});
        p2.send({{"type", "op"},
                 {"op_id", "b" + std::to_string(i)},
                 {"op", note_add("Idée B" + std::to_string(i))}});
        if (i % 5 == 0) {
            facilitator.send({{"type", "op"},
                              {"op_id", "t" + std::to_string(i)},
                              {"op",
                               {{"kind", "theme.create"},
                                {"title", "Thème " + std::to_string(i)},
                                {"x", 0},
                                {"y", 0}}}});
        }
    }
    constexpr std::size_t sent = 20 + 20 + 4;
    const auto seen_by_facilitator = first_events(facilitator, sent);
    const auto seen_by_p1 = first_events(p1, sent);
    const auto seen_by_p2 = first_events(p2, sent);
    REQUIRE(seen_by_facilitator.size() == sent);
    CHECK(seen_by_p1 == seen_by_facilitator);
    CHECK(seen_by_p2 == seen_by_facilitator);
    for (std::size_t i = 1; i < seen_by_p1.size(); ++i)
        CHECK(seen_by_p1[i].first == seen_by_p1[i - 1].first + 1);

    const auto other = elsewhere.drain(300ms);
    CHECK_FALSE(mentions(other, "Idée A"));
    CHECK_FALSE(mentions(other, "Thème"));
    for (const auto& m : other) CHECK(m["type"] != "event");
}

TEST_CASE("private notes reach their author and the facilitator, not other participants") {
    running_server srv;
    const auto s = create_session(srv.port(), {{"title", "Écriture silencieuse"}});
    ws_client facilitator(srv.port()), p1(srv.port()), p2(srv.port());
    facilitator.hello_facilitator(s.facilitator_token);
    const json welcome1 = p1.hello_participant(s.join_code);
    p2.hello_participant(s.join_code);

    REQUIRE(p1.op("n", note_add("Je me sens seule le dimanche"))["type"] == "ack");
    auto for_facilitator = facilitator.until(
        [](const json& m) { return m["type"] == "event" && m["op"]["kind"] == "note.add"; });
    REQUIRE(for_facilitator.has_value());
    CHECK((*for_facilitator)["op"]["text"] == "Je me sens seule le dimanche");
    CHECK_FALSE(mentions(p2.drain(300ms), "dimanche"));

    // A newcomer's welcome does not carry it either.
    ws_client late(srv.port());
    const json welcome = late.hello_participant(s.join_code);
    CHECK(welcome["state"]["notes"].empty());

    REQUIRE(facilitator.op("reveal", {{"kind", "phase.set"}, {"phase", "reveal"}})["type"] ==
            "ack");
    auto reveal = p2.until(
        [](const json& m) { return m["type"] == "event" && m["op"]["kind"] == "phase.set"; });
    REQUIRE(reveal.has_value());
    REQUIRE(reveal->contains("state"));
    CHECK(mentions({*reveal}, "dimanche"));
    CHECK((*reveal)["state"]["notes"].begin().value()["author"].is_null());  // anonymous by default
    (void)welcome1;
}

TEST_CASE("votes stay hidden from other participants until the vote ends, then everyone sees them") {
    running_server srv;
    const auto s = create_session(srv.port(), {{"title", "Gommettes"}, {"private_writing", false}});
    ws_client facilitator(srv.port()), p1(srv.port()), p2(srv.port());
    const json opened = facilitator.hello_facilitator(s.facilitator_token);
    CHECK(opened["state"]["settings"]["hidden_votes"] == true);  // on unless asked otherwise
    p1.hello_participant(s.join_code);
    p2.hello_participant(s.join_code);
    const json added = p1.op("n", note_add("Un jardin partagé"));
    REQUIRE(added["type"] == "ack");
    const std::string note = "n" + std::to_string(added["seq"].get<std::uint64_t>());
    const json vote = {{"kind", "vote.add"}, {"note", note}};
    REQUIRE(facilitator.op("v", {{"kind", "phase.set"}, {"phase", "voting"}})["type"] == "ack");
    REQUIRE(p1.op("d1", vote)["type"] == "ack");
    REQUIRE(p1.op("d2", vote)["type"] == "ack");
    // p2's own dot is acknowledged after p1's were broadcast: had p2 been
    // told of them, those events would have come first.
    p2.send({{"type", "op"}, {"op_id", "d3"}, {"op", vote}});
    std::vector<json> seen_by_p2;
    const auto own = p2.until([&](const json& m) {
        seen_by_p2.push_back(m);
        return m["type"] == "ack";
    });
    REQUIRE(own.has_value());
    for (const auto& m : seen_by_p2) {
        const bool others_dot = m["type"] == "event" && m["op"]["kind"] == "vote.add" &&
                                m["seq"] != (*own)["seq"];
        CHECK_FALSE(others_dot);
    }
    ws_client late(srv.port());
    const json during = late.hello_participant(s.join_code);
    CHECK(during["state"]["notes"][note]["vote_total"] == 0);
    CHECK(during["state"]["notes"][note]["votes"].empty());

    REQUIRE(facilitator.op("end", {{"kind", "phase.set"}, {"phase", "synthesis"}})["type"] == "ack");
    const auto revealed = p2.until(
        [](const json& m) { return m["type"] == "event" && m["op"]["kind"] == "phase.set"; });
    REQUIRE(revealed.has_value());
    REQUIRE(revealed->contains("state"));
    CHECK((*revealed)["state"]["notes"][note]["vote_total"] == 3);
}

TEST_CASE("participants cannot run facilitation ops") {
    running_server srv;
    const auto s = create_session(srv.port());
    ws_client p1(srv.port());
    p1.hello_participant(s.join_code);
    for (const json& op : {json{{"kind", "phase.set"}, {"phase", "voting"}},
                           json{{"kind", "board.lock"}, {"locked", true}},
                           json{{"kind", "theme.create"}, {"title", "x"}, {"x", 0}, {"y", 0}},
                           json{{"kind", "settings.set"}, {"vote_budget", 50}}}) {
        const json reply = p1.op("f", op);
        CHECK(reply["type"] == "error");
        CHECK(reply["code"] == "facilitator_only");
    }
}

TEST_CASE("a retried op is acknowledged again with the same seq and applied once") {
    running_server srv;
    const auto s = create_session(srv.port(), {{"title", "Retry"}, {"private_writing", false}});
    ws_client p1(srv.port());
    p1.hello_participant(s.join_code);
    const json first = p1.op("same-id", note_add("Une seule fois"));
    REQUIRE(first["type"] == "ack");
    const json again = p1.op("same-id", note_add("Une seule fois"));
    REQUIRE(again["type"] == "ack");
    CHECK(again["seq"] == first["seq"]);

    // Twice in one breath: both acks carry one seq.
    p1.send({{"type", "op"}, {"op_id", "twin"}, {"op", note_add("Jumelle")}});
    p1.send({{"type", "op"}, {"op_id", "twin"}, {"op", note_add("Jumelle")}});
    std::vector<json> acks;
    while (acks.size() < 2) {
        auto m = p1.until([](const json& j) { return j["type"] == "ack"; });
        REQUIRE(m.has_value());
        acks.push_back(*m);
    }
    CHECK(acks[0]["seq"] == acks[1]["seq"]);

    ws_client facilitator(srv.port());
    const json state = facilitator.hello_facilitator(s.facilitator_token)["state"];
    int once = 0, twins = 0;
    for (const auto& [id, n] : state["notes"].items()) {
        once += n["text"] == "Une seule fois";
        twins += n["text"] == "Jumelle";
    }
    CHECK(once == 1);
    CHECK(twins == 1);
}

TEST_CASE("a client that reads lines gets what waits for it in one frame; others one per frame") {
    running_server srv;
    const auto s = create_session(srv.port(), {{"title", "Lignes"}, {"private_writing", false}});
    ws_client plain(srv.port());
    plain.hello_participant(s.join_code);
    ws_client lines(srv.port());
    lines.send({{"type", "hello"}, {"join_code", s.join_code}, {"lines", true}});
    lines.expect("welcome");
    plain.drain(100ms);
    lines.drain(100ms);

    // Its ack and its own event leave the room together: one frame, two lines.
    const auto before = lines.frames();
    lines.send({{"type", "op"}, {"op_id", "l1"}, {"op", note_add("Deux en un")}});
    const json ack = lines.expect("ack");
    const json event = lines.expect("event");
    CHECK(ack["op_id"] == "l1");
    CHECK(event["seq"] == ack["seq"]);
    CHECK(lines.frames() == before + 1);

    CHECK(plain.expect("event")["op"]["text"] == "Deux en un");
    const auto plain_before = plain.frames();
    plain.send({{"type", "op"}, {"op_id", "p1"}, {"op", note_add("Un par un")}});
    CHECK(plain.expect("ack")["op_id"] == "p1");
    plain.expect("event");
    CHECK(plain.frames() == plain_before + 2);
    // The client that reads lines got the other's note too, every line valid JSON.
    const auto seen = lines.until([](const json& m) { return m.value("type", "") == "event"; });
    REQUIRE(seen.has_value());
    CHECK((*seen)["op"]["text"] == "Un par un");
}

TEST_CASE("a dropped client resumes with exactly the events it missed") {
    running_server srv;
    const auto s = create_session(srv.port(), {{"title", "Reprise"}, {"private_writing", false}});
    ws_client p2(srv.port());
    p2.hello_participant(s.join_code);

    std::string token;
    std::uint64_t last_seq = 0;
    {
        ws_client p1(srv.port());
        const json welcome = p1.hello_participant(s.join_code, "Ahmed");
        token = welcome["participant_token"];
        REQUIRE(p1.op("mine", note_add("Avant la coupure"))["type"] == "ack");
        for (const auto& m : p1.drain(200ms)) {
            if (m["type"] == "event") last_seq = m["seq"];
        }
        REQUIRE(last_seq > 0);
    }  // the connection drops

    for (int i = 0; i < 3; ++i) {
        const json ack =
            p2.op("p2-" + std::to_string(i), note_add("Pendant la coupure " + std::to_string(i)));
        REQUIRE(ack["type"] == "ack");
    }

    ws_client back(srv.port());
    back.send({{"type", "hello"},
               {"join_code", s.join_code},
               {"participant_token", token},
               {"last_seq", last_seq}});
    const json welcome = back.expect("welcome");
    REQUIRE(welcome.contains("events"));
    CHECK_FALSE(welcome.contains("state"));
    // Exactly what happened after last_seq, up to the welcome's seq: own departure, p2's notes.
    std::vector<std::uint64_t> missed, got;
    for (std::uint64_t seq = last_seq + 1; seq <= welcome["seq"].get<std::uint64_t>(); ++seq)
        missed.push_back(seq);
    for (const auto& e : welcome["events"]) got.push_back(e["seq"]);
    CHECK(missed.size() == 4);
    CHECK(got == missed);
    CHECK(mentions({welcome}, "Pendant la coupure 2"));
    CHECK_FALSE(mentions({welcome}, "Avant la coupure"));
    CHECK(welcome["participant_id"] != "");
}

TEST_CASE("every acknowledged op is there after the server restarts on the same data") {
    temp_dir data;
    created s;
    std::string token;
    std::set<std::string> acked_texts;
    {
        running_server srv(running_server::test_config(), &data);
        s = create_session(srv.port(), {{"title", "Redémarrage"}, {"private_writing", false}});
        ws_client p1(srv.port());
        token = p1.hello_participant(s.join_code, "Odile")["participant_token"];
        for (int i = 0; i < 50; ++i) {
            const std::string text = "Note durable " + std::to_string(i);
            if (p1.op("d" + std::to_string(i), note_add(text))["type"] == "ack")
                acked_texts.insert(text);
        }
        srv.stop();
    }
    REQUIRE(acked_texts.size() == 50);
    running_server srv(running_server::test_config(), &data);
    ws_client facilitator(srv.port());
    const json state = facilitator.hello_facilitator(s.facilitator_token)["state"];
    std::set<std::string> found;
    for (const auto& [id, n] : state["notes"].items()) found.insert(n["text"].get<std::string>());
    CHECK(found == acked_texts);
    CHECK(state["settings"]["title"] == "Redémarrage");

    // The participant comes back as themselves, and the join code still works.
    ws_client p1(srv.port());
    p1.send({{"type", "hello"},
             {"join_code", s.join_code},
             {"participant_token", token},
             {"last_seq", 3}});
    const json welcome = p1.expect("welcome");
    CHECK(welcome["participant_id"] == "p1");
    CHECK(welcome.contains("state"));  // too old for the in-memory window: a fresh snapshot
    // Retrying an op acknowledged before the restart is still not applied twice.
    const json retry = p1.op("d7", note_add("Note durable 7"));
    CHECK(retry["type"] == "ack");
}

TEST_CASE("the database keeps no token that opens a session; older plain tokens are digested") {
    temp_dir data;
    created s;
    std::string participant_token, seat_token;
    {
        running_server srv(running_server::test_config(), &data);
        s = create_session(srv.port(), {{"title", "Secrets"}});
        ws_client p1(srv.port());
        participant_token = p1.hello_participant(s.join_code, "Odile")["participant_token"];
        ws_client facilitator(srv.port());
        seat_token = facilitator.hello_facilitator(s.facilitator_token)["participant_token"];
        srv.stop();
    }
    REQUIRE(participant_token.size() == 32);
    REQUIRE(seat_token.size() == 32);
    const auto on_disk = [&](const std::string& bytes) { return found_in_files(data.path(), bytes); };
    // The scan sees the metadata: the join code is kept as it is.
    REQUIRE(on_disk(s.join_code));
    CHECK_FALSE(on_disk(s.facilitator_token));
    CHECK_FALSE(on_disk(participant_token));
    CHECK_FALSE(on_disk(seat_token));

    // Each token still opens its seat after a restart.
    const auto back_in = [&] {
        running_server srv(running_server::test_config(), &data);
        ws_client facilitator(srv.port());
        facilitator.send({{"type", "hello"},
                          {"facilitator_token", s.facilitator_token},
                          {"participant_token", seat_token}});
        CHECK(facilitator.expect("welcome")["participant_id"] == "f1");
        ws_client p1(srv.port());
        p1.send({{"type", "hello"}, {"join_code", s.join_code}, {"participant_token", participant_token}});
        CHECK(p1.expect("welcome")["participant_id"] == "p1");
        srv.stop();
    };
    back_in();

    // Metadata as servers wrote it before tokens were digested.
    {
        std::unique_ptr<ruche::storage::op_log> log;
        REQUIRE_FALSE(ruche::storage::open_rocksdb_op_log(data.str(), {}, log));
        const json plain = {{"join_code", s.join_code},
                            {"facilitator_token", s.facilitator_token},
                            {"participant_tokens", {{participant_token, "p1"}}},
                            {"next_participant", 2},
                            {"facilitator_seats", {{seat_token, "f1"}}},
                            {"next_facilitator", 2}};
        REQUIRE_FALSE(log->put_metadata(s.session_id, plain.dump()));
    }
    REQUIRE(on_disk(participant_token));
    back_in();
    // Written again as digests at start-up; the older versions compacted
    // away is RocksDB's business, so look at what the metadata now says.
    std::unique_ptr<ruche::storage::op_log> log;
    REQUIRE_FALSE(ruche::storage::open_rocksdb_op_log(data.str(), {}, log));
    std::optional<std::string> meta;
    REQUIRE_FALSE(log->get_metadata(s.session_id, meta));
    REQUIRE(meta);
    CHECK(meta->find(s.join_code) != std::string::npos);
    CHECK(meta->find(s.facilitator_token) == std::string::npos);
    CHECK(meta->find(participant_token) == std::string::npos);
    CHECK(meta->find(seat_token) == std::string::npos);
}

TEST_CASE("bad input gets its error and changes nothing") {
    running_server srv;
    const auto s =
        create_session(srv.port(), {{"title", "Entrées invalides"}, {"private_writing", false}});
    const auto other =
        create_session(srv.port(), {{"title", "Autre séance"}, {"private_writing", false}});
    ws_client other_p(srv.port());
    other_p.hello_participant(other.join_code);
    const std::string foreign_note = other_p.op("x", note_add("Ailleurs"))["seq"].dump();

    ws_client facilitator(srv.port());
    const std::uint64_t before = facilitator.hello_facilitator(s.facilitator_token)["seq"];
    facilitator.drain(200ms);

    SECTION("before hello") {
        ws_client c(srv.port());
        c.send({{"type", "op"}, {"op_id", "early"}, {"op", note_add("Trop tôt")}});
        const json e = c.expect("error");
        CHECK(e["code"] == "hello_required");
        CHECK(e["op_id"] == "early");
        c.send({{"type", "hello"}, {"join_code", "ZZZ-ZZZ-ZZZ"}});
        CHECK(c.expect("error")["code"] == "unknown_join_code");
        c.send({{"type", "hello"}, {"facilitator_token", "not-the-token"}});
        CHECK(c.expect("error")["code"] == "invalid_token");
        c.send({{"type", "hello"}, {"join_code", s.join_code}, {"participant_token", "forged"}});
        CHECK(c.expect("error")["code"] == "invalid_token");
        c.send({{"type", "hello"}});
        CHECK(c.expect("error")["code"] == "missing_field");
        // Still usable afterwards.
        CHECK(c.hello_participant(s.join_code)["type"] == "welcome");
    }
    SECTION("after hello") {
        ws_client c(srv.port());
        c.hello_participant(s.join_code);
        c.drain(100ms);
        struct row {
            std::string input;
            std::string code;
        };
        const std::vector<row> rows = {
            {"ceci n'est pas du JSON", "not_json"},
            {"[1,2]", "not_object"},
            {R"({"op_id":"a"})", "missing_field"},
            {R"({"type":"bonjour"})", "unknown_type"},
            {R"({"type":"op","op_id":"a1","op":{"kind":"note.add","text":5,"color":"pink","x":0,"y":0}})",
             "wrong_type"},
            {R"({"type":"op","op_id":"a2","op":{"kind":"note.fly","note":"n1"}})", "unknown_kind"},
            {R"({"type":"op","op_id":"a3","op":{"kind":"participant.join","participant":"f1","role":"facilitator","name":""}})",
             "server_only_kind"},
            {R"({"type":"op","op_id":"a4","op":{"kind":"note.delete","note":"n)" + foreign_note +
                 R"("}})",
             "unknown_note"},
            {R"({"type":"op","op_id":"a5","op":{"kind":"vote.add","note":"n1"}})", "wrong_phase"},
            {R"({"type":"op","op_id":"bad id!","op":{"kind":"timer.stop"}})", "invalid_id"},
            {R"({"type":"hello","join_code":")" + s.join_code + R"("})", "already_joined"},
        };
        for (const auto& r : rows) {
            INFO(r.input);
            c.send_text(r.input);
            const json e = c.expect("error");
            CHECK(e["code"] == r.code);
            CHECK_FALSE(e["message"].get<std::string>().empty());
        }
        c.send_binary("\x01\x02");
        CHECK(c.expect("error")["code"] == "binary_frame");
        // The connection is still open and working.
        CHECK(c.op("ok", note_add("Encore là"))["type"] == "ack");
        c.op("ok-del", {{"kind", "note.delete"},
                        {"note", "n" + c.op("ok", note_add("Encore là"))["seq"].dump()}});
    }
    SECTION("an oversized frame closes the connection with 1009") {
        ws_client c(srv.port());
        c.hello_participant(s.join_code);
        c.send_text(std::string(70 * 1024, 'x'));
        REQUIRE(c.wait_closed());
        CHECK(c.close_reason().code == websocket::close_code::too_big);
    }

    // Nothing of the above reached the board (bar presence and the note put back).
    ws_client check(srv.port());
    const json state = check.hello_facilitator(s.facilitator_token)["state"];
    for (const auto& [id, n] : state["notes"].items()) CHECK(n["text"] != "Trop tôt");
    CHECK(state["phase"] == "reveal");
    CHECK(state["themes"].empty());
    CHECK(state["seq"].get<std::uint64_t>() >= before);
    CHECK(http_call(srv.port(), http::verb::get, "/healthz").status == 200);
}

TEST_CASE("a client that never reads is closed while the others keep receiving") {
    auto cfg = running_server::test_config();
    cfg.limits.send_queue_bytes = 256 * 1024;
    cfg.limits.write_timeout = std::chrono::milliseconds(2000);
    running_server srv(cfg);
    const auto s = create_session(
        srv.port(),
        {{"title", "Lecteur lent"}, {"private_writing", false}, {"note_max_length", 5000}});

    ws_client sleeper(srv.port(), {}, 4096);
    sleeper.hello_participant(s.join_code);  // then never reads again
    ws_client watcher(srv.port());
    watcher.hello_participant(s.join_code);
    ws_client writer(srv.port());
    writer.hello_facilitator(s.facilitator_token);

    const std::string big(4000, 'e');
    constexpr int notes = 1200;  // ~5 MB per recipient: more than socket buffers and the queue
    // The watcher reads on its own thread, as a phone would, while the writer writes.
    int watched = 0;
    std::thread watching([&] {
        while (watched < notes) {
            auto m = watcher.next(10s);
            if (!m) return;
            watched += (*m)["type"] == "event" && (*m)["op"]["kind"] == "note.add";
        }
    });
    int acked = 0;
    for (int i = 0; i < notes; ++i) {
        acked +=
            writer.op("w" + std::to_string(i), note_add(big + std::to_string(i)))["type"] == "ack";
    }
    watching.join();
    CHECK(acked == notes);
    CHECK(watched == notes);

    const auto metrics = http_call(srv.port(), http::verb::get, "/metrics").body;
    CHECK(metrics.find("ruche_slow_consumers_closed_total 0") == std::string::npos);
    CHECK(sleeper.wait_closed(10s));
}

TEST_CASE("a WebSocket from a forged Origin is refused with 403") {
    running_server srv;
    auto try_origin = [&](const std::string& origin) {
        boost::asio::io_context ioc;
        websocket::stream<beast::tcp_stream> ws(ioc);
        beast::get_lowest_layer(ws).expires_after(5s);
        beast::get_lowest_layer(ws).connect(
            {boost::asio::ip::make_address("127.0.0.1"), srv.port()});
        ws.set_option(websocket::stream_base::decorator(
            [&](websocket::request_type& req) { req.set(http::field::origin, origin); }));
        websocket::response_type res;
        beast::error_code ec;
        ws.handshake(res, "127.0.0.1:" + std::to_string(srv.port()), "/ws", ec);
        return res.result_int();
    };
    CHECK(try_origin("http://evil.example") == 403);
    CHECK(try_origin("http://127.0.0.1:" + std::to_string(srv.port())) == 101);
    CHECK(try_origin(srv.public_url()) == 101);
}

TEST_CASE("a facilitator joining late sees private notes; a newcomer always gets a full state") {
    running_server srv;
    const auto s = create_session(srv.port(), {{"title", "Arrivée tardive"}});
    ws_client p1(srv.port());
    p1.hello_participant(s.join_code);
    REQUIRE(p1.op("n", note_add("Écrite avant l'animatrice"))["type"] == "ack");

    ws_client facilitator(srv.port());
    const json welcome = facilitator.hello_facilitator(s.facilitator_token);
    CHECK(mentions({welcome}, "Écrite avant l'animatrice"));

    ws_client newcomer(srv.port());
    newcomer.send({{"type", "hello"}, {"join_code", s.join_code}, {"last_seq", 1}});
    const json fresh = newcomer.expect("welcome");
    CHECK(fresh.contains("state"));
    CHECK_FALSE(fresh.contains("events"));
}

TEST_CASE("the server stops gracefully: clients are told 1001") {
    running_server srv;
    const auto s = create_session(srv.port());
    ws_client p1(srv.port());
    p1.hello_participant(s.join_code);
    srv.stop();
    REQUIRE(p1.wait_closed());
    CHECK(p1.close_reason().code == websocket::close_code::going_away);
}

TEST_CASE("a full disk: ops are refused and nothing is acked, reads go on, writing comes back") {
    auto faults = std::make_shared<ruche::storage::disk_faults>();
    running_server srv(running_server::test_config(), nullptr, faults);
    const auto s = create_session(srv.port(), {{"title", "Disque plein"}, {"private_writing", false}});
    ws_client writer(srv.port());
    writer.hello_participant(s.join_code);
    ws_client watcher(srv.port());
    watcher.hello_participant(s.join_code);
    const json before = writer.op("before", note_add("Avant"));
    REQUIRE(before["seq"].is_number());
    REQUIRE(watcher.until([](const json& m) { return m["type"] == "event"; }));

    faults->set(ruche::storage::disk_faults::kind::no_space);
    const json refused = writer.op("during", note_add("Pendant"));
    CHECK(refused["type"] == "error");
    CHECK(refused["code"] == "storage_unavailable");
    CHECK(refused["op_id"] == "during");

    // Still up: health says so, the board and its export are served.
    const auto health = http_call(srv.port(), http::verb::get, "/healthz").json_body();
    CHECK(health["status"] == "degraded");
    CHECK(health["storage_writable"] == false);
    const auto exported = http_call(srv.port(), http::verb::get,
                                    "/api/sessions/" + s.session_id + "/minutes.json", {},
                                    s.facilitator_token);
    CHECK(exported.status == 200);
    CHECK(exported.body.find("Avant") != std::string::npos);
    CHECK(exported.body.find("Pendant") == std::string::npos);
    CHECK(http_call(srv.port(), http::verb::get, "/metrics").body.find("ruche_storage_writable 0") !=
          std::string::npos);
    // Joining is written too (attendance): a newcomer is told, not left waiting.
    ws_client late(srv.port());
    late.send({{"type", "hello"}, {"facilitator_token", s.facilitator_token}});
    const auto told = late.until([](const json& m) { return m["type"] == "error"; });
    REQUIRE(told.has_value());
    CHECK((*told)["code"] == "storage_unavailable");

    // The disk has room again: the client's retry of the same op is taken,
    // with the next seq, and everyone hears of it once.
    faults->set(ruche::storage::disk_faults::kind::none);
    json retried;
    // RocksDB checks for free space every 5 s.
    const auto deadline = std::chrono::steady_clock::now() + 15s;
    do {
        retried = writer.op("during", note_add("Pendant"));
    } while (retried["type"] != "ack" && std::chrono::steady_clock::now() < deadline &&
             (std::this_thread::sleep_for(20ms), true));
    INFO(retried.dump());
    REQUIRE(retried["type"] == "ack");
    CHECK(retried["seq"] == before["seq"].get<std::uint64_t>() + 1);
    const auto event = watcher.until([](const json& m) {
        return m["type"] == "event" && m["op"]["kind"] == "note.add" && m["op"]["text"] == "Pendant";
    });
    CHECK(event.has_value());
    CHECK(http_call(srv.port(), http::verb::get, "/healthz").json_body()["status"] == "ok");
}

TEST_CASE("one participant's ops share one rate, however many connections they open") {
    auto cfg = running_server::test_config();
    // Each connection's own limit lets its hello and four ops through (a
    // burst of 5); the participant's, shared, lets 5 through in all.
    cfg.limits.ops_per_second = 0.5;
    cfg.limits.ops_burst = 5;
    running_server srv(cfg);
    const auto s = create_session(srv.port(), {{"title", "Partage"}, {"private_writing", false}});
    std::vector<std::unique_ptr<ws_client>> phones;
    phones.push_back(std::make_unique<ws_client>(srv.port()));
    const std::string token = phones[0]->hello_participant(s.join_code)["participant_token"];
    for (int i = 1; i < 5; ++i) {
        phones.push_back(std::make_unique<ws_client>(srv.port()));
        phones.back()->send({{"type", "hello"}, {"join_code", s.join_code}, {"participant_token", token}});
        phones.back()->expect("welcome");
    }
    int acked = 0;
    int limited = 0;
    for (std::size_t c = 0; c < phones.size(); ++c) {
        for (int i = 0; i < 4; ++i) {
            const auto reply = phones[c]->op("c" + std::to_string(c) + "-" + std::to_string(i),
                                             {{"kind", "note.add"}, {"text", "Idée"}, {"color", "yellow"}});
            if (reply["type"] == "ack") ++acked;
            if (reply["type"] == "error" && reply["code"] == "rate_limited") ++limited;
        }
    }
    // 20 ops sent within about a second: the burst, and at most one more.
    CHECK(acked >= 5);
    CHECK(acked <= 6);
    CHECK(acked + limited == 20);
    // Someone else in the session is not held by that participant's share.
    ws_client other(srv.port());
    other.hello_participant(s.join_code);
    CHECK(other.op("o1", {{"kind", "note.add"}, {"text", "Moi aussi"}, {"color", "blue"}})["type"] == "ack");
}

TEST_CASE("new participants per session are limited per minute and in all; returning ones never") {
    auto cfg = running_server::test_config();
    cfg.limits.joins_per_minute = 3;
    cfg.limits.participants_per_session = 4;
    running_server srv(cfg);
    const auto s = create_session(srv.port());
    // The error a hello gets, or "" when it is welcomed.
    const auto refusal = [&](const json& hello) {
        ws_client c(srv.port());
        c.send(hello);
        const auto reply = c.until([](const json& m) { return m["type"] == "welcome" || m["type"] == "error"; });
        REQUIRE(reply);
        return (*reply)["type"] == "error" ? (*reply)["code"].get<std::string>() : std::string();
    };
    std::vector<std::string> tokens;
    for (int i = 0; i < 3; ++i) {
        ws_client c(srv.port());
        tokens.push_back(c.hello_participant(s.join_code)["participant_token"]);
    }
    const json fresh = {{"type", "hello"}, {"join_code", s.join_code}};
    CHECK(refusal(fresh) == "too_many_joins");
    // People who already have a seat, and the facilitator, still get in.
    CHECK(refusal({{"type", "hello"}, {"join_code", s.join_code}, {"participant_token", tokens[0]}}).empty());
    CHECK(refusal({{"type", "hello"}, {"facilitator_token", s.facilitator_token}}).empty());
    // A session that has all the participants it may take says so (on a
    // server whose join rate does not get in the way).
    auto big = running_server::test_config();
    big.limits.participants_per_session = 2;
    running_server full(big);
    const auto f = create_session(full.port());
    for (int i = 0; i < 2; ++i) ws_client(full.port()).hello_participant(f.join_code);
    ws_client late(full.port());
    late.send({{"type", "hello"}, {"join_code", f.join_code}});
    CHECK(late.expect("error")["code"] == "session_full");
}
